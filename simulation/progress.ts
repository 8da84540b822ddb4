/**
 * A progress bar by month of the simulated year, on stderr: redrawn in place on a terminal, one
 * line per month otherwise (a log or a CI run).
 */
import { localDateOf } from '../domain/calendar';
import { monthIndexInPeriod, periodMonths } from '../domain/plan/period';

const WIDTH = 24;

/** `month` counts the months of the plan period from 1; `from` is the period's first day. */
export function monthProgress(stream: NodeJS.WriteStream, from: string): { month(month: number): void; done(): void } {
  const tty = stream.isTTY === true;
  let drawn = false;
  return {
    month(month) {
      const filled = Math.round((month / 12) * WIDTH);
      const shown = periodMonths(from)[Math.min(month, 12) - 1] ?? { year: 0, month: 0 };
      const bar = `[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] tháng ${String(shown.month).padStart(2, ' ')}/${shown.year}`;
      stream.write(tty ? `\r${bar}` : `${bar}\n`);
      drawn = true;
    },
    done() {
      if (tty && drawn) stream.write('\n');
    },
  };
}

/**
 * Follows the simulated clock through the plan period: given each instant the clock reaches, calls
 * `onMonth` once for every month of the period entered since (1–12, in order) and returns how many
 * have been entered. Without `onMonth` it only counts. The months to announce are listed before any
 * is announced, so the count moves whether or not anyone listens (an increment inside an optional
 * call once skipped itself and looped forever).
 */
export function monthCounter(periodFrom: string, zone: string, onMonth?: (month: number) => void): (instant: string) => number {
  let entered = 0;
  return (instant) => {
    const [year, month] = localDateOf(instant, zone).split('-').map(Number) as [number, number];
    const reached = Math.max(0, Math.min(12, monthIndexInPeriod(periodFrom, year, month) + 1));
    const newlyEntered = Array.from({ length: Math.max(0, reached - entered) }, (_, i) => entered + 1 + i);
    entered = Math.max(entered, reached);
    if (onMonth) for (const entering of newlyEntered) onMonth(entering);
    return entered;
  };
}
