/**
 * The accounts of the status pages, kept in one JSON file in the data directory (0600, written
 * whole and renamed into place): a user name, a role — `office` sees one commune's plans, `city`
 * sees every commune read-only — and a scrypt hash of the password, never the password.
 *
 * The file is read on every check, so `kehoach account …` takes effect without a restart. A file
 * that is not what this program writes (broken JSON, an unknown role, a hash in another format,
 * readable by others) is refused as a whole with every problem named: a login is never decided on a
 * half-understood file.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../config/data-dir';
import { COMMUNE_ID } from '../domain/commune';
import { UserError } from '../domain/user-error';
import { decoyHash, hashPassword, parsePasswordHash, verifyPassword } from './password-hash';

export type Role = 'office' | 'city';

export const ROLE_LABELS: Record<Role, string> = { office: 'văn phòng xã', city: 'thành phố' };

export interface Account {
  name: string;
  role: Role;
  /** The commune an office account sees (see domain/commune.ts); absent for the city. */
  commune?: string;
  passwordHash: string;
  createdAt: string;
}

/** What a signed-in request carries: the account without its hash. */
export type SignedIn = Omit<Account, 'passwordHash' | 'createdAt'>;

export const ACCOUNT_NAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

const accountSchema = z
  .object({
    name: z.string().regex(ACCOUNT_NAME, { message: 'tên tài khoản chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới (2–64 ký tự)' }),
    role: z.enum(['office', 'city'], { message: 'vai trò phải là office (văn phòng xã) hoặc city (thành phố)' }),
    commune: z.string().regex(COMMUNE_ID, { message: 'mã xã chỉ gồm chữ thường không dấu, số và gạch ngang, ví dụ ha-dong' }).optional(),
    passwordHash: z.string().superRefine((value, ctx) => {
      const parsed = parsePasswordHash(value);
      if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
    }),
    createdAt: z.string(),
  })
  .strict()
  .superRefine((account, ctx) => {
    if (account.role === 'office' && account.commune === undefined) {
      ctx.addIssue({ code: 'custom', path: ['commune'], message: 'tài khoản văn phòng xã phải có mã xã (commune)' });
    }
    if (account.role === 'city' && account.commune !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['commune'], message: 'tài khoản thành phố xem mọi xã nên không có mã xã' });
    }
  });

const fileSchema = z
  .object({ version: z.literal(1, { message: 'phiên bản tệp phải là 1' }), accounts: z.array(accountSchema) })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.accounts.forEach((account, index) => {
      if (seen.has(account.name)) ctx.addIssue({ code: 'custom', path: ['accounts', index, 'name'], message: `tài khoản "${account.name}" bị trùng` });
      seen.add(account.name);
    });
  });

export class AccountsFileError extends UserError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`tệp tài khoản ${file} không dùng được:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'AccountsFileError';
  }
}

/** Every account of the file; none when it does not exist yet. */
export function readAccounts(file: string): Account[] {
  if (!existsSync(file)) return [];
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new AccountsFileError(file, [`quyền truy cập ${mode.toString(8)} cho người khác đọc hoặc sửa tệp; hãy đặt lại bằng: chmod 600 ${file}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new AccountsFileError(file, ['không phải JSON hợp lệ (tệp bị sửa tay hoặc bị hỏng); hãy khôi phục bản sao lưu hoặc tạo lại tài khoản']);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AccountsFileError(
      file,
      parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(toàn tệp)'}: ${issue.message}`),
    );
  }
  return parsed.data.accounts as Account[];
}

export function writeAccounts(file: string, accounts: readonly Account[]): void {
  ensurePrivateDir(path.dirname(file));
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ version: 1, accounts }, null, 2)}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  renameSync(temporary, file);
}

export function checkNewPassword(password: string): void {
  const length = [...password.normalize('NFC')].length;
  if (length < MIN_PASSWORD_LENGTH) throw new UserError(`mật khẩu phải dài ít nhất ${MIN_PASSWORD_LENGTH} ký tự`);
  if (length > MAX_PASSWORD_LENGTH) throw new UserError(`mật khẩu không được dài quá ${MAX_PASSWORD_LENGTH} ký tự`);
}

