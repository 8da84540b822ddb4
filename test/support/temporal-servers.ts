/**
 * Real Temporal servers for tests.
 *
 * Time skipping is global to a server and its clock only moves forward, so every test file that
 * needs it gets a server of its own (`startTimeSkippingServer`, the product's own launcher that
 * `kehoach simulate` uses), with its clock set where the test wants it to start (e.g. 1 January of
 * the plan year). End-to-end files share one dev server that vitest's global setup starts
 * (`devServer()`).
 */
import { inject } from 'vitest';

export { startTimeSkippingServer, type TimeSkippingServer } from '../../simulation/time-skipping-server';
export { registerSearchAttributes } from '../../operations/search-attributes';

declare module 'vitest' {
  export interface ProvidedContext {
    devServerAddress: string;
  }
}

/** The dev server started by `test/support/dev-server-setup.ts` for the e2e project. */
export function devServer(): { address: string; namespace: string } {
  return { address: inject('devServerAddress'), namespace: 'default' };
}
