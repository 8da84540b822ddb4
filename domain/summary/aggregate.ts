/**
 * Pure aggregation of the duty workflows' status views into the year-end summary. No I/O, no
 * Temporal: the CLI queries the views and the document renderer formats the result.
 *
 * Only count, number and money fields the plan marks `sum: true` are added up, exactly (decimals as
 * scaled integers, so 0,1 + 0,2 is 0,3 and đồng are never rounded). The plan author knows which numbers
 * are flows (people attending, complaints received) and which are snapshots ("số cơ quan đã báo
 * cáo" each quarter), and adding snapshots over four quarters would print a false total. Numbers
 * not summed go to the appendix with the text fields, per unit and period.
 */
import { formatFieldValue, numberLimits, SUMMABLE_FIELD_TYPES, sumExactly } from '../report-fields';
import { localDateOf } from '../calendar';
import { monthIndexInPeriod, periodMonths } from '../plan/period';
import { periodOfPlan } from '../schedule/expanded-period';
import type {
  AttachedFile,
  DutySummary,
  SummaryDutyInput,
  SummaryOccurrenceInput,
  GroupCounts,
  MonthCounts,
  UnitGroupInfo,
  FieldTotal,
  OutcomeCounts,
  Rates,
  ReportedValue,
  SummaryOutcome,
  SummaryPlanInfo,
  UnitCounts,
  UnitDetail,
  YearSummary,
} from './types';

const unitNameCollator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

export function emptyCounts(): OutcomeCounts {
  return { 'on-time': 0, late: 0, missing: 0, waived: 0, 'before-tracking': 0, 'not-due': 0, total: 0 };
}

function addCounts(into: OutcomeCounts, from: OutcomeCounts): void {
  into['on-time'] += from['on-time'];
  into.late += from.late;
  into.missing += from.missing;
  into.waived += from.waived;
  into['before-tracking'] += from['before-tracking'];
  into['not-due'] += from['not-due'];
  into.total += from.total;
}

export function ratesOf(counts: OutcomeCounts): Rates {
  const owed = counts['on-time'] + counts.late + counts.missing;
  if (owed === 0) return { owed, completion: null, onTime: null };
  return { owed, completion: (counts['on-time'] + counts.late) / owed, onTime: counts['on-time'] / owed };
}

function notAfter(instant: string | undefined, asOfMs: number): boolean {
  return instant !== undefined && Date.parse(instant) <= asOfMs;
}

/**
 * Re-derives the outcome at the cut-off rather than trusting the view's status, which is as of
 * the moment of the query: a report summarised "as of 14/12" must not count a submission of 20/12.
 */
export function outcomeAt(occ: SummaryOccurrenceInput, asOfMs: number): SummaryOutcome {
  if (occ.submission && notAfter(occ.submission.receivedAt, asOfMs)) return occ.submission.late ? 'late' : 'on-time';
  if (occ.waiver && notAfter(occ.waiver.waivedAt, asOfMs)) return 'waived';
  if (occ.status === 'before-tracking') return 'before-tracking';
  return Date.parse(occ.dueAt) < asOfMs ? 'missing' : 'not-due';
}

/** A removed occurrence is in the view only for its submission, so it counts only once submitted. */
function counted(occ: SummaryOccurrenceInput, outcome: SummaryOutcome): boolean {
  return occ.status !== 'removed' || outcome === 'on-time' || outcome === 'late';
}

class UnitTable<T> {
  private readonly rows = new Map<string, { unitName: string; value: T }>();
  constructor(private readonly create: () => T) {}

  get(unitId: string, unitName: string): T {
    let row = this.rows.get(unitId);
    if (!row) {
      row = { unitName, value: this.create() };
      this.rows.set(unitId, row);
    }
    return row.value;
  }

