/**
 * Turns one digest into the Vietnamese email a unit reads: subject, a plain-text and an HTML part
 * from the templates in ./templates, and one .ics invitation per meeting.
 */
import { formatDeadline, formatInstant, formatShortDate, localDateTimeOf } from '../../domain/calendar';
import { periodYearsText } from '../../domain/plan/period';
import { periodOfPlan } from '../../domain/schedule/expanded-period';
import { buildInvitationIcs } from './invitation-ics';
import type { MailAttachment, MailCalendarRequest } from './mailer';
import type { Mailbox } from './mailbox';
import { mailTemplates } from './mail-templates';
import type { DigestInput, DigestItem, DigestItemKind } from './types';

export interface DigestRenderOptions {
  organizer: Mailbox;
  /** The signed submission link for an item the recipient must act on. */
  linkFor(item: DigestItem): string;
  /** The recipient's calendar subscription (webcal://), offered at the end of every digest. */
  feedLink?: string;
}

export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
  /** The first meeting of the digest as an iMIP request the mail client shows as a meeting. */
  calendar?: MailCalendarRequest;
  /** Further meetings of the same digest, each a complete request in a file of its own. */
  attachments: MailAttachment[];
}

interface KindPresentation {
  heading: string;
  color: string;
  /** The submission link, when the recipient itself must submit something: label before the URL
   * in the text part, anchor text in the HTML part. */
  link?: { label: string; anchor: string };
}

/** Object key order is the order of the sections in the email: most urgent first. */
const KINDS: Record<DigestItemKind, KindPresentation> = {
  overdue: {
    heading: 'Việc đã quá hạn, đề nghị nộp ngay',
    color: '#b3261e',
    link: { label: 'Nộp ngay tại', anchor: 'Nộp ngay' },
  },
  escalation: { heading: 'Đơn vị chưa nộp, đề nghị đôn đốc', color: '#b3261e' },
  'delivery-failure': { heading: 'Thư không gửi được tới đơn vị', color: '#b3261e' },
  'extension-decision': {
    heading: 'Kết quả xem xét đề nghị gia hạn',
    color: '#1a1a1a',
    link: { label: 'Nộp tại', anchor: 'Nộp trực tuyến' },
  },
  reminder: { heading: 'Việc sắp đến hạn', color: '#1a1a1a', link: { label: 'Nộp tại', anchor: 'Nộp trực tuyến' } },
  'minutes-request': {
    heading: 'Nộp biên bản cuộc họp',
    color: '#1a1a1a',
    link: { label: 'Nộp biên bản tại', anchor: 'Nộp biên bản trực tuyến' },
  },
  invitation: { heading: 'Giấy mời họp, hội nghị', color: '#1a1a1a' },
  'partner-notice': { heading: 'Nhiệm vụ đơn vị phối hợp (để biết, không phải nộp)', color: '#1a1a1a' },
};
const KIND_ORDER = Object.keys(KINDS) as DigestItemKind[];

/** Further invitations as plain files: only one calendar request per message is shown as a meeting. */
const ICS_FILE_CONTENT_TYPE = 'application/ics';

interface Line {
  label: string;
  value: string;
}

interface ItemView {
  number: number;
  title: string;
  lines: Line[];
  link?: string;
  linkLabel?: string;
  linkAnchor?: string;
}

/** Meeting start: '08:00 ngày 23/03/2026 (Thứ Hai)'. */
function formatEventTime(instant: string, zone: string): string {
  return formatInstant(instant, zone, { weekday: true });
}

function sortKey(item: DigestItem): string {
  return `${item.kind === 'invitation' ? (item.eventAt ?? item.dueAt) : item.dueAt}|${item.id}`;
}

/** Meeting time: '08:00 – 10:30 ngày 15/12/2026 (Thứ Ba)', or the start alone when the end is unknown. */
function formatEventSpan(item: DigestItem, zone: string): string | undefined {
  if (!item.eventAt) return undefined;
  if (!item.eventEndAt) return formatEventTime(item.eventAt, zone);
  const start = localDateTimeOf(item.eventAt, zone);
  const end = localDateTimeOf(item.eventEndAt, zone);
  return end.date === start.date
    ? `${start.time} – ${formatEventTime(item.eventEndAt, zone)}`
    : `${formatEventTime(item.eventAt, zone)} – ${formatEventTime(item.eventEndAt, zone)}`;
}

