/** Settings shared by in-process and child-process test workers, so both send identical mail. */
export const MAIL_FROM = 'Kế hoạch xã Thử Nghiệm <kehoach@xa-thu.example>';
export const LINK_SECRET = 'kiem-thu-khoa-bi-mat-du-dai-32-ky-tu-tro-len';
