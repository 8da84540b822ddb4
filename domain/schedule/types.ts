/**
 * The contract between the pure domain core and everything that runs the year.
 *
 * The schedule expander turns a validated plan into an `ExpandedPlan`; workflows receive slices of
 * it. All instants are ISO-8601 UTC strings (e.g. "2026-03-20T17:00:00.000Z") so that workflow
 * code can compare them with `Date.now()` without luxon, and so they serialise unchanged through
 * Temporal payloads.
 */

import type { PlanFile } from '../plan/schema';
import type { ReportField, ReportFieldType } from '../report-fields/types';
import type { UnitGroupInfo } from '../summary/types';

export type DutyKind = 'report' | 'meeting' | 'conference' | 'posting' | 'plan-document' | 'other';

export type { ReportField, ReportFieldType };

export interface UnitInfo {
  id: string;
  name: string;
  kind: string;
  emails: string[];
  /** The unit one level up the escalation chain, if any. */
  reportsTo?: string;
}

/** When a duty's mail goes out, relative to each deadline: kept so a moved deadline can be rescheduled. */
export interface MailPolicy {
  /** Local 'HH:mm' at which the mail of a day goes out. */
  notifyTime: string;
  reminders: { daysBefore: number[]; relativeTo: 'due' | 'event' };
  escalation: { level: number; afterWorkingDays: number }[];
}

/** A year of the plan's working-day calendar, as plain data (see domain/calendar). */
export interface CalendarYearInfo {
  year: number;
  provisional: boolean;
  daysOff: string[];
  makeUpWorkingDays: string[];
}

export interface DutyInfo {
  id: string;
  title: string;
  kind: DutyKind;
  /** Section of the source document, e.g. "III.5". */
  source: string;
  legalBasis: string;
  /** Resolved unit ids (groups expanded). */
  unitIds: string[];
  fields: ReportField[];
  /** Absent in schedules expanded before it existed. */
  mailPolicy?: MailPolicy;
  // Lead and partner units, the report's recipient, on-request and ongoing duties: each absent
  // when the plan does not use it (and in schedules expanded before they existed).
  /** Units informed of each occurrence in their digests (no submission). */
  partnerUnitIds?: string[];
  /** The unit that receives the report, when the plan names one (else the supervising office). */
  reportTo?: string;
  /** 'on-request': occurrences come from the office's requests; 'ongoing': listed, never due. */
  mode?: 'on-request' | 'ongoing';
  /** On-request duties: what a request needs to be placed like an expanded occurrence. */
  request?: OnRequestRules;
}

export interface OnRequestRules {
  /** Deadline when a request names none: this many working days after the request day. */
  deadlineWorkingDays: number;
  /** Per unit that may be asked: who is told at escalation level k (element k−1; null = nobody). */
  escalationChains: Record<string, (string | null)[]>;
  /** Names of the units that may be asked, for the office's confirmation step. */
  unitNames: Record<string, string>;
  /** Groups among the duty's assignees and their units: the office may ask a whole group. */
  groups: Record<string, { name: string; unitIds: string[] }>;
}

export interface EscalationStep {
  /** 1 = first level above the unit. */
  level: number;
  at: string;
  notifyUnitId: string;
}

export interface Occurrence {
  /** `${dutyId}:${unitId}:${periodKey}`: stable across re-expansion, used to diff amendments. */
  key: string;
  dutyId: string;
  unitId: string;
  /** e.g. "2026-03", "2026-Q1", "2026-H1", "2026-9M", "2026-Y", "2026-11-18". */
  periodKey: string;
  /** Vietnamese, e.g. "tháng 3/2026", "quý I/2026", "6 tháng đầu năm 2026". */
  periodLabel: string;
  /** Data window of a report (local dates, inclusive), when the duty has one. */
  periodStart?: string;
  periodEnd?: string;
  /** Start of a meeting or conference, when the duty has one. */
  eventAt?: string;
  /** Its end: `eventAt` plus the plan's `durationMinutes`. */
  eventEndAt?: string;
  /** Where it takes place, when the plan says. */
  place?: string;
  /** End of the deadline day (24:00 local), after rollover to a working day. */
  dueAt: string;
  /**
   * From this instant a submission is accepted: the start of the report's data window, or the
   * start of the meeting. Absent for dated documents (they may be filed early), and in schedules
   * expanded before it existed.
   */
  opensAt?: string;
  /** Ascending, all strictly before `dueAt`, each at the mail time of a working day. */
  remindAt: string[];
  /** Meetings: the first working-day mail time after the meeting, for the minutes request. */
  minutesRequestAt?: string;
  /** The first working-day mail time after the deadline: the overdue notice to the unit. */
  overdueAt?: string;
  /** Ascending by level, all after `dueAt`. */
  escalations: EscalationStep[];
  /** An occurrence the office requested (on-request duties); never produced by the expander. */
  request?: ReportRequestInfo;
}

/** Who asked for an ad-hoc report, when, and what the unit reads about it. */
export interface ReportRequestInfo {
  /** Idempotency key of the request: the same id twice adds nothing. */
  id: string;
  requestedAt: string;
  requestedBy?: string;
  /** Vietnamese, composed by the client: shown in every mail of the occurrence. */
  note: string;
}

export interface ExpandedPlan {
  planId: string;
  /** The plan's identity year: the year its period starts in (domain/plan/period.ts). */
  year: number;
  /** The days the plan covers (local dates, inclusive); absent in schedules expanded before it existed. */
  period?: { from: string; to: string };
  timeZone: string;
  title: string;
  supervisorUnitId: string;
  /** The plan's working-day calendar, for rescheduling a deadline the way the plan was expanded. */
  calendar: CalendarYearInfo[];
  units: UnitInfo[];
  duties: DutyInfo[];
  /** Sorted by dueAt, then key. */
  occurrences: Occurrence[];
  /** What the plan needs to build and mail its year-end report by itself (absent in old fixtures). */
  yearEndReport?: YearEndReportSetup;
}

/** The automatic year-end report: when, who signs it (the plan's document) and the unit groups of its chart. */
export interface YearEndReportSetup {
  /** ISO UTC: the plan's mail time on a working day (see year-end-report-time.ts). */
  at: string;
  document: PlanFile['plan'];
  groups: UnitGroupInfo[];
}
