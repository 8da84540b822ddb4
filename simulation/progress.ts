/**
 * A progress bar by month of the simulated year, on stderr: redrawn in place on a terminal, one
 * line per month otherwise (a log or a CI run).
 */
const WIDTH = 24;

export function monthProgress(stream: NodeJS.WriteStream, year: number): { month(month: number): void; done(): void } {
  const tty = stream.isTTY === true;
  let drawn = false;
  return {
    month(month) {
      const filled = Math.round((month / 12) * WIDTH);
      const bar = `[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] tháng ${String(month).padStart(2, ' ')}/${year}`;
      stream.write(tty ? `\r${bar}` : `${bar}\n`);
      drawn = true;
    },
    done() {
      if (tty && drawn) stream.write('\n');
    },
  };
}
