/**
 * Numbers as Vietnamese documents write them: dot between thousands, comma before decimals
 * ("1.234,5"; "76,5%"). Written out by hand so a document does not depend on the ICU data the
 * Node build ships with.
 */

function groupThousands(digits: string): string {
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

/** 0.765 → '76,5%'; one decimal, as report texts usually give rates. */
export function formatVietnamesePercent(ratio: number): string {
  return `${formatVietnameseNumber(ratio * 100, 1)}%`;
}
