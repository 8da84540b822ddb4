/**
 * The plan file format (YAML, `version: 1`). Keys are English camelCase, values (names, titles) are
 * Vietnamese. This schema checks the shape of one file; references between its parts (ids, chains,
 * dates against the calendar) are checked by `cross-check.ts`, so that every problem is reported at once.
 *
 * Messages here are Vietnamese because a commune clerk reads them next to the line they point at.
 */
import { z } from 'zod';
import { CADENCES } from '../calendar';
import { tryParseCivilDate } from '../calendar/local-date';
import { REPORT_FIELD_TYPES } from '../report-fields/types';

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
const MONTH_DAY_PATTERN = /^(\d{2})-(\d{2})$/;

export const id = z
  .string()
  .regex(ID_PATTERN, {
    message: 'mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ "phong-vhxh"',
  })
  .meta({ description: 'Mã định danh: chữ thường không dấu, chữ số, dấu gạch ngang.' });

const text = z.string().trim().min(1, { message: 'không được để trống' });

/** A real local date 'YYYY-MM-DD'; 2026-02-30 is rejected with its own message. */
export const localDate = z
  .string()
  .superRefine((value, ctx) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      ctx.addIssue({ code: 'custom', message: `"${value}" không phải ngày dạng YYYY-MM-DD (ví dụ 2026-03-31)` });
    } else if (tryParseCivilDate(value) === undefined) {
      ctx.addIssue({ code: 'custom', message: `ngày ${value} không có thật trên lịch` });
    }
  })
  .meta({ description: 'Ngày dạng YYYY-MM-DD.', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/** 'MM-DD', a day that recurs every year; 02-29 is checked against the plan year later. */
export const monthDay = z
  .string()
  .superRefine((value, ctx) => {
    const match = MONTH_DAY_PATTERN.exec(value);
    const month = Number(match?.[1]);
    const day = Number(match?.[2]);
    if (match === null) {
      ctx.addIssue({ code: 'custom', message: `"${value}" không phải ngày trong năm dạng MM-DD (ví dụ 03-31)` });
    } else if (tryParseCivilDate(`2024-${match[1]}-${match[2]}`) === undefined || month < 1 || day < 1) {
      ctx.addIssue({ code: 'custom', message: `ngày ${match[2]}/${match[1]} không có thật trên lịch` });
    }
  })
  .meta({ description: 'Ngày trong năm dạng MM-DD.', pattern: '^\\d{2}-\\d{2}$' });

export const localTime = z
  .string()
  .regex(TIME_PATTERN, { message: 'giờ phải có dạng HH:mm theo 24 giờ, ví dụ "08:00" hoặc "14:30"' })
  .meta({ description: 'Giờ dạng HH:mm theo 24 giờ, đặt trong dấu nháy, ví dụ "08:00".' });

const email = z.email({ message: 'địa chỉ thư điện tử không hợp lệ' }).meta({ description: 'Địa chỉ thư điện tử.' });

export const UNIT_KINDS = [
  'leader',
  'department',
  'public-unit',
  'school',
  'fatherland-front',
  'mass-organisation',
  'people-inspection',
  'residential-group',
  'enterprise',
  'other',
] as const;

export const DUTY_KINDS = ['report', 'meeting', 'conference', 'posting', 'plan-document', 'other'] as const;

const note = (description: string) => z.string().optional().describe(description);

const calendarEntry = z.strictObject({
  date: localDate.describe('Ngày dạng YYYY-MM-DD.'),
  name: text.describe('Tên ngày, ví dụ "Tết Âm lịch (mùng 1)" hoặc "Làm bù cho thứ Sáu 02/01".'),
  /** The government notice or law article that decided the day. */
  notice: text.describe('Văn bản quyết định ngày này (số thông báo, công văn hoặc điều luật); "chưa có thông báo" khi tạm tính.'),
  note: note('Ghi chú, ví dụ vì sao ngày này còn tạm tính.'),
});

export const calendarYearSchema = z.strictObject({
  year: z.number().int().describe('Năm dương lịch của lịch làm việc này.'),
  provisional: z
    .boolean()
    .describe('true khi chưa có thông báo chính thức về ngày nghỉ của năm (ngày tạm tính); false khi đã theo thông báo.'),
  notices: z.array(text).default([]).describe('Các văn bản đã quyết định ngày nghỉ, làm bù của năm.'),
  note: note('Ghi chú về lịch năm này, nhất là điều còn chưa chắc chắn.'),
  daysOff: z.array(calendarEntry).default([]).describe('Ngày nghỉ lễ, Tết, nghỉ bù và nghỉ hoán đổi (ngoài thứ Bảy, Chủ nhật).'),
  makeUpWorkingDays: z.array(calendarEntry).default([]).describe('Ngày thứ Bảy hoặc Chủ nhật phải đi làm bù.'),
});

// ---- Plan period, phases and deadlines on days off ----------------------------------------------

/** The days a plan covers when they are not one calendar year (domain/plan/period.ts). */
const planPeriod = z
  .strictObject({
    from: localDate.describe('Ngày bắt đầu kế hoạch (YYYY-MM-DD), ví dụ "2026-09-01" cho năm học 2026–2027.'),
    to: localDate.describe('Ngày kết thúc kế hoạch (YYYY-MM-DD), tối đa 12 tháng sau ngày bắt đầu, ví dụ "2027-05-31".'),
  })
  .describe(
    'Thời gian kế hoạch khi không trọn một năm dương lịch (năm học, đợt cao điểm); có thể sang năm sau. ' +
      'Bỏ trống: từ 01/01 đến 31/12 của năm kế hoạch.',
  );

export const ON_DAY_OFF = ['forward', 'back', 'keep'] as const;

/** What happens to a deadline that falls on a day off (domain/schedule/date-rules.ts). */
const onDayOff = z
  .enum(ON_DAY_OFF, { message: `cách xử lý hạn rơi vào ngày nghỉ phải là một trong: ${ON_DAY_OFF.join(', ')}` })
  .describe(
    'Hạn chót rơi vào ngày nghỉ: "forward" dời sang ngày làm việc kế tiếp, "back" dời về ngày làm việc liền trước, ' +
      '"keep" giữ nguyên ngày (hạn do cấp trên ấn định, không được dời; thư nhắc vẫn chỉ gửi vào ngày làm việc). ' +
      'Bỏ trống: hạn "trước N ngày" dời về trước, các hạn khác dời sang sau.',
  );

const phase = z.strictObject({
  id: id.describe('Mã giai đoạn, duy nhất trong kế hoạch, ví dụ "gd1".'),
  name: text.describe('Tên giai đoạn như trong văn bản, hiện trong thư, trang theo dõi và báo cáo, ví dụ "Giai đoạn 1: Tuyên truyền".'),
  from: localDate.describe('Ngày bắt đầu giai đoạn (YYYY-MM-DD), trong thời gian kế hoạch.'),
  to: localDate.describe('Ngày kết thúc giai đoạn (YYYY-MM-DD), trong thời gian kế hoạch.'),
  note: note('Ghi chú về giai đoạn.'),
});

const signer = z.strictObject({
  authority: text.meta({ description: 'Quyền hạn ký, ví dụ "TM. ỦY BAN NHÂN DÂN".' }),
  position: text.describe('Chức vụ người ký, ví dụ "CHỦ TỊCH".'),
  name: text.describe('Họ và tên người ký.'),
  unit: id.optional().describe('Mã đơn vị của người ký (trong units).'),
});

const planMeta = z.strictObject({
  id: id.describe('Mã kế hoạch, duy nhất và thường có năm, ví dụ "ha-dong-2026".'),
  title: text.describe('Tên đầy đủ của kế hoạch như trên văn bản.'),
  documentType: text.default('Kế hoạch').describe('Loại văn bản (mặc định "Kế hoạch").'),
  issuingBody: text.describe('Cơ quan ban hành, ví dụ "Ủy ban nhân dân xã Hà Đông".'),
  parentBody: text.optional().describe('Cơ quan chủ quản cấp trên, ví dụ "UBND thành phố Hải Phòng".'),
  documentNumber: z.string().describe('Số, ký hiệu văn bản, ví dụ "15/KH-UBND"; để "/KH-UBND" khi chưa có số.'),
  documentDate: localDate.optional().describe('Ngày ban hành văn bản (YYYY-MM-DD), bỏ trống khi chưa ban hành.'),
  place: text.describe('Địa danh ghi ở đầu văn bản, ví dụ "Hà Đông".'),
  year: z
    .number()
    .int()
    .min(2000, { message: 'năm phải từ 2000 trở đi' })
    .max(2100, { message: 'năm phải trước 2100' })
    .describe(
      'Năm của kế hoạch; mọi ngày ghi trong tệp phải thuộc năm này. Khi có "period" sang năm sau: năm bắt đầu, ' +
        'ví dụ 2026 cho năm học 2026–2027.',
    ),
  period: planPeriod.optional(),
  timeZone: text.default('Asia/Ho_Chi_Minh').describe('Múi giờ (mặc định "Asia/Ho_Chi_Minh").'),
  legalBases: z.array(text).min(1, { message: 'cần ít nhất một căn cứ pháp lý' }).describe('Các căn cứ pháp lý của kế hoạch.'),
  recipients: z.array(text).default([]).describe('Nơi nhận văn bản.'),
  signer: signer.describe('Người ký văn bản.'),
  /** The office that follows the plan and receives the units' reports (seed III.2). */
  supervisor: id.describe('Mã đơn vị thường trực theo dõi kế hoạch và nhận báo cáo (trong units).'),
  note: note('Ghi chú về kế hoạch.'),
});

export const reminderPolicySchema = z.strictObject({
  /** Calendar days before the anchor; 0 = the morning of the anchor day. */
  daysBefore: z
    .array(z.number().int())
    .min(1, { message: 'cần ít nhất một lời nhắc' })
    .describe('Gửi lời nhắc trước bao nhiêu ngày, ví dụ [7, 3, 1]; 0 là sáng của chính ngày đó.'),
  relativeTo: z.enum(['due', 'event']).default('due').describe('Nhắc trước hạn chót ("due") hoặc trước cuộc họp ("event").'),
});

export const escalationStepSchema = z.strictObject({
  afterWorkingDays: z
    .number()
    .int()
    .min(1, { message: 'phải từ 1 ngày làm việc trở lên' })
    .describe('Quá hạn bao nhiêu ngày làm việc thì báo cấp trên.'),
  level: z
    .number()
    .int()
    .min(1, { message: 'cấp báo cáo bắt đầu từ 1 (cấp ngay trên đơn vị)' })
    .describe('Báo đến cấp nào: 1 là cấp trên trực tiếp (reportsTo), 2 là cấp trên nữa.'),
});

const settings = z.strictObject({
  /** Local time at which reminders and escalations of a day go out, bundled per unit. */
  notifyTime: localTime.default('08:00').describe('Giờ gửi thư nhắc và thư báo cấp trên trong ngày (mặc định "08:00").'),
  /** domain.md §8: "≥N d before X" read as X−N, or the stricter X−N−1. */
  leadTime: z
    .enum(['event-minus-n', 'event-minus-n-minus-1'])
    .default('event-minus-n')
    .describe('Cách hiểu "trước ít nhất N ngày": ngày X − N ("event-minus-n") hoặc chặt hơn X − N − 1.'),
  reminders: reminderPolicySchema
    .default({ daysBefore: [7, 3, 1], relativeTo: 'due' })
    .describe('Lời nhắc mặc định của mọi nhiệm vụ.'),
  escalation: z
    .array(escalationStepSchema)
    .default([
      { afterWorkingDays: 1, level: 1 },
      { afterWorkingDays: 3, level: 2 },
    ])
    .describe('Các bước báo cấp trên khi quá hạn, mặc định của mọi nhiệm vụ.'),
  /**
   * When the plan mails its year-end report to the supervising office by itself. Unset: the first
   * working day after the yearly data cut-off (14/12, or the `cutOffDay` of the plan's yearly
   * reporting duties). Either way at `notifyTime`, moved to the next working day if it is a day off.
   */
  yearEndReportDate: localDate
    .optional()
    .describe(
      'Ngày hệ thống tự lập báo cáo tổng kết năm (tệp .docx) và gửi thư cho cơ quan thường trực (YYYY-MM-DD), lúc giờ gửi thư; ' +
        'rơi vào ngày nghỉ thì gửi ngày làm việc kế tiếp. Mặc định: ngày làm việc đầu tiên sau ngày chốt số liệu năm (14/12).',
    ),
  onDayOff: onDayOff.optional(),
});

const unitKind = z
  .enum(UNIT_KINDS, { message: `loại đơn vị phải là một trong: ${UNIT_KINDS.join(', ')}` })
  .describe('Loại đơn vị.');

/** `carryOver: false` on a one-off item: `plan new` leaves it out of next year's plan and says so. */
const carryOver = z
  .boolean()
  .optional()
  .describe('false: việc chỉ có trong năm nay; khi tạo kế hoạch năm sau (plan new) mục này được bỏ đi và liệt kê ra.');

const unit = z.strictObject({
  id: id.describe('Mã đơn vị, duy nhất trong kế hoạch.'),
  name: text.describe('Tên đơn vị như trên thư gửi đi; hai đơn vị không được trùng tên.'),
  kind: unitKind,
  /**
   * Empty for a unit that only receives reports (e.g. a body above the ward that takes the report on
   * paper): it is never mailed, so it may not be given duties; see `cross-check.ts` and README.
   */
  emails: z
    .array(email)
    .default([])
    .describe(
      'Địa chỉ nhận thư của đơn vị. Bỏ trống ([]) với đơn vị chỉ nhận báo cáo, không dùng thư điện tử: đơn vị đó không được giao nhiệm vụ; thư báo cấp trên gửi cho nó chuyển đến cơ quan thường trực.',
    ),
  head: z.string().optional().describe('Người đứng đầu đơn vị.'),
  reportsTo: id.optional().describe('Mã đơn vị cấp trên trực tiếp, nhận thư khi đơn vị này quá hạn.'),
  note: note('Ghi chú về đơn vị.'),
});

const group = z.strictObject({
  id: id.describe('Mã nhóm, khác mọi mã đơn vị.'),
  name: text.describe('Tên nhóm.'),
  members: z.array(id).default([]).describe('Mã các đơn vị trong nhóm.'),
  /** Every unit of these kinds belongs to the group, e.g. all schools. */
  unitKinds: z.array(unitKind).default([]).describe('Mọi đơn vị thuộc các loại này đều trong nhóm, ví dụ [school].'),
  note: note('Ghi chú về nhóm.'),
});

const planEvent = z.strictObject({
  id: id.describe('Mã sự kiện, duy nhất trong kế hoạch.'),
  name: text.describe('Tên sự kiện, ví dụ "Kỳ họp thường lệ HĐND xã".'),
  dates: z.array(localDate).min(1, { message: 'cần ít nhất một ngày' }).describe('Các ngày diễn ra sự kiện trong năm kế hoạch.'),
  time: localTime.optional().describe('Giờ bắt đầu.'),
  provisional: z.boolean().default(false).describe('true khi ngày chưa được công bố chính thức.'),
  carryOver,
  note: note('Ghi chú về sự kiện.'),
});

const ANCHORS = ['periodStart', 'periodEnd', 'event', 'anchor'] as const;

/**
 * Where a date comes from. `periodStart`/`periodEnd` are the report window (or the date itself for
 * dated duties), `event` the duty's own meeting, `anchor` the event of the duty or plan event a
 * relative duty hangs on.
 */
const anchor = z
  .enum(ANCHORS)
  .describe('Tính từ: đầu kỳ ("periodStart"), cuối kỳ ("periodEnd"), cuộc họp của nhiệm vụ ("event") hoặc mốc gắn với ("anchor").');

export const dateRuleSchema = z
  .discriminatedUnion('rule', [
    z.strictObject({
      rule: z.literal('workingDaysAfter').describe('N ngày làm việc sau mốc, tính từ ngày hôm sau.'),
      from: anchor,
      days: z
        .number()
        .int()
        .min(1, { message: 'số ngày làm việc phải từ 1 trở lên (tính từ ngày hôm sau)' })
        .describe('Số ngày làm việc.'),
    }),
    z.strictObject({
      rule: z.literal('daysAfter').describe('N ngày (kể cả ngày nghỉ) sau mốc; 0 là chính ngày mốc.'),
      from: anchor,
      days: z
        .number()
        .int()
        .min(0, { message: 'số ngày không được âm; dùng quy tắc daysBefore cho thời hạn trước sự kiện' })
        .describe('Số ngày.'),
    }),
    z.strictObject({
      rule: z.literal('daysBefore').describe('N ngày trước mốc (cuộc họp hoặc mốc gắn với).'),
      from: anchor,
      days: z.number().int().min(0, { message: 'số ngày không được âm' }).describe('Số ngày.'),
    }),
    z.strictObject({
      rule: z.literal('dayOfMonth').describe('Một ngày cố định trong tháng.'),
      day: z.number().int().min(1).max(31).describe('Ngày trong tháng (1–31).'),
      month: z.enum(['periodEnd', 'afterPeriodEnd']).describe('Tháng cuối kỳ ("periodEnd") hoặc tháng sau kỳ ("afterPeriodEnd").'),
    }),
    z.strictObject({
      rule: z.literal('workingDayOfMonth').describe('Ngày làm việc thứ n của tháng.'),
      /** 1 = first working day, -1 = last. */
      n: z
        .number()
        .int()
        .min(-23)
        .max(23)
        .refine((n) => n !== 0, { message: 'n khác 0: 1 là ngày đầu, -1 là ngày cuối' })
        .describe('1 là ngày làm việc đầu tiên, -1 là ngày làm việc cuối cùng của tháng.'),
      month: z.enum(['periodStart', 'periodEnd']).describe('Tháng đầu kỳ ("periodStart") hoặc tháng cuối kỳ ("periodEnd").'),
    }),
    z.strictObject({
      rule: z.literal('fixedDate').describe('Một ngày cố định trong năm.'),
      date: z
        .union([monthDay, localDate], { message: 'ngày cố định phải có dạng MM-DD (ví dụ "11-18") hoặc YYYY-MM-DD (ví dụ "2027-02-10")' })
        .describe(
          'Ngày dạng MM-DD, ví dụ "11-18"; kế hoạch sang năm sau mà ngày đó có ở cả hai năm: ghi đủ YYYY-MM-DD, ví dụ "2027-02-10".',
        ),
    }),
  ])
  .describe('Quy tắc tính ngày.');

export const PERIODIC_CADENCES = CADENCES;

export const cadenceSchema = z
  .discriminatedUnion('every', [
    z.strictObject({
      every: z.enum(CADENCES).describe('Lặp lại theo tháng, quý, 6 tháng, 9 tháng hoặc năm.'),
      /** `reporting` = NĐ 09/2019 data windows ending on the cut-off day; `calendar` = whole months. */
      periods: z
        .enum(['reporting', 'calendar'])
        .default('calendar')
        .describe('Kỳ báo cáo theo ngày chốt số liệu NĐ 09/2019 ("reporting") hoặc theo tháng dương lịch ("calendar").'),
      cutOffDay: z.number().int().min(1).max(28).optional().describe('Ngày chốt số liệu trong tháng (mặc định 14).'),
      /** Only these periods of the cadence, by the part of the key after the year: "H1", "Q4", "03". */
      only: z
        .array(z.string())
        .optional()
        .describe(
          'Chỉ các kỳ này, viết trong dấu nháy: ["H1"], ["Q4"], ["03"]. Kế hoạch sang năm sau mà kỳ có ở cả hai năm: ' +
            'ghi kèm năm, ví dụ ["2026-11"], ["2027-Q1"].',
        ),
    }),
    z.strictObject({
      every: z.literal('phase').describe('Mỗi giai đoạn của kế hoạch (phases) một lần.'),
      when: z
        .enum(['during', 'after'], { message: 'when phải là "during" (trong giai đoạn) hoặc "after" (sau giai đoạn)' })
        .describe(
          '"during": làm trong giai đoạn, hạn chót mặc định là ngày cuối giai đoạn; "after": báo cáo sau khi giai đoạn kết thúc, ' +
            'cần quy tắc hạn chót tính từ cuối giai đoạn (periodEnd).',
        ),
      only: z.array(id).optional().describe('Chỉ các giai đoạn này (mã giai đoạn); bỏ trống là mọi giai đoạn.'),
    }),
    z.strictObject({
      every: z.literal('once').describe('Một lần trong năm.'),
      date: localDate.describe('Ngày (YYYY-MM-DD), trong năm kế hoạch.'),
    }),
    z.strictObject({
      every: z.literal('dates').describe('Vào các ngày liệt kê.'),
      dates: z.array(localDate).min(1, { message: 'cần ít nhất một ngày' }).describe('Các ngày (YYYY-MM-DD), trong năm kế hoạch.'),
    }),
    // On-request and ongoing duties (lead/partner units, ad-hoc requests): no dates of their own.
    z.strictObject({
      every: z.literal('on-request').describe('Theo yêu cầu đột xuất: cơ quan thường trực yêu cầu đơn vị báo cáo khi cần, kèm hạn nộp.'),
      /** Working days after the request when the office gives no deadline of its own. */
      deadlineWorkingDays: z
        .number()
        .int()
        .min(1, { message: 'số ngày làm việc phải từ 1 trở lên' })
        .max(60, { message: 'số ngày làm việc tối đa là 60' })
        .default(5)
        .describe('Hạn nộp mặc định: bao nhiêu ngày làm việc sau ngày yêu cầu (mặc định 5), khi yêu cầu không ghi hạn.'),
    }),
    z.strictObject({
      every: z.literal('ongoing').describe('Thường xuyên, không có kỳ hạn: chỉ liệt kê trên trang theo dõi và báo cáo năm, không nhắc việc.'),
    }),
    z.strictObject({
      every: z.literal('relative').describe('Gắn với một nhiệm vụ hoặc sự kiện khác.'),
      to: z
        .union(
          [
            z.strictObject({ duty: id.describe('Mã nhiệm vụ làm mốc.') }),
            z.strictObject({ event: id.describe('Mã sự kiện làm mốc.') }),
          ],
          { message: 'cần đúng một trong hai: duty (mã nhiệm vụ) hoặc event (mã sự kiện)' },
        )
        .describe('Mốc: { duty: mã nhiệm vụ } hoặc { event: mã sự kiện }.'),
    }),
  ])
  .describe('Nhiệm vụ lặp lại thế nào trong năm.');

/** Types and their rules: `domain/report-fields/` (shared with the web form, the CLI and the workflow). */
const reportField = z.strictObject({
  id: id.describe('Mã chỉ tiêu, duy nhất trong nhiệm vụ.'),
  label: text.describe('Tên chỉ tiêu hiện trên biểu mẫu, ví dụ "Số người dự".'),
  type: z
    .enum(REPORT_FIELD_TYPES, { message: `kiểu chỉ tiêu phải là một trong: ${REPORT_FIELD_TYPES.join(', ')}` })
    .describe('Kiểu: count (số nguyên), number, money (đồng), percent, date, yesno (có/không), text.'),
  required: z.boolean().default(false).describe('true: đơn vị bắt buộc điền.'),
  /** count, number, money: add this field up across units and periods in the year-end summary. */
  sum: z.boolean().optional().describe('true: cộng dồn trong báo cáo tổng kết năm (chỉ count, number, money).'),
  /** count, number, money, percent: smallest and largest accepted value. */
  min: z.number().optional().describe('Giá trị nhỏ nhất được nhận.'),
  max: z.number().optional().describe('Giá trị lớn nhất được nhận.'),
  /** number, percent: digits allowed after the decimal comma (2 when omitted). */
  decimals: z.number().int().optional().describe('Số chữ số sau dấu phẩy thập phân (mặc định 2; number, percent).'),
  /** text: longest accepted answer in characters (2000 when omitted). */
  maxLength: z.number().int().min(1).max(20_000).optional().describe('Độ dài tối đa của câu trả lời (mặc định 2.000 ký tự; text).'),
});

const dutyEvent = z.strictObject({
  /** Omitted for dated duties: the event is on the date itself. */
  on: dateRuleSchema.optional().describe('Quy tắc tính ngày họp; bỏ trống khi nhiệm vụ có ngày cụ thể.'),
  time: localTime.describe('Giờ bắt đầu, ví dụ "08:00".'),
  durationMinutes: z.number().int().min(15).max(24 * 60).default(120).describe('Thời lượng (phút, mặc định 120).'),
  place: z.string().optional().describe('Địa điểm.'),
});

const unitOverride = z.strictObject({
  unit: id.describe('Mã đơn vị có ngày riêng.'),
  event: dutyEvent.optional().describe('Cuộc họp riêng của đơn vị này.'),
  deadline: dateRuleSchema.optional().describe('Hạn chót riêng của đơn vị này.'),
  note: note('Ghi chú về ngoại lệ này.'),
});

const duty = z.strictObject({
  id: id.describe('Mã nhiệm vụ, duy nhất trong kế hoạch.'),
  title: text.describe('Tên nhiệm vụ như trong văn bản.'),
  kind: z
    .enum(DUTY_KINDS, { message: `loại nhiệm vụ phải là một trong: ${DUTY_KINDS.join(', ')}` })
    .describe('Loại: report (báo cáo), meeting (họp), conference (hội nghị), posting (niêm yết), plan-document (xây dựng kế hoạch), other.'),
  /** Section of the source document, e.g. "III.5". */
  source: text.describe('Mục của văn bản gốc, ví dụ "III.5".'),
  legalBasis: text.describe('Căn cứ pháp lý của nhiệm vụ.'),
  /** Where a default was chosen because neither the plan nor the law gives a date: what and why. */
  note: note('Ghi chú; ghi rõ ngày mặc định đã chọn và vì sao khi văn bản không ghi ngày.'),
  carryOver,
  assignees: z
    .array(id)
    .min(1, { message: 'cần ít nhất một đơn vị hoặc nhóm được giao' })
    .describe('Mã các đơn vị hoặc nhóm được giao.'),
  cadence: cadenceSchema,
  event: dutyEvent.optional().describe('Cuộc họp, hội nghị của nhiệm vụ.'),
  /** Omitted for dated duties: due on the date itself (rolled to a working day). */
  deadline: dateRuleSchema.optional().describe('Quy tắc tính hạn chót; bỏ trống khi hạn là chính ngày đã ghi.'),
  onDayOff: onDayOff.optional(),
  reminders: reminderPolicySchema.optional().describe('Lời nhắc riêng của nhiệm vụ (thay cho settings.reminders).'),
  escalation: z
    .array(escalationStepSchema)
    .optional()
    .describe('Các bước báo cấp trên riêng của nhiệm vụ; [] là không báo cấp trên.'),
  hold: z
    .strictObject({ days: z.number().int().min(1).describe('Số ngày niêm yết liên tục tối thiểu.') })
    .optional()
    .describe('Thời gian niêm yết tối thiểu.'),
  fields: z.array(reportField).default([]).describe('Các chỉ tiêu đơn vị phải báo cáo.'),
  perUnit: z.array(unitOverride).default([]).describe('Ngày họp hoặc hạn chót riêng của từng đơn vị.'),
  // Lead and partner units, and who receives the report (see README "Lead, partner and recipient").
  partners: z
    .array(id)
    .default([])
    .describe('Mã các đơn vị hoặc nhóm phối hợp: được báo trong thư tổng hợp và thấy nhiệm vụ trên trang theo dõi, nhưng không phải nộp.'),
  reportTo: id
    .optional()
    .describe('Mã đơn vị nhận báo cáo (ghi trong thư và báo cáo tổng kết năm); bỏ trống là cơ quan thường trực (plan.supervisor).'),
});

export const planFileSchema = z
  .strictObject({
    version: z.literal(1, { message: 'phiên bản định dạng phải là 1 (version: 1)' }).describe('Phiên bản định dạng tệp, luôn là 1.'),
    plan: planMeta.describe('Thông tin văn bản kế hoạch.'),
    settings: settings.default({
      notifyTime: '08:00',
      leadTime: 'event-minus-n',
      reminders: { daysBefore: [7, 3, 1], relativeTo: 'due' },
      escalation: [
        { afterWorkingDays: 1, level: 1 },
        { afterWorkingDays: 3, level: 2 },
      ],
    }).describe('Cài đặt chung: giờ gửi thư, lời nhắc và báo cấp trên mặc định.'),
    calendars: z
      .array(calendarYearSchema)
      .min(1, { message: 'cần lịch làm việc của ít nhất năm kế hoạch' })
      .describe('Lịch làm việc từng năm: năm kế hoạch và năm sau (cho các hạn rơi sang đầu năm sau).'),
    units: z.array(unit).min(1, { message: 'cần ít nhất một đơn vị' }).describe('Các đơn vị nhận nhiệm vụ và nhận thư.'),
    groups: z.array(group).default([]).describe('Các nhóm đơn vị, dùng làm người được giao.'),
    phases: z
      .array(phase)
      .default([])
      .describe('Các giai đoạn có tên của kế hoạch, theo thứ tự thời gian, không chồng lên nhau (dùng với chu kỳ "phase").'),
    events: z.array(planEvent).default([]).describe('Các sự kiện có ngày cụ thể mà nhiệm vụ gắn vào, ví dụ kỳ họp HĐND.'),
    duties: z.array(duty).min(1, { message: 'cần ít nhất một nhiệm vụ' }).describe('Các nhiệm vụ của kế hoạch.'),
  })
  .meta({ title: 'Kế hoạch năm của xã (kehoach)', description: 'Tệp kế hoạch YAML, phiên bản 1.' });

export type PlanFile = z.output<typeof planFileSchema>;
export type PlanUnit = PlanFile['units'][number];
export type PlanGroup = PlanFile['groups'][number];
export type PlanDuty = PlanFile['duties'][number];
export type PlanEvent = PlanFile['events'][number];
export type DateRule = z.output<typeof dateRuleSchema>;
export type DutyCadence = z.output<typeof cadenceSchema>;
export type ReminderPolicy = z.output<typeof reminderPolicySchema>;
export type EscalationRule = z.output<typeof escalationStepSchema>;
export type DutyEventRule = NonNullable<PlanDuty['event']>;
export type CalendarYearData = PlanFile['calendars'][number];
export type PlanPhase = PlanFile['phases'][number];
export type OnDayOff = (typeof ON_DAY_OFF)[number];
