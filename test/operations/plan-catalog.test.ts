/**
 * Which plans a deployment runs: every plan file of the folder whose period has not ended, each
 * read on its own (a bad file is refused with its located problems, the others still run), and the
 * commune each belongs to.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planFilesOf, readPlanCatalog } from '../../operations/plan-catalog';
import { byRelevance, communeIdOf, communeNameOf } from '../../domain/commune';
import { writeCommunePlan } from '../support/future-plan';

function folderWithPlans() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-catalog-'));
  writeCommunePlan(dir, 'ha-dong', 2026);
  writeCommunePlan(dir, 'ha-dong', 2027);
  writeCommunePlan(dir, 'an-lao', 2027, 'An Lão');
  writeFileSync(path.join(dir, 'hong.yaml'), 'version: 1\nplan:\n  id: hong\n  year: hai nghìn\n');
  writeFileSync(path.join(dir, 'plan.schema.json'), '{}');
  writeFileSync(path.join(dir, 'ghi-chu.txt'), 'không phải kế hoạch');
  return dir;
}

const summary = (entries: { plan: { planId: string; year: number }; communeId: string; communeName: string }[]) =>
  entries.map((entry) => `${entry.plan.planId} ${entry.communeId} ${entry.communeName}`);

describe('the plans of a folder', () => {
  it('in December runs this year and next year side by side, refuses the broken file, skips what is not a plan', async () => {
    const dir = folderWithPlans();
    const catalog = await readPlanCatalog({ kind: 'dir', dir }, new Date('2026-12-01T02:00:00Z'));
    expect(summary(catalog.current)).toEqual([
      'an-lao-2027 an-lao xã An Lão',
      'ha-dong-2026 ha-dong xã Hà Đông',
      'ha-dong-2027 ha-dong xã Hà Đông',
    ]);
    expect(catalog.ended).toEqual([]);
    expect(catalog.invalid.map((entry) => path.basename(entry.file))).toEqual(['hong.yaml']);
    expect(catalog.invalid[0]?.problems.length).toBeGreaterThan(0);
    expect(catalog.invalid[0]?.problems[0]?.line).toBeGreaterThan(0);
  });

  it('skips a plan once its tracking has closed: after its year and its last escalation', async () => {
    const dir = folderWithPlans();
    const { current } = await readPlanCatalog({ kind: 'dir', dir }, new Date('2026-12-01T02:00:00Z'));
    const closes = current.find((entry) => entry.plan.planId === 'ha-dong-2026')?.closesAt ?? '';
    // The 2026 plan's last escalations fall in January 2027: tracking lasts until a day after them.
    expect(closes > '2027-01-01').toBe(true);
    const justBefore = await readPlanCatalog({ kind: 'dir', dir }, new Date(Date.parse(closes) - 1));
    expect(justBefore.ended).toEqual([]);
    const after = await readPlanCatalog({ kind: 'dir', dir }, new Date(closes));
    expect(summary(after.ended)).toEqual(['ha-dong-2026 ha-dong xã Hà Đông']);
    expect(summary(after.current)).toEqual(['an-lao-2027 an-lao xã An Lão', 'ha-dong-2027 ha-dong xã Hà Đông']);
  });

  it('keeps a school-year plan running into the next calendar year until its period and last escalation are over', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-catalog-'));
    writeFileSync(path.join(dir, 'truong.yaml'), readFileSync('plans/examples/thcs-ha-dong-nam-hoc-2026-2027.yaml'));
    const spring = await readPlanCatalog({ kind: 'dir', dir }, new Date('2027-04-01T02:00:00Z'));
    expect(spring.current.map((entry) => entry.plan.planId)).toEqual(['thcs-ha-dong-nam-hoc']);
    // The semester-II report is due Mon 07/06/2027; its last escalation (3 working days) is Thu 10/06
    // 07:30; tracking closes a day after it.
    expect(spring.current[0]?.closesAt).toBe('2027-06-11T00:30:00.000Z');
    const after = await readPlanCatalog({ kind: 'dir', dir }, new Date('2027-06-11T00:30:00.000Z'));
    expect(after.ended.map((entry) => entry.plan.planId)).toEqual(['thcs-ha-dong-nam-hoc']);
  });

  it('refuses a second file with the same plan and year instead of starting one of them by chance', async () => {
    const dir = folderWithPlans();
    const copy = path.join(dir, 'zz-ban-sao.yaml');
    writeFileSync(copy, readFileSync(path.join(dir, 'ha-dong-2027.yaml')));
    const catalog = await readPlanCatalog({ kind: 'dir', dir }, new Date('2026-12-01T02:00:00Z'));
    const duplicate = catalog.invalid.find((entry) => entry.file === copy);
    expect(duplicate?.problems[0]?.message).toBe(
      'trùng mã kế hoạch "ha-dong-2027" năm 2027 với tệp ha-dong-2027.yaml; mỗi kế hoạch một năm chỉ được có một tệp',
    );
  });

  it('with KEHOACH_PLAN reads just that file, and says so when a folder holds no plan', () => {
    expect(planFilesOf({ kind: 'file', file: '/x/a.yaml' })).toEqual(['/x/a.yaml']);
    const empty = mkdtempSync(path.join(os.tmpdir(), 'kehoach-empty-'));
    expect(() => planFilesOf({ kind: 'dir', dir: empty })).toThrow('không có tệp kế hoạch nào (*.yaml)');
    expect(() => planFilesOf({ kind: 'dir', dir: path.join(empty, 'khong-co') })).toThrow('không đọc được thư mục kế hoạch');
  });
});

describe('communes', () => {
  it('are the plan id without its year, named after the issuing body', () => {
    expect(communeIdOf('ha-dong-2026', 2026)).toBe('ha-dong');
    expect(communeIdOf('ha-dong-2027', 2027)).toBe('ha-dong');
    expect(communeIdOf('ha-dong', 2026)).toBe('ha-dong');
    expect(communeIdOf('ha-dong-2026-bo-sung', 2026)).toBe('ha-dong-2026-bo-sung');
    expect(communeNameOf('Ủy ban nhân dân xã Hà Đông')).toBe('xã Hà Đông');
    expect(communeNameOf('UBND phường An Biên')).toBe('phường An Biên');
    expect(communeNameOf('Hội đồng nhân dân xã Hà Đông')).toBe('Hội đồng nhân dân xã Hà Đông');
  });

  it("list a commune's plans with the current year first, then the years ahead, then the past", () => {
    const years = [2025, 2028, 2026, 2027, 2024].map((year) => ({ year }));
    expect(byRelevance(years, 2026, (plan) => plan.year).map((plan) => plan.year)).toEqual([2026, 2027, 2028, 2025, 2024]);
  });
});
