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
  .regex(TIME_PATTERN, { message: 'giờ phải có dạng HH:mm theo 24 giờ, ví dụ "08:00" hoặc "14:30"' });

const email = z.email({ message: 'địa chỉ thư điện tử không hợp lệ' });

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

const calendarEntry = z.strictObject({
  date: localDate,
  name: text,
  /** The government notice or law article that decided the day. */
  notice: text,
  note: z.string().optional(),
});

export const calendarYearSchema = z.strictObject({
  year: z.number().int(),
  provisional: z.boolean(),
  notices: z.array(text).default([]),
  note: z.string().optional(),
  daysOff: z.array(calendarEntry).default([]),
  makeUpWorkingDays: z.array(calendarEntry).default([]),
});

const signer = z.strictObject({
  authority: text.meta({ description: 'Ví dụ "TM. ỦY BAN NHÂN DÂN".' }),
  position: text,
  name: text,
  unit: id.optional(),
});

const planMeta = z.strictObject({
  id,
  title: text,
  documentType: text.default('Kế hoạch'),
  issuingBody: text,
  parentBody: text.optional(),
  documentNumber: z.string(),
  documentDate: localDate.optional(),
  place: text,
  year: z.number().int().min(2000, { message: 'năm phải từ 2000 trở đi' }).max(2100, { message: 'năm phải trước 2100' }),
  timeZone: text.default('Asia/Ho_Chi_Minh'),
  legalBases: z.array(text).min(1, { message: 'cần ít nhất một căn cứ pháp lý' }),
  recipients: z.array(text).default([]),
  signer,
  /** The office that follows the plan and receives the units' reports (seed III.2). */
  supervisor: id,
  note: z.string().optional(),
});

export const reminderPolicySchema = z.strictObject({
  /** Calendar days before the anchor; 0 = the morning of the anchor day. */
  daysBefore: z.array(z.number().int()).min(1, { message: 'cần ít nhất một lời nhắc' }),
  relativeTo: z.enum(['due', 'event']).default('due'),
});

export const escalationStepSchema = z.strictObject({
  afterWorkingDays: z.number().int().min(1, { message: 'phải từ 1 ngày làm việc trở lên' }),
  level: z.number().int().min(1, { message: 'cấp báo cáo bắt đầu từ 1 (cấp ngay trên đơn vị)' }),
});

const settings = z.strictObject({
  /** Local time at which reminders and escalations of a day go out, bundled per unit. */
  notifyTime: localTime.default('08:00'),
  /** domain.md §8: "≥N d before X" read as X−N, or the stricter X−N−1. */
  leadTime: z.enum(['event-minus-n', 'event-minus-n-minus-1']).default('event-minus-n'),
  reminders: reminderPolicySchema.default({ daysBefore: [7, 3, 1], relativeTo: 'due' }),
  escalation: z.array(escalationStepSchema).default([
    { afterWorkingDays: 1, level: 1 },
    { afterWorkingDays: 3, level: 2 },
  ]),
});

const unit = z.strictObject({
  id,
  name: text,
  kind: z.enum(UNIT_KINDS, { message: `loại đơn vị phải là một trong: ${UNIT_KINDS.join(', ')}` }),
  emails: z.array(email).min(1, { message: 'cần ít nhất một địa chỉ thư điện tử' }),
  head: z.string().optional(),
  reportsTo: id.optional(),
  note: z.string().optional(),
});

const group = z.strictObject({
  id,
  name: text,
  members: z.array(id).default([]),
  /** Every unit of these kinds belongs to the group, e.g. all schools. */
  unitKinds: z.array(z.enum(UNIT_KINDS)).default([]),
  note: z.string().optional(),
});

const planEvent = z.strictObject({
  id,
  name: text,
  dates: z.array(localDate).min(1, { message: 'cần ít nhất một ngày' }),
  time: localTime.optional(),
  provisional: z.boolean().default(false),
  note: z.string().optional(),
});

const ANCHORS = ['periodStart', 'periodEnd', 'event', 'anchor'] as const;

/**
 * Where a date comes from. `periodStart`/`periodEnd` are the report window (or the date itself for
 * dated duties), `event` the duty's own meeting, `anchor` the event of the duty or plan event a
 * relative duty hangs on.
 */
export const dateRuleSchema = z.discriminatedUnion('rule', [
  z.strictObject({
    rule: z.literal('workingDaysAfter'),
    from: z.enum(ANCHORS),
    days: z.number().int().min(1, { message: 'số ngày làm việc phải từ 1 trở lên (tính từ ngày hôm sau)' }),
  }),
  z.strictObject({
    rule: z.literal('daysAfter'),
    from: z.enum(ANCHORS),
    days: z.number().int().min(0, { message: 'số ngày không được âm; dùng quy tắc daysBefore cho thời hạn trước sự kiện' }),
  }),
  z.strictObject({
    rule: z.literal('daysBefore'),
    from: z.enum(ANCHORS),
    days: z.number().int().min(0, { message: 'số ngày không được âm' }),
  }),
  z.strictObject({
    rule: z.literal('dayOfMonth'),
    day: z.number().int().min(1).max(31),
    month: z.enum(['periodEnd', 'afterPeriodEnd']),
  }),
  z.strictObject({
    rule: z.literal('workingDayOfMonth'),
    /** 1 = first working day, -1 = last. */
    n: z.number().int().min(-23).max(23).refine((n) => n !== 0, { message: 'n khác 0: 1 là ngày đầu, -1 là ngày cuối' }),
    month: z.enum(['periodStart', 'periodEnd']),
  }),
  z.strictObject({
    rule: z.literal('fixedDate'),
    date: monthDay,
  }),
]);

