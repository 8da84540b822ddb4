/**
 * Messages of the kehoach workflows: updates (with validators) for anything that needs an answer,
 * signals for fire-and-forget traffic between workflows, queries for status.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ExpandedPlan } from '../domain/schedule/types';
import type {
  AmendmentSummary,
  DeliveryRecord,
  DutyReport,
  DutyStatusView,
  ExtensionDecision,
  ExtensionRecord,
  ExtensionRequest,
  MailEnvelope,
  MailOutage,
  MailroomView,
  PlanManifest,
  PlanView,
  Receipt,
  ReportRequest,
  ReportRequestResult,
  ScheduleReplacement,
  StatusFilter,
  SubmissionRequest,
  WaiverRecord,
  WaiverRequest,
} from './types';
import type { UnitInfo } from '../domain/schedule/types';
import type { PackedEnvelopes } from './mail-pack';

// duty workflow
export const submitUpdate = defineUpdate<Receipt, [SubmissionRequest]>('submit');
/** Several units' reports at once, recorded in order, all or nothing (workflows/submission-batch.ts). */
export const submitManyUpdate = defineUpdate<Receipt[], [SubmissionRequest[]]>('submitMany');
export const requestExtensionUpdate = defineUpdate<ExtensionRecord, [ExtensionRequest]>('requestExtension');
export const decideExtensionUpdate = defineUpdate<ExtensionRecord, [ExtensionDecision]>('decideExtension');
export const waiveUpdate = defineUpdate<WaiverRecord, [WaiverRequest]>('waive');
/** From the client: the office asks units of an on-request duty for a report (additive, idempotent by id). */
export const requestReportUpdate = defineUpdate<ReportRequestResult, [ReportRequest]>('requestReport');
/** From the plan workflow on amendment (a workflow can only signal another workflow). */
export const replaceScheduleSignal = defineSignal<[ScheduleReplacement]>('replaceSchedule');
/** From the client (plans started by `planWorkflow`): the duty's new schedule slice. */
export const replaceScheduleUpdate = defineUpdate<AmendmentSummary, [ScheduleReplacement]>('loadSchedule');
/** From the plan workflow when an amendment removes the duty: stop, but keep the records. */
export const retireSignal = defineSignal('retire');
export const dutyStatusQuery = defineQuery<DutyStatusView, [StatusFilter?]>('status');
/** Test hook: continue-as-new at the next opportunity, whatever the history length. */
export const forceContinueAsNewSignal = defineSignal('forceContinueAsNew');

// mailroom workflow
/** Duties since packing send `PackedEnvelopes`; earlier ones sent the envelopes whole. */
export const enqueueMailSignal = defineSignal<[MailEnvelope[] | PackedEnvelopes]>('enqueueMail');
export const updateDirectorySignal = defineSignal<[UnitInfo[]]>('updateDirectory');
/** From the client on amendment: the working days' mail times, from the amended plan's calendar. */
export const updateMailSlotsSignal = defineSignal<[string[]]>('updateMailSlots');
export const closeMailroomSignal = defineSignal('closeMailroom');
export const mailroomQuery = defineQuery<MailroomView>('mailroom');
/** Only the failed deliveries (the office's mail log): the whole view of a large plan's mailroom holds thousands of pending items. */
export const failedDeliveriesQuery = defineQuery<DeliveryRecord[]>('failedDeliveries');
/** Only whether mail is failing, since when and how many digests wait (the office page's banner). */
export const mailOutageQuery = defineQuery<MailOutage | null>('mailOutage');

// plan workflow
/** `planYearWorkflow` (plans started before manifests): the whole amended plan. */
export const amendUpdate = defineUpdate<AmendmentSummary, [ExpandedPlan]>('amend');
/** `planWorkflow`: the amended plan's manifest; the client then hands each duty its schedule. */
export const amendManifestUpdate = defineUpdate<AmendmentSummary, [PlanManifest]>('amendManifest');
export const dutyReportSignal = defineSignal<[DutyReport]>('dutyReport');
/** From the client: the duties it started, or found running, each with the schedule it runs. */
export const dutiesRunningSignal = defineSignal<[DutyReport[]]>('dutiesRunning');
export const planQuery = defineQuery<PlanView>('plan');
