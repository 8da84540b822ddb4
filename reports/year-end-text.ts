/**
 * The factual sentences of the year-end report, generated from the numbers so that the text and
 * the tables can never disagree. The CLI prints the same sentences.
 */
import { localDateOf } from '../domain/calendar';
import { formatDocumentDate } from '../domain/calendar/vietnamese-format';
import { formatVietnameseNumber, formatVietnamesePercent } from '../domain/summary/vietnamese-numbers';
import type { DutySummary, OutcomeCounts, UnitCounts, YearSummary } from '../domain/summary/types';

const n = (value: number) => formatVietnameseNumber(value);

/** The cut-off is an instant; at local midnight people call it the end of the day before. */
export function cutOffLocalDate(summary: YearSummary): string {
  return localDateOf(new Date(Date.parse(summary.asOf) - 1).toISOString(), summary.plan.timeZone);
}

export function rateText(rate: number | null): string {
  return rate === null ? '—' : formatVietnamesePercent(rate);
}

function owed(counts: OutcomeCounts): number {
  return counts['on-time'] + counts.late + counts.missing;
}

function share(part: number, counts: OutcomeCounts): string {
  const whole = owed(counts);
  return whole === 0 ? '' : ` (${formatVietnamesePercent(part / whole)})`;
}

function joinVietnamese(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} và ${parts[parts.length - 1]}`;
}

export function overallParagraph(summary: YearSummary): string {
  const { counts, rates, duties } = summary.totals;
  const head =
    `Trong năm ${summary.plan.year}, ${n(duties)} nhiệm vụ với ${n(counts.total)} lượt việc được theo dõi ` +
    `(số liệu tính đến hết ${formatDocumentDate(cutOffLocalDate(summary))})`;
  if (counts.total === 0) return `${head}; chưa có lượt việc nào đến hạn.`;
  const owedPart =
    `${n(counts['on-time'])} lượt nộp đúng hạn${share(counts['on-time'], counts)}, ` +
    `${n(counts.late)} lượt nộp muộn${share(counts.late, counts)}, ` +
    `${n(counts.missing)} lượt chưa nộp${share(counts.missing, counts)}`;
  const excluded: string[] = [];
  if (counts.waived > 0) excluded.push(`${n(counts.waived)} lượt được miễn`);
  if (counts['before-tracking'] > 0) excluded.push(`${n(counts['before-tracking'])} lượt đến hạn trước khi bắt đầu theo dõi`);
  if (counts['not-due'] > 0) excluded.push(`${n(counts['not-due'])} lượt chưa đến hạn`);
  const excludedPart = excluded.length > 0 ? `; ${joinVietnamese(excluded)} không tính vào tỷ lệ` : '';
  const ratePart = rates.completion === null ? '' : ` Tỷ lệ hoàn thành chung đạt ${rateText(rates.completion)}, tỷ lệ đúng hạn đạt ${rateText(rates.onTime)}.`;
  return `${head}; ${owedPart}${excludedPart}.${ratePart}`;
}

/** "số người dự hội nghị: 1.234 (qua 12 lượt báo cáo)", "kinh phí: 1.500.000 đồng (…)" for each summed field of a duty. */
export function fieldTotalsLine(duty: DutySummary): string | undefined {
  if (duty.fieldTotals.length === 0) return undefined;
  const parts = duty.fieldTotals.map((field) => `${field.label.toLowerCase()}: ${field.totalText} (qua ${n(field.submissions)} lượt báo cáo)`);
  return `${duty.title}: ${parts.join('; ')}.`;
}

export function shortcomingsParagraph(summary: YearSummary): string {
  const { counts } = summary.totals;
  if (counts.missing === 0 && counts.late === 0) {
    return 'Các cơ quan, đơn vị đã nộp đầy đủ, đúng hạn toàn bộ các lượt việc đã đến hạn.';
  }
  const withMissing = summary.duties.filter((duty) => duty.counts.missing > 0).length;
  const unitCount = summary.unitsMostOverdue.length;
  const missingPart =
    counts.missing > 0
      ? `Còn ${n(counts.missing)} lượt việc chưa nộp, thuộc ${n(withMissing)} nhiệm vụ và ${n(unitCount)} cơ quan, đơn vị`
      : 'Không còn lượt việc nào chưa nộp';
  const latePart = counts.late > 0 ? `; ${n(counts.late)} lượt nộp muộn so với thời hạn` : '';
  return `${missingPart}${latePart}.`;
}

export function unitShortfallLine(unit: UnitCounts): string {
  const late = unit.counts.late > 0 ? `, ${n(unit.counts.late)} lượt nộp muộn` : '';
  return `${unit.unitName}: ${n(unit.counts.missing)} lượt chưa nộp${late} (tỷ lệ hoàn thành ${rateText(unit.rates.completion)})`;
}

export function dutyShortfallLine(duty: DutySummary): string {
  return `${duty.title}: ${n(duty.counts.missing)} lượt chưa nộp (tỷ lệ hoàn thành ${rateText(duty.rates.completion)})`;
}

/** Duties with missing items, most missing first (ties keep the plan's order). */
export function dutiesWithShortfall(summary: YearSummary): DutySummary[] {
  return summary.duties.filter((duty) => duty.counts.missing > 0).sort((a, b) => b.counts.missing - a.counts.missing);
}
