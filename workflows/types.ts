/**
 * Inputs, persistent state and message payloads of the kehoach workflows. Everything here is plain
 * JSON: it travels through Temporal payloads and continue-as-new unchanged.
 */
import type { CalendarYearInfo, DutyInfo, ExpandedPlan, Occurrence, UnitInfo, YearEndReportSetup } from '../domain/schedule/types';
import type { DigestItem } from '../activities/mail/types';
import type { PublishReportResult } from '../activities/report/publish-year-end-report';
import type { FieldValue } from '../domain/report-fields/types';
import type { DutyOverallStatus, DutyRolesView, OccurrenceStatus } from '../domain/statuses';
import type { AttachmentRef } from '../domain/attachment-ref';
import type { PackedDutyState, PackedSchedule } from './duty-pack';
import type { PackedMailroomState } from './mail-pack';

/** Run-time settings the client derives once (with luxon) from the plan and the start time. */
export interface RunSettings {
  /** Offset of the plan's time zone from UTC; fixed because Asia/Ho_Chi_Minh has no DST. */
  utcOffsetMinutes: number;
  /** After this instant duty workflows stop waiting for late submissions and complete. */
  closesAt: string;
  /** How long the mailroom collects items for one (recipient, day) before sending the digest. */
  mailCollectionWindowMs: number;
  /** Continue-as-new once a run's history passes this many events (the server may suggest it earlier). */
  historyEventLimit: number;
  /** Continue-as-new once a run's history passes this many bytes (640 KB when absent). */
  historyBytesLimit?: number;
  /** How many working days the mailroom keeps retrying a digest the mail server does not take. */
  mailRetryWorkingDays?: number;
  /** Days of deliveries the mailroom keeps in its state (14 by default). */
  deliveryRetentionDays?: number;
  /** Of those, the newest successful ones up to this many items in all (2 000 by default). */
  deliveryRetentionItems?: number;
  /** Items one digest carries at most; a larger group goes out as several (200 when absent). */
  maxItemsPerDigest?: number;
  /**
   * The plan's year-end report instant: from then on duties tell their plan of new submissions
   * (before it nothing needs them, and the plan's history stays small).
   */
  yearEndReportAt?: string;
}

export interface PlanYearInput {
  plan: ExpandedPlan;
  settings: RunSettings;
}

/** What a duty workflow knows about itself and its plan, from start to finish. */
export interface DutyContext {
  planId: string;
  year: number;
  timeZone: string;
  planTitle: string;
  supervisorUnitId: string;
  duty: DutyInfo;
  /** The duty's own units plus every unit its escalation chains notify. */
  units: UnitInfo[];
  settings: RunSettings;
  /** The plan's working-day calendar, handed back to whoever reschedules a deadline. */
  calendar?: CalendarYearInfo[];
}

export interface DutyStart extends DutyContext {
  /** The schedule packed by period (see duty-pack.ts); clients before packing sent `occurrences`. */
  schedule?: PackedSchedule;
  occurrences?: Occurrence[];
  /**
   * The plan workflow this duty reports its lifecycle and applied schedule to (plans started by
   * `planWorkflow`; absent for duties that are children of the older `planYearWorkflow`).
   */
  planWorkflowId?: string;
  /** Content hash of the schedule slice, so the client can tell whether an amendment reached it. */
  scheduleHash?: string;
  /**
   * The client that started the duty tells the plan it runs (`dutiesRunning`, one signal for all
   * the duties it started); duties started by earlier clients told it themselves at their first task.
   */
  startReportedByClient?: boolean;
  /**
   * The client started the duty with the search attributes its first task would publish
   * (`dutyAttributes`), so that task upserts only what changed since. Duties started by earlier
   * clients upserted at their first task whatever they were started with.
   */
  searchAttributesAtStart?: boolean;
}

/** Runs continued before packing resume with the whole `DutyState`; later ones with it packed. */
export type DutyWorkflowInput = { start: DutyStart } | { resume: DutyState | PackedDutyState };

export interface MailroomStart {
  planId: string;
  year: number;
  /** The plan period when it is not the calendar year `year` (digests name it); absent before periods existed. */
  period?: { from: string; to: string };
  timeZone: string;
  supervisorUnitId: string;
  units: UnitInfo[];
  settings: RunSettings;
  /**
   * The mail time of every working day of the plan period (ISO UTC, ascending), from the plan's
   * calendar: where the mailroom places mail it schedules itself (delivery-failure reports, digests
   * retried after an outage). Absent in runs started before it existed.
   */
  mailSlots?: string[];
}

