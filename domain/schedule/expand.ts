/**
 * Plan → every concrete occurrence of the year: for each duty, each unit it is assigned to and each
 * period (or date, or anchor), the due instant, the reminder instants and the escalation instants,
 * all as ISO-UTC strings. Pure and deterministic: the same plan always gives the same output.
 *
 * Dates are computed once per duty and period and shared by every unit that has no override of its
 * own, which keeps a 100-unit × 50-duty plan well under a second.
 */
import {
  MissingCalendarYearError,
  calendarPeriods,
  endOfLocalDay,
  localDateTimeToUtc,
  reportingPeriods,
  type Period,
  type WorkingCalendar,
} from '../calendar';
import { formatShortDate } from '../calendar';
import { calendarYearsOf, workingCalendarOf } from '../plan/calendar-data';
import { escalationChain, groupUnitIds, mailedEscalationChain, reportsToMap, resolveAssignees } from '../plan/resolve';
import { hasNoDatesOfItsOwn } from '../plan/roles-check';
import type { DateRule, DutyCadence, DutyEventRule, PlanDuty, OnDayOff, PlanFile, PlanPhase } from '../plan/schema';
import { isInPeriod, periodText, planPeriodOf, yearsOfPeriod, type PlanPeriod } from '../plan/period';
import { RuleError, evaluateRule, placeDeadline, type LeadTime, type RuleContext } from './date-rules';
import type { MovedDeadline } from './moved-deadlines';
import { PlacementError } from './placement-error';
import { mailTimesFor, reminderInstant, type MailTimeContext } from './mail-times';
import { yearEndReportInstant } from './year-end-report-time';
import type { DutyInfo, EscalationStep, ExpandedPlan, MailPolicy, Occurrence, OnRequestRules, UnitInfo } from './types';
import { occurrenceKey } from '../keys/occurrence-keys';

export interface ExpandOptions {
  /** Local date 'YYYY-MM-DD': leave out occurrences due before it (e.g. a plan adopted mid-year). */
  from?: string;
  /** Receives every deadline whose rule named a day off, with what was done about it (`plan validate`). */
  movedDeadlines?: MovedDeadline[];
}

type Path = (string | number)[];

/** One period, date or anchor a duty falls in, before it is given to a unit. */
interface Slot {
  key: string;
  label: string;
  start: string;
  end: string;
  /** Reports cover a data window; dated duties and meetings only have a day. */
  isWindow: boolean;
  /** A phase of the plan: work in it is due by its last working day. */
  isPhase?: boolean;
  anchor?: string;
}

interface Timing {
  eventAt?: string;
  eventDate?: string;
  dueDate: string;
  dueAt: string;
  remindAt: string[];
  minutesRequestAt?: string;
  overdueAt: string;
  /** Instant of each escalation step of the duty's policy, in policy order. */
  escalationAt: { level: number; at: string }[];
}

/** Local day + time → UTC instant, memoised: thousands of occurrences share a few hundred days. */
class InstantCache {
  private readonly endOfDay = new Map<string, string>();
  private readonly atTime = new Map<string, string>();

  constructor(private readonly zone: string) {}

  end(date: string): string {
    let instant = this.endOfDay.get(date);
    if (instant === undefined) {
      instant = endOfLocalDay(date, this.zone);
      this.endOfDay.set(date, instant);
    }
    return instant;
  }

  at(date: string, time: string): string {
    const key = `${date}T${time}`;
    let instant = this.atTime.get(key);
    if (instant === undefined) {
      instant = localDateTimeToUtc(date, time, this.zone);
      this.atTime.set(key, instant);
    }
    return instant;
  }
}

interface Policy {
  dutyId: string;
  /** The duty's (or plan's) choice for a deadline on a day off, when it makes one. */
  onDayOff?: OnDayOff | undefined;
  mail: MailPolicy;
  remindersPath: Path;
  escalationPath: Path;
}

function mailPolicyOf(plan: PlanFile, duty: PlanDuty): MailPolicy {
  const reminders = duty.reminders ?? plan.settings.reminders;
  return {
    notifyTime: plan.settings.notifyTime,
    reminders: { daysBefore: [...reminders.daysBefore], relativeTo: reminders.relativeTo },
    escalation: (duty.escalation ?? plan.settings.escalation).map((step) => ({ level: step.level, afterWorkingDays: step.afterWorkingDays })),
  };
}

