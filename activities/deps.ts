/**
 * The composition root of the activities: picks SMTP when a server is configured, otherwise the
 * local outbox, and puts the delivery ledger and the link signer next to it.
 */
import { createSubmissionLinks } from '../domain/links';
import type { ActivityDeps } from './index';
import { createFileDeliveryLedger } from './mail/delivery-ledger';
import { createOutboxMailer } from './mail/outbox-mailer';
import { createSmtpMailer } from './mail/smtp-mailer';
import type { ActivityLogger } from './mail/send-digest';

export interface ActivityConfig {
  smtpUrl?: string;
  mailFrom: string;
  publicUrl: string;
  dataDir: string;
  linkSecret: string;
}

export function buildActivityDeps(config: ActivityConfig, logger?: ActivityLogger): ActivityDeps {
  return {
    mailer: config.smtpUrl ? createSmtpMailer(config.smtpUrl) : createOutboxMailer(config.dataDir),
    ledger: createFileDeliveryLedger(config.dataDir),
    links: createSubmissionLinks(config.linkSecret, config.publicUrl),
    from: config.mailFrom,
    publicUrl: config.publicUrl,
    ...(logger ? { logger } : {}),
  };
}
