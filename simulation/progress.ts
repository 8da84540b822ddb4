/**
 * A progress bar by month of the simulated year, on stderr: redrawn in place on a terminal, one
 * line per month otherwise (a log or a CI run).
 */
import { periodMonths } from '../domain/plan/period';

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