interface Expansion {
  plan: PlanFile;
  calendar: WorkingCalendar;
  instants: InstantCache;
  leadTime: LeadTime;
  /** Per unit, who each escalation level mails (see `mailedEscalationChain`). */
  chains: Map<string, (string | undefined)[]>;
  /** Occurrences already expanded, per duty, for duties that others hang on. */
  byDuty: Map<string, { occurrence: Occurrence; anchorDate: string }[]>;
  firstWorkingDay: string;
  period: PlanPeriod;
  movedDeadlines?: MovedDeadline[];
}

/**
 * A report opens with its data window, minutes with their meeting. A dated document (a unit's own
 * plan, a posting) has no period to wait for: it may be filed early, e.g. next year's plan in December.
 */
function openingOf(expansion: Expansion, slot: Slot, timing: Timing): { opensAt?: string } {
  if (slot.isWindow) return { opensAt: expansion.instants.at(slot.start, '00:00') };
  return timing.eventAt === undefined ? {} : { opensAt: timing.eventAt };
}

export function expandPlan(plan: PlanFile, options: ExpandOptions = {}): ExpandedPlan {
  const reportsTo = reportsToMap(plan);
  const calendar = workingCalendarOf(plan);
  const period = planPeriodOf(plan);
  const unitsWithoutEmail = new Set(plan.units.filter((unit) => unit.emails.length === 0).map((unit) => unit.id));
  const expansion: Expansion = {
    plan,
    calendar,
    period,
    ...(options.movedDeadlines === undefined ? {} : { movedDeadlines: options.movedDeadlines }),
    firstWorkingDay: firstWorkingDayOf(calendar, period.from),
    instants: new InstantCache(plan.plan.timeZone),
    leadTime: plan.settings.leadTime,
    chains: new Map(
      plan.units.map((unit) => [
        unit.id,
        mailedEscalationChain(escalationChain(reportsTo, unit.id), unit.id, unitsWithoutEmail, plan.plan.supervisor),
      ]),
    ),
    byDuty: new Map(),
  };

  const duties: DutyInfo[] = plan.duties.map((duty) => ({
    id: duty.id,
    title: duty.title,
    kind: duty.kind,
    source: duty.source,
    legalBasis: duty.legalBasis,
    unitIds: resolveAssignees(plan, duty.assignees),
    fields: duty.fields.map((field) => ({ ...field })),
    mailPolicy: mailPolicyOf(plan, duty),
    ...rolesOf(expansion, duty),
  }));

  const occurrences: Occurrence[] = [];
  for (const index of anchorsFirst(plan)) {
    const duty = plan.duties[index] as PlanDuty;
    const unitIds = (duties[index] as DutyInfo).unitIds;
    if (hasNoDatesOfItsOwn(duty)) continue;
    occurrences.push(...expandDuty(expansion, duty, index, unitIds));
  }

  const fromInstant = options.from === undefined ? undefined : expansion.instants.at(options.from, '00:00');
  const kept = fromInstant === undefined ? occurrences : occurrences.filter((o) => o.dueAt >= fromInstant);
  kept.sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const units: UnitInfo[] = plan.units.map((unit) => ({
    id: unit.id,
    name: unit.name,
    kind: unit.kind,
    emails: [...unit.emails],
    ...(unit.reportsTo === undefined ? {} : { reportsTo: unit.reportsTo }),
  }));

  return {
    planId: plan.plan.id,
    year: plan.plan.year,
    period: { from: period.from, to: period.to },
    timeZone: plan.plan.timeZone,
    title: plan.plan.title,
    supervisorUnitId: plan.plan.supervisor,
    calendar: calendarYearsOf(plan),
    units,
    duties,
    occurrences: kept,
    yearEndReport: {
      at: yearEndReportInstant(plan, calendar),
      document: plan.plan,
      groups: plan.groups.map((group) => ({ name: group.name, unitIds: groupUnitIds(plan, group) })),
    },
  };
}

