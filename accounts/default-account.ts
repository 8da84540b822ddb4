/**
 * The first start still just works: with no accounts yet, the embedded setup creates the office
 * account "theodoi" for the commune of the first plan it runs, with a generated password in
 * `data/office-password` (as before accounts existed). With KEHOACH_OFFICE_PASSWORD set, that
 * account is created or kept at that password at every start, so deployments configured by the
 * environment keep working; every other account is managed with `kehoach account`.
 */
import path from 'node:path';
import type { Config } from '../config/config';
import { readOrCreateSecret } from '../config/generated-secret';
import { addAccount, readAccounts, setPassword } from './account-file';
import { verifyPassword } from './password-hash';

export const DEFAULT_OFFICE_ACCOUNT = 'theodoi';

/** Makes sure the default office account exists where it should; returns what to tell the administrator. */
export async function ensureDefaultOfficeAccount(config: Config, communeId: string | undefined): Promise<string> {
  const file = config.accountsFile;
  const accounts = readAccounts(file);
  const existing = accounts.find((account) => account.name === DEFAULT_OFFICE_ACCOUNT);
  if (config.officePassword !== undefined && (existing !== undefined || communeId !== undefined)) {
    if (existing === undefined && communeId !== undefined) {
      await addAccount(file, { name: DEFAULT_OFFICE_ACCOUNT, role: 'office', commune: communeId }, config.officePassword);
    } else if (existing !== undefined && !(await verifyPassword(config.officePassword, existing.passwordHash))) {
      await setPassword(file, DEFAULT_OFFICE_ACCOUNT, config.officePassword);
    }
    return `tài khoản "${DEFAULT_OFFICE_ACCOUNT}" (mật khẩu trong KEHOACH_OFFICE_PASSWORD)${accounts.length > 1 ? ` và ${accounts.length - 1} tài khoản khác` : ''}`;
  }
  if (accounts.length === 0 && config.devServer !== undefined && communeId !== undefined) {
    const password = readOrCreateSecret(config.dataDir, 'office-password', 12);
    await addAccount(file, { name: DEFAULT_OFFICE_ACCOUNT, role: 'office', commune: communeId }, password);
    return `tài khoản "${DEFAULT_OFFICE_ACCOUNT}" của xã "${communeId}", mật khẩu trong tệp ${path.join(config.dataDir, 'office-password')}`;
  }
  if (accounts.length === 0) return 'tắt: chưa có tài khoản nào (tạo bằng: npm run kehoach -- account add TÊN --role office --commune MÃ-XÃ)';
  return `${accounts.length} tài khoản (xem bằng: npm run kehoach -- account list)`;
}
