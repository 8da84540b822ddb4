/**
 * The factual sentences of the year-end report, generated from the numbers so that the text and
 * the tables can never disagree. The CLI prints the same sentences.
 */
import { localDateOf } from '../domain/calendar';
import { formatDocumentDate } from '../domain/calendar/vietnamese-format';
import { periodSpanText } from '../domain/plan/period';
import { periodOfPlan } from '../domain/schedule/expanded-period';
import { formatVietnameseNumber, formatVietnamesePercent } from '../domain/summary/vietnamese-numbers';
import type { DutySummary, OutcomeCounts, Rates, UnitCounts, YearSummary } from '../domain/summary/types';

const n = (value: number) => formatVietnameseNumber(value);

/** The cut-off is an instant; at local midnight people call it the end of the day before. */
export function cutOffLocalDate(summary: YearSummary): string {
  return localDateOf(new Date(Date.parse(summary.asOf) - 1).toISOString(), summary.plan.timeZone);
}

/**
 * Below this many owed items a percentage says more than the data: 3 of 3 is not "100%". The
 * report then gives the counts ("3/3") instead.
 */
export const MIN_OWED_FOR_PERCENT = 10;

/** A rate over `owed` items: '76,5%', or '3/4' over fewer than MIN_OWED_FOR_PERCENT, '—' over none. */
export function rateText(rate: number | null, owed: number): string {
  if (rate === null || owed === 0) return '—';
  if (owed < MIN_OWED_FOR_PERCENT) return `${n(Math.round(rate * owed))}/${n(owed)}`;
  return formatVietnamesePercent(rate);
}

function owed(counts: OutcomeCounts): number {
  return counts['on-time'] + counts.late + counts.missing;
}

function share(part: number, counts: OutcomeCounts): string {
  const whole = owed(counts);
  return whole < MIN_OWED_FOR_PERCENT ? '' : ` (${formatVietnamesePercent(part / whole)})`;
}

/**
 * Words that keep their capital inside a sentence: names of bodies and the respectful "Nhân dân".
 * Acronyms (UBND, HĐND, MTTQ) are recognised by their capitals and kept as well.
 */
const KEEPS_CAPITAL = ['Nhân dân', 'Nhà nước', 'Đảng', 'Mặt trận', 'Quốc hội', 'Chính phủ', 'Ủy ban', 'Hội đồng nhân dân', 'Việt Nam'];

/** A label or title as it reads after other words: "Số người dự" → "số người dự", "UBND xã …" unchanged. */
export function inSentence(label: string): string {
  const firstWord = label.split(/\s/, 1)[0] ?? '';
  const capitals = [...firstWord].filter((char) => char !== char.toLowerCase()).length;
  if (capitals > 1 || KEEPS_CAPITAL.some((term) => label.startsWith(term))) return label;
  return label.charAt(0).toLowerCase() + label.slice(1);
}

