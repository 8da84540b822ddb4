/**
 * A progress bar by month of the simulated year, on stderr: redrawn in place on a terminal, one
 * line per month otherwise (a log or a CI run).
 */
const WIDTH = 24;

/** The twelve months from the one `from` (a plan period's first day) is in. */
export function periodMonths(from: string): { year: number; month: number }[] {
  const first = Number(from.slice(0, 4)) * 12 + Number(from.slice(5, 7)) - 1;
  return Array.from({ length: 12 }, (_, index) => ({ year: Math.floor((first + index) / 12), month: ((first + index) % 12) + 1 }));
}

/** 0 for the month `from` is in, 11 for the twelfth; outside that, negative or 12 and more. */
export function monthIndexInPeriod(from: string, year: number, month: number): number {
  return year * 12 + month - 1 - (Number(from.slice(0, 4)) * 12 + Number(from.slice(5, 7)) - 1);
}

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
