/**
 * Sign-in to the status pages before any plan is asked about (no Temporal server needed: the
 * client's connection is lazy and never dialled here): no accounts = the pages are off; a broken
 * accounts file = a Vietnamese 503, never a 500 or a login decided on a half-read file; and the
 * default office account the embedded setup creates, or keeps at KEHOACH_OFFICE_PASSWORD.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLogin, createAccountBook, readAccounts } from '../../accounts/account-file';
import { ensureDefaultOfficeAccount } from '../../accounts/default-account';
import { loadConfig } from '../../config/config';
import { createSubmissionLinks } from '../../domain/keys/submission-links';
import { createWebApp } from '../../web/server';
import { accountBookWith } from '../support/accounts';
import { basicAuth } from '../support/basic-auth';

const connection = Connection.lazy({ address: '127.0.0.1:1' });
const client = new Client({ connection });
afterAll(async () => connection.close());

const basic = (user: string, password: string) => ({ authorization: basicAuth(user, password) });
const links = createSubmissionLinks('status-sign-in-secret-0123456789abcdef0123', 'http://127.0.0.1');

describe('the status pages', () => {
  it('are off while no account exists, and say how to turn them on', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-sign-in-'));
    const web = await createWebApp({ client, links, accounts: createAccountBook(path.join(dir, 'accounts.json')) });
    for (const url of ['/theo-doi', '/thanh-pho']) {
      const response = await web.inject({ url });
      expect(response.statusCode).toBe(404);
      expect(response.body).toContain('Trang theo dõi chưa được bật');
      expect(response.body).toContain('kehoach account add');
    }
    await web.close();
  });

  it('answer a Vietnamese 503 while the accounts file is broken, and let nobody in', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-sign-in-'));
    const accounts = await accountBookWith(dir, [{ name: 'thanh-pho', role: 'city', password: 'mat-khau-thanh-pho-2026' }]);
    const file = path.join(dir, 'accounts.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"city"', '"admin"'));
    const web = await createWebApp({ client, links, accounts });
    const response = await web.inject({ url: '/thanh-pho', headers: basic('thanh-pho', 'mat-khau-thanh-pho-2026') });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('Tạm thời chưa đăng nhập được');
    await web.close();
  });

  it('refuse an office account the city page, and wrong or unknown credentials, before any plan is looked up', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-sign-in-'));
    const accounts = await accountBookWith(dir, [{ name: 'vp-ha-dong', role: 'office', commune: 'ha-dong', password: 'mat-khau-ha-dong-2026' }]);
    const web = await createWebApp({ client, links, accounts });
    const office = await web.inject({ url: '/thanh-pho', headers: basic('vp-ha-dong', 'mat-khau-ha-dong-2026') });
    expect(office.statusCode).toBe(403);
    expect(office.body).toContain('chỉ dành cho tài khoản thành phố');
    const other = await web.inject({ url: '/theo-doi?xa=an-lao', headers: basic('vp-ha-dong', 'mat-khau-ha-dong-2026') });
    expect(other.statusCode).toBe(403);
    expect(other.body).toContain('Không có quyền xem');
    for (const headers of [basic('vp-ha-dong', 'sai-mat-khau-2026'), basic('khong-co-ai', 'mat-khau-ha-dong-2026')]) {
      const refused = await web.inject({ url: '/theo-doi', headers });
      expect(refused.statusCode).toBe(401);
      expect(refused.body).toContain('Cần đăng nhập');
    }
    await web.close();
  });
});

describe('the default office account', () => {
  it('is created on the first embedded start with the generated password, and left alone afterwards', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-default-account-'));
    const config = loadConfig({ KEHOACH_DATA_DIR: dataDir }, '/srv/kehoach');
    expect(await ensureDefaultOfficeAccount(config, 'ha-dong')).toBe(
      `tài khoản "theodoi" của xã "ha-dong", mật khẩu trong tệp ${path.join(dataDir, 'office-password')}`,
    );
    const password = readFileSync(path.join(dataDir, 'office-password'), 'utf8').trim();
    expect(await checkLogin(config.accountsFile, 'theodoi', password)).toEqual({ name: 'theodoi', role: 'office', commune: 'ha-dong' });
    expect(await ensureDefaultOfficeAccount(config, 'an-lao')).toBe('1 tài khoản (xem bằng: npm run kehoach -- account list)');
    expect(readAccounts(config.accountsFile).map((account) => account.commune)).toEqual(['ha-dong']);
  });

  it('follows KEHOACH_OFFICE_PASSWORD at every start, and an external setup without accounts has the pages off', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-default-account-'));
    const external = { TEMPORAL_ADDRESS: 'temporal.example.vn:7233', KEHOACH_LINK_SECRET: 'x'.repeat(40), KEHOACH_DATA_DIR: dataDir };
    expect(await ensureDefaultOfficeAccount(loadConfig(external, '/srv'), 'ha-dong')).toContain('tắt: chưa có tài khoản nào');
    const first = loadConfig({ ...external, KEHOACH_OFFICE_PASSWORD: 'mat-khau-dau-tien-2026' }, '/srv');
    await ensureDefaultOfficeAccount(first, 'ha-dong');
    expect(await checkLogin(first.accountsFile, 'theodoi', 'mat-khau-dau-tien-2026')).toBeDefined();
    const changed = loadConfig({ ...external, KEHOACH_OFFICE_PASSWORD: 'mat-khau-thay-doi-2026' }, '/srv');
    expect(await ensureDefaultOfficeAccount(changed, 'ha-dong')).toBe('tài khoản "theodoi" (mật khẩu trong KEHOACH_OFFICE_PASSWORD)');
    expect(await checkLogin(first.accountsFile, 'theodoi', 'mat-khau-dau-tien-2026')).toBeUndefined();
    expect(await checkLogin(first.accountsFile, 'theodoi', 'mat-khau-thay-doi-2026')).toBeDefined();
  });
});
