/**
 * The plan workflow's rules as pure functions over its state: which duties run which schedule,
 * what an amended manifest changes, and when the plan is settled (every duty runs the schedule it
 * should) or finished.
 */
import { refuse } from './refusal';
import { dutyWorkflowId } from '../domain/keys/workflow-ids';
import type { AmendmentSummary, DutyReport, PlanDutyRecord, PlanManifest, PlanState, PlanView, ReportVersionRecord } from './types';

export function initialPlanState(manifest: PlanManifest): PlanState {
  return {
    manifest,
    status: 'starting',
    amendments: 0,
    duties: manifest.duties.map((duty) => ({
      dutyId: duty.dutyId,
      title: duty.title,
      workflowId: dutyWorkflowId(manifest.planId, manifest.year, duty.dutyId),
      lifecycle: 'starting',
      scheduleHash: duty.scheduleHash,
    })),
    runs: 1,
  };
}

function isActive(duty: PlanDutyRecord): boolean {
  return duty.lifecycle === 'starting' || duty.lifecycle === 'running';
}

/** Every duty of the manifest runs the schedule it should. */
export function isSettled(state: PlanState): boolean {
  return state.duties.every((duty) => !isActive(duty) || (duty.lifecycle === 'running' && duty.appliedHash === duty.scheduleHash));
}

export function isFinished(state: PlanState): boolean {
  return state.duties.every((duty) => !isActive(duty));
}

export function applyReport(state: PlanState, report: DutyReport, nowIso?: string): void {
  const duty = state.duties.find((d) => d.dutyId === report.dutyId);
  if (!duty) return;
  if (report.scheduleHash !== undefined) duty.appliedHash = report.scheduleHash;
  // Signals may arrive out of order; a count never goes back.
  if (report.submissions !== undefined) duty.submissions = Math.max(duty.submissions ?? 0, report.submissions);
  if (nowIso !== undefined) noteNewSubmissions(state, nowIso);
  if (report.lifecycle === 'running') {
    if (duty.lifecycle === 'starting') duty.lifecycle = 'running';
  } else if (report.lifecycle === 'completed' || report.lifecycle === 'cancelled') {
    // A removed duty stays "removed" in the plan's view when it finally closes.
    if (duty.lifecycle !== 'removed') duty.lifecycle = report.lifecycle;
    else duty.finished = true;
  }
  if (state.status === 'starting' && isSettled(state)) state.status = 'running';
}

export function validateAmendment(state: PlanState, next: PlanManifest): void {
  const { planId, year } = state.manifest;
  if (state.status === 'starting') {
    const ready = state.duties.filter((d) => d.lifecycle === 'running' && d.appliedHash === d.scheduleHash).length;
    refuse(
      'plan-starting',
      `Kế hoạch đang khởi chạy các nhiệm vụ (${ready}/${state.duties.length} đã chạy); hãy sửa đổi sau khi khởi chạy xong, chỉ mất ít phút.`,
    );
  }
  if (state.status !== 'running') refuse('cancelled', 'Kế hoạch đã bị hủy hoặc đã kết thúc, không thể sửa đổi.');
  if (next?.planId !== planId || next?.year !== year) {
    refuse(
      'wrong-plan',
      `Kế hoạch sửa đổi phải cùng mã và năm với kế hoạch đang chạy (${planId}, ${year}); nhận được (${next?.planId}, ${next?.year}).`,
    );
  }
  if (!isSettled(state)) {
    const pending = state.duties.filter((d) => isActive(d) && d.appliedHash !== d.scheduleHash).map((d) => d.dutyId);
    refuse(
      'amendment-in-progress',
      `Sửa đổi trước chưa áp dụng xong cho ${pending.length} nhiệm vụ (${pending.slice(0, 5).join(', ')}${pending.length > 5 ? ', …' : ''}); hãy chạy lại lệnh sửa đổi sau ít phút.`,
    );
  }
}

/**
 * Records the amended manifest: new duties (or ones removed earlier and now back) wait for their
 * schedule from the client, changed ones wait for the new one, removed ones are retired by the
 * caller. Returns what changed and the duties to retire.
 */
