/**
 * A worker in its own process, so a test can kill it with SIGKILL mid-year the way a crash or a
 * power cut would, and start another. Configured by argv: address task-queue smtp-url data-dir [no-cache].
 */
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { buildActivityDeps } from '../../activities/deps';
import { createKehoachWorker } from '../../worker/create-worker';
import { MAIL_FROM, LINK_SECRET } from './rig-constants';

const [address, taskQueue, smtpUrl, dataDir, cache] = process.argv.slice(2);
if (!address || !taskQueue || !smtpUrl || !dataDir) throw new Error('usage: worker-process ADDRESS QUEUE SMTP_URL DATA_DIR');

const connection = await NativeConnection.connect({ address });
const worker = await createKehoachWorker({
  connection,
  namespace: 'default',
  taskQueue,
  // 'no-cache' turns sticky queues off: see worker-restart.test.ts.
  ...(cache === 'no-cache' ? { maxCachedWorkflows: 0 } : {}),
  activities: createActivities(
    buildActivityDeps({ smtpUrl, mailFrom: MAIL_FROM, publicUrl: 'http://127.0.0.1:8080', dataDir, linkSecret: LINK_SECRET }),
  ),
});
const running = worker.run();
process.stdout.write('worker-ready\n');
await running;
