/**
 * `kehoach account` as an administrator runs it: Vietnamese output, a generated password shown
 * once and only its hash kept, a password from standard input, refusals with exit code 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLogin } from '../../accounts/account-file';

const repoRoot = path.resolve(import.meta.dirname, '../..');

function kehoach(dataDir: string, args: string[], input?: string) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'client/main.ts', 'account', ...args], {
    cwd: repoRoot,
    env: { ...process.env, KEHOACH_DATA_DIR: dataDir },
    input,
    encoding: 'utf8',
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('kehoach account', () => {
  it('adds, lists, changes and removes accounts, keeping only hashes', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-account-cli-'));
    const file = path.join(dataDir, 'accounts.json');
    const added = kehoach(dataDir, ['add', 'vp-ha-dong', '--role', 'office', '--commune', 'ha-dong']);
    expect(added.code).toBe(0);
    expect(added.out).toContain('Đã tạo tài khoản "vp-ha-dong" (văn phòng xã "ha-dong").');
    const generated = /Mật khẩu: (\S+)/.exec(added.out)?.[1] ?? 'missing';
    expect(generated).toHaveLength(16);
    expect(readFileSync(file, 'utf8')).not.toContain(generated);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await checkLogin(file, 'vp-ha-dong', generated)).toEqual({ name: 'vp-ha-dong', role: 'office', commune: 'ha-dong' });

    const city = kehoach(dataDir, ['add', 'thanh-pho', '--role', 'city', '--password-stdin'], 'mật khẩu thành phố 2026\n');
    expect(city.out).toBe('Đã tạo tài khoản "thanh-pho" (thành phố, xem mọi xã).\n');
    expect(await checkLogin(file, 'thanh-pho', 'mật khẩu thành phố 2026')).toEqual({ name: 'thanh-pho', role: 'city' });

    expect(kehoach(dataDir, ['list']).out).toMatch(/^vp-ha-dong +văn phòng xã — xã "ha-dong"\nthanh-pho +thành phố — mọi xã \(chỉ xem\)\n$/);
    const listed = JSON.parse(kehoach(dataDir, ['list', '--json']).out) as Record<string, unknown>[];
    expect(listed.map((entry) => Object.keys(entry).sort())).toEqual([
      ['commune', 'createdAt', 'name', 'role'],
      ['createdAt', 'name', 'role'],
    ]);

    const changed = kehoach(dataDir, ['password', 'vp-ha-dong']);
    const fresh = /Mật khẩu mới: (\S+)/.exec(changed.out)?.[1] ?? 'missing';
    expect(await checkLogin(file, 'vp-ha-dong', generated)).toBeUndefined();
    expect(await checkLogin(file, 'vp-ha-dong', fresh)).toBeDefined();

    expect(kehoach(dataDir, ['remove', 'vp-ha-dong']).out).toBe('Đã xóa tài khoản "vp-ha-dong".\n');
    expect(await checkLogin(file, 'vp-ha-dong', fresh)).toBeUndefined();
  });

  it('refuses what it cannot do, in Vietnamese, with exit code 2', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-account-cli-'));
    const refusals: [string[], string, string?][] = [
      [['add', 'vp-x', '--role', 'office'], 'Lỗi: tài khoản office cần --commune (mã xã, ví dụ ha-dong)'],
      [['add', 'tp', '--role', 'city', '--commune', 'ha-dong'], 'Lỗi: tài khoản city xem mọi xã, không dùng --commune'],
      [['add', 'x', '--role', 'admin'], 'Lỗi: vai trò "admin" không có'],
      [['add', 'vp-x', '--role', 'office', '--commune', 'ha-dong', '--password-stdin'], 'Lỗi: mật khẩu phải dài ít nhất 12 ký tự', 'ngan\n'],
      [['add', 'Vp Hà Đông', '--role', 'office', '--commune', 'ha-dong'], 'tên tài khoản chỉ gồm chữ thường không dấu'],
      [['remove', 'khong-co'], 'Lỗi: không có tài khoản "khong-co"'],
    ];
    for (const [args, message, input] of refusals) {
      const run = kehoach(dataDir, args, input);
      expect({ args, code: run.code, err: run.err.split('\n')[0] }).toEqual({ args, code: 2, err: expect.stringContaining(message) });
    }
  });
});
