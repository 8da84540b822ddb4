import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { calendarCommand, newPlanCommand, validateCommand } from '../../../client/commands/plan-output';
import { loadPlanFile, MAX_PLAN_FILE_BYTES } from '../../../domain/plan/load';

const HA_DONG = 'plans/ha-dong-2026.yaml';

describe('plan validate', () => {
  it('accepts the Hà Đông plan with a Vietnamese summary', async () => {
    const output = await validateCommand(HA_DONG, {});
    expect(output.exitCode).toBe(0);
    expect(output.stdout).toMatch(/^Kế hoạch hợp lệ: Kế hoạch thực hiện dân chủ cơ sở trên địa bàn xã Hà Đông năm 2026/);
    expect(output.stdout).toMatch(/50 đơn vị, 5 nhóm, 32 nhiệm vụ, \d+ lượt việc/);
  });

  it('lists every problem and exits 2, as text or JSON', async () => {
    const text = await validateCommand('test/fixtures/plans/many-problems.yaml', {});
    expect(text.exitCode).toBe(2);
    expect(text.stdout).toBe('');
    expect(text.stderr).toContain("test/fixtures/plans/many-problems.yaml:31:17  duties[0].assignees[0]  Đơn vị được giao 'truong-xyz'");
    const json = await validateCommand('test/fixtures/plans/many-problems.yaml', { json: true });
    expect(json.exitCode).toBe(2);
    const parsed = JSON.parse(json.stdout) as { ok: boolean; problems: unknown[] };
    expect(parsed.ok).toBe(false);
    expect(parsed.problems.length).toBeGreaterThanOrEqual(4);
  });
});

describe('plan validate on a plan across two years', () => {
  it('accepts both examples and lists the deadline kept on a day off, with why', async () => {
    const school = await validateCommand('plans/examples/thcs-ha-dong-nam-hoc-2026-2027.yaml', {});
    expect(school.exitCode).toBe(0);
    expect(school.stdout).toContain('7 đơn vị, 1 nhóm, 6 nhiệm vụ, 38 lượt việc trong thời gian 01/09/2026–31/05/2027.');
    const campaign = await validateCommand('plans/examples/ha-dong-tet-2027.yaml', {});
    expect(campaign.exitCode).toBe(0);
    expect(campaign.stdout.split('\n').slice(3)).toEqual([
      'Hạn chót rơi vào ngày nghỉ (1):',
      '  - nhiệm vụ "bao-cao-nhanh-tet", ngày 09/02/2027: hạn Thứ Ba, 09/02/2027 là ngày nghỉ (Tết Âm lịch (tạm tính)), giữ nguyên ngày ' +
        '(hạn do cấp trên ấn định); thư nhắc và thư quá hạn vẫn gửi vào ngày làm việc (theo onDayOff: keep)',
      '',
    ]);
    const json = JSON.parse((await validateCommand('plans/examples/ha-dong-tet-2027.yaml', { json: true })).stdout) as {
      period: unknown;
      movedDeadlines: { dutyId: string; nominal: string; date: string; applied: string; path: string }[];
    };
    expect(json.period).toEqual({ from: '2026-11-16', to: '2027-04-15' });
    expect(json.movedDeadlines.map(({ dutyId, nominal, date, applied, path }) => ({ dutyId, nominal, date, applied, path }))).toEqual([
      { dutyId: 'bao-cao-nhanh-tet', nominal: '2027-02-09', date: '2027-02-09', applied: 'keep', path: 'duties[2].deadline' },
    ]);
  });
});

describe('plan calendar', () => {
  it('prints a unit\'s dates in a window as a Vietnamese table', async () => {
    const output = await calendarCommand(HA_DONG, { unit: 'thcs-ha-dong', from: '2026-03-01', to: '2026-03-31' });
    expect(output.exitCode).toBe(0);
    expect(output.stdout).toContain('Thứ Hai, 16/03/2026');
    expect(output.stdout).toContain('Thứ Tư, 25/03/2026, 14:00  Trường THCS Hà Đông');
    expect(output.stdout).not.toContain('04/2026');
  });

  it('filters by group and emits JSON items inside the window', async () => {
    const output = await calendarCommand(HA_DONG, { unit: 'cac-tdp', format: 'json', from: '2026-12-01', to: '2026-12-31' });
    const parsed = JSON.parse(output.stdout) as { items: { date: string; unitId: string }[] };
    expect(parsed.items.length).toBeGreaterThan(28);
    expect(parsed.items.every((item) => item.unitId.startsWith('tdp-') && item.date.startsWith('2026-12'))).toBe(true);
  });

  it('rejects bad options with exit code 2 and says why', async () => {
    const output = await calendarCommand(HA_DONG, { unit: 'khong-co', from: '2026-02-30', format: 'pdf' });
    expect(output.exitCode).toBe(2);
    expect(output.stderr).toContain('--from "2026-02-30" không phải ngày có thật');
    expect(output.stderr).toContain('--format "pdf" không hợp lệ');
    expect(output.stderr).toContain('--unit "khong-co"');
  });
});

