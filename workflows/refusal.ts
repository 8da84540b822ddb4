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

/** What a refusal carries besides its message: its code, then, for an item of a batch, the item's position (from 0). */
export type RefusalDetails = [RefusalCode] | [RefusalCode, { batchIndex: number }];

export function refuse(code: RefusalCode, message: string, batchIndex?: number): never {
  const details: RefusalDetails = batchIndex === undefined ? [code] : [code, { batchIndex }];
  throw ApplicationFailure.create({ type: REFUSAL_FAILURE_TYPE, message, details, nonRetryable: true });
}

/** The same refusal put in context: its message says which item of a batch, its details the item's position. */
export function refusalInContext(err: unknown, batchIndex: number, inContext: (message: string) => string): unknown {
  if (!(err instanceof ApplicationFailure) || err.type !== REFUSAL_FAILURE_TYPE) return err;
  const [code] = (err.details ?? []) as RefusalDetails;
  return ApplicationFailure.create({ type: REFUSAL_FAILURE_TYPE, message: inContext(err.message), details: [code, { batchIndex }], nonRetryable: true });
}
