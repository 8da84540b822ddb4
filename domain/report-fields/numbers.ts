/**
 * Numbers as Vietnamese writes them: a dot between thousands, a comma before decimals
 * ("1.234.567", "1.234,5"). Written out by hand, with no Intl, so a document or a workflow does
 * not depend on the ICU data a Node build ships with.
 */

/**
 * Largest magnitude a field value may have, scaled by its decimals: whole numbers up to
 * Number.MAX_SAFE_INTEGER (every đồng exact); decimals within 15 significant digits, the most a
 * double carries so that "1.234,56" reads back exactly as typed.
 */
export function maxMagnitude(decimals: number): number {
  return Number(maxScaled(decimals)) / 10 ** decimals;
}

/** maxMagnitude × 10^decimals, as the exact integer the typed digits are compared with. */
export function maxScaled(decimals: number): bigint {
  return decimals === 0 ? BigInt(Number.MAX_SAFE_INTEGER) : 10n ** 15n - 1n;
}

export function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** 1234.5 → '1.234,5'; at most `decimals` decimals, trailing zeros dropped. */
export function formatVietnameseNumber(value: number, decimals = 2): string {
  if (!Number.isFinite(value)) return String(value);
  const sign = value < 0 ? '-' : '';
  const [whole = '0', fraction = ''] = Math.abs(value).toFixed(decimals).split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${sign}${groupThousands(whole)}${trimmed ? `,${trimmed}` : ''}`;
}

export type NumberSyntax =
  | { ok: true; negative: boolean; whole: string; fraction: string }
  | { ok: false; reason: 'malformed' | 'grouping' | 'decimal-point' | 'comma-thousands' | 'exponent' };

const SHAPE = /^(-)?(\d+(?:\.\d+)*)(?:,(\d+))?$/;

/**
 * The digits of a number as a person types it in Vietnamese: an optional minus, the whole part
 * either plain ("1000") or grouped by dots in threes ("1.000", "1.234.567"), then an optional
 * comma and decimals ("1.000,5"). Anything else is refused with the reason a person can act on:
 * "1.5" (a decimal point, not a thousands dot), "1.00" (a group of two), "1e5" (exponent).
 * A comma grouping ("1,000") reads as a decimal comma; callers that want a whole number say why
 * it was refused ('comma-thousands').
 */
export function readVietnameseNumber(input: string): NumberSyntax {
  const text = input.trim().replace(/\u2212/g, '-');
  const shape = SHAPE.exec(text);
  if (!shape) {
    if (/^-?[\d.,]+e[+-]?\d+$/i.test(text)) return { ok: false, reason: 'exponent' };
    return { ok: false, reason: 'malformed' };
  }
  const [, minus, wholeText = '', fraction = ''] = shape;
  const groups = wholeText.split('.');
  if (groups.length > 1) {
    const [first = '', ...rest] = groups;
    const wellGrouped = /^[1-9]\d{0,2}$/.test(first) && rest.every((group) => /^\d{3}$/.test(group));
    if (!wellGrouped) {
      return { ok: false, reason: groups.length === 2 && fraction === '' ? 'decimal-point' : 'grouping' };
    }
  }
  const whole = groups.join('').replace(/^0+(?=\d)/, '');
  return { ok: true, negative: minus === '-', whole, fraction };
}

/** True when a text looks like an English thousands grouping, "1,000" or "12,345,678". */
export function looksLikeCommaThousands(input: string): boolean {
  return /^-?\d{1,3}(,\d{3})+$/.test(input.trim());
}

/** Exact sum of values each with at most `decimals` decimals (BigInt on the scaled integers). */
export function sumExactly(values: readonly number[], decimals: number): number {
  const scale = 10 ** decimals;
  let total = 0n;
  for (const value of values) total += BigInt(Math.round(value * scale));
  if (decimals === 0) return Number(total);
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(decimals + 1, '0');
  return Number(`${negative ? '-' : ''}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`);
}
