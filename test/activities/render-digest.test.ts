import ical, { type VEvent } from 'node-ical';
import { describe, expect, it } from 'vitest';
import { parseMailbox } from '../../activities/mail/mailbox';
import { renderDigest } from '../../activities/mail/render-digest';
import type { DigestInput, DigestItem } from '../../activities/mail/types';
import { item, MAIL_FROM, sampleDigest } from './fixtures';


function render(input: DigestInput) {
  return renderDigest(input, {
    organizer: parseMailbox(MAIL_FROM),
    linkFor: (i: DigestItem) => `https://kehoach.example/nop/${encodeURIComponent(i.occurrenceKey)}`,
  });
}

describe('renderDigest', () => {
  it('tells a partner unit who leads and that it submits nothing, and a lead unit who receives the report', () => {
    const { text, html } = render(
      sampleDigest({
        items: [
          item({ kind: 'partner-notice', id: 'p', unitName: 'Tổ dân phố số 2', reportToName: 'Phòng Văn hóa - Xã hội' }),
          item({ kind: 'reminder', id: 'r', reportToName: 'Phòng Văn hóa - Xã hội' }),
        ],
      }),
    );
    expect(text).toContain('== Nhiệm vụ đơn vị phối hợp (để biết, không phải nộp) ==');
    expect(text).toContain('   Đơn vị chủ trì: Tổ dân phố số 2');
    expect(text).toContain('   Đề nghị: phối hợp với Tổ dân phố số 2; đơn vị chủ trì nộp báo cáo, đơn vị phối hợp không phải nộp');
    expect(text.match(/ {3}Nơi nhận báo cáo: Phòng Văn hóa - Xã hội/g)).toHaveLength(2);
    expect(html).toContain('Nơi nhận báo cáo');
    // The partner's item carries no submission link: only the reminder does.
    expect(text.match(/Nộp tại/g)).toHaveLength(1);
  });

  it('writes a Vietnamese subject with the count, the unit and the local date', () => {
    expect(render(sampleDigest()).subject).toBe(
      '[Kế hoạch năm 2026] 3 việc cần thực hiện (1 việc quá hạn) – Trường Tiểu học Hà Đông – 20/03/2026',
    );
    expect(render(sampleDigest({ batch: 2, items: [item({ kind: 'reminder' })] })).subject).toBe(
      '[Kế hoạch năm 2026] 1 việc cần thực hiện – Trường Tiểu học Hà Đông – 20/03/2026 (đợt 2)',
    );
  });

  it('groups items by kind, most urgent first, numbered across groups', () => {
    const { text } = render(sampleDigest());
    const overdue = text.indexOf('== Việc đã quá hạn, đề nghị nộp ngay ==');
    const reminder = text.indexOf('== Việc sắp đến hạn ==');
    const invitation = text.indexOf('== Giấy mời họp, hội nghị ==');
    expect(overdue).toBeGreaterThan(0);
    expect(reminder).toBeGreaterThan(overdue);
    expect(invitation).toBeGreaterThan(reminder);
    expect(text).toContain('1. Báo cáo tháng về dân chủ ở cơ sở – tháng 2/2026');
    expect(text).toContain('   Hạn chót: Thứ Hai, 16/03/2026 (đã quá hạn)');
    expect(text).toContain('2. Báo cáo kết quả thực hiện dân chủ ở cơ sở – quý I/2026');
    expect(text).toContain('   Hạn chót: Thứ Sáu, 20/03/2026');
    expect(text).toContain('3. Hội nghị viên chức, người lao động – năm 2026');
    expect(text).toContain('   Thời gian: 08:00 ngày 23/03/2026 (Thứ Hai)');
    expect(text).toMatch(/^Kính gửi: Trường Tiểu học Hà Đông\n/);
  });

  it('gives a submission link to the items the unit must act on, and none to an invitation', () => {
    const { text, html } = render(sampleDigest());
    expect(text).toContain('   Nộp tại: https://kehoach.example/nop/bc-dccs-quy%3Ath-ha-dong%3A2026-Q1');
    expect(text).toContain('   Nộp ngay tại: https://kehoach.example/nop/bc-dccs-thang%3Ath-ha-dong%3A2026-02');
    expect(text).not.toContain('hn-vien-chuc%3A');
    expect(html).toContain('<a href="https://kehoach.example/nop/bc-dccs-quy%3Ath-ha-dong%3A2026-Q1"');
    expect(html.match(/<a href=/g)).toHaveLength(2);
    expect(html).toContain('>Nộp trực tuyến</a>');
    expect(html).toContain('>Nộp ngay</a>');
  });

  it('keeps numbering continuous in the HTML lists', () => {
    const { html } = render(sampleDigest());
    expect(html.match(/<ol start="(\d+)"/g)).toEqual(['<ol start="1"', '<ol start="2"', '<ol start="3"']);
  });

  it('escapes unit names and notes in HTML but keeps them verbatim in text', () => {
    const input = sampleDigest({
      recipient: { unitId: 'x', name: 'Thôn <Đông> & "Tây"', emails: ['a@x.example'] },
      items: [item({ kind: 'reminder', note: '<img src=x onerror=alert(1)>' })],
    });
    const { html, text } = render(input);
    expect(html).toContain('Thôn &lt;Đông&gt; &amp; &quot;Tây&quot;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    expect(text).toContain('Ghi chú: <img src=x onerror=alert(1)>');
  });

  it('explains an escalation: which unit, which level, what to do; without a submission link', () => {
    const input = sampleDigest({
      recipient: { unitId: 'vhxh', name: 'Phòng Văn hóa - Xã hội', emails: ['vhxh@ha-dong.example'] },
      items: [item({ kind: 'escalation', level: 2 })],
    });
    const { text } = render(input);
    expect(text).toContain('== Đơn vị chưa nộp, đề nghị đôn đốc ==');
    expect(text).toContain('   Đơn vị chưa nộp: Trường Tiểu học Hà Đông');
    expect(text).toContain('   Mức đôn đốc: cấp 2');
    expect(text).not.toContain('Nộp tại');
  });

  it('reports a rejected delivery with the server reason, and an extension decision with its result', () => {
    const { text } = render(
      sampleDigest({
        items: [
          item({ kind: 'delivery-failure', note: '550 5.1.1 Hộp thư không tồn tại' }),
          item({ kind: 'extension-decision', note: 'Đồng ý gia hạn đến 27/03/2026', dueAt: '2026-03-27T17:00:00.000Z' }),
        ],
      }),
    );
    expect(text).toContain('   Lý do máy chủ thư trả lời: 550 5.1.1 Hộp thư không tồn tại');
    expect(text).toContain('   Kết quả: Đồng ý gia hạn đến 27/03/2026');
    expect(text).toContain('   Hạn chót (sau khi xem xét): Thứ Sáu, 27/03/2026');
    expect(text).not.toContain('Ghi chú');
  });

  it('makes the meeting a METHOD:REQUEST calendar request that node-ical reads back', () => {
    const { calendar, attachments } = render(sampleDigest());
    expect(attachments).toHaveLength(0);
    expect(calendar?.filename).toBe('giay-moi-3.ics');
    expect(calendar?.content).toMatch(/^METHOD:REQUEST\r$/m);
    const parsed = ical.sync.parseICS(calendar?.content ?? '');
    const events = Object.values(parsed).filter((c): c is VEvent => c?.type === 'VEVENT');
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event.start.toISOString()).toBe('2026-03-23T01:00:00.000Z');
    // No end in the item (a workflow started before it was carried): the plan's default length.
    expect(event.end?.toISOString()).toBe('2026-03-23T03:00:00.000Z');
    expect(String(event.summary)).toBe('Hội nghị viên chức, người lao động – Trường Tiểu học Hà Đông');
    expect(event.uid).toBe('hn-vien-chuc:th-ha-dong:2026-Y@ha-dong-dccs-2026');
    expect(String(event.description)).toContain('Thời gian: 08:00 ngày 23/03/2026 (Thứ Hai)');
    expect(String(event.description)).not.toContain('.ics');
    expect(calendar?.content).toMatch(/^DTSTAMP:20260320T000000Z\r$/m);
  });

  it('shows a meeting\'s end and place, and sends a second meeting of the day as a file of its own', () => {
    const meeting = (key: string, eventAt: string, eventEndAt: string) =>
      item({ kind: 'invitation', occurrenceKey: key, dutyTitle: 'Hội nghị', eventAt, eventEndAt, place: 'Hội trường UBND xã' });
    const { text, calendar, attachments } = render(
      sampleDigest({
        items: [
          meeting('hn:th-ha-dong:a', '2026-03-23T01:00:00.000Z', '2026-03-23T03:30:00.000Z'),
          meeting('hn:th-ha-dong:b', '2026-03-24T01:00:00.000Z', '2026-03-24T02:30:00.000Z'),
        ],
      }),
    );
    expect(text).toContain('   Thời gian: 08:00 – 10:30 ngày 23/03/2026 (Thứ Hai)');
    expect(text).toContain('   Địa điểm: Hội trường UBND xã');
    expect(text).toContain('   Lịch họp: giấy mời điện tử kèm thư này (giay-moi-1.ics)');
    expect(text).toContain('   Lịch họp: tệp đính kèm giay-moi-2.ics, mở để thêm vào lịch');
    expect(calendar?.content).toContain('UID:hn:th-ha-dong:a@');
    expect(attachments.map((a) => [a.filename, a.contentType])).toEqual([['giay-moi-2.ics', 'application/ics']]);
    expect(attachments[0]?.content).toContain('UID:hn:th-ha-dong:b@');
  });

  it('shows a deadline that is not at 24:00 local with its time', () => {
    const { text } = render(sampleDigest({ items: [item({ kind: 'reminder', dueAt: '2026-03-20T10:00:00.000Z' })] }));
    expect(text).toContain('   Hạn chót: 17:00 ngày 20/03/2026 (Thứ Sáu)');
  });

  it('shows meeting times in the plan zone, not UTC', () => {
    const late = item({ kind: 'invitation', eventAt: '2026-12-31T16:59:00.000Z' });
    expect(render(sampleDigest({ items: [late] })).text).toContain('   Thời gian: 23:59 ngày 31/12/2026 (Thứ Năm)');
  });

  it('renders the same input to the same output (a retried activity re-renders identically)', () => {
    expect(render(sampleDigest())).toEqual(render(sampleDigest()));
  });
});
