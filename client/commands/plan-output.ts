/**
 * What the `plan` commands print. Each action returns its output instead of writing it, so tests
 * call the same code the CLI runs; `plan.ts` only wires them to commander and the process.
 */
import { writeFile } from 'node:fs/promises';
import { formatDateWithWeekday, formatDeadline, isValidLocalDate } from '../../domain/calendar';
import { agendaToIcs } from '../../domain/ics/plan-to-ics';
import { loadPlanFile, readPlanText } from '../../domain/plan/load';
import { formatProblems, type PlanProblem } from '../../domain/plan/problems';
import { resolveAssignees } from '../../domain/plan/resolve';
import { rollPlanForward } from '../../domain/plan/roll-forward';
import type { PlanFile } from '../../domain/plan/schema';
import { agendaOf, type AgendaItem } from '../../domain/schedule/agenda';
import { expandPlan } from '../../domain/schedule/expand';
import { movedDeadlineLine, type MovedDeadline } from '../../domain/schedule/moved-deadlines';
import { formatPath } from '../../domain/plan/problems';
import { isCalendarYear, periodText, planPeriodOf } from '../../domain/plan/period';
import type { ExpandedPlan } from '../../domain/schedule/types';
import { EXIT_BAD_INPUT } from '../../domain/user-error';

export interface CommandOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function badInput(stderr: string, stdout = ''): CommandOutput {
  return { stdout, stderr, exitCode: EXIT_BAD_INPUT };
}

function problemsOutput(problems: PlanProblem[], json: boolean): CommandOutput {
  if (json) return badInput('', `${JSON.stringify({ ok: false, problems }, null, 2)}\n`);
  return badInput(`Tệp kế hoạch có ${problems.length} lỗi, chưa dùng được:\n${formatProblems(problems)}\n`);
}

function provisionalWarnings(plan: PlanFile): string[] {
  return plan.calendars
    .filter((calendar) => calendar.provisional && calendar.year <= Number(planPeriodOf(plan).to.slice(0, 4)) + 1)
    .map((calendar) => `Lưu ý: lịch làm việc năm ${calendar.year} là tạm tính, chưa có thông báo chính thức về ngày nghỉ.`);
}

export async function validateCommand(file: string, options: { json?: boolean }): Promise<CommandOutput> {
  const result = await loadPlanFile(file);
  if (!result.ok) return problemsOutput(result.problems, options.json === true);
  const moved: MovedDeadline[] = [];
  const expanded = expandPlan(result.plan, { movedDeadlines: moved });
  const warnings = provisionalWarnings(result.plan);
  const period = planPeriodOf(result.plan);
  const movedLines = moved.map((entry) => movedDeadlineLine(entry, result.plan.calendars));
  const summary = {
    ok: true,
    planId: expanded.planId,
    year: expanded.year,
    period,
    movedDeadlines: moved.map((entry, index) => ({ ...entry, path: formatPath(entry.path), text: movedLines[index] })),
    units: expanded.units.length,
    groups: result.plan.groups.length,
    duties: expanded.duties.length,
    occurrences: expanded.occurrences.length,
    warnings,
  };
  if (options.json === true) return { stdout: `${JSON.stringify(summary, null, 2)}\n`, stderr: '', exitCode: 0 };
  const lines = [
    `Kế hoạch hợp lệ: ${expanded.title}`,
    `  ${summary.units} đơn vị, ${summary.groups} nhóm, ${summary.duties} nhiệm vụ, ${summary.occurrences} lượt việc ` +
      (isCalendarYear(period) ? `trong năm ${expanded.year}.` : `trong thời gian ${periodText(period)}.`),
    ...warnings,
    ...(movedLines.length === 0
      ? []
      : [`Hạn chót rơi vào ngày nghỉ (${movedLines.length}):`, ...movedLines.map((line) => `  - ${line}`)]),
  ];
  return { stdout: `${lines.join('\n')}\n`, stderr: '', exitCode: 0 };
}

export interface CalendarOptions {
  unit?: string;
  from?: string;
  to?: string;
  format?: string;
  out?: string;
}

const FORMATS = ['table', 'ics', 'json'] as const;

function optionProblems(plan: PlanFile, options: CalendarOptions): string[] {
  const problems: string[] = [];
  for (const [name, value] of [['--from', options.from], ['--to', options.to]] as const) {
    if (value !== undefined && !isValidLocalDate(value)) problems.push(`${name} "${value}" không phải ngày có thật dạng YYYY-MM-DD.`);
  }
  if (options.from !== undefined && options.to !== undefined && options.from > options.to) {
    problems.push(`--from (${options.from}) phải trước hoặc bằng --to (${options.to}).`);
  }
  if (!FORMATS.includes((options.format ?? 'table') as (typeof FORMATS)[number])) {
    problems.push(`--format "${options.format}" không hợp lệ; chọn một trong: ${FORMATS.join(', ')}.`);
  }
  if (options.unit !== undefined && resolveAssignees(plan, [options.unit]).length === 0) {
    problems.push(`--unit "${options.unit}" không phải mã đơn vị hay nhóm nào trong kế hoạch.`);
  }
  return problems;
}

