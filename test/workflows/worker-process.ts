/**
 * A worker in its own process, so a test can kill it with SIGKILL mid-year the way a crash or a
 * power cut would, and start another. Configured by argv:
 * address task-queue smtp-url data-dir cache|no-cache [crash-after-ledger:YYYY-MM-DD|crash-after-claim:YYYY-MM-DD]
 * and, like the real worker, KEHOACH_LEDGER_URL for the shared PostgreSQL ledger (unset = files in
 * data-dir); KEHOACH_TEST_CLAIM_LEASE_MS shortens that ledger's claim lease for a test.
 *
 * `crash-after-claim:DATE` kills the process right after it claimed the first digest of that
 * local day, before any SMTP: the claim is orphaned, and another worker's retry must wait for its
 * lease, then send the digest once.
 *
 * `crash-after-ledger:DATE` is fault injection for the one window that matters: the process kills
 * itself right after the ledger recorded the first digest of that local day as sent, before the
 * activity could report its completion to Temporal. The activity is then in flight on the server,
 * and its retry on the next worker must be answered from the ledger. That worker runs one activity
 * at a time: a crash also cuts short any other send in flight, and one the SMTP server had taken
 * but the ledger not yet recorded is sent again (with the same Message-ID), the one window SMTP
 * cannot close (see activities/mail/send-digest.ts).
 */
import { NativeConnection } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities';
import { createSendDigests } from '../../activities/mail/send-digests';
import { buildActivityDeps } from '../../activities/deps';
import { createPgDeliveryLedger } from '../../activities/mail/delivery-ledger-pg';
import { createKehoachWorker } from '../../worker/create-worker';
import { MAIL_FROM, LINK_SECRET } from './rig-constants';

const [address, taskQueue, smtpUrl, dataDir, cache, crash] = process.argv.slice(2);
if (!address || !taskQueue || !smtpUrl || !dataDir) throw new Error('usage: worker-process ADDRESS QUEUE SMTP_URL DATA_DIR');
const ledgerUrl = process.env.KEHOACH_LEDGER_URL;
const leaseMs = Number(process.env.KEHOACH_TEST_CLAIM_LEASE_MS) || undefined;

const configured = buildActivityDeps({ smtpUrl, mailFrom: MAIL_FROM, publicUrl: 'http://127.0.0.1:8080', dataDir, linkSecret: LINK_SECRET, ledgerUrl });
const deps: ActivityDeps = ledgerUrl && leaseMs ? { ...configured, ledger: createPgDeliveryLedger(ledgerUrl, { leaseMs }) } : configured;

const connection = await NativeConnection.connect({ address });
const worker = await createKehoachWorker({
  connection,
  namespace: 'default',
  taskQueue,
  // 'no-cache' turns sticky queues off: see worker-restart.test.ts.
  ...(cache === 'no-cache' ? { maxCachedWorkflows: 0 } : {}),
  ...(crash ? { maxConcurrentActivityTaskExecutions: 1 } : {}),
  activities: activitiesWithFaultInjection(deps),
});

function activitiesWithFaultInjection(deps: ActivityDeps): ReturnType<typeof createActivities> {
  const [mode, crashDate] = crash?.split(/:(.*)/) ?? [];
  if (!crashDate) return createActivities(deps);
  const ledger = deps.ledger;
  // The local day of the digest under way (one activity at a time): a Message-ID does not say it.
  let currentLocalDate: string | undefined;
  const activities = createActivities({
    ...deps,
    ledger: {
      ...ledger,
      async claim(messageId, owner) {
        const claim = await ledger.claim(messageId, owner);
        if (mode === 'crash-after-claim' && claim.kind === 'claimed' && currentLocalDate === crashDate) die(`crashing-after-claim ${messageId}`);
        return claim;
      },
      async record(entry) {
        await ledger.record(entry);
        if (mode === 'crash-after-ledger' && entry.status === 'sent' && entry.localDate === crashDate) die(`crashing-after-ledger ${entry.messageId}`);
      },
    },
  });
  const sendDigest: typeof activities.sendDigest = (input) => {
    currentLocalDate = input.localDate;
    return activities.sendDigest(input);
  };
  // One digest at a time, batches too: the worker dies at a known digest, with no other half sent.
  return { ...activities, sendDigest, sendDigests: createSendDigests(sendDigest, { atOnce: 1 }) };
}

function die(line: string): void {
  process.stdout.write(`${line}\n`);
  process.kill(process.pid, 'SIGKILL');
}

const running = worker.run();
process.stdout.write('worker-ready\n');
await running;
