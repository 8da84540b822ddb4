/**
 * Accounts of the status pages on a real file: scrypt hashes with their own salt, wrong passwords and
 * unknown users refused, and a file that was tampered with refused as a whole with what is wrong.
 */
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AccountsFileError,
  addAccount,
  checkLogin,
  createAccountBook,
  readAccounts,
  removeAccount,
  setPassword,
} from '../../accounts/account-file';
import { hashPassword, SCRYPT_PARAMETERS, verifyPassword } from '../../accounts/password-hash';

const freshFile = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'kehoach-accounts-')), 'accounts.json');
const OFFICE = { name: 'vp-ha-dong', role: 'office' as const, commune: 'ha-dong' };
const PASSWORD = 'mật-khẩu-đủ-dài-2026';

function problemsOf(file: string): string[] {
  try {
    readAccounts(file);
  } catch (err) {
    if (err instanceof AccountsFileError) return err.problems;
    throw err;
  }
  throw new Error('expected the file to be refused');
}

describe('password hashes', () => {
  it('are scrypt with the stated parameters and a salt of their own, and verify only the right password', async () => {
    const [a, b] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
    expect(a).toMatch(new RegExp(`^scrypt\\$${SCRYPT_PARAMETERS.N}\\$${SCRYPT_PARAMETERS.r}\\$${SCRYPT_PARAMETERS.p}\\$`));
    expect(a).not.toBe(b);
    expect(a).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword(PASSWORD, b)).toBe(true);
    expect(await verifyPassword('mật-khẩu-đủ-dài-2027', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('take a Vietnamese password typed with decomposed diacritics as the same password', async () => {
    const hash = await hashPassword(PASSWORD.normalize('NFC'));
    expect(await verifyPassword(PASSWORD.normalize('NFD'), hash)).toBe(true);
  });
});

describe('the accounts file', () => {
  it('is written 0600 without any password, and takes each change at once', async () => {
    const file = freshFile();
    await addAccount(file, OFFICE, PASSWORD);
    await addAccount(file, { name: 'thanh-pho', role: 'city' }, 'mat-khau-thanh-pho-2026');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(PASSWORD);
    expect(readAccounts(file).map(({ name, role, commune }) => ({ name, role, commune }))).toEqual([
      { name: 'vp-ha-dong', role: 'office', commune: 'ha-dong' },
      { name: 'thanh-pho', role: 'city', commune: undefined },
    ]);
    expect(await checkLogin(file, 'vp-ha-dong', PASSWORD)).toEqual(OFFICE);
    expect(await checkLogin(file, 'thanh-pho', 'mat-khau-thanh-pho-2026')).toEqual({ name: 'thanh-pho', role: 'city' });

    const book = createAccountBook(file);
    expect(await book.check('vp-ha-dong', PASSWORD)).toEqual(OFFICE);
    await setPassword(file, 'vp-ha-dong', 'mat-khau-moi-cua-xa-2026');
    // The remembered success does not outlive the password it was for.
    expect(await book.check('vp-ha-dong', PASSWORD)).toBeUndefined();
    expect(await book.check('vp-ha-dong', 'mat-khau-moi-cua-xa-2026')).toEqual(OFFICE);
    removeAccount(file, 'vp-ha-dong');
    expect(await book.check('vp-ha-dong', 'mat-khau-moi-cua-xa-2026')).toBeUndefined();
    expect(book.knows('thanh-pho')).toBe(true);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const file = freshFile();
    await addAccount(file, OFFICE, PASSWORD);
    expect(await checkLogin(file, 'vp-ha-dong', 'sai-mat-khau-2026')).toBeUndefined();
    expect(await checkLogin(file, 'vp-ha-dong', PASSWORD.toUpperCase())).toBeUndefined();
    expect(await checkLogin(file, 'khong-co-ai', PASSWORD)).toBeUndefined();
    expect(await checkLogin(freshFile(), 'vp-ha-dong', PASSWORD)).toBeUndefined();
  });

  it('refuses short passwords, duplicate names, and an office without its commune', async () => {
    const file = freshFile();
    await expect(addAccount(file, OFFICE, 'ngan-qua')).rejects.toThrow('ít nhất 12 ký tự');
    await addAccount(file, OFFICE, PASSWORD);
    await expect(addAccount(file, OFFICE, PASSWORD)).rejects.toThrow('tài khoản "vp-ha-dong" đã có');
    await expect(addAccount(file, { name: 'vp-khac', role: 'office' }, PASSWORD)).rejects.toThrow('phải có mã xã');
    await expect(addAccount(file, { name: 'Vp Hà Đông', role: 'office', commune: 'ha-dong' }, PASSWORD)).rejects.toThrow('tên tài khoản chỉ gồm');
  });

  it('no longer lets the right password in once the stored hash was altered', async () => {
    const file = freshFile();
    await addAccount(file, OFFICE, PASSWORD);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { accounts: { passwordHash: string }[] };
    const hash = stored.accounts[0]?.passwordHash ?? '';
    const last = hash.at(-2) === 'A' ? 'B' : 'A';
    (stored.accounts[0] as { passwordHash: string }).passwordHash = `${hash.slice(0, -2)}${last}${hash.at(-1)}`;
    writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
    expect(await checkLogin(file, 'vp-ha-dong', PASSWORD)).toBeUndefined();
  });

  it('is refused as a whole, naming each problem, when it was tampered with', async () => {
    const file = freshFile();
    await addAccount(file, OFFICE, PASSWORD);
    const good = readFileSync(file, 'utf8');
    const edit = (change: (data: { version: number; accounts: Record<string, unknown>[] }) => void) => {
      const data = JSON.parse(good) as { version: number; accounts: Record<string, unknown>[] };
      change(data);
      writeFileSync(file, JSON.stringify(data), { mode: 0o600 });
      return problemsOf(file);
    };
    expect(edit((data) => ((data.accounts[0] as Record<string, unknown>).role = 'admin'))).toEqual([
      'accounts.0.role: vai trò phải là office (văn phòng xã) hoặc city (thành phố)',
    ]);
    expect(edit((data) => ((data.accounts[0] as Record<string, unknown>).password = PASSWORD))[0]).toContain('accounts.0');
    expect(edit((data) => ((data.accounts[0] as Record<string, unknown>).passwordHash = 'md5$abc'))).toEqual([
      'accounts.0.passwordHash: mã băm mật khẩu không đúng dạng scrypt$N$r$p$muối$khóa',
    ]);
    // Parameters that would make every login cost gigabytes are not followed.
    const heavy = (JSON.parse(good) as { accounts: { passwordHash: string }[] }).accounts[0]?.passwordHash.replace(/^scrypt\$\d+/, 'scrypt$2097152') ?? '';
    expect(edit((data) => ((data.accounts[0] as Record<string, unknown>).passwordHash = heavy))[0]).toContain('tham số scrypt ngoài giới hạn');
    expect(edit((data) => ((data.accounts[0] as Record<string, unknown>).role = 'city'))).toEqual([
      'accounts.0.commune: tài khoản thành phố xem mọi xã nên không có mã xã',
    ]);
    expect(edit((data) => data.accounts.push({ ...data.accounts[0] }))).toEqual(['accounts.1.name: tài khoản "vp-ha-dong" bị trùng']);
    writeFileSync(file, good.slice(0, -20), { mode: 0o600 });
    expect(problemsOf(file)[0]).toContain('không phải JSON hợp lệ');
    await expect(checkLogin(file, 'vp-ha-dong', PASSWORD)).rejects.toThrow(AccountsFileError);

    writeFileSync(file, good);
    chmodSync(file, 0o644);
    expect(problemsOf(file)).toEqual([`quyền truy cập 644 cho người khác đọc hoặc sửa tệp; hãy đặt lại bằng: chmod 600 ${file}`]);
  });
});
