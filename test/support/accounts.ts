/** Accounts of the status pages for tests: written to a real accounts file, hashed like production. */
import path from 'node:path';
import { addAccount, createAccountBook, type AccountBook, type Role } from '../../accounts/account-file';

export interface TestAccount {
  name: string;
  role: Role;
  commune?: string;
  password: string;
}

export async function accountBookWith(dir: string, accounts: readonly TestAccount[]): Promise<AccountBook> {
  const file = path.join(dir, 'accounts.json');
  for (const { password, ...account } of accounts) await addAccount(file, account, password);
  return createAccountBook(file);
}
