/**
 * A worker in its own process, so a test can kill it with SIGKILL mid-year the way a crash or a
 * power cut would, and start another. Configured by argv:
 * address task-queue smtp-url data-dir cache|no-cache [crash-after-ledger:YYYY-MM-DD]
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
import { buildActivityDeps } from '../../activities/deps';
import { createKehoachWorker } from '../../worker/create-worker';
import { MAIL_FROM, LINK_SECRET } from './rig-constants';

const [address, taskQueue, smtpUrl, dataDir, cache, crash] = process.argv.slice(2);
if (!address || !taskQueue || !smtpUrl || !dataDir) throw new Error('usage: worker-process ADDRESS QUEUE SMTP_URL DATA_DIR');

const connection = await NativeConnection.connect({ address });
const worker = await createKehoachWorker({
  connection,
  namespace: 'default',
  taskQueue,
  // 'no-cache' turns sticky queues off: see worker-restart.test.ts.
  ...(cache === 'no-cache' ? { maxCachedWorkflows: 0 } : {}),
  ...(crash ? { maxConcurrentActivityTaskExecutions: 1 } : {}),
  activities: createActivities(withCrashAfterLedger(
    buildActivityDeps({ smtpUrl, mailFrom: MAIL_FROM, publicUrl: 'http://127.0.0.1:8080', dataDir, linkSecret: LINK_SECRET }),
  )),
});
function withCrashAfterLedger(deps: ActivityDeps): ActivityDeps {
  const crashDate = crash?.startsWith('crash-after-ledger:') ? crash.slice('crash-after-ledger:'.length) : undefined;
  if (!crashDate) return deps;
  const ledger = deps.ledger;
  return {
    ...deps,
    ledger: {
      ...ledger,
      get: (messageId) => ledger.get(messageId),
      async record(entry) {
        await ledger.record(entry);
        if (entry.status === 'sent' && entry.localDate === crashDate) {
          process.stdout.write(`crashing-after-ledger ${entry.messageId}\n`);
          process.kill(process.pid, 'SIGKILL');
        }
      },
    },
  };
}

const running = worker.run();
process.stdout.write('worker-ready\n');
await running;
