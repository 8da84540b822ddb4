/**
 * Several units' reports of one duty in one update, recorded in the order given: the office
 * entering the paper reports of one morning, or a simulated year whose units report at the same
 * instant. One update instead of one per report saves a round trip to the workflow each; the
 * reference numbers still follow the order of the list.
 *
 * All or nothing: every report is judged by the single submission's rules before any is recorded,
 * and a refusal names the report that failed.
 */
import { applySubmission, validateSubmission } from './duty-state';
import { refuse, refusalInContext } from './refusal';
import { utf8Length } from './utf8-length';
import type { DutyState, Receipt, SubmissionRequest } from './types';

/** Reports one update carries at most, and their bytes at most: the update stays a small payload. */
export const MAX_SUBMISSIONS_PER_BATCH = 100;
export const MAX_SUBMISSION_BATCH_BYTES = 192 * 1024;

const NOTHING_RECORDED = 'Chưa báo cáo nào của lượt này được ghi nhận.';

export function validateSubmissionBatch(state: DutyState, requests: SubmissionRequest[], nowMs: number): void {
  if (!Array.isArray(requests) || requests.length === 0) refuse('bad-request', 'Lượt nộp phải có ít nhất một báo cáo.');
  if (requests.length > MAX_SUBMISSIONS_PER_BATCH) {
    refuse(
      'payload-too-large',
      `Một lượt nộp có tối đa ${MAX_SUBMISSIONS_PER_BATCH} báo cáo, lượt này có ${requests.length}; hãy chia thành nhiều lượt. ${NOTHING_RECORDED}`,
    );
  }
  const size = utf8Length(JSON.stringify(requests));
  if (size > MAX_SUBMISSION_BATCH_BYTES) {
    refuse(
      'payload-too-large',
      `Dữ liệu của lượt nộp quá lớn (${Math.ceil(size / 1024)} KiB, tối đa ${MAX_SUBMISSION_BATCH_BYTES / 1024} KiB); hãy chia thành nhiều lượt. ${NOTHING_RECORDED}`,
    );
  }
  const firstOf = new Map<string, number>();
  requests.forEach((request, i) => {
    try {
      validateSubmission(state, request, nowMs);
    } catch (err) {
      throw refusalInContext(err, i, (message) => `Báo cáo thứ ${i + 1} của lượt nộp: ${message} ${NOTHING_RECORDED}`);
    }
    // Each report is judged against the state before the batch; a second one for the same
    // occurrence would be refused after the first, so it is refused here.
    const target = JSON.stringify([request.unitId, request.periodKey]);
    const first = firstOf.get(target);
    if (first !== undefined) {
      refuse(
        'already-submitted',
        `Báo cáo thứ ${i + 1} của lượt nộp trùng đơn vị và kỳ với báo cáo thứ ${first + 1} (đơn vị mã "${request.unitId}", kỳ "${request.periodKey}"). ${NOTHING_RECORDED}`,
        i,
      );
    }
    firstOf.set(target, i);
  });
}

export function applySubmissionBatch(state: DutyState, requests: SubmissionRequest[], nowMs: number): Receipt[] {
  return requests.map((request) => applySubmission(state, request, nowMs));
}
