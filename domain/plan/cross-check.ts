/**
 * Checks that need the whole plan: ids that must be unique or must exist, escalation chains without
 * cycles, dates that must be real in the plan year, rules that need an event or an anchor, reminder
 * and escalation policies that make sense, and the calendar data of the plan year.
 */
import { IANAZone } from 'luxon';
import { CalendarDataError } from '../calendar';
import { workingCalendarOf } from './calendar-data';
import { isLeapYear } from '../calendar/local-date';
import type { UnlocatedProblem } from './problems';
import { resolveAssignees, groupUnitIds } from './resolve';
import type { DateRule, PlanDuty, PlanFile } from './schema';
import { fieldDefinitionProblems } from '../report-fields/definition';
import { canonicalText } from '../report-fields/text';
import { didYouMean } from './suggest';
import { isCalendarYear, isInPeriod, latestPeriodEnd, periodText, planPeriodOf, yearsOfPeriod } from './period';
import { checkDutyRoles, checkSupervisorMail, hasNoDatesOfItsOwn } from './roles-check';

type Path = (string | number)[];

export interface CrossCheckOptions {
  /** False when `plan.year` itself failed the schema: nothing is then checked against it. */
  yearIsValid?: boolean;
  /**
   * The plan failed the schema and was patched together for these checks: conclusions drawn from
   * what is missing (a group that matches no unit, because a unit's kind was misspelt) are left out.
   */
  lenient?: boolean;
}

export function crossCheckPlan(plan: PlanFile, options: CrossCheckOptions = {}): UnlocatedProblem[] {
  const problems: UnlocatedProblem[] = [];
  const report = (path: Path, message: string, atKey = false): void => {
    problems.push({ path, message, atKey });
  };

  // On a plan patched together after schema errors, a part the schema already reported may be
  // missing; each check then gives up alone instead of taking every other check with it.
  const run = (check: () => void): void => {
    if (options.lenient !== true) return check();
    try {
      check();
    } catch {
      // Reported by the schema.
    }
  };
  // A mistyped year would make every date "outside the plan year" and the calendar "missing":
  // one problem at plan.year says it, and the checks against the year are skipped.
  let yearTrusted = options.yearIsValid ?? true;
  run(() => {
    yearTrusted = yearTrusted && checkPlanYear(plan, report);
  });
  run(() => checkUniqueIds(plan, report));
  run(() => checkUnits(plan, report));
  run(() => checkGroups(plan, report, options.lenient === true));
  run(() => checkPlanMeta(plan, report));
  run(() => {
    yearTrusted = yearTrusted && checkPlanPeriod(plan, report);
  });
  if (yearTrusted) run(() => checkPhases(plan, report));
  run(() => checkSupervisorMail(plan, report));
  if (yearTrusted) run(() => checkEvents(plan, report));
  plan.duties.forEach((duty, index) => run(() => checkDuty(plan, duty, ['duties', index], report, yearTrusted)));
  plan.duties.forEach((duty, index) => run(() => checkDutyRoles(plan, duty, ['duties', index], report)));
  run(() => checkRelativeCycles(plan, report));
  run(() => checkEscalationPolicy(plan.settings.escalation, ['settings', 'escalation'], report));
  if (yearTrusted) run(() => checkYearEndReportDate(plan, report));
  run(() => checkCalendars(plan, report, yearTrusted));
  return problems;
}

type Report = (path: Path, message: string, atKey?: boolean) => void;

/** Dates the plan file spells out (not computed by rules): they say which year the file is about. */
function writtenDates(plan: PlanFile): string[] {
  const dates = plan.events.flatMap((event) => event.dates);
  for (const duty of plan.duties) {
    // Optional chaining: the lenient check runs this on plans that failed the schema.
    if (duty.cadence?.every === 'once') dates.push(duty.cadence.date);
    if (duty.cadence?.every === 'dates') dates.push(...duty.cadence.dates);
  }
  return dates.filter((date) => typeof date === 'string' && /^\d{4}-/.test(date));
}