/** Runs continued before packing resume with the whole `MailroomState`; later ones with it packed. */
export type MailroomInput = { start: MailroomStart } | { resume: MailroomState | PackedMailroomState };

// ----- duty state -----

export type ExtensionStatus = 'pending' | 'approved' | 'refused';

export interface ExtensionRecord {
  requestedAt: string;
  /** The deadline in force when the request was made. */
  previousDueAt: string;
  until: string;
  reason: string;
  requestedBy?: string;
  status: ExtensionStatus;
  decidedAt?: string;
  decidedBy?: string;
  decisionNote?: string;
}

export type { FieldValue };

export interface Receipt {
  reference: string;
  receivedAt: string;
  late: boolean;
}


export interface SubmissionRecord extends Receipt {
  fields: Record<string, FieldValue>;
  submittedBy?: string;
  note?: string;
  attachments?: AttachmentRef[];
}

export interface WaiverRecord {
  reason: string;
  waivedAt: string;
  waivedBy?: string;
}

/** Concrete mail instants of an occurrence whose deadline an approved extension moved. */
export interface MailSchedule {
  remindAt: string[];
  minutesRequestAt?: string;
  overdueAt: string;
  escalationAt: { level: number; at: string }[];
}

/** A one-off notice to the unit (today: an extension decision), sent at `at`. */
export interface ScheduledNotice {
  id: string;
  at: string;
  note: string;
}

export interface OccurrenceState {
  /** The occurrence as last scheduled (amendments replace it). */
  occurrence: Occurrence;
  /** Deadline in force: the scheduled one, or the last approved extension. */
  dueAt: string;
  /** Reminders scheduled before this instant are not sent (schedule arrival, extension decision). */
  remindFrom: string;
  /** The deadline had already passed when tracking began: never reminded nor escalated. */
  beforeTracking: boolean;
  /** Dropped by an amendment; kept only when it carries a submission worth reporting. */
  removed: boolean;
  extensions: ExtensionRecord[];
  /** Mail instants after an approved extension (computed with the calendar by the client). */
  reschedule?: MailSchedule;
  notices?: ScheduledNotice[];
  submission?: SubmissionRecord;
  waiver?: WaiverRecord;
}

/** Something the office must see that the rules alone cannot fix. */
export interface DutyAlert {
  code: 'mailroom-unreachable';
  since: string;
  message: string;
  attempts: number;
}

export interface DutyState extends DutyContext {
  occurrences: OccurrenceState[];
  planWorkflowId?: string;
  scheduleHash?: string;
  /** Started with `DutyStart.startReportedByClient`: newer than every patch marker of `DutyPatch` (duty-workflow.ts). */
  startReportedByClient?: boolean;
  /**
   * Started with `DutyStart.searchAttributesAtStart`: each run compares what it would publish with
   * the attributes it started with (the client's, or those the server carried over from the run
   * before) instead of upserting them all at its first task.
   */
  searchAttributesAtStart?: boolean;
  /** Ids of notifications already handed to the mailroom, across amendments and continue-as-new. */
  sentNotificationIds: string[];
  nextReferenceNumber: number;
  scheduleVersion: number;
  cancelled: boolean;
  /**
   * Removed from the plan by an amendment: no mail, no submissions, records kept. An amendment
   * that adds the duty back reinstates it with everything it had.
   */
  retired?: boolean;
  alert?: DutyAlert;
  /** Submissions the plan was last told of (the plan's cue for a newer year-end report). */
  reportedSubmissions?: number;
  /** Runs so far, for the status view and history measurements. */
  runs: number;
}

// ----- messages -----

export interface SubmissionRequest {
  unitId: string;
  periodKey: string;
  fields: Record<string, FieldValue>;
  submittedBy?: string;
  note?: string;
  attachments?: AttachmentRef[];
}

export interface ExtensionRequest {
  unitId: string;
  periodKey: string;
  /** New deadline, an instant (end of the requested local day, computed by the client). */
  until: string;
  reason: string;
  requestedBy?: string;
}

export interface ExtensionDecision {
  unitId: string;
  periodKey: string;
  approve: boolean;
  decidedBy?: string;
  note?: string;
  /** Approvals: the mail instants for the new deadline, from the plan's calendar. */
  schedule?: MailSchedule;
}

export interface WaiverRequest {
  unitId: string;
  periodKey: string;
  reason: string;
  waivedBy?: string;
}

