import type { DigestInput, DigestItem } from '../../activities/mail/types';

export const LINK_SECRET = 'test-secret-for-submission-links-0123456789';
export const PUBLIC_URL = 'https://kehoach.ha-dong.example';
export const MAIL_FROM = 'Kế hoạch xã Hà Đông <kehoach@ha-dong.example>';

const base = {
  dutyKind: 'report',
  unitId: 'th-ha-dong',
  unitName: 'Trường Tiểu học Hà Đông',
};

export function item(overrides: Partial<DigestItem> & Pick<DigestItem, 'kind'>): DigestItem {
  const occurrenceKey = overrides.occurrenceKey ?? 'bc-dccs-quy:th-ha-dong:2026-Q1';
  return {
    id: `${overrides.kind}:${occurrenceKey}:${overrides.level ?? 0}`,
    occurrenceKey,
    dutyId: 'bc-dccs-quy',
    dutyTitle: 'Báo cáo kết quả thực hiện dân chủ ở cơ sở',
    periodLabel: 'quý I/2026',
    // 24:00 local on Friday 20/03/2026 (Asia/Ho_Chi_Minh).
    dueAt: '2026-03-20T17:00:00.000Z',
    ...base,
    ...overrides,
  };
}

/** Three items for the primary school on 20/03/2026: a reminder, an invitation, an overdue report. */
export function sampleDigest(overrides: Partial<DigestInput> = {}): DigestInput {
  return {
    planId: 'ha-dong-dccs-2026',
    year: 2026,
    timeZone: 'Asia/Ho_Chi_Minh',
    recipient: { unitId: 'th-ha-dong', name: 'Trường Tiểu học Hà Đông', emails: ['hieutruong@th-hadong.example'] },
    localDate: '2026-03-20',
    batch: 1,
    items: [
      item({ kind: 'reminder' }),
      item({
        kind: 'invitation',
        occurrenceKey: 'hn-vien-chuc:th-ha-dong:2026-Y',
        dutyId: 'hn-vien-chuc',
        dutyTitle: 'Hội nghị viên chức, người lao động',
        dutyKind: 'conference',
        periodLabel: 'năm 2026',
        // 08:00 local on Monday 23/03/2026.
        eventAt: '2026-03-23T01:00:00.000Z',
        dueAt: '2026-03-30T17:00:00.000Z',
      }),
      item({
        kind: 'overdue',
        occurrenceKey: 'bc-dccs-thang:th-ha-dong:2026-02',
        dutyId: 'bc-dccs-thang',
        dutyTitle: 'Báo cáo tháng về dân chủ ở cơ sở',
        periodLabel: 'tháng 2/2026',
        dueAt: '2026-03-16T17:00:00.000Z',
      }),
    ],
    ...overrides,
  };
}