export async function calendarCommand(file: string, options: CalendarOptions): Promise<CommandOutput> {
  const result = await loadPlanFile(file);
  if (!result.ok) return problemsOutput(result.problems, options.format === 'json');
  const { plan } = result;
  const problems = optionProblems(plan, options);
  if (problems.length > 0) return badInput(`${problems.join('\n')}\n`);

  const expanded = expandPlan(plan);
  const unitIds = options.unit === undefined ? undefined : new Set(resolveAssignees(plan, [options.unit]));
  const items = agendaOf(expanded, {
    ...(unitIds === undefined ? {} : { unitIds }),
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.to === undefined ? {} : { to: options.to }),
  });

  let text: string;
  const format = options.format ?? 'table';
  if (format === 'ics') text = agendaToIcs(plan, expanded, items);
  else if (format === 'json') text = `${JSON.stringify(agendaJson(expanded, items), null, 2)}\n`;
  else text = agendaTable(plan, expanded, items);

  if (options.out !== undefined) {
    await writeFile(options.out, text);
    return { stdout: `Đã ghi ${items.length} mục lịch vào ${options.out}\n`, stderr: provisionalText(plan), exitCode: 0 };
  }
  return { stdout: text, stderr: provisionalText(plan), exitCode: 0 };
}

function provisionalText(plan: PlanFile): string {
  const warnings = provisionalWarnings(plan);
  return warnings.length === 0 ? '' : `${warnings.join('\n')}\n`;
}

function agendaJson(expanded: ExpandedPlan, items: AgendaItem[]) {
  return {
    planId: expanded.planId,
    year: expanded.year,
    timeZone: expanded.timeZone,
    items: items.map(({ date, time, occurrence }) => ({ date, ...(time === undefined ? {} : { time }), ...occurrence })),
  };
}

function agendaTable(plan: PlanFile, expanded: ExpandedPlan, items: AgendaItem[]): string {
  const units = new Map(expanded.units.map((unit) => [unit.id, unit.name]));
  const duties = new Map(plan.duties.map((duty) => [duty.id, duty.title]));
  const lines = [`${expanded.title}`, `${items.length} mục lịch`, ''];
  let month = '';
  for (const { date, time, occurrence } of items) {
    const itemMonth = date.slice(0, 7);
    if (itemMonth !== month) {
      month = itemMonth;
      lines.push(`— Tháng ${Number(date.slice(5, 7))}/${date.slice(0, 4)} —`);
    }
    const when = time === undefined ? `${formatDateWithWeekday(date)}        ` : `${formatDateWithWeekday(date)}, ${time}`;
    const what = time === undefined ? `Hạn: ${duties.get(occurrence.dutyId)}` : `${duties.get(occurrence.dutyId)} (hạn ${formatDeadline(occurrence.dueAt, expanded.timeZone)})`;
    lines.push(`${when}  ${units.get(occurrence.unitId) ?? occurrence.unitId}  |  ${what}  |  ${occurrence.periodLabel}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface NewPlanOptions {
  from: string;
  year: string;
  out?: string;
  json?: boolean;
}

function bulletList(title: string, items: readonly string[], empty: string): string[] {
  return items.length === 0 ? [`${title}: ${empty}`] : [`${title}:`, ...items.map((item) => `  - ${item}`)];
}

export async function newPlanCommand(options: NewPlanOptions): Promise<CommandOutput> {
  const year = Number(options.year);
  if (!/^\d{4}$/.test(options.year)) return badInput(`--year "${options.year}" phải là một năm gồm 4 chữ số, ví dụ 2027.\n`);
  const source = await readPlanText(options.from);
  if (!source.ok) return problemsOutput(source.problems, options.json === true);
  const target = options.out ?? `(kế hoạch năm ${year})`;
  const result = rollPlanForward(source.text, options.from, year, target);
  if (!result.ok) return problemsOutput(result.problems, options.json === true);
  const report = [
    ...bulletList(`Đã thay đổi (${result.changes.length} chỗ; số dòng theo tệp ${options.from})`, result.changes, 'không có'),
    ...bulletList(`Không chuyển sang năm ${year}`, result.dropped, 'không có mục nào'),
    ...bulletList('Cần kiểm tra', result.warnings, 'không có'),
  ].join('\n');
  if (options.out === undefined) {
    return { stdout: result.text, stderr: `${report}\n`, exitCode: 0 };
  }
  await writeFile(options.out, result.text);
  const json = { ok: true, file: options.out, year, changes: result.changes, dropped: result.dropped, warnings: result.warnings };
  const stdout = options.json === true
    ? `${JSON.stringify(json, null, 2)}\n`
    : `Đã tạo kế hoạch năm ${year}: ${options.out}\n${report}\nKiểm tra lại tệp bằng: plan validate ${options.out}\n`;
  return { stdout, stderr: '', exitCode: 0 };
}
