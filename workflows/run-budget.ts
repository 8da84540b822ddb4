/**
 * Room left in a mailroom run for deliveries. Each adds its input and about six events (scheduled,
 * started, completed and a workflow task); those under way still have to complete, and hand-overs
 * arriving meanwhile need room too. `workflowInfo()` counts history only as of the current
 * activation, so what was launched since is counted here until the next activation. With nothing
 * under way one digest always goes, so a run never stalls; the rest wait for the next run.
 */
import { patched, workflowInfo } from '@temporalio/workflow';
import { historyBytesLimit } from './history-bounds';
import type { RunSettings } from './types';

/**
 * Kept for hand-overs. A 200 × 100 plan's duties hand one mailroom run up to about 460 KB of items
 * around a mail time, much of it while the run waits for its deliveries before continuing as new:
 * with 160 KB kept, the largest run of that plan's year measured 968 and 1 030 KB; with 360 KB,
 * 819 KB (`npm run bench:scale-year`). Runs that began with the smaller reserve keep it (marker
 * `mailroom-hand-over-reserve`).
 */
const RESERVED_BYTES = 360 * 1024;
const RESERVED_BYTES_BEFORE = 160 * 1024;
const RESERVED_EVENTS = 150;
const EVENTS_PER_DELIVERY = 6;
const BYTES_PER_COMPLETION = 1024;

export class RunBudget {
  private activationLength = -1;
  private launchedBytes = 0;
  private launchedEvents = 0;

  constructor(private readonly settings: RunSettings) {}

  /** A check for one flush: whether a digest of this many input bytes still fits, counting it if it does. */
  check(underWay: number): (inputBytes: number) => boolean {
    const info = workflowInfo();
    if (info.historyLength !== this.activationLength) {
      this.activationLength = info.historyLength;
      this.launchedBytes = 0;
      this.launchedEvents = 0;
    }
    let mustLaunch = underWay === 0;
    const reserved = patched('mailroom-hand-over-reserve') ? RESERVED_BYTES : RESERVED_BYTES_BEFORE;
    return (inputBytes) => {
      const bytes = inputBytes + BYTES_PER_COMPLETION;
      const bytesLeft = historyBytesLimit(this.settings) - info.historySize - reserved - underWay * BYTES_PER_COMPLETION - this.launchedBytes;
      const eventsLeft = this.settings.historyEventLimit - info.historyLength - RESERVED_EVENTS - underWay * EVENTS_PER_DELIVERY - this.launchedEvents;
      if (!mustLaunch && (bytes > bytesLeft || eventsLeft < EVENTS_PER_DELIVERY)) return false;
      mustLaunch = false;
      this.launchedBytes += bytes;
      this.launchedEvents += EVENTS_PER_DELIVERY;
      return true;
    };
  }
}