/** The office asks units of an on-request duty for a report: one occurrence per unit, placed by the client. */
export interface ReportRequest {
  requestId: string;
  occurrences: Occurrence[];
}

export interface ReportRequestResult {
  requestId: string;
  /** Occurrence keys added by this call; empty when the same request had already arrived. */
  added: string[];
  keys: string[];
}

export interface ScheduleReplacement {
  duty: DutyInfo;
  units: UnitInfo[];
  /** Packed by period (see duty-pack.ts); older clients and `planYearWorkflow` send `occurrences`. */
  schedule?: PackedSchedule;
  occurrences?: Occurrence[];
  planTitle: string;
  supervisorUnitId: string;
  scheduleHash?: string;
}

export interface AmendmentSummary {
  added: string[];
  removed: string[];
  changed: string[];
}

// ----- views -----

export type { OccurrenceStatus, DutyOverallStatus, AttachmentRef };

export interface OccurrenceView {
  key: string;
  unitId: string;
  unitName: string;
  periodKey: string;
  periodLabel: string;
  eventAt?: string;
  /** A meeting's end and place, as last scheduled (what the unit's calendar feed shows). */
  eventEndAt?: string;
  place?: string;
  scheduledDueAt: string;
  dueAt: string;
  status: OccurrenceStatus;
  submission?: SubmissionRecord;
  waiver?: WaiverRecord;
  extensions: ExtensionRecord[];
  escalatedLevels: number[];
  /** From this instant submissions are accepted (absent: any time). */
  opensAt?: string;
  /** The escalation chain of the occurrence: who is told at each level, and whether it was handed to the mailroom. */
  escalations?: EscalationView[];
  /** Ad-hoc occurrences: who asked and when. */
  request?: Occurrence['request'];
}

export interface EscalationView {
  level: number;
  at: string;
  notifyUnitId: string;
  notifyUnitName: string;
  handedOver: boolean;
}

export interface DutyStatusView {
  planId: string;
  year: number;
  timeZone: string;
  dutyId: string;
  dutyTitle: string;
  dutyKind: string;
  fields: DutyInfo['fields'];
  status: DutyOverallStatus;
  nextDeadline?: string;
  occurrences: OccurrenceView[];
  alert?: DutyAlert;
  /** Hash of the schedule in force (duties of plans started by `planWorkflow`). */
  scheduleHash?: string;
  runs: number;
  /** With `withRules`: what a client needs to reschedule a deadline (or place a request) on the plan's calendar. */
  rules?: { mailPolicy?: DutyInfo['mailPolicy']; calendar?: CalendarYearInfo[]; utcOffsetMinutes: number; request?: DutyInfo['request'] };
  /** Partner units, the report's recipient and the duty's mode, when the plan uses them. */
  roles?: DutyRolesView;
}

export interface StatusFilter {
  unitId?: string;
  overdueOnly?: boolean;
  /** Only the duty's description (title, fields, time zone): what a form needs. */
  withoutOccurrences?: boolean;
  /** Include the duty's mail policy and the plan's calendar. */
  withRules?: boolean;
}

export type DutyLifecycle = 'starting' | 'running' | 'completed' | 'cancelled' | 'removed' | 'failed';

export interface PlanDutyEntry {
  dutyId: string;
  title: string;
  workflowId: string;
  lifecycle: DutyLifecycle;
}

export interface PlanView {
  planId: string;
  year: number;
  title: string;
  timeZone: string;
  status: 'starting' | 'running' | 'cancelling' | 'completed' | 'cancelled';
  amendments: number;
  /** The run settings duties are started with (plans under the manifest design). */
  settings?: RunSettings;
  mailroomWorkflowId: string;
  duties: PlanDutyEntry[];
}

/** What a plan workflow knows of a duty: its title and the hash of the schedule it should run. */
export interface PlanDutyManifest {
  dutyId: string;
  title: string;
  scheduleHash: string;
}

/**
 * The plan workflow's whole input: a digest of the plan, never its occurrences. Each duty gets its
 * own schedule from the client; the plan keeps who runs and which schedule they should have.
 */
export interface PlanManifest {
  planId: string;
  year: number;
  title: string;
  timeZone: string;
  supervisorUnitId: string;
  settings: RunSettings;
  duties: PlanDutyManifest[];
  /** The year-end report the plan mails by itself (absent in plans started before it existed). */
  yearEndReport?: YearEndReportPlan;
}