  sorted(): { unitId: string; unitName: string; value: T }[] {
    return [...this.rows.entries()]
      .map(([unitId, row]) => ({ unitId, ...row }))
      .sort((a, b) => unitNameCollator.compare(a.unitName, b.unitName) || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
  }
}

interface UnitAccumulator {
  counts: OutcomeCounts;
  values: ReportedValue[];
  attachments: AttachedFile[];
}

interface Tallies {
  units: UnitTable<UnitAccumulator>;
  /** Index 0 = January of the plan year. */
  months: OutcomeCounts[];
  /** Index into `months`, or undefined for a deadline outside the twelve months of the summary. */
  monthOf(dueAt: string): number | undefined;
}

function summariseDuty(view: SummaryDutyInput, asOfMs: number, tallies: Tallies): DutySummary {
  const { units } = tallies;
  const counts = emptyCounts();
  const dutyUnits = new UnitTable(emptyCounts);
  const summed = view.fields.filter((field) => SUMMABLE_FIELD_TYPES.includes(field.type) && field.sum === true);
  const listed = view.fields.filter((field) => !summed.includes(field));
  const fieldUnits = new Map(summed.map((field) => [field.id, new UnitTable<number[]>(() => [])]));

  for (const occ of view.occurrences) {
    // An ad-hoc request made after the cut-off did not exist then.
    if (occ.request && Date.parse(occ.request.requestedAt) > asOfMs) continue;
    const outcome = outcomeAt(occ, asOfMs);
    if (!counted(occ, outcome)) continue;
    const unit = units.get(occ.unitId, occ.unitName);
    const month = tallies.monthOf(occ.dueAt);
    const monthCounts = month === undefined ? [] : [tallies.months[month] as OutcomeCounts];
    for (const target of [counts, dutyUnits.get(occ.unitId, occ.unitName), unit.counts, ...monthCounts]) {
      target[outcome] += 1;
      target.total += 1;
    }
    if (outcome !== 'on-time' && outcome !== 'late') continue;
    const fields = occ.submission?.fields ?? {};
    for (const { name, type, size, hash } of occ.submission?.attachments ?? []) {
      unit.attachments.push({ dutyTitle: view.dutyTitle, periodLabel: occ.periodLabel, name, type, size, hash });
    }
    for (const field of summed) {
      const value = fields[field.id];
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      fieldUnits.get(field.id)?.get(occ.unitId, occ.unitName).push(value);
    }
    for (const field of listed) {
      const value = fields[field.id];
      if (value === undefined || (typeof value === 'string' && value.trim() === '')) continue;
      unit.values.push({
        dutyId: view.dutyId,
        dutyTitle: view.dutyTitle,
        fieldId: field.id,
        label: field.label,
        periodKey: occ.periodKey,
        periodLabel: occ.periodLabel,
        value: typeof value === 'string' ? value.trim() : value,
        text: formatFieldValue(field, typeof value === 'string' ? value.trim() : value),
      });
    }
  }

  const fieldTotals: FieldTotal[] = summed.map((field) => {
    const { decimals } = numberLimits(field);
    const rows = fieldUnits.get(field.id)?.sorted() ?? [];
    const byUnit = rows.map(({ unitId, unitName, value }) => {
      const total = sumExactly(value, decimals);
      return { unitId, unitName, total, totalText: formatFieldValue(field, total), submissions: value.length };
    });
    const total = sumExactly(rows.flatMap((row) => row.value), decimals);
    return {
      fieldId: field.id,
      label: field.label,
      type: field.type,
      total,
      totalText: formatFieldValue(field, total),
      submissions: byUnit.reduce((sum, row) => sum + row.submissions, 0),
      byUnit,
    };
  });

  return {
    dutyId: view.dutyId,
    title: view.dutyTitle,
    kind: view.dutyKind,
    counts,
    rates: ratesOf(counts),
    fieldTotals,
    byUnit: dutyUnits.sorted().map(({ unitId, unitName, value }) => ({ unitId, unitName, counts: value, rates: ratesOf(value) })),
    ...rolesOf(view, asOfMs),
  };
}

/** The report's recipient, partners and mode, and the office's ad-hoc requests made by the cut-off. */
function rolesOf(view: SummaryDutyInput, asOfMs: number): Pick<DutySummary, 'roles' | 'requested'> {
  const roles = view.roles;
  const requested = view.occurrences.filter((occ) => occ.request !== undefined && Date.parse(occ.request.requestedAt) <= asOfMs);
  return {
    ...(roles
      ? {
          roles: {
            ...(roles.reportTo ? { reportTo: roles.reportTo.name } : {}),
            ...(roles.partners ? { partners: roles.partners.map((partner) => partner.name) } : {}),
            ...(roles.mode ? { mode: roles.mode } : {}),
          },
        }
      : {}),
    ...(requested.length > 0
      ? { requested: { requests: new Set(requested.map((occ) => occ.request?.id)).size, occurrences: requested.length } }
      : {}),
  };
}

function byMostMissing(a: UnitCounts, b: UnitCounts): number {
  return b.counts.missing - a.counts.missing || b.counts.late - a.counts.late;
}

/**
 * Duties keep the order of `views` (the plan's order when they come from `getPlanStatus`); units
 * are sorted by Vietnamese name; a unit's reported values follow the duties, their occurrences
 * (by deadline) and the fields in the order the plan declares them.
 */
export function summarise(
  plan: SummaryPlanInfo,
  views: readonly SummaryDutyInput[],
  options: { asOf: string; groups?: readonly UnitGroupInfo[] },
): YearSummary {
  const asOfMs = Date.parse(options.asOf);
  if (Number.isNaN(asOfMs)) throw new RangeError(`asOf is not an ISO instant: ${options.asOf}`);
  const units = new UnitTable<UnitAccumulator>(() => ({ counts: emptyCounts(), values: [], attachments: [] }));
  // The twelve months from the first of the plan period: January to December of a calendar-year
  // plan, September to August of a school year starting in September.
  const periodStart = periodOfPlan(plan).from;
  const monthNames = periodMonths(periodStart);
  const months = monthNames.map(emptyCounts);
  const monthOf = (dueAt: string) => {
    // A deadline is 24:00 of its day: the day is the one before the instant's local midnight.
    const [year, month] = localDateOf(new Date(Date.parse(dueAt) - 1).toISOString(), plan.timeZone).split('-').map(Number);
    const index = monthIndexInPeriod(periodStart, year as number, month as number);
    return index >= 0 && index < months.length ? index : undefined;
  };
  const duties = views.map((view) => summariseDuty(view, asOfMs, { units, months, monthOf }));

  const counts = emptyCounts();
  for (const duty of duties) addCounts(counts, duty.counts);

  const unitDetails: UnitDetail[] = units.sorted().map(({ unitId, unitName, value }) => ({
    unitId,
    unitName,
    counts: value.counts,
    rates: ratesOf(value.counts),
    values: value.values,
    ...(value.attachments.length > 0 ? { attachments: value.attachments } : {}),
  }));
  // Array.prototype.sort is stable, so ties keep the name order above.
  const unitsMostOverdue: UnitCounts[] = unitDetails
    .filter((unit) => unit.counts.missing > 0)
    .map(({ unitId, unitName, counts: unitCounts, rates }) => ({ unitId, unitName, counts: unitCounts, rates }))
    .sort(byMostMissing);

  const byMonth: MonthCounts[] = months.map((monthCounts, i) => ({ ...(monthNames[i] as { year: number; month: number }), counts: monthCounts, rates: ratesOf(monthCounts) }));
  const byGroup: GroupCounts[] = (options.groups ?? []).map((group) => {
    const groupCounts = emptyCounts();
    const members = new Set(group.unitIds);
    for (const unit of unitDetails) if (members.has(unit.unitId)) addCounts(groupCounts, unit.counts);
    return { name: group.name, counts: groupCounts, rates: ratesOf(groupCounts) };
  });

  return {
    plan: { planId: plan.planId, year: plan.year, ...(plan.period ? { period: plan.period } : {}), title: plan.title, timeZone: plan.timeZone },
    asOf: new Date(asOfMs).toISOString(),
    totals: { duties: duties.length, counts, rates: ratesOf(counts) },
    duties,
    unitsMostOverdue,
    units: unitDetails,
    byMonth,
    byGroup,
  };
}
