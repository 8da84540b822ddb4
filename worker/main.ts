/**
 * A standalone worker process, for deployments that run workers apart from `kehoach run`:
 * `tsx worker/main.ts`. It reads the same environment as the CLI and stops cleanly on SIGINT/SIGTERM.
 */
import { activitySettings } from '../config/activity-settings';
import { loadConfig } from '../config/config';
import { buildActivityDeps } from '../activities/deps';
import { createActivities } from '../activities';
import { connectWorker } from '../operations/temporal';
import { ensureSearchAttributes } from '../operations/search-attributes';
import { exitWithError } from '../config/exit-with-error';
import { createKehoachWorker } from './create-worker';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const connection = await connectWorker(config);
  const { registered } = await ensureSearchAttributes(connection, config.temporal.namespace).catch(async (err: unknown) => {
    await connection.close();
    throw err;
  });
  if (registered.length > 0) {
    process.stdout.write(`Đã đăng ký thuộc tính tìm kiếm cho không gian tên "${config.temporal.namespace}": ${registered.join(', ')}.\n`);
  }
  const deps = buildActivityDeps(activitySettings(config));
  try {
    const worker = await createKehoachWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      activities: createActivities(deps),
      ...(config.workflowTasksAtOnce !== undefined ? { workflowTasksAtOnce: config.workflowTasksAtOnce } : {}),
    });
    process.stdout.write(`Worker đang chạy: hàng đợi "${config.temporal.taskQueue}", không gian tên "${config.temporal.namespace}".\n`);
    await worker.run();
    process.stdout.write('Worker đã dừng.\n');
  } finally {
    await deps.mailer.close();
    await deps.ledger.close();
    await connection.close();
  }
}

main().catch(exitWithError);
