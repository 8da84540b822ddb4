/**
 * Refusals of messages (submissions, extensions, waivers, amendments). The message is Vietnamese
 * because it reaches the user unchanged; the code lets clients and tests tell refusals apart.
 */
import { ApplicationFailure } from '@temporalio/common';

export const REFUSAL_FAILURE_TYPE = 'KehoachRefusal';

export type RefusalCode =
  | 'unknown-unit'
  | 'unit-not-assigned'
  | 'unknown-period'
  | 'period-closed'
  | 'already-submitted'
  | 'waived'
  | 'cancelled'
  | 'payload-too-large'
  | 'unknown-field'
  | 'missing-field'
  | 'wrong-field-type'
  | 'deadline-passed'
  | 'extension-pending'
  | 'no-pending-extension'
  | 'bad-extension-date'
  | 'missing-reason'
  | 'wrong-plan'
  | 'removed'
  | 'not-open-yet'
  | 'bad-schedule'
  | 'plan-starting'
  | 'amendment-in-progress'
  | 'bad-attachment'
  | 'too-many-attachments'
  | 'not-on-request'
  | 'bad-request';

export function refuse(code: RefusalCode, message: string): never {
  throw ApplicationFailure.create({ type: REFUSAL_FAILURE_TYPE, message, details: [code], nonRetryable: true });
}

/** The same refusal with its message put in context (which item of a batch); any other error unchanged. */
export function refusalInContext(err: unknown, inContext: (message: string) => string): unknown {
  if (!(err instanceof ApplicationFailure) || err.type !== REFUSAL_FAILURE_TYPE) return err;
  return ApplicationFailure.create({ type: REFUSAL_FAILURE_TYPE, message: inContext(err.message), details: err.details ?? [], nonRetryable: true });
}
