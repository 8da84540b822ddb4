/**
 * What the activities need from the config, resolved for this process. In the embedded setup the
 * secret that signs submission links is generated once and kept in the data directory, so links
 * in mails already sent stay valid across restarts; an external setup must set KEHOACH_LINK_SECRET.
 */
import type { Config } from './config';
import { readOrCreateSecret } from './generated-secret';

export interface ActivitySettings {
  smtpUrl: string | undefined;
  mailFrom: string;
  publicUrl: string;
  dataDir: string;
  linkSecret: string;
  ledgerUrl: string | undefined;
}

export function activitySettings(config: Config): ActivitySettings {
  return {
    smtpUrl: config.mail.smtpUrl,
    mailFrom: config.mail.from,
    publicUrl: config.web.publicUrl,
    dataDir: config.dataDir,
    linkSecret: config.linkSecret ?? readOrCreateSecret(config.dataDir, 'link-secret'),
    ledgerUrl: config.ledgerUrl,
  };
}
