/**
 * `kehoach simulate` on the Hà Đông 2026 plan, run as a user runs it (the CLI in a child process,
 * its own time-skipping server), checked against an independent calculation: the script re-drawn
 * here with a generator of our own, turned into submissions, waivers and extensions with our own
 * date arithmetic, and the expected mail computed by the year oracle (its own working-day calendar
 * read from the YAML). Nothing of simulation/ is imported.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandPlanFile } from '../../operations/plan-client';
import type { ExpandedPlan, Occurrence } from '../../domain/schedule/types';
import { paragraphTexts, readDocx } from '../summary/docx-reader';
import { expectedYearMail, type OccurrenceScript, type YearExpectation } from './year-oracle';

const run = promisify(execFile);
const PLAN_FILE = 'plans/ha-dong-2026.yaml';
const ZONE = 'Asia/Ho_Chi_Minh';
const SEED = 7;
const MIX = { 'on-time': 50, late: 20, missing: 15, extension: 10, waived: 5 };
const ORDER = ['on-time', 'late', 'missing', 'extension', 'waived'] as const;
type Behaviour = (typeof ORDER)[number];

/** mulberry32, written out again from its published definition. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const local = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE });
const tenOClock = (date: DateTime) => date.set({ hour: 10, minute: 0, second: 0, millisecond: 0 }).toMillis();

interface Expected {
  behaviours: Map<string, Behaviour>;
  mail: YearExpectation;
}

function expectedRun(plan: ExpandedPlan): Expected {
  const start = DateTime.fromISO(`${plan.year}-01-01T00:00`, { zone: ZONE }).toMillis();
  const random = generator(SEED);
  const behaviours = new Map<string, Behaviour>();
  const occurrences: { occ: Occurrence; script: OccurrenceScript }[] = [];
  const requests = new Map<number, number>();
  for (const occ of [...plan.occurrences].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const r = random() * 100;
    let behaviour: Behaviour = 'on-time';
    let bound = 0;
    for (const candidate of ORDER) {
      bound += MIX[candidate];
      if (r < bound) {
        behaviour = candidate;
        break;
      }
    }
    const deadlineDay = local(Date.parse(occ.dueAt) - 1).startOf('day');
    if (behaviour === 'extension' && deadlineDay.plus({ days: 7 }).year > plan.year) behaviour = 'on-time';
    behaviours.set(occ.key, behaviour);
    const script: OccurrenceScript = { trackFrom: start };
    if (behaviour === 'on-time') script.submitAt = tenOClock(deadlineDay);
    if (behaviour === 'late') {
      const first = occ.escalations[0]?.at ?? occ.overdueAt;
      script.submitAt = tenOClock(first ? local(Date.parse(first)) : deadlineDay.plus({ days: 1 }));
    }
    if (behaviour === 'waived') script.waiveAt = start + 3_600_000;
    if (behaviour === 'extension') {
      const requestAt = tenOClock(deadlineDay.minus({ days: 2 }));
      // The office decides requests of the same moment one at a time, 15 minutes apart, in key order.
      const before = requests.get(requestAt) ?? 0;
      requests.set(requestAt, before + 1);
      const until = deadlineDay.plus({ days: 8 }).toMillis();
      script.extension = { decideAt: requestAt + 5 * 60_000 + before * 15 * 60_000, until };
      script.submitAt = tenOClock(deadlineDay.plus({ days: 6 }));
    }
    occurrences.push({ occ, script });
  }
  return { behaviours, mail: expectedYearMail(occurrences, plan, { planFile: PLAN_FILE, windowMs: 5 * 60_000 }) };
}

function tally<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

interface PreviewJson {
  dir: string;
  files: Record<string, string>;
  preview: {
    digests: number;
    items: number;
    units: { unitId: string; byMonth: number[]; total: number }[];
    busiestDays: { localDate: string; digests: number; items: number }[];
    invitations: number;
    overdueNotices: number;
    escalations: { level: number; notices: number; recipients: { unitId: string; notices: number }[] }[];
  };
}

describe('kehoach simulate on the Hà Đông 2026 plan', () => {
  let dir: string;
  let output: PreviewJson;
  let stderr: string;
  let plan: ExpandedPlan;
  let expected: Expected;

  beforeAll(async () => {
    dir = path.join(mkdtempSync(path.join(tmpdir(), 'kehoach-sim-')), 'mo-phong');
    plan = await expandPlanFile(PLAN_FILE);
    expected = expectedRun(plan);
    const args = ['tsx', 'client/main.ts', 'simulate', PLAN_FILE, '--seed', String(SEED), '--out-dir', dir, '--json'];
    for (const behaviour of ORDER) args.push(`--${behaviour}`, String(MIX[behaviour]));
    const result = await run('npx', args, { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, KEHOACH_DATA_DIR: path.join(dir, '..', 'khong-dung') } });
    output = JSON.parse(result.stdout) as PreviewJson;
    stderr = result.stderr;
  }, 240_000);
  afterAll(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('draws the same script as an independent generator', () => {
    const script = JSON.parse(readFileSync(path.join(dir, 'kich-ban.json'), 'utf8')) as { occurrences: { key: string; behaviour: Behaviour }[] };
    expect(new Map(script.occurrences.map((o) => [o.key, o.behaviour]))).toEqual(expected.behaviours);
  });

  it('mails each unit exactly what the schedule and the script call for', () => {
    const byUnit = tally(expected.mail.delivered, (d) => d.unitId);
    expect(Object.fromEntries(output.preview.units.map((u) => [u.unitId, u.total]))).toEqual(byUnit);
    const byUnitMonth = tally(
      expected.mail.delivered.filter((d) => d.localDate.startsWith(`${plan.year}-`)),
      (d) => `${d.unitId} ${Number(d.localDate.slice(5, 7))}`,
    );
    const actual: Record<string, number> = {};
    for (const unit of output.preview.units) unit.byMonth.forEach((count, i) => count > 0 && (actual[`${unit.unitId} ${i + 1}`] = count));
    expect(actual).toEqual(byUnitMonth);
    expect(output.preview.digests).toBe(expected.mail.delivered.length);
    expect(output.preview.items).toBe(expected.mail.delivered.reduce((sum, d) => sum + d.itemIds.length, 0));
    // The outbox holds every digest, each as a message and its index entry.
    expect(readdirSync(path.join(dir, 'outbox')).filter((name) => name.endsWith('.eml'))).toHaveLength(expected.mail.delivered.length);
  });

  it('counts escalations per level, invitations, overdue notices and the busiest days like the oracle', () => {
    const ids = expected.mail.delivered.flatMap((d) => d.itemIds);
    const levels = tally(ids.filter((id) => /:escalation:\d+$/.test(id)), (id) => id.slice(id.lastIndexOf(':') + 1));
    expect(Object.fromEntries(output.preview.escalations.map((l) => [String(l.level), l.notices]))).toEqual(levels);
    const toLevel1 = tally(
      expected.mail.delivered.flatMap((d) => d.itemIds.filter((id) => id.endsWith(':escalation:1')).map(() => d.unitId)),
      (unitId) => unitId,
    );
    expect(Object.fromEntries(output.preview.escalations[0]?.recipients.map((r) => [r.unitId, r.notices]) ?? [])).toEqual(toLevel1);
    expect(output.preview.invitations).toBe(ids.filter((id) => id.split(':')[3] === 'invitation').length);
    expect(output.preview.overdueNotices).toBe(ids.filter((id) => id.endsWith(':overdue')).length);
    const perDay = tally(expected.mail.delivered, (d) => d.localDate);
    const topCount = Math.max(...Object.values(perDay));
    expect(output.preview.busiestDays).toHaveLength(10);
    expect(output.preview.busiestDays[0]?.digests).toBe(topCount);
    for (const day of output.preview.busiestDays) expect(day.digests).toBe(perDay[day.localDate]);
    const tenth = output.preview.busiestDays[9]?.digests ?? 0;
    expect(Object.values(perDay).filter((count) => count > tenth).length).toBeLessThan(10);
  });

  it('leaves a report and an office page marked as a simulation, and a progress bar by month on stderr', async () => {
    const docx = await readDocx(readFileSync(path.join(dir, 'bao-cao-tong-ket-mo-phong.docx')));
    expect(docx.headers.join('')).toContain('MÔ PHỎNG');
    expect(paragraphTexts(docx.document)).toContain('BÁO CÁO (MÔ PHỎNG)');
    const html = readFileSync(path.join(dir, 'theo-doi.html'), 'utf8');
    expect(html).toContain('id="mo-phong"');
    expect(html).toContain('href="bao-cao-tong-ket-mo-phong.docx"');
    expect(html).not.toContain('action="/theo-doi"');
    // Each unit's items on a page of its own, linked from the office page, the report one level up.
    expect(html).toContain('href="don-vi/tdp-01.html"');
    const unitPage = readFileSync(path.join(dir, 'don-vi', 'tdp-01.html'), 'utf8');
    expect(unitPage).toContain('<h2>Các việc của Tổ dân phố số 1</h2>');
    expect(unitPage).toContain('href="../bao-cao-tong-ket-mo-phong.docx"');
    expect(readdirSync(path.join(dir, 'don-vi'))).toHaveLength(new Set(plan.occurrences.map((o) => o.unitId)).size);
    for (let month = 1; month <= 12; month += 1) expect(stderr).toContain(`tháng ${String(month).padStart(2, ' ')}/2026`);
    // Nothing written where the real plan keeps its data.
    expect(() => readdirSync(path.join(dir, '..', 'khong-dung'))).toThrow();
  });
});