describe('plan new', () => {
  it('rolls the plan forward to 2027, warns that the calendar is provisional, and the result validates', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'kehoach-')), 'ha-dong-2027.yaml');
    const output = await newPlanCommand({ from: HA_DONG, year: '2027', out });
    expect(output.exitCode).toBe(0);
    expect(output.stdout).toContain('Lịch làm việc năm 2027 là tạm tính');
    expect(output.stdout).toContain('Kiểm tra lại tệp bằng: plan validate');
    const result = await loadPlanFile(out);
    if (!result.ok) throw new Error('rolled plan rejected');
    expect(result.plan.plan.year).toBe(2027);
    expect(result.plan.plan.id).toBe('ha-dong-2027');
    expect(result.plan.events[0]?.dates).toEqual(['2027-07-15', '2027-12-15']);
    expect(readFileSync(out, 'utf8')).toContain('# Kế hoạch thực hiện dân chủ cơ sở');
  });

  it('computes the calendar of a year the plan has none for, and lists what it changed and what to check', async () => {
    const output = await newPlanCommand({ from: HA_DONG, year: '2030' });
    expect(output.exitCode).toBe(0);
    expect(output.stdout).toContain('  - year: 2030\n    provisional: true\n');
    expect(output.stderr).toContain('  - dòng 30: plan.year: 2026 → 2030\n');
    expect(output.stderr).toContain('Không chuyển sang năm 2030: không có mục nào\n');
    expect(output.stderr).toContain(
      '  - Lịch làm việc năm 2030 được tính tạm theo Bộ luật Lao động 2019 Điều 111–112 và lịch âm (14 ngày nghỉ); chưa xác nhận:',
    );
  });
});

function runKehoach(args: string[]): Promise<{ code?: number; stderr?: string }> {
  return promisify(execFile)('npx', ['tsx', 'client/main.ts', ...args]).then(
    () => ({ code: 0 }),
    (failure: { code?: number; stderr?: string }) => failure,
  );
}

describe('the kehoach binary', () => {
  it('exits with code 2 on a broken plan', async () => {
    const error = await runKehoach(['plan', 'validate', 'test/fixtures/plans/chain-cycle.yaml']);
    expect(error?.code).toBe(2);
    expect(error?.stderr).toContain('chuỗi cấp trên bị vòng lặp');
  }, 60_000);

  // Nine levels of nine aliases: a few hundred bytes that would expand to 9^9 strings.
  const aliasBomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    .concat(['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`))
    .join('\n');

  it('refuses a YAML alias bomb with a located Vietnamese problem and exit code 2', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kehoach-bomb-')), 'bomb.yaml');
    writeFileSync(file, `${aliasBomb}\n`);
    const failure = await runKehoach(['plan', 'validate', file]);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain(`${file}:2:8  (cú pháp YAML)  bí danh YAML`);
    expect(failure.stderr).not.toMatch(/không mong đợi|Excessive/);
  }, 60_000);

  it('refuses a plan file over the size limit before reading it, with exit code 2', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kehoach-big-')), 'big.yaml');
    // 50 MB without writing 50 MB: a sparse file reads as zeros, its size is what counts.
    writeFileSync(file, 'plan:\n');
    truncateSync(file, 50 * 1024 * 1024);
    const failure = await runKehoach(['plan', 'validate', file]);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain(`${file}:0:0  (toàn tệp)  tệp quá lớn (50 MB)`);
    expect(failure.stderr).toContain(`không được vượt quá ${MAX_PLAN_FILE_BYTES / (1024 * 1024)} MB`);
  }, 60_000);
});
