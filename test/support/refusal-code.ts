/** The code of the refusal a client call ends in; a call that succeeds, or fails otherwise, fails the test. */
import { RefusedError } from '../../operations/plan-client';

export async function refusalCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof RefusedError) return err.code;
    throw err;
  }
  throw new Error('expected a refusal');
}