function joinVietnamese(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} và ${parts[parts.length - 1]}`;
}

export function overallParagraph(summary: YearSummary): string {
  const { counts, rates, duties } = summary.totals;
  const head =
    `Trong ${periodSpanText(periodOfPlan(summary.plan))}, ${n(duties)} nhiệm vụ với ${n(counts.total)} lượt việc được theo dõi ` +
    `(số liệu tính đến hết ${formatDocumentDate(cutOffLocalDate(summary))})`;
  if (counts.total === 0) return `${head}; chưa có lượt việc nào.`;
  const owedCount = owed(counts);
  const owedParts = [
    counts['on-time'] > 0 ? `${n(counts['on-time'])} lượt nộp đúng hạn${share(counts['on-time'], counts)}` : '',
    counts.late > 0 ? `${n(counts.late)} lượt nộp muộn${share(counts.late, counts)}` : '',
    counts.missing > 0 ? `${n(counts.missing)} lượt chưa nộp${share(counts.missing, counts)}` : '',
  ].filter((part) => part !== '');
  const owedPart = owedCount === 0 ? 'chưa có lượt việc nào đã đến hạn trong thời gian theo dõi' : `${n(owedCount)} lượt đã đến hạn trong thời gian theo dõi, gồm ${joinVietnamese(owedParts)}`;
  // Untracked and not-yet-due items are always stated, so the base of the rates is never hidden.
  const excluded = [
    `${n(counts['not-due'])} lượt chưa đến hạn`,
    `${n(counts['before-tracking'])} lượt đến hạn trước khi bắt đầu theo dõi`,
    ...(counts.waived > 0 ? [`${n(counts.waived)} lượt được miễn`] : []),
  ];
  let ratePart: string;
  if (owedCount === 0) ratePart = ' Chưa tính tỷ lệ.';
  else if (owedCount < MIN_OWED_FOR_PERCENT) {
    ratePart = ` Số lượt đã đến hạn còn ít nên chưa tính tỷ lệ phần trăm: đã nộp ${rateText(rates.completion, owedCount)} lượt, nộp đúng hạn ${rateText(rates.onTime, owedCount)} lượt.`;
  } else {
    ratePart = ` Tính trên ${n(owedCount)} lượt đã đến hạn, tỷ lệ hoàn thành chung đạt ${rateText(rates.completion, owedCount)}, tỷ lệ đúng hạn đạt ${rateText(rates.onTime, owedCount)}.`;
  }
  return `${head}; ${owedPart}; ${joinVietnamese(excluded)} không tính vào tỷ lệ.${ratePart}`;
}

/** "số người dự hội nghị: 1.234 (qua 12 lượt báo cáo)", "kinh phí: 1.500.000 đồng (…)" for each summed field of a duty. */
export function fieldTotalsLine(duty: DutySummary): string | undefined {
  const reported = duty.fieldTotals.filter((field) => field.total !== 0);
  if (reported.length === 0) return undefined;
  const parts = reported.map((field) => `${inSentence(field.label)}: ${field.totalText} (qua ${n(field.submissions)} lượt báo cáo)`);
  return `${duty.title}: ${parts.join('; ')}.`;
}

/**
 * "Báo cáo định kỳ: nơi nhận báo cáo Văn phòng; đơn vị phối hợp: Ủy ban MTTQ; 2 yêu cầu đột xuất
 * (3 lượt việc)." for a duty naming any of these; an ongoing duty is listed as such.
 */
export function dutyRolesLine(duty: DutySummary): string | undefined {
  const parts: string[] = [];
  if (duty.roles?.mode === 'ongoing') parts.push('nhiệm vụ thường xuyên, không có kỳ hạn nộp');
  if (duty.roles?.mode === 'on-request') parts.push('thực hiện theo yêu cầu đột xuất');
  if (duty.roles?.reportTo) parts.push(`nơi nhận báo cáo: ${duty.roles.reportTo}`);
  if (duty.roles?.partners && duty.roles.partners.length > 0) parts.push(`đơn vị phối hợp: ${joinVietnamese(duty.roles.partners)}`);
  if (duty.requested) parts.push(`${n(duty.requested.requests)} yêu cầu đột xuất (${n(duty.requested.occurrences)} lượt việc)`);
  if (parts.length === 0) return undefined;
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

/** "tỷ lệ hoàn thành 76,5%", or "đã nộp 2/3 lượt" over a handful. */
export function completionPhrase(rates: Rates): string {
  return rates.owed < MIN_OWED_FOR_PERCENT
    ? `đã nộp ${rateText(rates.completion, rates.owed)} lượt`
    : `tỷ lệ hoàn thành ${rateText(rates.completion, rates.owed)}`;
}

export function unitShortfallLine(unit: UnitCounts): string {
  const late = unit.counts.late > 0 ? `, ${n(unit.counts.late)} lượt nộp muộn` : '';
  return `${unit.unitName}: ${n(unit.counts.missing)} lượt chưa nộp${late} (${completionPhrase(unit.rates)})`;
}

export function dutyShortfallLine(duty: DutySummary): string {
  return `${duty.title}: ${n(duty.counts.missing)} lượt chưa nộp (${completionPhrase(duty.rates)})`;
}

/** Duties with missing items, most missing first (ties keep the plan's order). */
export function dutiesWithShortfall(summary: YearSummary): DutySummary[] {
  return summary.duties.filter((duty) => duty.counts.missing > 0).sort((a, b) => b.counts.missing - a.counts.missing);
}