export const PERIODIC_CADENCES = CADENCES;

export const cadenceSchema = z.discriminatedUnion('every', [
  z.strictObject({
    every: z.enum(CADENCES),
    /** `reporting` = NĐ 09/2019 data windows ending on the cut-off day; `calendar` = whole months. */
    periods: z.enum(['reporting', 'calendar']).default('calendar'),
    cutOffDay: z.number().int().min(1).max(28).optional(),
    /** Only these periods of the cadence, by the part of the key after the year: "H1", "Q4", "03". */
    only: z.array(z.string()).optional(),
  }),
  z.strictObject({ every: z.literal('once'), date: localDate }),
  z.strictObject({ every: z.literal('dates'), dates: z.array(localDate).min(1, { message: 'cần ít nhất một ngày' }) }),
  z.strictObject({
    every: z.literal('relative'),
    to: z.union([z.strictObject({ duty: id }), z.strictObject({ event: id })], {
      message: 'cần đúng một trong hai: duty (mã nhiệm vụ) hoặc event (mã sự kiện)',
    }),
  }),
]);

/** Types and their rules: `domain/report-fields/` (shared with the web form, the CLI and the workflow). */
const reportField = z.strictObject({
  id,
  label: text,
  type: z.enum(REPORT_FIELD_TYPES, { message: `kiểu chỉ tiêu phải là một trong: ${REPORT_FIELD_TYPES.join(', ')}` }),
  required: z.boolean().default(false),
  /** count, number, money: add this field up across units and periods in the year-end summary. */
  sum: z.boolean().optional(),
  /** count, number, money, percent: smallest and largest accepted value. */
  min: z.number().optional(),
  max: z.number().optional(),
  /** number, percent: digits allowed after the decimal comma (2 when omitted). */
  decimals: z.number().int().optional(),
  /** text: longest accepted answer in characters (2000 when omitted). */
  maxLength: z.number().int().min(1).max(20_000).optional(),
});

const dutyEvent = z.strictObject({
  /** Omitted for dated duties: the event is on the date itself. */
  on: dateRuleSchema.optional(),
  time: localTime,
  durationMinutes: z.number().int().min(15).max(24 * 60).default(120),
  place: z.string().optional(),
});

const unitOverride = z.strictObject({
  unit: id,
  event: dutyEvent.optional(),
  deadline: dateRuleSchema.optional(),
  note: z.string().optional(),
});

const duty = z.strictObject({
  id,
  title: text,
  kind: z.enum(DUTY_KINDS, { message: `loại nhiệm vụ phải là một trong: ${DUTY_KINDS.join(', ')}` }),
  /** Section of the source document, e.g. "III.5". */
  source: text,
  legalBasis: text,
  /** Where a default was chosen because neither the plan nor the law gives a date: what and why. */
  note: z.string().optional(),
  assignees: z.array(id).min(1, { message: 'cần ít nhất một đơn vị hoặc nhóm được giao' }),
  cadence: cadenceSchema,
  event: dutyEvent.optional(),
  /** Omitted for dated duties: due on the date itself (rolled to a working day). */
  deadline: dateRuleSchema.optional(),
  reminders: reminderPolicySchema.optional(),
  escalation: z.array(escalationStepSchema).optional(),
  hold: z.strictObject({ days: z.number().int().min(1) }).optional(),
  fields: z.array(reportField).default([]),
  perUnit: z.array(unitOverride).default([]),
});

export const planFileSchema = z
  .strictObject({
    version: z.literal(1, { message: 'phiên bản định dạng phải là 1 (version: 1)' }),
    plan: planMeta,
    settings: settings.default({
      notifyTime: '08:00',
      leadTime: 'event-minus-n',
      reminders: { daysBefore: [7, 3, 1], relativeTo: 'due' },
      escalation: [
        { afterWorkingDays: 1, level: 1 },
        { afterWorkingDays: 3, level: 2 },
      ],
    }),
    calendars: z.array(calendarYearSchema).min(1, { message: 'cần lịch làm việc của ít nhất năm kế hoạch' }),
    units: z.array(unit).min(1, { message: 'cần ít nhất một đơn vị' }),
    groups: z.array(group).default([]),
    events: z.array(planEvent).default([]),
    duties: z.array(duty).min(1, { message: 'cần ít nhất một nhiệm vụ' }),
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
