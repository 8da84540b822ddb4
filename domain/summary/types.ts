/**
 * The year-end summary: what the supervising office reports to the People's Committee, computed
 * from the duty workflows' status views. Plain JSON (`kehoach summary --json` prints it as is).
 */
import type { AttachmentRef } from '../attachment-ref';
import type { FieldValue, ReportField, ReportFieldType } from '../report-fields/types';
import type { DutyRolesView, OccurrenceStatus } from '../statuses';

/** How one occurrence stands at the summary's cut-off instant. */
export type SummaryOutcome = 'on-time' | 'late' | 'missing' | 'waived' | 'before-tracking' | 'not-due';

export const SUMMARY_OUTCOMES: readonly SummaryOutcome[] = ['on-time', 'late', 'missing', 'waived', 'before-tracking', 'not-due'];

export type OutcomeCounts = Record<SummaryOutcome, number> & { total: number };

/**
 * What the summary reads of one occurrence: the part of a duty workflow's status view it needs
 * (the view satisfies it as is), so the pure summary does not depend on workflow code.
 */
export interface SummaryOccurrenceInput {
  unitId: string;
  unitName: string;
  periodKey: string;
  periodLabel: string;
  dueAt: string;
  status: OccurrenceStatus;
  submission?: { receivedAt: string; late: boolean; fields: Readonly<Record<string, FieldValue>>; attachments?: readonly AttachmentRef[] };
  waiver?: { waivedAt: string };
  /** Ad-hoc occurrences: the request's id and when it was made. */
  request?: { id: string; requestedAt: string };
}

/** What the summary reads of one duty's status view. */
export interface SummaryDutyInput {
  dutyId: string;
  dutyTitle: string;
  dutyKind: string;
  fields: readonly ReportField[];
  occurrences: readonly SummaryOccurrenceInput[];
  roles?: DutyRolesView;
}

export interface SummaryPlanInfo {
  planId: string;
  year: number;
  /** The days the plan covers when they are not its calendar year (domain/plan/period.ts). */
  period?: { from: string; to: string };
  title: string;
  /** IANA zone of the plan: the cut-off is shown as a local date. */
  timeZone: string;
}

/**
 * Rates are over the occurrences the units actually owed by the cut-off: submitted (on time or
 * late) plus missing. Waived, before-tracking and not-yet-due occurrences were never owed; when
 * nothing was owed the rate is null rather than a misleading 0 or 100 %.
 */
export interface Rates {
  /** Occurrences owed: due by the cut-off and tracked, not waived. The base of both rates. */
  owed: number;
  /** Submitted (on time or late) / owed. */
  completion: number | null;
  /** Submitted on time / owed. */
  onTime: number | null;
}

export interface UnitTotal {
  unitId: string;
  unitName: string;
  total: number;
  /** The total as the report prints it: "1.234" or "1.500.000 đồng". */
  totalText: string;
  /** Submissions that carried a value for the field. */
  submissions: number;
}

export interface FieldTotal {
  fieldId: string;
  label: string;
  type: ReportFieldType;
  total: number;
  totalText: string;
  submissions: number;
  byUnit: UnitTotal[];
}

export interface UnitCounts {
  unitId: string;
  unitName: string;
  counts: OutcomeCounts;
  rates: Rates;
}

export interface DutySummary {
  dutyId: string;
  title: string;
  kind: string;
  counts: OutcomeCounts;
  rates: Rates;
  /** Count, number and money fields the plan marks `sum: true`, added up across units and periods. */
  fieldTotals: FieldTotal[];
  byUnit: UnitCounts[];
  /** Who receives the report, the partner units, the duty's mode: when the plan names them. */
  roles?: { reportTo?: string; partners?: string[]; mode?: 'on-request' | 'ongoing' };
  /** Ad-hoc requests of the office counted in `counts`: how many requests, how many occurrences. */
  requested?: { requests: number; occurrences: number };
}

/** One value a unit reported that is not added up: text, a date, yes/no, or a number the plan does not sum. */
export interface ReportedValue {
  dutyId: string;
  dutyTitle: string;
  fieldId: string;
  label: string;
  periodKey: string;
  periodLabel: string;
  value: FieldValue;
  /** As the report prints it: "20/03/2026", "có", "76,5%". */
  text: string;
}

/** A file a unit attached to a counted submission (the bytes stay in the attachment store, by hash). */
export interface AttachedFile {
  dutyTitle: string;
  periodLabel: string;
  name: string;
  type: string;
  size: number;
  hash: string;
}

export interface UnitDetail {
  unitId: string;
  unitName: string;
  counts: OutcomeCounts;
  rates: Rates;
  values: ReportedValue[];
  /** Only when the unit attached files, in the order of its values. */
  attachments?: AttachedFile[];
}

/** A named set of units (the plan's `groups`), as the on-time chart shows them. */
export interface UnitGroupInfo {
  name: string;
  unitIds: string[];
}

/** Outcomes of the occurrences whose deadline falls in one local month of the summary's twelve. */
export interface MonthCounts {
  year: number;
  /** 1–12. */
  month: number;
  counts: OutcomeCounts;
  rates: Rates;
}

export interface GroupCounts {
  name: string;
  counts: OutcomeCounts;
  rates: Rates;
}

export interface YearSummary {
  plan: SummaryPlanInfo;
  /** ISO-UTC cut-off: submissions and waivers after it are not counted. */
  asOf: string;
  totals: { duties: number; counts: OutcomeCounts; rates: Rates };
  duties: DutySummary[];
  /** Units with at least one missing occurrence, most missing first. */
  unitsMostOverdue: UnitCounts[];
  /** Every unit with at least one occurrence, by name. */
  units: UnitDetail[];
  /**
   * By the local month of the deadline: the twelve months from the first of the plan period
   * (January to December of a calendar-year plan).
   */
  byMonth: MonthCounts[];
  /** By unit group, in the plan's order; a unit in two groups counts in both. */
  byGroup: GroupCounts[];
}