export function applyAmendment(state: PlanState, next: PlanManifest): { summary: AmendmentSummary; retire: PlanDutyRecord[] } {
  const summary: AmendmentSummary = { added: [], removed: [], changed: [] };
  const retire: PlanDutyRecord[] = [];
  const nextIds = new Set(next.duties.map((d) => d.dutyId));
  for (const duty of state.duties) {
    if (nextIds.has(duty.dutyId) || !isActive(duty)) continue;
    duty.lifecycle = 'removed';
    summary.removed.push(duty.dutyId);
    retire.push(duty);
  }
  for (const wanted of next.duties) {
    const duty = state.duties.find((d) => d.dutyId === wanted.dutyId);
    if (!duty) {
      state.duties.push({
        dutyId: wanted.dutyId,
        title: wanted.title,
        workflowId: dutyWorkflowId(next.planId, next.year, wanted.dutyId),
        lifecycle: 'starting',
        scheduleHash: wanted.scheduleHash,
      });
      summary.added.push(wanted.dutyId);
      continue;
    }
    duty.title = wanted.title;
    if (duty.lifecycle === 'removed' && !duty.finished) {
      duty.lifecycle = 'starting';
      duty.scheduleHash = wanted.scheduleHash;
      summary.added.push(wanted.dutyId);
    } else if (isActive(duty) && duty.scheduleHash !== wanted.scheduleHash) {
      duty.scheduleHash = wanted.scheduleHash;
      summary.changed.push(wanted.dutyId);
    }
  }
  // Run settings are the start's: an amendment changes the plan, not how it runs.
  state.manifest = { ...next, settings: state.manifest.settings };
  state.amendments += 1;
  return { summary, retire };
}

export function planView(state: PlanState, mailroomWorkflowId: string): PlanView {
  return {
    planId: state.manifest.planId,
    year: state.manifest.year,
    title: state.manifest.title,
    timeZone: state.manifest.timeZone,
    status: state.status,
    amendments: state.amendments,
    settings: state.manifest.settings,
    mailroomWorkflowId,
    duties: state.duties.map(({ dutyId, title, workflowId, lifecycle }) => ({ dutyId, title, workflowId, lifecycle })),
  };
}

// ----- the year-end report -----

/**
 * After a version went out, the moment the plan learns of submissions it does not count: a duty
 * reported more than the version counted for it. (Duties report only from the report instant on,
 * so a count the plan holds may be stale, never too high.)
 */
function noteNewSubmissions(state: PlanState, nowIso: string): void {
  const last = state.report?.versions[state.report.versions.length - 1];
  if (!state.report || !last || state.report.newSubmissionsSince !== undefined) return;
  if (state.duties.some((duty) => (duty.submissions ?? 0) > (last.submissions[duty.dutyId] ?? 0))) state.report.newSubmissionsSince = nowIso;
}

/**
 * When the plan next builds and mails its year-end report, or undefined when it has nothing to
 * send: version 1 at the plan's report instant (at once when the plan started after it); a newer
 * version only once the duties reported submissions the last version does not count, at the first
 * working day's mail time after the plan heard of them (so at most one a day, never mid-day);
 * after a failed attempt, not before the next slot. Never once the plan is cancelling or done.
 */
export function nextReportAt(state: PlanState): string | undefined {
  const setup = state.manifest.yearEndReport;
  if (!setup || state.status === 'cancelling' || state.status === 'cancelled' || state.status === 'completed') return undefined;
  const report = state.report;
  const last = report?.versions[report.versions.length - 1];
  if (last && report?.newSubmissionsSince === undefined) return undefined;
  const after = [last?.asOf, report?.newSubmissionsSince, report?.failedAt].filter((instant): instant is string => instant !== undefined).sort().pop();
  if (after === undefined) return setup.at;
  return setup.slots.find((slot) => slot > after && slot >= setup.at);
}

export function recordReportVersion(state: PlanState, record: ReportVersionRecord): void {
  state.report ??= { versions: [] };
  state.report.versions.push(record);
  delete state.report.failedAt;
  delete state.report.newSubmissionsSince;
  // Submissions that arrived while this version was built wait for the next one.
  noteNewSubmissions(state, record.asOf);
}

export function recordReportFailure(state: PlanState, slot: string): void {
  state.report ??= { versions: [] };
  state.report.failedAt = slot;
}
