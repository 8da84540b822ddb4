/**
 * A wake-up at an instant that is never cancelled. A workflow loop that waits "until this instant or
 * until something changes" would use `condition(fn, timeout)`, whose timer is cancelled whenever the
 * change comes first. Cancelling a timer that fires at that same moment is what Temporal's Java
 * time-skipping server rejects ("invalid history builder state for action"), and it stalls the
 * workflow; with signals and deliveries arriving at the mail time, when timers also fire, that
 * happens every working day. So the timer runs to its end in a non-cancellable scope and only calls
 * `onFire`; a timer already set for the same instant is kept for the next wait. A timer left behind
 * when a later wait asks for another instant merely wakes the loop once more.
 */
import { CancellationScope, sleep } from '@temporalio/workflow';

export class WakeTimer {
  private current: { atMs: number } | undefined;

  constructor(private readonly onFire: () => void) {}

  /** Makes sure the loop is woken at `atMs` (at least 1 ms from now). */
  set(atMs: number): void {
    if (this.current?.atMs === atMs) return;
    const timer = { atMs };
    this.current = timer;
    void CancellationScope.nonCancellable(() => sleep(Math.max(atMs - Date.now(), 1))).then(() => {
      if (this.current === timer) this.current = undefined;
      this.onFire();
    });
  }
}
