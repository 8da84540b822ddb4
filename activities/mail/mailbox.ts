import addressparser from 'nodemailer/lib/addressparser';

export interface Mailbox {
  name: string;
  address: string;
}

/** 'Kế hoạch xã Hà Đông <kehoach@ha-dong.example>' → { name, address }. */
export function parseMailbox(value: string): Mailbox {
  const [first] = addressparser(value, { flatten: true });
  const address = first?.address ?? '';
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) {
    throw new Error(`Địa chỉ người gửi không hợp lệ: "${value}" (cần dạng "Tên <hop-thu@ten-mien.vn>").`);
  }
  return { name: first?.name ?? '', address };
}

export function domainOf(mailbox: Mailbox): string {
  return mailbox.address.slice(mailbox.address.lastIndexOf('@') + 1).toLowerCase();
}