/** False (after reporting once) when `plan.year` disagrees with the calendars and the dates of the file. */
function checkPlanYear(plan: PlanFile, report: Report): boolean {
  const { year } = plan.plan;
  const calendarYears = new Set(plan.calendars.map((calendar) => calendar.year));
  const dateYears = writtenDates(plan).map((date) => Number(date.slice(0, 4)));
  const periodYears = plan.plan.period === undefined ? [year] : yearsOfPeriod(planPeriodOf(plan));
  const inPlanYear = dateYears.filter((dateYear) => periodYears.includes(dateYear)).length;
  // Only the dates written in the file are evidence enough to blame the year rather than the calendar.
  if (dateYears.length === 0 || inPlanYear > 0) return true;
  const votes = new Map<number, number>();
  for (const dateYear of dateYears) votes.set(dateYear, (votes.get(dateYear) ?? 0) + 1);
  const likely = [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
  if (likely === undefined || !calendarYears.has(likely)) return true;
  const evidence = `lịch làm việc và ${votes.get(likely) ?? 0}/${dateYears.length} ngày ghi trong tệp`;
  report(
    ['plan', 'year'],
    `năm kế hoạch ${year} không khớp với phần còn lại của tệp: ${evidence} thuộc năm ${likely}. ` +
      `Nếu đây là kế hoạch năm ${likely}, sửa thành "year: ${likely}"; nếu đúng là năm ${year}, hãy tạo tệp bằng lệnh ` +
      `"plan new --year ${year}" để dời các ngày và thêm lịch năm ${year}. Các ngày chưa được kiểm tra theo năm kế hoạch.`,
  );
  return false;
}

/** Two units a person cannot tell apart on paper: same text once normalised and trimmed. */
function checkUnitNames(plan: PlanFile, report: Report): void {
  const seen = new Map<string, number>();
  plan.units.forEach((unit, index) => {
    if (typeof unit.name !== 'string') return;
    const visible = canonicalText(unit.name).replace(/\s+/g, ' ');
    const first = seen.get(visible);
    if (first === undefined) {
      seen.set(visible, index);
      return;
    }
    const other = plan.units[first];
    report(
      ['units', index, 'name'],
      `tên đơn vị "${visible}" trùng với tên đơn vị thứ ${first + 1} ("${other?.id ?? ''}"): người nhận thư không phân biệt được hai đơn vị; ` +
        'đặt tên khác cho một trong hai (ví dụ thêm số hoặc địa danh)',
    );
  });
}

function checkUniqueIds(plan: PlanFile, report: Report): void {
  const unitIds = new Map<string, number>();
  plan.units.forEach((unit, index) => {
    const first = unitIds.get(unit.id);
    if (first !== undefined) {
      report(['units', index, 'id'], `mã đơn vị "${unit.id}" bị trùng với đơn vị thứ ${first + 1} trong danh sách`);
    } else unitIds.set(unit.id, index);
  });
  const groupIds = new Set<string>();
  plan.groups.forEach((group, index) => {
    if (unitIds.has(group.id)) {
      report(['groups', index, 'id'], `mã nhóm "${group.id}" trùng với mã một đơn vị; nhóm và đơn vị phải có mã khác nhau`);
    } else if (groupIds.has(group.id)) {
      report(['groups', index, 'id'], `mã nhóm "${group.id}" bị trùng`);
    }
    groupIds.add(group.id);
  });
  reportDuplicates(plan.duties.map((duty) => duty.id), 'duties', 'mã nhiệm vụ', report);
  reportDuplicates(plan.events.map((event) => event.id), 'events', 'mã sự kiện', report);
  checkUnitNames(plan, report);
}

function reportDuplicates(ids: string[], listName: string, what: string, report: Report): void {
  const seen = new Set<string>();
  ids.forEach((id, index) => {
    if (seen.has(id)) report([listName, index, 'id'], `${what} "${id}" bị trùng`);
    seen.add(id);
  });
}

function checkUnits(plan: PlanFile, report: Report): void {
  const unitIds = new Set(plan.units.map((unit) => unit.id));
  const reportsTo = new Map(plan.units.map((unit) => [unit.id, unit.reportsTo]));
  const inReportedCycle = new Set<string>();
  plan.units.forEach((unit, index) => {
    if (unit.reportsTo === undefined) return;
    if (unit.reportsTo === unit.id) {
      report(['units', index, 'reportsTo'], `đơn vị "${unit.id}" không thể báo cáo cho chính mình`);
      inReportedCycle.add(unit.id);
      return;
    }
    if (!unitIds.has(unit.reportsTo)) {
      report(
        ['units', index, 'reportsTo'],
        `đơn vị cấp trên "${unit.reportsTo}" không có trong danh sách đơn vị.${didYouMean(unit.reportsTo, unitIds)}`,
      );
      return;
    }
    const walk = [unit.id];
    let next: string | undefined = unit.reportsTo;
    while (next !== undefined && !walk.includes(next)) {
      walk.push(next);
      next = reportsTo.get(next);
    }
    if (next !== undefined && next === unit.id && !inReportedCycle.has(unit.id)) {
      walk.forEach((id) => inReportedCycle.add(id));
      report(
        ['units', index, 'reportsTo'],
        `chuỗi cấp trên bị vòng lặp: ${[...walk, unit.id].join(' → ')}; mỗi chuỗi phải dừng ở một đơn vị không có cấp trên`,
      );
    }
  });
}

function checkGroups(plan: PlanFile, report: Report, lenient: boolean): void {
  const unitIds = new Set(plan.units.map((unit) => unit.id));
  plan.groups.forEach((group, index) => {
    group.members.forEach((member, memberIndex) => {
      if (!unitIds.has(member)) {
        report(
          ['groups', index, 'members', memberIndex],
          `thành viên "${member}" không có trong danh sách đơn vị.${didYouMean(member, unitIds)}`,
        );
      }
    });
    if (group.members.length === 0 && group.unitKinds.length === 0) {
      report(['groups', index], `nhóm "${group.id}" cần "members" (danh sách mã đơn vị) hoặc "unitKinds" (loại đơn vị)`);
    } else if (!lenient && groupUnitIds(plan, group).length === 0) {
      report(['groups', index], `nhóm "${group.id}" không có đơn vị nào`);
    }
  });
}

function checkPlanMeta(plan: PlanFile, report: Report): void {
  const unitIds = new Set(plan.units.map((unit) => unit.id));
  if (!unitIds.has(plan.plan.supervisor)) {
    report(
      ['plan', 'supervisor'],
      `cơ quan thường trực "${plan.plan.supervisor}" không có trong danh sách đơn vị.${didYouMean(plan.plan.supervisor, unitIds)}`,
    );
  }
  if (plan.plan.signer.unit !== undefined && !unitIds.has(plan.plan.signer.unit)) {
    report(
      ['plan', 'signer', 'unit'],
      `đơn vị của người ký "${plan.plan.signer.unit}" không có trong danh sách đơn vị.${didYouMean(plan.plan.signer.unit, unitIds)}`,
    );
  }
  if (!IANAZone.isValidZone(plan.plan.timeZone)) {
    report(['plan', 'timeZone'], `múi giờ "${plan.plan.timeZone}" không tồn tại; dùng "Asia/Ho_Chi_Minh"`);
  }
}

function checkEvents(plan: PlanFile, report: Report): void {
  plan.events.forEach((event, index) => {
    event.dates.forEach((date, dateIndex) => {
      checkInPlanYear(plan, date, ['events', index, 'dates', dateIndex], report);
    });
  });
}

/** The automatic year-end report belongs to its year: it accounts for it and is sent while it runs. */
function checkYearEndReportDate(plan: PlanFile, report: Report): void {
  const date = plan.settings.yearEndReportDate;
  if (date === undefined) return;
  const period = planPeriodOf(plan);
  if (!isCalendarYear(period)) {
    if (!isInPeriod(period, date)) {
      report(
        ['settings', 'yearEndReportDate'],
        `ngày gửi báo cáo tổng kết ${date} nằm ngoài thời gian kế hoạch ${periodText(period)}; hãy chọn một ngày trong thời gian đó, ` +
          `hoặc bỏ dòng này để gửi vào ngày làm việc cuối cùng của kế hoạch`,
      );
    }
    return;
  }
  if (!date.startsWith(`${plan.plan.year}-`)) {
    report(
      ['settings', 'yearEndReportDate'],
      `ngày gửi báo cáo tổng kết năm ${date} không thuộc năm kế hoạch ${plan.plan.year}; hãy chọn một ngày trong năm ${plan.plan.year}, ` +
        `ví dụ ${plan.plan.year}-12-15, hoặc bỏ dòng này để dùng ngày làm việc đầu tiên sau ngày chốt số liệu năm`,
    );
  }
}

function checkInPlanYear(plan: PlanFile, date: string, path: Path, report: Report): void {
  const period = planPeriodOf(plan);
  if (isInPeriod(period, date)) return;
  report(
    path,
    isCalendarYear(period)
      ? `ngày ${date} không thuộc năm kế hoạch ${plan.plan.year}`
      : `ngày ${date} nằm ngoài thời gian kế hoạch (${periodText(period)}); ngày ngoài thời gian kế hoạch không được dời vào trong`,
  );
}

/** False (after reporting) when the period cannot be trusted: its dates are then not checked against it. */
function checkPlanPeriod(plan: PlanFile, report: Report): boolean {
  const { period, year } = plan.plan;
  if (period === undefined) return true;
  let ok = true;
  if (!period.from.startsWith(`${year}-`)) {
    report(
      ['plan', 'period', 'from'],
      `thời gian kế hoạch phải bắt đầu trong năm kế hoạch ${year} (year là năm bắt đầu, ví dụ năm học 2026–2027 ghi year: 2026); ` +
        `ngày bắt đầu ${period.from} thuộc năm ${period.from.slice(0, 4)}`,
    );
    ok = false;
  }
  if (period.to < period.from) {
    report(['plan', 'period', 'to'], `ngày kết thúc ${period.to} trước ngày bắt đầu ${period.from}`);
    ok = false;
  } else if (period.to > latestPeriodEnd(period.from)) {
    report(
      ['plan', 'period', 'to'],
      `thời gian kế hoạch dài quá 12 tháng (${periodText(period)}); ngày kết thúc muộn nhất là ${latestPeriodEnd(period.from)}. ` +
        'Việc kéo dài hơn thì lập kế hoạch riêng cho kỳ sau',
    );
    ok = false;
  }
  return ok;
}

/** Phases lie in the plan period, in order, without overlapping; ids are unique. */
function checkPhases(plan: PlanFile, report: Report): void {
  const period = planPeriodOf(plan);
  const ids = new Set<string>();
  plan.phases.forEach((phase, index) => {
    const path: Path = ['phases', index];
    if (ids.has(phase.id)) report([...path, 'id'], `mã giai đoạn "${phase.id}" bị trùng`);
    ids.add(phase.id);
    if (phase.to < phase.from) {
      report([...path, 'to'], `giai đoạn "${phase.id}" kết thúc (${phase.to}) trước khi bắt đầu (${phase.from})`);
      return;
    }
    for (const end of ['from', 'to'] as const) {
      if (!isInPeriod(period, phase[end])) {
        report([...path, end], `ngày ${phase[end]} của giai đoạn "${phase.id}" nằm ngoài thời gian kế hoạch (${periodText(period)})`);
      }
    }
    const previous = plan.phases[index - 1];
    if (previous !== undefined && previous.to >= phase.from) {
      report(
        [...path, 'from'],
        `giai đoạn "${phase.id}" bắt đầu ${phase.from}, không sau ngày kết thúc ${previous.to} của giai đoạn trước "${previous.id}"; ` +
          'các giai đoạn phải xếp theo thứ tự thời gian và không chồng lên nhau',
      );
    }
  });
}

/** A duty "during each phase" is due by the phase's end; one "after each phase" needs a deadline after it. */
function checkPhaseCadence(plan: PlanFile, duty: PlanDuty, path: Path, report: Report): void {
  if (duty.cadence.every !== 'phase') return;
  const { when, only } = duty.cadence;
  const phaseIds = plan.phases.map((phase) => phase.id);
  if (phaseIds.length === 0) {
    report([...path, 'cadence', 'every'], 'chu kỳ "phase" cần các giai đoạn của kế hoạch: thêm mục "phases" (mã, tên, từ ngày, đến ngày)');
  }
  only?.forEach((phaseId, index) => {
    if (!phaseIds.includes(phaseId)) {
      report([...path, 'cadence', 'only', index], `giai đoạn "${phaseId}" không có trong danh sách giai đoạn (phases).${didYouMean(phaseId, phaseIds)}`);
    }
  });
  const deadline = duty.deadline;
  const runsPastEnd =
    deadline !== undefined &&
    ((deadline.rule === 'dayOfMonth' && deadline.month === 'afterPeriodEnd') ||
      ((deadline.rule === 'workingDaysAfter' || deadline.rule === 'daysAfter') && deadline.from === 'periodEnd' && deadline.days > 0));
  if (when === 'after' && !runsPastEnd) {
    report(
      [...path, 'deadline'],
      'nhiệm vụ "sau mỗi giai đoạn" (when: after) cần hạn chót tính sau ngày cuối giai đoạn, ví dụ { rule: workingDaysAfter, from: periodEnd, days: 5 }',
    );
  }
  if (when === 'during' && runsPastEnd) {
    report(
      [...path, 'deadline'],
      'nhiệm vụ "trong mỗi giai đoạn" (when: during) phải xong trước khi giai đoạn kết thúc; hạn tính sau cuối giai đoạn thì dùng when: after',
    );
  }
}

function checkDuty(plan: PlanFile, duty: PlanDuty, path: Path, report: Report, yearTrusted: boolean): void {
  const unitIds = new Set(plan.units.map((unit) => unit.id));
  const groupIds = new Set(plan.groups.map((group) => group.id));
  duty.assignees.forEach((assignee, index) => {
    if (!unitIds.has(assignee) && !groupIds.has(assignee)) {
      report(
        [...path, 'assignees', index],
        `Đơn vị được giao '${assignee}' không có trong danh sách đơn vị hoặc nhóm.${didYouMean(assignee, [...unitIds, ...groupIds])}`,
      );
    }
  });
  const resolved = new Set(resolveAssignees(plan, duty.assignees));

  const { cadence } = duty;
  const isRelative = cadence.every === 'relative';
  const isDated = cadence.every === 'once' || cadence.every === 'dates' || isRelative;
  checkPhaseCadence(plan, duty, path, report);
  if (cadence.every === 'once' && yearTrusted) checkInPlanYear(plan, cadence.date, [...path, 'cadence', 'date'], report);
  if (cadence.every === 'dates') {
    const seen = new Set<string>();
    cadence.dates.forEach((date, index) => {
      if (yearTrusted) checkInPlanYear(plan, date, [...path, 'cadence', 'dates', index], report);
      if (seen.has(date)) report([...path, 'cadence', 'dates', index], `ngày ${date} bị lặp lại`);
      seen.add(date);
    });
  }
  if (cadence.every === 'relative') checkRelativeTarget(plan, duty, resolved, path, report);

  const context: RuleContext = { plan, isRelative, isDated, periodic: !isDated, hasEvent: duty.event !== undefined, yearTrusted };
  if (duty.event !== undefined) checkEventRule(duty.event.on, context, [...path, 'event'], report);
  if (duty.deadline !== undefined) checkRule(duty.deadline, context, [...path, 'deadline'], report, true);
  else if (!isDated && cadence.every !== 'phase' && !hasNoDatesOfItsOwn(duty)) {
    report([...path, 'deadline'], 'nhiệm vụ định kỳ cần quy tắc hạn chót "deadline" (ví dụ workingDaysAfter từ periodEnd)');
  }

  duty.perUnit.forEach((override, index) => {
    const overridePath = [...path, 'perUnit', index];
    if (!resolved.has(override.unit)) {
      report(
        [...overridePath, 'unit'],
        `đơn vị "${override.unit}" không thuộc các đơn vị được giao nhiệm vụ này.${didYouMean(override.unit, resolved)}`,
      );
    }
    const overrideContext = { ...context, hasEvent: context.hasEvent || override.event !== undefined };
    if (override.event !== undefined) checkEventRule(override.event.on, overrideContext, [...overridePath, 'event'], report);
    if (override.deadline !== undefined) checkRule(override.deadline, overrideContext, [...overridePath, 'deadline'], report, true);
  });

  const reminders = duty.reminders ?? plan.settings.reminders;
  const remindersPath = duty.reminders ? [...path, 'reminders'] : ['settings', 'reminders'];
  reminders.daysBefore.forEach((days, index) => {
    if (days < 0) {
      report(
        [...remindersPath, 'daysBefore', index],
        `lời nhắc ${-days} ngày sau ${reminders.relativeTo === 'due' ? 'hạn chót' : 'sự kiện'} là quá muộn: lời nhắc phải trước hạn chót (số ngày nhắc trước phải từ 0 trở lên)`,
      );
    }
  });
  if (reminders.relativeTo === 'event' && duty.event === undefined) {
    report([...remindersPath, 'relativeTo'], 'nhắc theo sự kiện ("event") nhưng nhiệm vụ không có cuộc họp hay sự kiện nào');
  }
  if (duty.escalation !== undefined) checkEscalationPolicy(duty.escalation, [...path, 'escalation'], report);

  const fieldIds = new Set<string>();
  duty.fields.forEach((field, index) => {
    if (fieldIds.has(field.id)) report([...path, 'fields', index, 'id'], `mã chỉ tiêu "${field.id}" bị trùng trong nhiệm vụ này`);
    fieldIds.add(field.id);
    for (const problem of fieldDefinitionProblems(field)) report([...path, 'fields', index, problem.setting], problem.message);
  });
}

interface RuleContext {
  plan: PlanFile;
  isRelative: boolean;
  isDated: boolean;
  periodic: boolean;
  hasEvent: boolean;
  yearTrusted: boolean;
}

function checkEventRule(on: DateRule | undefined, context: RuleContext, path: Path, report: Report): void {
  if (on === undefined) {
    if (context.periodic) {
      report(path, 'cuộc họp định kỳ cần quy tắc ngày họp "on" (ví dụ ngày làm việc cuối cùng của tháng)');
    }
    return;
  }
  if ('from' in on && on.from === 'event') {
    report([...path, 'on', 'from'], 'ngày họp không thể tính từ chính cuộc họp đó');
    return;
  }
  checkRule(on, context, [...path, 'on'], report, false);
}

function checkRule(rule: DateRule, context: RuleContext, path: Path, report: Report, isDeadline: boolean): void {
  if ('from' in rule) {
    if (rule.from === 'event' && !context.hasEvent) {
      report([...path, 'from'], 'tính từ cuộc họp ("event") nhưng nhiệm vụ không có cuộc họp; thêm mục "event" hoặc đổi mốc');
    }
    if (rule.from === 'anchor' && !context.isRelative) {
      report([...path, 'from'], 'mốc "anchor" chỉ dùng cho nhiệm vụ có chu kỳ "relative" (gắn với nhiệm vụ hoặc sự kiện khác)');
    }
    if (isDeadline && rule.rule === 'daysBefore' && rule.from !== 'event' && rule.from !== 'anchor') {
      report([...path, 'from'], 'thời hạn "trước" chỉ tính được trước một cuộc họp ("event") hoặc một mốc ("anchor")');
    }
  }
  if (rule.rule === 'fixedDate') {
    if (rule.date === '02-29' && context.yearTrusted && context.plan.plan.period === undefined && !isLeapYear(context.plan.plan.year)) {
      report([...path, 'date'], `năm ${context.plan.plan.year} không có ngày 29/02`);
    }
  }
}

function checkRelativeTarget(plan: PlanFile, duty: PlanDuty, resolved: Set<string>, path: Path, report: Report): void {
  if (duty.cadence.every !== 'relative') return;
  const target = duty.cadence.to;
  const targetPath = [...path, 'cadence', 'to'];
  if ('duty' in target) {
    if (target.duty === duty.id) {
      report([...targetPath, 'duty'], 'nhiệm vụ không thể gắn mốc với chính nó');
      return;
    }
    const anchor = plan.duties.find((candidate) => candidate.id === target.duty);
    if (anchor === undefined) {
      report(
        [...targetPath, 'duty'],
        `nhiệm vụ làm mốc "${target.duty}" không có trong danh sách nhiệm vụ.${didYouMean(target.duty, plan.duties.map((candidate) => candidate.id))}`,
      );
      return;
    }
    const anchorUnits = new Set(resolveAssignees(plan, anchor.assignees));
    const orphans = [...resolved].filter((unitId) => !anchorUnits.has(unitId));
    if (orphans.length > 0) {
      report(
        [...path, 'assignees'],
        `các đơn vị ${orphans.map((id) => `"${id}"`).join(', ')} không được giao nhiệm vụ làm mốc "${anchor.id}" nên không có ngày để tính`,
      );
    }
  } else if (!plan.events.some((event) => event.id === target.event)) {
    report(
      [...targetPath, 'event'],
      `sự kiện làm mốc "${target.event}" không có trong danh sách sự kiện (events).${didYouMean(target.event, plan.events.map((event) => event.id))}`,
    );
  }
}

function checkRelativeCycles(plan: PlanFile, report: Report): void {
  const anchorOf = new Map<string, string>();
  for (const duty of plan.duties) {
    if (duty.cadence.every === 'relative' && 'duty' in duty.cadence.to) anchorOf.set(duty.id, duty.cadence.to.duty);
  }
  const reported = new Set<string>();
  plan.duties.forEach((duty, index) => {
    const walk = [duty.id];
    let next = anchorOf.get(duty.id);
    while (next !== undefined && !walk.includes(next)) {
      walk.push(next);
      next = anchorOf.get(next);
    }
    if (next === duty.id && next !== undefined && walk.length > 1 && !reported.has(duty.id)) {
      walk.forEach((id) => reported.add(id));
      report(['duties', index, 'cadence', 'to', 'duty'], `các nhiệm vụ gắn mốc vòng tròn: ${[...walk, duty.id].join(' → ')}`);
    }
  });
}

function checkEscalationPolicy(
  steps: readonly { afterWorkingDays: number; level: number }[],
  path: Path,
  report: Report,
): void {
  for (let index = 1; index < steps.length; index += 1) {
    const previous = steps[index - 1];
    const step = steps[index];
    if (previous === undefined || step === undefined) continue;
    if (step.afterWorkingDays <= previous.afterWorkingDays || step.level <= previous.level) {
      report(
        [...path, index],
        'các bước báo cáo cấp trên phải xếp theo số ngày quá hạn tăng dần và cấp tăng dần (cấp 1 trước, rồi cấp 2, ...)',
      );
    }
  }
}

function checkCalendars(plan: PlanFile, report: Report, yearTrusted: boolean): void {
  const { year } = plan.plan;
  const yearIndex = new Map<number, number>();
  plan.calendars.forEach((calendar, index) => {
    if (yearIndex.has(calendar.year)) report(['calendars', index, 'year'], `lịch năm ${calendar.year} được khai báo hai lần`);
    else yearIndex.set(calendar.year, index);
  });
  const needed = plan.plan.period === undefined ? [year] : yearsOfPeriod(planPeriodOf(plan));
  for (const neededYear of yearTrusted ? needed : []) {
    if (yearIndex.has(neededYear)) continue;
    report(
      ['calendars'],
      `chưa có lịch làm việc năm ${neededYear} (ngày nghỉ lễ, nghỉ bù, làm bù kèm số văn bản thông báo); thêm một mục "year: ${neededYear}" vào calendars` +
        (neededYear === year ? '' : ` (thời gian kế hoạch ${periodText(planPeriodOf(plan))} có những ngày thuộc năm ${neededYear})`),
    );
  }
  if (yearIndex.size < plan.calendars.length) return;
  try {
    workingCalendarOf(plan);
  } catch (error) {
    if (!(error instanceof CalendarDataError)) throw error;
    const index = yearIndex.get(error.year);
    const path: Path = index === undefined ? ['calendars'] : ['calendars', index, error.field];
    if (index !== undefined && error.index !== undefined) path.push(error.index, 'date');
    report(path, error.message);
  }
}
