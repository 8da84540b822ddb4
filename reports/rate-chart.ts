/**
 * The report's one chart: on-time and completion rates by month of deadline (left) and by unit
 * group (right), drawn as a black-and-white PNG so it survives a photocopier: on-time bars solid
 * black, completion bars hatched with diagonal lines, both outlined. Axis numbers use a small
 * built-in digit font; the words (legend, group names) go in the caption under the image, in the
 * document's own font, so nothing Vietnamese has to be rasterised.
 */
import type { Rates } from '../domain/summary/types';
import { encodeGrayPng } from './png';

export interface ChartBar {
  /** Printed under the bar: a month or a group number. */
  label: string;
  rates: Rates;
}

export interface ChartImage {
  png: Buffer;
  width: number;
  height: number;
}

const WIDTH = 1560;
const HEIGHT = 640;
const BLACK = 0;
const WHITE = 255;
const SCALE = 3;

/** 5×7 glyphs, one string per row. */
const GLYPHS: Record<string, string[]> = {
  '0': ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  '1': ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  '2': ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  '3': ['11110', '00001', '00001', '01110', '00001', '00001', '11110'],
  '4': ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  '5': ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  '6': ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  '7': ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  '8': ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  '9': ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
  '%': ['11001', '11010', '00010', '00100', '01000', '01011', '10011'],
};

class Canvas {
  readonly pixels = new Uint8Array(WIDTH * HEIGHT).fill(WHITE);

  set(x: number, y: number, value: number): void {
    if (x >= 0 && x < WIDTH && y >= 0 && y < HEIGHT) this.pixels[y * WIDTH + x] = value;
  }

  fill(x0: number, y0: number, x1: number, y1: number, value: number): void {
    for (let y = y0; y < y1; y += 1) for (let x = x0; x < x1; x += 1) this.set(x, y, value);
  }

  /** Diagonal lines every `gap` pixels, `thickness` wide. */
  hatch(x0: number, y0: number, x1: number, y1: number, gap = 14, thickness = 3): void {
    for (let y = y0; y < y1; y += 1) for (let x = x0; x < x1; x += 1) if ((x + y) % gap < thickness) this.set(x, y, BLACK);
  }

  outline(x0: number, y0: number, x1: number, y1: number, thickness = 3): void {
    this.fill(x0, y0, x1, y0 + thickness, BLACK);
    this.fill(x0, y1 - thickness, x1, y1, BLACK);
    this.fill(x0, y0, x0 + thickness, y1, BLACK);
    this.fill(x1 - thickness, y0, x1, y1, BLACK);
  }

  textWidth(text: string): number {
    return text.length * 6 * SCALE - SCALE;
  }

  /** Digits and "%" only; `x` is the centre, `y` the top. */
  text(text: string, x: number, y: number): void {
    let left = Math.round(x - this.textWidth(text) / 2);
    for (const char of text) {
      const glyph = GLYPHS[char];
      if (!glyph) throw new RangeError(`the chart font has no "${char}"`);
      glyph.forEach((row, gy) => {
        for (let gx = 0; gx < row.length; gx += 1) if (row[gx] === '1') this.fill(left + gx * SCALE, y + gy * SCALE, left + (gx + 1) * SCALE, y + (gy + 1) * SCALE, BLACK);
      });
      left += 6 * SCALE;
    }
  }
}

const TOP = 30;
const BOTTOM = HEIGHT - 60;
const PLOT_HEIGHT = BOTTOM - TOP;

function panel(canvas: Canvas, bars: ChartBar[], x0: number, x1: number): void {
  // Axis, with gridlines every 25 % drawn as dotted lines so they never read as bars.
  for (const tick of [0, 25, 50, 75, 100]) {
    const y = BOTTOM - Math.round((tick / 100) * PLOT_HEIGHT);
    for (let x = x0; x < x1; x += 1) if (tick === 0 || x % 8 < 2) canvas.fill(x, y - 1, x + 1, y + 1, BLACK);
    canvas.text(`${tick}%`, x0 - 50, y - 10);
  }
  canvas.fill(x0 - 2, TOP, x0 + 1, BOTTOM + 1, BLACK);
  const slot = (x1 - x0) / Math.max(1, bars.length);
  const barWidth = Math.min(48, Math.floor((slot - 16) / 2));
  bars.forEach((bar, i) => {
    const centre = Math.round(x0 + slot * (i + 0.5));
    canvas.text(bar.label, centre, BOTTOM + 16);
    const heightOf = (rate: number | null) => (rate === null ? 0 : Math.round(rate * PLOT_HEIGHT));
    const onTime = heightOf(bar.rates.onTime);
    const completion = heightOf(bar.rates.completion);
    if (bar.rates.owed === 0) return;
    canvas.fill(centre - barWidth - 2, BOTTOM - onTime, centre - 2, BOTTOM, BLACK);
    canvas.hatch(centre + 2, BOTTOM - completion, centre + barWidth + 2, BOTTOM);
    canvas.outline(centre + 2, BOTTOM - completion - 3, centre + barWidth + 2, BOTTOM);
  });
}

/** Months on the left two thirds, groups on the right third (or months alone without groups). */
export function drawRateChart(months: ChartBar[], groups: ChartBar[]): ChartImage {
  const canvas = new Canvas();
  const left = 90;
  if (groups.length === 0) panel(canvas, months, left, WIDTH - 20);
  else {
    const split = Math.round(WIDTH * 0.64);
    panel(canvas, months, left, split - 30);
    panel(canvas, groups, split + 90, WIDTH - 20);
  }
  return { png: encodeGrayPng(WIDTH, HEIGHT, canvas.pixels), width: WIDTH, height: HEIGHT };
}
