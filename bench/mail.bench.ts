import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { createActivities } from '../activities/index';
import { createFileDeliveryLedger } from '../activities/mail/delivery-ledger';
import { parseMailbox } from '../activities/mail/mailbox';
import { createOutboxMailer } from '../activities/mail/outbox-mailer';
import { renderDigest } from '../activities/mail/render-digest';
import { createSmtpMailer } from '../activities/mail/smtp-mailer';
import { createSubmissionLinks } from '../domain/keys/submission-links';
import { startTestSmtpServer } from '../test/support/smtp-server';
import { LINK_SECRET, MAIL_FROM, PUBLIC_URL, sampleDigest } from '../test/activities/fixtures';

// Run with: npx vitest bench test/activities --run
// One digest = 3 items (overdue report, reminder, meeting invitation with .ics), the usual shape.
const smtp = await startTestSmtpServer();
const dataDir = await mkdtemp(path.join(tmpdir(), 'kehoach-mail-bench-'));
const links = createSubmissionLinks(LINK_SECRET, PUBLIC_URL);
const smtpMailer = createSmtpMailer(smtp.url);
const common = { ledger: createFileDeliveryLedger(dataDir), links, from: MAIL_FROM, publicUrl: PUBLIC_URL, logger: { info() {}, warn() {} } };
const viaSmtp = createActivities({ ...common, mailer: smtpMailer });
const viaOutbox = createActivities({ ...common, mailer: createOutboxMailer(dataDir) });
let batch = 0;
/** A new batch number each time, so every call really sends instead of hitting the ledger. */
const nextDigest = () => sampleDigest({ batch: ++batch });

afterAll(async () => {
  await smtpMailer.close();
  await smtp.close();
});

describe('mail activities, per digest', () => {
  bench('renderDigest (subject, text, HTML, .ics)', () => {
    renderDigest(sampleDigest(), {
      organizer: parseMailbox(MAIL_FROM),
        linkFor: (item) => links.linkFor({ planId: 'p', year: 2026, occurrenceKey: item.occurrenceKey, unitId: item.unitId }),
    });
  });
  bench('sendDigest over loopback SMTP (pooled), sequential', async () => {
    await viaSmtp.sendDigest(nextDigest());
  });
  bench('sendDigest into the local outbox (.eml + index, fsync)', async () => {
    await viaOutbox.sendDigest(nextDigest());
  });
  bench('sendDigest already sent (ledger hit, no SMTP)', async () => {
    await viaSmtp.sendDigest(sampleDigest({ batch: 1 }));
  });
});
