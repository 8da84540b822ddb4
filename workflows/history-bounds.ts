/**
 * How large one run of a duty or mailroom workflow may grow before it continues as new. Temporal
 * allows far more, but a run kept under 1 MB replays fast after a worker restart and leaves room
 * for the largest single step (a hand-over of a few hundred items, a day of deliveries) taken
 * between two checks.
 */
import type { RunSettings } from './types';

export const DEFAULT_HISTORY_BYTES_LIMIT = 640 * 1024;

export function historyBytesLimit(settings: RunSettings): number {
  return settings.historyBytesLimit ?? DEFAULT_HISTORY_BYTES_LIMIT;
}
