/**
 * The composition root of the activities: picks SMTP when a server is configured, otherwise the
 * local outbox; the delivery ledger in PostgreSQL when one is configured (every worker of a
 * deployment must see the same ledger), otherwise in the data directory; and the link signer.
 */
import { createSubmissionLinks } from '../domain/keys/submission-links';
import type { ActivityDeps } from './index';
import { createFileDeliveryLedger, type DeliveryLedger, type DeliveryLog } from './mail/delivery-ledger';
import { createPgDeliveryLedger } from './mail/delivery-ledger-pg';
import { createOutboxMailer } from './mail/outbox-mailer';
import { createSmtpMailer } from './mail/smtp-mailer';
import type { ActivityLogger } from './mail/deliver-once';

export interface ActivityConfig {
  smtpUrl?: string;
  mailFrom: string;
  publicUrl: string;
  dataDir: string;
  linkSecret: string;
  /** postgres://… of the shared delivery ledger; unset = files in `dataDir` (one host only). */
  ledgerUrl?: string | undefined;
}

/** The ledger is also read back (`DeliveryLog`) by the office's mail log and item histories. */
export function buildActivityDeps(config: ActivityConfig, logger?: ActivityLogger): ActivityDeps & { ledger: DeliveryLedger & DeliveryLog } {
  return {
    mailer: config.smtpUrl ? createSmtpMailer(config.smtpUrl) : createOutboxMailer(config.dataDir),
    ledger: config.ledgerUrl ? createPgDeliveryLedger(config.ledgerUrl) : createFileDeliveryLedger(config.dataDir),
    links: createSubmissionLinks(config.linkSecret, config.publicUrl),
    from: config.mailFrom,
    publicUrl: config.publicUrl,
    dataDir: config.dataDir,
    ...(logger ? { logger } : {}),
  };
}