/** Partner units, the report's recipient and the mode of duties without dates: only what the plan uses. */
function rolesOf(expansion: Expansion, duty: PlanDuty): Partial<DutyInfo> {
  const { plan } = expansion;
  const partnerUnitIds = resolveAssignees(plan, duty.partners);
  const roles: Partial<DutyInfo> = {
    ...(partnerUnitIds.length > 0 ? { partnerUnitIds } : {}),
    ...(duty.reportTo === undefined ? {} : { reportTo: duty.reportTo }),
  };
  if (duty.cadence.every === 'ongoing') return { ...roles, mode: 'ongoing' };
  if (duty.cadence.every !== 'on-request') return roles;
  const escalationChains: OnRequestRules['escalationChains'] = {};
  const unitNames: OnRequestRules['unitNames'] = {};
  for (const unitId of resolveAssignees(plan, duty.assignees)) {
    escalationChains[unitId] = (expansion.chains.get(unitId) ?? []).map((recipient) => recipient ?? null);
    unitNames[unitId] = plan.units.find((unit) => unit.id === unitId)?.name ?? unitId;
  }
  const groups: OnRequestRules['groups'] = {};
  for (const group of plan.groups.filter((candidate) => duty.assignees.includes(candidate.id))) {
    groups[group.id] = { name: group.name, unitIds: resolveAssignees(plan, [group.id]) };
  }
  return { ...roles, mode: 'on-request', request: { deadlineWorkingDays: duty.cadence.deadlineWorkingDays, escalationChains, unitNames, groups } };
}

function firstWorkingDayOf(calendar: WorkingCalendar, from: string): string {
  try {
    return calendar.rollForwardToWorkingDay(from);
  } catch (error) {
    if (error instanceof MissingCalendarYearError) throw new PlacementError(error.message, ['calendars']);
    throw error;
  }
}

