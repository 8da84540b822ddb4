/**
 * What `kehoach simulate` refuses before it starts anything: proportions that do not add up, and a
 * machine without Java (the message says how to install it).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { simulationDir } from '../../client/commands/simulate';
import { checkMix, DEFAULT_MIX } from '../../simulation/script';

const run = promisify(execFile);

async function kehoach(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return run(process.execPath, ['--import', 'tsx', 'client/main.ts', ...args], { env: { ...env, KEHOACH_DEBUG: '' } }).then(
    (result) => ({ code: 0, ...result }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
}

describe('kehoach simulate options', () => {
  it('needs proportions from 0 to 100 that add up to 100', () => {
    expect(checkMix(DEFAULT_MIX)).toEqual([]);
    expect(checkMix({ ...DEFAULT_MIX, late: 30 })).toEqual(['các tỷ lệ phải cộng lại bằng 100, hiện là 110']);
    expect(checkMix({ ...DEFAULT_MIX, missing: -10, 'on-time': 80 })).toEqual(['tỷ lệ không nộp phải từ 0 đến 100, nhận được -10']);
  });

  it('refuses proportions that do not add up, in Vietnamese, with exit code 2', async () => {
    const result = await kehoach(['simulate', '--late', '30']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('Lỗi: các tỷ lệ phải cộng lại bằng 100, hiện là 110\n');
  });

  it('says how to get Java when it is missing', async () => {
    const result = await kehoach(['simulate', '--out-dir', '/nonexistent/khong-ghi'], { ...process.env, PATH: '/nonexistent' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cần Java 17 để chạy máy chủ Temporal tua nhanh thời gian');
    expect(result.stderr).toContain('sudo apt-get install openjdk-17-jdk-headless maven');
  });

  it('keeps each simulation in its own folder under the data directory', () => {
    expect(simulationDir('/srv/kehoach/data', 'ha-dong-2026', 2026, 1)).toBe('/srv/kehoach/data/simulations/ha-dong-2026-2026-1');
  });
});