function linesFor(item: DigestItem, zone: string, attachment: { name: string; request: boolean } | undefined): Line[] {
  const deadline = formatDeadline(item.dueAt, zone);
  const event = item.eventAt ? formatEventTime(item.eventAt, zone) : undefined;
  const lines: Line[] = [];
  let noteShown = false;
  switch (item.kind) {
    case 'reminder':
      lines.push({ label: 'Hạn chót', value: deadline });
      break;
    case 'invitation': {
      const span = formatEventSpan(item, zone);
      if (span) lines.push({ label: 'Thời gian', value: span });
      if (item.place) lines.push({ label: 'Địa điểm', value: item.place });
      if (attachment) {
        lines.push({
          label: 'Lịch họp',
          value: attachment.request
            ? `giấy mời điện tử kèm thư này (${attachment.name}): chọn Chấp nhận hoặc Từ chối để trả lời cơ quan chủ trì`
            : `tệp đính kèm ${attachment.name}, mở để thêm vào lịch`,
        });
      }
      break;
    }
    case 'minutes-request':
      if (event) lines.push({ label: 'Cuộc họp đã diễn ra lúc', value: event });
      lines.push({ label: 'Hạn nộp biên bản', value: deadline });
      break;
    case 'overdue':
      lines.push({ label: 'Hạn chót', value: `${deadline} (đã quá hạn)` });
      break;
    case 'escalation':
      lines.push({ label: 'Đơn vị chưa nộp', value: item.unitName });
      lines.push({ label: 'Hạn chót', value: `${deadline} (đã quá hạn)` });
      lines.push({ label: 'Mức đôn đốc', value: `cấp ${item.level ?? 1}` });
      lines.push({ label: 'Đề nghị', value: `đôn đốc ${item.unitName} hoàn thành và nộp ngay` });
      break;
    case 'extension-decision':
      if (item.note) lines.push({ label: 'Kết quả', value: item.note });
      noteShown = true;
      lines.push({ label: 'Hạn chót (sau khi xem xét)', value: deadline });
      break;
    case 'partner-notice':
      lines.push({ label: 'Đơn vị chủ trì', value: item.unitName });
      lines.push({ label: 'Hạn chót của đơn vị chủ trì', value: deadline });
      lines.push({ label: 'Đề nghị', value: `phối hợp với ${item.unitName}; đơn vị chủ trì nộp báo cáo, đơn vị phối hợp không phải nộp` });
      break;
    case 'delivery-failure':
      lines.push({ label: 'Đơn vị không nhận được thư', value: item.unitName });
      lines.push({ label: 'Lý do máy chủ thư trả lời', value: item.note ?? '' });
      noteShown = true;
      lines.push({ label: 'Đề nghị', value: 'kiểm tra và cập nhật địa chỉ thư điện tử của đơn vị trong kế hoạch' });
      break;
  }
  if (item.reportToName && item.kind !== 'escalation' && item.kind !== 'delivery-failure') {
    lines.push({ label: 'Nơi nhận báo cáo', value: item.reportToName });
  }
  if (item.note && !noteShown) lines.push({ label: 'Ghi chú', value: item.note });
  return lines;
}

function countPhrase(input: DigestInput): string {
  const overdue = input.items.filter((item) => item.kind === 'overdue').length;
  const total = `${input.items.length} việc cần thực hiện`;
  return overdue > 0 ? `${total} (${overdue} việc quá hạn)` : total;
}

/**
 * The plan as the subject and intro name it, by the label every other mail and page uses
 * (domain/plan/period.ts). A digest names only its plan's year, not the plan's period, so a plan
 * across two years still reads "năm 2026" here; the label follows the period once the digest
 * carries one (`period`, as in ExpandedPlan).
 */
function planYears(input: DigestInput): string {
  return periodYearsText(periodOfPlan(input));
}

export function digestSubject(input: DigestInput): string {
  const batch = input.batch > 1 ? ` (đợt ${input.batch})` : '';
  return `[Kế hoạch ${planYears(input)}] ${countPhrase(input)} – ${input.recipient.name} – ${formatShortDate(input.localDate)}${batch}`;
}

export function renderDigest(input: DigestInput, options: DigestRenderOptions): RenderedDigest {
  const zone = input.timeZone;
  const attachments: MailAttachment[] = [];
  let calendar: MailCalendarRequest | undefined;
  const groups: { heading: string; color: string; firstNumber: number; items: ItemView[] }[] = [];
  let number = 0;

  for (const kind of KIND_ORDER) {
    const presentation = KINDS[kind];
    const items = input.items
      .filter((item) => item.kind === kind)
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
    if (items.length === 0) continue;
    const views = items.map((item): ItemView => {
      number += 1;
      const title = `${item.dutyTitle} – ${item.periodLabel}`;
      const attachment = kind === 'invitation' ? { name: `giay-moi-${number}.ics`, request: calendar === undefined } : undefined;
      const lines = linesFor(item, zone, attachment);
      if (attachment) {
        const content = buildInvitationIcs(item, {
          input,
          organizer: options.organizer,
          description: [title, ...linesFor(item, zone, undefined).map((l) => `${l.label}: ${l.value}`)].join('\n'),
        });
        if (attachment.request) calendar = { filename: attachment.name, content };
        else attachments.push({ filename: attachment.name, contentType: ICS_FILE_CONTENT_TYPE, content });
      }
      const view: ItemView = { number, title, lines };
      if (presentation.link) {
        view.link = options.linkFor(item);
        view.linkLabel = presentation.link.label;
        view.linkAnchor = presentation.link.anchor;
      }
      return view;
    });
    groups.push({
      heading: presentation.heading,
      color: presentation.color,
      firstNumber: number - views.length + 1,
      items: views,
    });
  }

  const subject = digestSubject(input);
  const batch = input.batch > 1 ? ` (đợt ${input.batch})` : '';
  const view = {
    subject,
    recipientName: input.recipient.name,
    intro: `Hệ thống theo dõi kế hoạch ${planYears(input)} xin thông báo ${countPhrase(input)}, tổng hợp ngày ${formatShortDate(input.localDate)}${batch}:`,
    groups,
    feedLink: options.feedLink,
    footer:
      'Thư này được gửi tự động từ hệ thống theo dõi kế hoạch. Mỗi đường dẫn nộp chỉ dùng cho đơn vị nhận thư. ' +
      'Nếu thông tin chưa đúng, xin liên hệ cơ quan chủ trì kế hoạch.',
  };
  const { text, html } = mailTemplates('digest');
  return { subject, text: text.render(view), html: html.render(view), ...(calendar ? { calendar } : {}), attachments };
}
