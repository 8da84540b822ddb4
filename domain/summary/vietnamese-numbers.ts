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

/** A file's size as people read it: "12 KB", "1,5 MB" (1 KB = 1024 bytes; anything above 0 is at least 1 KB). */
export function formatFileSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${formatVietnameseNumber(bytes / 1024 / 1024, 1)} MB` : `${Math.max(1, Math.ceil(bytes / 1024))} KB`;
}
