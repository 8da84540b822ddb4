/**
 * Expansion benchmark: a synthetic 100-unit × 50-duty plan on the Hà Đông 2026 calendar.
 * Run: `npx tsx bench/expand.ts [runs]`. Prints min/median time and the occurrence count.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { planFileSchema, type PlanFile } from '../domain/plan/schema';
import { expandPlan } from '../domain/schedule/expand';
import { medianOf } from './stats';

export interface ExpandBenchResult {
  units: number;
  duties: number;
  occurrences: number;
  runs: number;
  minMs: number;
  medianMs: number;
  command: string;
}

const COMMAND = 'npx tsx bench/expand.ts';

const CADENCES = [
  { cadence: { every: 'monthly', periods: 'reporting' }, deadline: { rule: 'workingDaysAfter', from: 'periodEnd', days: 2 } },
  { cadence: { every: 'quarterly', periods: 'reporting' }, deadline: { rule: 'workingDaysAfter', from: 'periodEnd', days: 2 } },
  { cadence: { every: 'half-yearly', periods: 'calendar' }, deadline: { rule: 'daysAfter', from: 'periodEnd', days: 0 } },
  {
    kind: 'meeting',
    cadence: { every: 'monthly', periods: 'calendar' },
    event: { on: { rule: 'workingDayOfMonth', n: -3, month: 'periodEnd' }, time: '14:00' },
    deadline: { rule: 'workingDaysAfter', from: 'event', days: 2 },
  },
  { cadence: { every: 'yearly', periods: 'reporting' }, deadline: { rule: 'workingDaysAfter', from: 'periodEnd', days: 5 } },
] as const;

export interface SyntheticPlanOptions {
  /** Only these cadences of the list above (by index), e.g. [4] for yearly reports only. */
  cadences?: number[];
  planId?: string;
}

export function syntheticPlan(unitCount = 100, dutyCount = 50, options: SyntheticPlanOptions = {}): PlanFile {
  const cadences = (options.cadences ?? CADENCES.map((_, index) => index)).map((index) => CADENCES[index] as (typeof CADENCES)[number]);
  const haDong = parse(readFileSync('plans/ha-dong-2026.yaml', 'utf8')) as { calendars: unknown };
  const leaders = [
    { id: 'chu-tich', name: 'Chủ tịch', kind: 'leader', emails: ['ct@bench.example'] },
    { id: 'pct', name: 'Phó Chủ tịch', kind: 'leader', emails: ['pct@bench.example'], reportsTo: 'chu-tich' },
    { id: 'phong', name: 'Phòng Văn hóa - Xã hội', kind: 'department', emails: ['p@bench.example'], reportsTo: 'pct' },
  ];
  const units = Array.from({ length: unitCount - leaders.length }, (_, index) => ({
    id: `don-vi-${index + 1}`,
    name: `Đơn vị ${index + 1}`,
    kind: index % 3 === 0 ? 'school' : 'residential-group',
    emails: [`dv${index + 1}@bench.example`],
    reportsTo: 'phong',
  }));
  return planFileSchema.parse({
    version: 1,
    plan: {
      id: options.planId ?? 'bench-2026',
      title: 'Kế hoạch đo tốc độ năm 2026',
      issuingBody: 'Ủy ban nhân dân xã Đo Tốc Độ',
      documentNumber: '/KH-UBND',
      place: 'Đo Tốc Độ',
      year: 2026,
      legalBases: ['Luật 10/2022/QH15'],
      signer: { authority: 'TM. ỦY BAN NHÂN DÂN', position: 'CHỦ TỊCH', name: 'Nguyễn Văn A' },
      supervisor: 'phong',
    },
    settings: { escalation: [{ afterWorkingDays: 1, level: 1 }, { afterWorkingDays: 3, level: 2 }, { afterWorkingDays: 5, level: 3 }] },
    calendars: haDong.calendars,
    units: [...leaders, ...units],
    groups: [{ id: 'tat-ca', name: 'Tất cả đơn vị', unitKinds: ['school', 'residential-group', 'department'] }],
    duties: Array.from({ length: dutyCount }, (_, index) => ({
      id: `nhiem-vu-${index + 1}`,
      title: `Nhiệm vụ ${index + 1}`,
      kind: 'report',
      source: 'III.1',
      legalBasis: 'đo tốc độ',
      assignees: ['tat-ca'],
      ...cadences[index % cadences.length],
      // Every fifth duty gives each unit its own deadline, so the per-unit path is measured too.
      ...(index % 5 === 4 ? { perUnit: units.slice(0, 20).map((unit) => ({ unit: unit.id, deadline: { rule: 'workingDaysAfter', from: 'periodEnd', days: 3 } })) } : {}),
    })),
  });
}

export function runExpandBench(runs = 20): ExpandBenchResult {
  const plan = syntheticPlan();
  let occurrences = expandPlan(plan).occurrences.length;
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    occurrences = expandPlan(plan).occurrences.length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    units: plan.units.length,
    duties: plan.duties.length,
    occurrences,
    runs,
    minMs: Number((times[0] ?? 0).toFixed(1)),
    medianMs: Number(medianOf(times).toFixed(1)),
    command: COMMAND,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = runExpandBench(Number(process.argv[2] ?? 20));
  process.stdout.write(
    `Mở rộng kế hoạch ${result.units} đơn vị × ${result.duties} nhiệm vụ: ${result.occurrences} lượt việc; ` +
      `${result.runs} lần chạy, nhanh nhất ${result.minMs} ms, trung vị ${result.medianMs} ms (${result.command})\n`,
  );
}
