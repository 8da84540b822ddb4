/**
 * Numbers as Vietnamese documents write them: dot between thousands, comma before decimals
 * ("1.234,5"; "76,5%"). The number format itself lives with the report fields, which read it
 * back from what people type.
 */
import { formatVietnameseNumber } from '../report-fields/numbers';

export { formatVietnameseNumber };

/** 0.765 → '76,5%'; one decimal, as report texts usually give rates. */
export function formatVietnamesePercent(ratio: number): string {
  return `${formatVietnameseNumber(ratio * 100, 1)}%`;
}
