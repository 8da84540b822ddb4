/**
 * Inputs, persistent state and message payloads of the kehoach workflows. Everything here is plain
 * JSON: it travels through Temporal payloads and continue-as-new unchanged.
 */
import type { DutyInfo, ExpandedPlan, Occurrence, UnitInfo } from '../domain/schedule/types';
import type { DigestItem } from '../activities/mail/types';
import type { FieldValue } from '../domain/report-fields/types';

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
}

export interface DutyStart extends DutyContext {
  occurrences: Occurrence[];
}

export type DutyWorkflowInput = { start: DutyStart } | { resume: DutyState };

export interface MailroomStart {
  planId: string;
  year: number;
  timeZone: string;
  supervisorUnitId: string;
  units: UnitInfo[];
  settings: RunSettings;
}

export type MailroomInput = { start: MailroomStart } | { resume: MailroomState };

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
}

export interface WaiverRecord {
  reason: string;
  waivedAt: string;
  waivedBy?: string;
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
  submission?: SubmissionRecord;
  waiver?: WaiverRecord;
}

export interface DutyState extends DutyContext {
  occurrences: OccurrenceState[];
  /** Ids of notifications already handed to the mailroom, across amendments and continue-as-new. */
  sentNotificationIds: string[];
  nextReferenceNumber: number;
  scheduleVersion: number;
  cancelled: boolean;
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
}

export interface WaiverRequest {
  unitId: string;
  periodKey: string;
  reason: string;
  waivedBy?: string;
}

export interface ScheduleReplacement {
  duty: DutyInfo;
  units: UnitInfo[];
  occurrences: Occurrence[];
  planTitle: string;
  supervisorUnitId: string;
}

export interface AmendmentSummary {
  added: string[];
  removed: string[];
  changed: string[];
}

// ----- views -----

export type OccurrenceStatus =
  | 'pending'
  | 'extended'
  | 'overdue'
  | 'submitted'
  | 'late'
  | 'waived'
  | 'before-tracking'
  | 'removed';

export interface OccurrenceView {
  key: string;
  unitId: string;
  unitName: string;
  periodKey: string;
  periodLabel: string;
  eventAt?: string;
  scheduledDueAt: string;
  dueAt: string;
  status: OccurrenceStatus;
  submission?: SubmissionRecord;
  waiver?: WaiverRecord;
  extensions: ExtensionRecord[];
  escalatedLevels: number[];
}

export type DutyOverallStatus = 'on-track' | 'overdue' | 'completed' | 'cancelled';

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
  runs: number;
}

export interface StatusFilter {
  unitId?: string;
  overdueOnly?: boolean;
  /** Only the duty's description (title, fields, time zone): what a form needs. */
  withoutOccurrences?: boolean;
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
  status: 'running' | 'cancelling' | 'completed' | 'cancelled';
  amendments: number;
  mailroomWorkflowId: string;
  duties: PlanDutyEntry[];
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

export interface MailroomState extends MailroomStart {
  pending: PendingDigest[];
  seenItemIds: string[];
  /** `${recipientUnitId}|${localDate}` → last batch number used. */
  batchCounters: Record<string, number>;
  deliveries: DeliveryRecord[];
  closing: boolean;
  runs: number;
}

export interface MailroomView {
  pending: PendingDigest[];
  deliveries: DeliveryRecord[];
  failedDeliveries: DeliveryRecord[];
  runs: number;
}
