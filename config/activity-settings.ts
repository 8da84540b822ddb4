/**
 * What the activities need from the config, resolved for this process. In the embedded setup the
 * secret that signs submission links is generated once and kept in the data directory, so links
 * in mails already sent stay valid across restarts; an external setup must set KEHOACH_LINK_SECRET.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config';

export interface ActivitySettings {
  smtpUrl: string | undefined;
  mailFrom: string;
  publicUrl: string;
  dataDir: string;
  linkSecret: string;
}

function embeddedLinkSecret(dataDir: string): string {
  const file = path.join(dataDir, 'link-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

export function activitySettings(config: Config): ActivitySettings {
  return {
    smtpUrl: config.mail.smtpUrl,
    mailFrom: config.mail.from,
    publicUrl: config.web.publicUrl,
    dataDir: config.dataDir,
    linkSecret: config.linkSecret ?? embeddedLinkSecret(config.dataDir),
  };
}