/** A password to hand out: 16 characters from 96 random bits. */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

export async function addAccount(file: string, account: { name: string; role: Role; commune?: string }, password: string): Promise<Account> {
  const accounts = readAccounts(file);
  if (accounts.some((existing) => existing.name === account.name)) throw new UserError(`tài khoản "${account.name}" đã có; đổi mật khẩu bằng lệnh "account password ${account.name}"`);
  checkNewPassword(password);
  const created: Account = {
    name: account.name,
    role: account.role,
    ...(account.commune !== undefined ? { commune: account.commune } : {}),
    passwordHash: await hashPassword(password),
    createdAt: new Date().toISOString(),
  };
  const parsed = accountSchema.safeParse(created);
  if (!parsed.success) throw new UserError(parsed.error.issues.map((issue) => issue.message).join('; '));
  writeAccounts(file, [...accounts, created]);
  return created;
}

export function removeAccount(file: string, name: string): void {
  const accounts = readAccounts(file);
  if (!accounts.some((account) => account.name === name)) throw new UserError(`không có tài khoản "${name}"`);
  writeAccounts(file, accounts.filter((account) => account.name !== name));
}

export async function setPassword(file: string, name: string, password: string): Promise<void> {
  const accounts = readAccounts(file);
  const account = accounts.find((existing) => existing.name === name);
  if (!account) throw new UserError(`không có tài khoản "${name}"`);
  checkNewPassword(password);
  account.passwordHash = await hashPassword(password);
  writeAccounts(file, accounts);
}

/** The account these credentials open, or undefined (wrong password, unknown user). */
export async function checkLogin(file: string, name: string, password: string): Promise<SignedIn | undefined> {
  return checkAgainst(readAccounts(file).find((existing) => existing.name === name), password);
}

async function checkAgainst(account: Account | undefined, password: string): Promise<SignedIn | undefined> {
  // An unknown user costs one scrypt too, so response times do not tell which names exist.
  const matches = await verifyPassword(password, account?.passwordHash ?? (await decoyHash()));
  return account && matches ? signedIn(account) : undefined;
}

function signedIn({ name, role, commune }: Account): SignedIn {
  return { name, role, ...(commune !== undefined ? { commune } : {}) };
}

export interface AccountBook {
  /** Whether any account exists (without one the status pages are off). */
  hasAccounts(): boolean;
  /** Whether an account of this name exists (for the log of failed logins). */
  knows(name: string): boolean;
  check(name: string, password: string): Promise<SignedIn | undefined>;
}

/** How long a successful check is remembered, so a page load does not cost one scrypt per request. */
const REMEMBER_MS = 5 * 60_000;
const REMEMBER_AT_MOST = 256;

/**
 * The accounts file as the web app uses it. HTTP Basic sends the password with every request; a
 * successful check is remembered for a few minutes under an HMAC (with a key that never leaves the
 * process) of the name, the password and the stored entry — so a changed password, role or a
 * removed account takes effect at once, and the memory never holds a password.
 */
export function createAccountBook(file: string): AccountBook {
  const key = randomBytes(32);
  const remembered = new Map<string, { until: number; account: SignedIn }>();
  return {
    hasAccounts: () => readAccounts(file).length > 0,
    knows: (name) => readAccounts(file).some((account) => account.name === name),
    async check(name, password) {
      const account = readAccounts(file).find((existing) => existing.name === name);
      // The whole stored entry is part of the key: a new hash, role or commune is checked afresh.
      const id = createHmac('sha256', key).update(`${name}\0${password}\0${JSON.stringify(account ?? null)}`).digest('base64url');
      const hit = remembered.get(id);
      if (account && hit && hit.until > Date.now()) return hit.account;
      const found = await checkAgainst(account, password);
      if (found) {
        if (remembered.size >= REMEMBER_AT_MOST) remembered.clear();
        remembered.set(id, { until: Date.now() + REMEMBER_MS, account: found });
      }
      return found;
    },
  };
}