/** When and to whom the plan mails its year-end report, and what the document says of its issuer. */
export interface YearEndReportPlan extends YearEndReportSetup {
  /**
   * The mail time of every working day from `at` until tracking closes: a newer version (after
   * new submissions) goes out at the first of these after the previous version, at most one a day.
   */
  slots: string[];
  /** The supervising office: the report's recipient. */
  office: { unitId: string; name: string; emails: string[] };
}

/**
 * One version of the year-end report, as built and mailed by the plan: what the activity answered
 * (its file in the plan's report folder, the submissions it counts per duty: a newer version needs
 * a duty to report more) with the version's number and the slot it was built for.
 */
export interface ReportVersionRecord extends PublishReportResult {
  version: number;
  /** The slot it was built for: the figures are as of this instant. */
  asOf: string;
}

export interface PlanReportState {
  versions: ReportVersionRecord[];
  /** The last slot an attempt failed for; the next attempt waits for a later slot. */
  failedAt?: string;
  /** When the plan first heard of submissions the last version does not count. */
  newSubmissionsSince?: string;
}

export interface PlanDutyRecord extends PlanDutyEntry {
  scheduleHash: string;
  /** The hash the duty last reported as applied. */
  appliedHash?: string;
  /** A removed (retired) duty whose workflow has since closed: adding it back starts it anew. */
  finished?: boolean;
  /** Submissions the duty has accepted, as it last reported them. */
  submissions?: number;
}

export interface PlanState {
  manifest: PlanManifest;
  status: PlanView['status'];
  amendments: number;
  duties: PlanDutyRecord[];
  runs: number;
  /** The year-end report's versions (plans whose manifest carries `yearEndReport`). */
  report?: PlanReportState;
}

export type PlanInput = { start: PlanManifest } | { resume: PlanState };

/** A duty's word to its plan: running with this schedule, removed, or finished. */
export interface DutyReport {
  dutyId: string;
  lifecycle: 'running' | 'removed' | 'completed' | 'cancelled';
  scheduleHash?: string;
  /** Submissions accepted so far (duties that report them): the plan's cue for a newer report. */
  submissions?: number;
}

export interface PlanYearResult {
  planId: string;
  year: number;
  status: 'completed' | 'cancelled';
  duties: PlanDutyEntry[];
  amendments: number;
}

// ----- mailroom -----

/** A digest item addressed to one unit; the mailroom groups these per (recipient, local day). */
export interface MailEnvelope {
  recipientUnitId: string;
  item: DigestItem;
  /**
   * The instant the item was due to go out. Items of one mail time share a collection window even
   * when a busy worker hands some of them over a moment late.
   */
  scheduledAt?: string;
}

export interface PendingDigest {
  recipientUnitId: string;
  localDate: string;
  firstItemAt: string;
  flushAt: string;
  items: DigestItem[];
}

export interface DeliveryRecord {
  recipientUnitId: string;
  localDate: string;
  batch: number;
  itemIds: string[];
  outcome: 'sent' | 'already-sent' | 'rejected' | 'failed';
  messageId?: string;
  reason?: string;
  at: string;
}

/** A digest the mail server did not take; retried on working days until the budget runs out. */
export interface WaitingDigest {
  pending: PendingDigest;
  batch: number;
  attempts: number;
  firstFailedAt: string;
  nextAttemptAt: string;
  lastError: string;
}

export interface MailroomState extends MailroomStart {
  pending: PendingDigest[];
  /** Absent in runs started before retries across days existed. */
  waiting?: WaitingDigest[];
  /** Before pruning existed: every item key of the run; moved into `seenByDay` on resume. */
  seenItemIds: string[];
  /** Item keys seen, by the local day they arrived: dedupe for recent days only. */
  seenByDay?: Record<string, string[]>;
  /** `${recipientUnitId}|${localDate}` → last batch number used. */
  batchCounters: Record<string, number>;
  deliveries: DeliveryRecord[];
  closing: boolean;
  runs: number;
}

export interface MailOutage {
  /** When the oldest waiting digest first failed. */
  since: string;
  waitingDigests: number;
  lastError: string;
  nextAttemptAt: string;
}

export interface MailroomView {
  pending: PendingDigest[];
  /** The last `DELIVERY_RETENTION_DAYS` days of deliveries (at most `DELIVERY_RETENTION_ITEMS` items), and every failed one of the year. */
  deliveries: DeliveryRecord[];
  failedDeliveries: DeliveryRecord[];
  /** While the mail server does not take mail: since when, and how many digests wait. */
  outage?: MailOutage;
  runs: number;
}