/** Duty indexes ordered so that a duty hanging on another comes after it (cycles were rejected earlier). */
function anchorsFirst(plan: PlanFile): number[] {
  const indexById = new Map(plan.duties.map((duty, index) => [duty.id, index]));
  const order: number[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (index: number): void => {
    if (state.get(index) !== undefined) return;
    state.set(index, 'visiting');
    const duty = plan.duties[index] as PlanDuty;
    if (duty.cadence.every === 'relative' && 'duty' in duty.cadence.to) {
      const anchorIndex = indexById.get(duty.cadence.to.duty);
      if (anchorIndex === undefined) {
        throw new PlacementError(`nhiệm vụ làm mốc "${duty.cadence.to.duty}" không tồn tại`, ['duties', index, 'cadence', 'to', 'duty']);
      }
      if (state.get(anchorIndex) === 'visiting') {
        throw new PlacementError('các nhiệm vụ gắn mốc vòng tròn', ['duties', index, 'cadence', 'to', 'duty']);
      }
      visit(anchorIndex);
    }
    state.set(index, 'done');
    order.push(index);
  };
  plan.duties.forEach((_, index) => visit(index));
  return order;
}

function periodicSlots(expansion: Expansion, duty: PlanDuty, dutyIndex: number): Slot[] | undefined {
  const { cadence } = duty;
  if (cadence.every === 'phase') return phaseSlots(expansion.plan, cadence.only);
  if (cadence.every === 'once' || cadence.every === 'dates' || cadence.every === 'relative') return undefined;
  if (cadence.every === 'on-request' || cadence.every === 'ongoing') return [];
  const periods = cadencePeriods(expansion.period, cadence);
  const selected = cadence.only === undefined ? periods : selectPeriods(expansion.period, periods, cadence.only, duty, dutyIndex);
  return selected.map((period) => ({ key: period.key, label: period.label, start: period.start, end: period.end, isWindow: true }));
}

/** The periods of a cadence that belong to the plan: those whose last day lies in the plan period. */
function cadencePeriods(planPeriod: PlanPeriod, cadence: Extract<DutyCadence, { periods: unknown }>): Period[] {
  return yearsOfPeriod(planPeriod)
    .flatMap((year) =>
      cadence.periods === 'reporting'
        ? reportingPeriods(year, cadence.every, { ...(cadence.cutOffDay === undefined ? {} : { cutOffDay: cadence.cutOffDay }) })
        : calendarPeriods(year, cadence.every),
    )
    .filter((period) => isInPeriod(planPeriod, period.end));
}

/** One slot per phase: its window is the phase, its label the phase's name and days. */
function phaseSlots(plan: PlanFile, only: string[] | undefined): Slot[] {
  const phases = only === undefined ? plan.phases : plan.phases.filter((phase) => only.includes(phase.id));
  return phases.map((phase) => ({
    key: `${plan.plan.year}-${phase.id}`,
    label: phaseLabel(phase),
    start: phase.from,
    end: phase.to,
    isWindow: true,
    isPhase: true,
  }));
}

/** For people: "Giai đoạn 1: Tuyên truyền (01/11/2026–31/12/2026)". */
export function phaseLabel(phase: PlanPhase): string {
  return `${phase.name} (${periodText(phase)})`;
}

/**
 * `only` names periods by the part of the key after the year ("03", "Q4"), or with the year
 * ("2027-03") when the plan period crosses a year boundary and the bare name would be ambiguous.
 * A name of no period in the plan period is an error that lists the ones there are.
 */
function selectPeriods(planPeriod: PlanPeriod, periods: Period[], only: string[], duty: PlanDuty, dutyIndex: number): Period[] {
  const suffixOf = (period: Period): string => period.key.slice(period.key.indexOf('-') + 1);
  const single = yearsOfPeriod(planPeriod).length === 1;
  const available = periods.map((period) => (single ? suffixOf(period) : period.key));
  return only.map((name, index) => {
    const path = ['duties', dutyIndex, 'cadence', 'only', index];
    const matches = periods.filter((period) => period.key === name || suffixOf(period) === name);
    if (matches.length > 1) {
      throw new PlacementError(
        `kỳ "${name}" có ở cả hai năm của thời gian kế hoạch (${periodText(planPeriod)}); ghi kèm năm: ${matches.map((period) => `"${period.key}"`).join(' hoặc ')}`,
        path,
      );
    }
    const period = matches[0];
    if (period === undefined) {
      throw new PlacementError(
        `chu kỳ "${duty.cadence.every}" không có kỳ "${name}"${single ? '' : ` trong thời gian kế hoạch (${periodText(planPeriod)})`}; ` +
          `các kỳ có: ${available.join(', ')}`,
        path,
      );
    }
    return period;
  });
}

function datedSlot(date: string, anchor?: string, key = date, label = `ngày ${formatShortDate(date)}`): Slot {
  return { key, label, start: date, end: date, isWindow: false, ...(anchor === undefined ? {} : { anchor }) };
}

/** The slots of one unit: the same for every unit except when hanging on another duty's occurrences. */
function slotsFor(expansion: Expansion, duty: PlanDuty, unitId: string, shared: Slot[] | undefined): Slot[] {
  if (shared !== undefined) return shared;
  const { cadence } = duty;
  if (cadence.every === 'once') return [datedSlot(cadence.date)];
  if (cadence.every === 'dates') return cadence.dates.map((date) => datedSlot(date));
  if (cadence.every !== 'relative') return [];
  const target = cadence.to;
  if ('event' in target) {
    const event = expansion.plan.events.find((candidate) => candidate.id === target.event);
    return (event?.dates ?? []).map((date) => datedSlot(date, date, date, `${event?.name ?? ''} ngày ${formatShortDate(date)}`));
  }
  return (expansion.byDuty.get(target.duty) ?? [])
    .filter(({ occurrence }) => occurrence.unitId === unitId)
    .map(({ occurrence, anchorDate }) => datedSlot(anchorDate, anchorDate, occurrence.periodKey, occurrence.periodLabel));
}

function expandDuty(expansion: Expansion, duty: PlanDuty, dutyIndex: number, unitIds: string[]): Occurrence[] {
  const path: Path = ['duties', dutyIndex];
  const shared = periodicSlots(expansion, duty, dutyIndex) ?? (duty.cadence.every === 'relative' && 'duty' in duty.cadence.to ? undefined : slotsFor(expansion, duty, '', undefined));
  rejectSameDayEveryPeriod(duty, shared, path);
  rejectDatesOutsidePeriod(expansion, duty, shared, path);

  const policy: Policy = {
    dutyId: duty.id,
    mail: mailPolicyOf(expansion.plan, duty),
    remindersPath: duty.reminders ? [...path, 'reminders'] : ['settings', 'reminders'],
    escalationPath: duty.escalation ? [...path, 'escalation'] : ['settings', 'escalation'],
  };
  const timings = new Map<string, Timing>();
  const anchored: { occurrence: Occurrence; anchorDate: string }[] = [];
  const occurrences: Occurrence[] = [];

  for (const unitId of unitIds) {
    const overrideIndex = duty.perUnit.findIndex((override) => override.unit === unitId);
    const override = overrideIndex === -1 ? undefined : duty.perUnit[overrideIndex];
    const event = override?.event ?? duty.event;
    const deadline = override?.deadline ?? duty.deadline;
    const rulePath: Path = override === undefined ? path : [...path, 'perUnit', overrideIndex];
    const chain = expansion.chains.get(unitId) ?? [];

    for (const slot of slotsFor(expansion, duty, unitId, shared)) {
      const timingKey = `${overrideIndex}|${slot.key}|${slot.anchor ?? ''}`;
      let timing = timings.get(timingKey);
      if (timing === undefined) {
        timing = computeTiming(expansion, slot, event, deadline, { ...policy, onDayOff: duty.onDayOff ?? expansion.plan.settings.onDayOff }, rulePath, override === undefined ? undefined : unitId);
        timings.set(timingKey, timing);
      }
      const escalations: EscalationStep[] = [];
      for (const step of timing.escalationAt) {
        const notifyUnitId = chain[step.level - 1];
        if (notifyUnitId !== undefined) escalations.push({ level: step.level, at: step.at, notifyUnitId });
      }
      const occurrence: Occurrence = {
        key: occurrenceKey(duty.id, unitId, slot.key),
        dutyId: duty.id,
        unitId,
        periodKey: slot.key,
        periodLabel: withPhase(expansion.plan, slot, timing),
        ...(slot.isWindow ? { periodStart: slot.start, periodEnd: slot.end } : {}),
        ...(timing.eventAt === undefined ? {} : { eventAt: timing.eventAt }),
        ...(timing.eventAt === undefined || event === undefined ? {} : eventDetails(timing.eventAt, event)),
        dueAt: timing.dueAt,
        ...openingOf(expansion, slot, timing),
        remindAt: [...timing.remindAt],
        ...(timing.minutesRequestAt === undefined ? {} : { minutesRequestAt: timing.minutesRequestAt }),
        overdueAt: timing.overdueAt,
        escalations,
      };
      occurrences.push(occurrence);
      anchored.push({ occurrence, anchorDate: timing.eventDate ?? timing.dueDate });
    }
  }
  expansion.byDuty.set(duty.id, anchored);
  return occurrences;
}

function eventDetails(eventAt: string, event: DutyEventRule): Pick<Occurrence, 'eventEndAt' | 'place'> {
  return {
    eventEndAt: new Date(Date.parse(eventAt) + event.durationMinutes * 60_000).toISOString(),
    ...(event.place === undefined ? {} : { place: event.place }),
  };
}

/** A written date outside the plan period is an error, never moved into it (cross-check says where first). */
function rejectDatesOutsidePeriod(expansion: Expansion, duty: PlanDuty, slots: Slot[] | undefined, path: Path): void {
  const outside = (slots ?? []).find((slot) => !slot.isWindow && !isInPeriod(expansion.period, slot.start));
  if (outside === undefined) return;
  throw new PlacementError(
    `nhiệm vụ "${duty.id}": ngày ${formatShortDate(outside.start)} nằm ngoài thời gian kế hoạch (${periodText(expansion.period)})`,
    [...path, 'cadence'],
  );
}

function rejectSameDayEveryPeriod(duty: PlanDuty, slots: Slot[] | undefined, path: Path): void {
  if (slots === undefined || slots.length < 2 || duty.cadence.every === 'dates' || duty.cadence.every === 'phase') return;
  const rules: [DateRule | undefined, Path][] = [
    [duty.deadline, [...path, 'deadline']],
    [duty.event?.on, [...path, 'event', 'on']],
  ];
  for (const [rule, rulePath] of rules) {
    if (rule?.rule === 'fixedDate') {
      throw new PlacementError(
        `ngày cố định ${rule.date} cho mọi kỳ cùng một ngày, nên không xếp được nhiệm vụ lặp lại "${duty.cadence.every}"; ` +
          'dùng quy tắc tính theo kỳ (ví dụ workingDaysAfter từ periodEnd) hoặc chu kỳ "yearly"',
        [...rulePath, 'rule'],
      );
    }
  }
}

function computeTiming(
  expansion: Expansion,
  slot: Slot,
  event: DutyEventRule | undefined,
  deadline: DateRule | undefined,
  policy: Policy,
  rulePath: Path,
  unitId: string | undefined,
): Timing {
  const { calendar, instants, leadTime, plan } = expansion;
  const where = `nhiệm vụ "${policy.dutyId}", ${slot.label}`;
  const context: RuleContext = {
    period: expansion.period,
    periodStart: slot.start,
    periodEnd: slot.end,
    ...(slot.anchor === undefined ? {} : { anchor: slot.anchor }),
  };

  let eventDate: string | undefined;
  if (event !== undefined) {
    eventDate = placed([...rulePath, 'event'], where, () =>
      event.on === undefined ? slot.start : evaluateRule(event.on, context, calendar, leadTime),
    );
    context.event = eventDate;
  }
  if (eventDate !== undefined) rejectBeforePeriod(expansion.period, eventDate, 'ngày họp', [...rulePath, 'event'], where);
  const placement = placed([...rulePath, 'deadline'], where, () => {
    const nominal = deadline === undefined ? slot.end : evaluateRule(deadline, context, calendar, leadTime);
    rejectBeforePeriod(expansion.period, nominal, 'hạn chót', [...rulePath, 'deadline'], where);
    return placeDeadline(nominal, deadline, policy.onDayOff, calendar, slot.isPhase === true);
  });
  rejectBeforePeriod(expansion.period, placement.date, 'hạn chót', [...rulePath, 'deadline'], where);
  const dueDate = placement.date;
  if (placement.applied !== undefined) {
    expansion.movedDeadlines?.push({ dutyId: policy.dutyId, periodLabel: slot.label, ...(unitId === undefined ? {} : { unitId }), path: [...rulePath, 'deadline'], ...placement, applied: placement.applied });
  }
  const dueAt = instants.end(dueDate);

  const eventAt = eventDate === undefined || event === undefined ? undefined : instants.at(eventDate, event.time);
  const target = { dueDate, ...(eventDate === undefined || eventAt === undefined ? {} : { eventDate, eventAt }) };
  const mailContext: MailTimeContext = { calendar, at: (date, time) => instants.at(date, time), firstWorkingDay: expansion.firstWorkingDay };
  policy.mail.reminders.daysBefore.forEach((days, index) => {
    const at = placed([...policy.remindersPath, 'daysBefore', index], where, () => reminderInstant(mailContext, policy.mail, target, days));
    if (at >= dueAt) {
      throw new PlacementError(
        `${where}: lời nhắc ${days} ngày trước ${policy.mail.reminders.relativeTo === 'event' ? 'cuộc họp' : 'hạn'} rơi vào sau hạn chót ` +
          `(hạn ${formatShortDate(dueDate)}); lời nhắc phải trước hạn chót`,
        [...policy.remindersPath, 'daysBefore', index],
      );
    }
  });
  const times = placed(policy.escalationPath, where, () => mailTimesFor(mailContext, policy.mail, target, plan.plan.timeZone));

  return {
    ...(eventDate === undefined || eventAt === undefined ? {} : { eventDate, eventAt }),
    dueDate,
    dueAt,
    ...times,
  };
}

/**
 * A date computed before the plan period starts is an error in its own words, rather than a missing
 * calendar of the year before or a reminder "after the deadline" (reminders never go out before the
 * plan starts).
 */
function rejectBeforePeriod(period: PlanPeriod, date: string, what: string, path: Path, where: string): void {
  if (date >= period.from) return;
  throw new PlacementError(
    `${where}: ${what} tính được là ${formatShortDate(date)}, trước khi thời gian kế hoạch bắt đầu (${periodText(period)}); ` +
      `${what} phải nằm trong hoặc sau thời gian kế hoạch: sửa quy tắc ngày hoặc ngày của nhiệm vụ`,
    path,
  );
}

/**
 * In a plan with phases, an occurrence that is not itself a phase names the phase its work falls in
 * (its meeting day, else its deadline day), so mail, status and the report say which phase it
 * belongs to: "tháng 2/2027 – Giai đoạn 2: Cao điểm Tết Nguyên đán".
 */
function withPhase(plan: PlanFile, slot: Slot, timing: Timing): string {
  if (slot.isPhase === true) return slot.label;
  const day = timing.eventDate ?? timing.dueDate;
  const phase = plan.phases.find((candidate) => candidate.from <= day && day <= candidate.to);
  if (phase === undefined || slot.label.includes(phase.name)) return slot.label;
  return `${slot.label} – ${phase.name}`;
}

/** Runs one date computation, turning calendar and rule failures into a located PlacementError. */
function placed<T>(path: Path, where: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof MissingCalendarYearError || error instanceof RuleError) {
      throw new PlacementError(`${where}: ${error.message}`, path);
    }
    throw error;
  }
}
