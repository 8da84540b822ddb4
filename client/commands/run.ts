/**
 * `kehoach run` (what `npm start` runs): the whole system in one process tree.
 *
 * With no TEMPORAL_ADDRESS it starts the embedded Temporal dev server persisting to a SQLite file in
 * the data directory (Web UI on), then the worker, then makes sure every plan of the configured
 * folder whose period has not ended is running (see plan-catalog.ts).
 * Ctrl-C stops everything in reverse order: the web app first (no new requests; those in flight
 * finish, for a bounded time, while the worker still serves them), then the worker, then the
 * server. The next start resumes from the same file.
 */
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { activitySettings } from '../../config/activity-settings';
import { ensurePrivateDir, PRIVATE_UMASK } from '../../config/data-dir';
import { type Config, loadConfig, temporalAddress } from '../../config/config';
import { isListening } from '../../provision/free-port';
import { type RunningServer, startDevServer } from '../../provision/server-process';
import { provideTemporalCli } from '../../provision/temporal-cli';
import { buildActivityDeps } from '../../activities/deps';
import { createActivities } from '../../activities';
import { createKehoachWorker } from '../../worker/create-worker';
import { ensurePlansRunning, readPlanCatalog, type PlanCatalog } from '../../operations/plan-catalog';
import { formatProblems } from '../../domain/plan/problems';
import { byRelevance, currentYearAt } from '../../domain/commune';
import { localDateOf } from '../../domain/calendar';
import { createAccountBook } from '../../accounts/account-file';
import { ensureDefaultOfficeAccount } from '../../accounts/default-account';
import { connectClient, connectWorker } from '../../operations/temporal';
import { ensureSearchAttributes } from '../../operations/search-attributes';
import { createSubmissionLinks } from '../../domain/keys/submission-links';
import { createWebLogger, logFileDestination } from '../../web/logging';
import { createWebApp } from '../../web/server';
import { say } from '../cli-output';
import { UserError } from '../../domain/user-error';
import { createDirectoryAttachmentStore, createS3AttachmentStore } from '../../web/attachment-store';
import { periodOfPlan } from '../../domain/schedule/expanded-period';

/** How long requests already being served may take to finish once Ctrl-C is pressed. */
const WEB_DRAIN_MS = 5_000;

/** Stops accepting connections, lets requests in flight finish, and cuts whatever is left after `ms`. */
async function closeWithin(web: FastifyInstance, ms: number): Promise<void> {
  const cut = setTimeout(() => web.server.closeAllConnections(), ms);
  try {
    await web.close();
  } finally {
    clearTimeout(cut);
  }
}

async function startEmbeddedServer(config: Config): Promise<RunningServer | undefined> {
  const dev = config.devServer;
  if (!dev) return undefined;
  if (await isListening(dev.port)) {
    throw new UserError(
      `cổng ${dev.port} đã có chương trình khác dùng (có thể kehoach đang chạy ở cửa sổ khác). ` +
        'Hãy dừng chương trình đó, hoặc đặt KEHOACH_DEV_SERVER_PORT sang cổng khác.',
    );
  }
  const cli = await provideTemporalCli(say);
  say(`Khởi động máy chủ Temporal cục bộ (${cli.source}: ${cli.path})...`);
  return startDevServer({
    cli: cli.path,
    port: dev.port,
    uiPort: dev.uiPort,
    dbFile: dev.dbFile,
    namespace: config.temporal.namespace,
    logFile: path.join(config.dataDir, 'logs', 'temporal-dev-server.log'),
    ownProcessGroup: true,
  });
}

/**
 * The SDK's INFO lines (bundle sizes, state changes) are noise to the office; show them when
 * debugging. The SDK would also stop the worker on Ctrl-C by itself, before the web app has
 * drained; this command orders the shutdown instead.
 */
function installSdkRuntime(config: Config): void {
  const level = config.logLevel === 'debug' || config.logLevel === 'trace' ? 'DEBUG' : 'WARN';
  Runtime.install({ logger: new DefaultLogger(level), shutdownSignals: [] });
}

/** Refused plans are told with their located problems; the others run. Nothing to run at all stops start-up. */
async function readPlans(config: Config, now: Date): Promise<PlanCatalog> {
  const catalog = await readPlanCatalog(config.plans, now);
  for (const { file, problems } of catalog.invalid) {
    say(`Bỏ qua kế hoạch ${file}: có ${problems.length} lỗi, chưa khởi chạy:`);
    say(formatProblems(problems));
  }
  for (const entry of catalog.ended) {
    const closed = localDateOf(entry.closesAt, entry.plan.timeZone).split('-').reverse().join('/');
    say(`Bỏ qua kế hoạch ${entry.plan.title} (${entry.file}): đã hết thời gian theo dõi từ ngày ${closed}.`);
  }
  if (catalog.current.length === 0 && catalog.invalid.length > 0) {
    throw new UserError('không có kế hoạch hợp lệ nào để chạy; hãy sửa các lỗi ở trên (kiểm tra bằng: npm run kehoach -- plan validate TỆP)');
  }
  return catalog;
}

async function run(): Promise<void> {
  const config = loadConfig();
  const now = new Date();
  // Plans are read before anything starts: a folder with nothing to run should not start a server.
  const catalog = await readPlans(config, now);
  // Everything this process tree creates (the dev server's SQLite file too) is private to the
  // service user; our own writers also set 0600/0700 explicitly.
  process.umask(PRIVATE_UMASK);
  ensurePrivateDir(config.dataDir);
  installSdkRuntime(config);
  const server = await startEmbeddedServer(config);
  const stopServer = async () => server?.stop();
  try {
    const settings = activitySettings(config);
    const deps = buildActivityDeps(settings);
    const connection = await connectWorker(config);
    const { registered } = await ensureSearchAttributes(connection, config.temporal.namespace);
    if (registered.length > 0) say(`Đã đăng ký thuộc tính tìm kiếm cho không gian tên "${config.temporal.namespace}": ${registered.join(', ')}.`);
    const worker = await createKehoachWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      activities: createActivities(deps),
      ...(config.workflowTasksAtOnce !== undefined ? { workflowTasksAtOnce: config.workflowTasksAtOnce } : {}),
    });
    // Polling before the plans are ensured: a plan already running is asked what its duties run.
    // If anything below fails before the web app is up, the worker stops with it.
    const workerRunning = worker.run();
    workerRunning.catch(() => undefined);
    const unlessSetUp = async <T>(step: Promise<T>): Promise<T> => {
      try {
        return await step;
      } catch (err) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await workerRunning.catch(() => undefined);
        throw err;
      }
    };
    const client = await unlessSetUp(connectClient(config));
    // A plan whose period runs today counts as this year's, e.g. the school year 2026–2027 in March 2027.
    const thisYear = currentYearAt(now.toISOString());
    const today = now.toISOString().slice(0, 10);
    const plans = byRelevance(catalog.current, thisYear, (entry) => {
      const period = periodOfPlan(entry.plan);
      return period.from <= today && today <= period.to ? thisYear : entry.plan.year;
    });
    const started = await unlessSetUp(ensurePlansRunning(client, config.temporal.taskQueue, plans));
    const accountsLine = await ensureDefaultOfficeAccount(config, plans[0]?.communeId);
    const webLogFile = path.join(config.dataDir, 'logs', 'web.log');
    const webLogger = createWebLogger(config.logLevel, logFileDestination(webLogFile));
    const web = await createWebApp({
      client,
      links: createSubmissionLinks(settings.linkSecret, config.web.publicUrl),
      accounts: createAccountBook(config.accountsFile),
      plans: [...catalog.current, ...catalog.ended],
      logger: webLogger,
      limits: config.web.limits,
      trustedProxies: config.web.trustedProxies,
      deliveryLog: deps.ledger,
      attachments:
        config.attachments.kind === 's3'
          ? createS3AttachmentStore({ bucket: config.attachments.bucket, region: config.attachments.region, ...(config.attachments.endpoint ? { endpoint: config.attachments.endpoint } : {}) })
          : createDirectoryAttachmentStore(config.attachments.dir),
      dataDir: config.dataDir,
    });
    await unlessSetUp(
      web.listen({ host: config.web.host, port: config.web.port }).catch((err: Error) => {
        throw new UserError(`không mở được trang web ở ${config.web.host}:${config.web.port}: ${err.message}. Hãy đặt KEHOACH_WEB_PORT sang cổng khác.`);
      }),
    );

    say('');
    say(`Temporal:          ${temporalAddress(config)} (không gian tên "${config.temporal.namespace}")`);
    if (config.devServer) {
      say(`  dữ liệu lưu tại:  ${config.devServer.dbFile}`);
      say(`  giao diện Web:    http://127.0.0.1:${config.devServer.uiPort}`);
    }
    say(`Worker:            hàng đợi "${config.temporal.taskQueue}"`);
    const listening = `http://${config.web.host}:${config.web.port}`;
    say(`Trang nộp báo cáo: ${listening}${config.web.publicUrl === listening ? '' : ` (địa chỉ công khai trong thư: ${config.web.publicUrl})`}`);
    say(`Trang theo dõi:    ${config.web.publicUrl}/theo-doi (văn phòng xã), ${config.web.publicUrl}/thanh-pho (thành phố)`);
    say(`  đăng nhập:        ${accountsLine}`);
    say(
      `Thư điện tử:       ${config.mail.smtpUrl ? `máy chủ SMTP ${new URL(config.mail.smtpUrl).host}` : `hộp thư cục bộ ${config.mail.outboxDir} (xem bằng: npm run kehoach -- outbox list)`}`,
    );
    say(`Kế hoạch:          ${started.length === 0 ? 'không có kế hoạch nào còn trong thời gian theo dõi' : `${started.length} kế hoạch`}`);
    for (const { entry, result } of started) {
      say(`  - ${result.title} — ${result.started ? 'vừa khởi chạy' : 'đang chạy'} (${result.workflowId}, tệp ${path.relative(process.cwd(), entry.file) || entry.file})`);
    }
    say(`Nhật ký trang web: ${webLogFile}`);
    say('');
    say('Sẵn sàng. Nhấn Ctrl-C để dừng.');

    let webClosed: Promise<void> | undefined;
    const closeWeb = () => (webClosed ??= closeWithin(web, WEB_DRAIN_MS));
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      say(`\nNhận ${signal}: ngừng nhận yêu cầu web, chờ các yêu cầu đang xử lý (tối đa ${WEB_DRAIN_MS / 1000} giây), rồi dừng worker và máy chủ...`);
      // The worker keeps serving until the web app has drained: a request in flight may need it.
      void closeWeb().finally(() => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
      });
    };
    process.once('SIGINT', () => stop('Ctrl-C'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGHUP', () => stop('SIGHUP'));
    try {
      await workerRunning;
    } finally {
      await closeWeb();
      await new Promise<void>((resolve) => webLogger.flush(() => resolve()));
    }
    await deps.mailer.close();
    await client.connection.close();
    await connection.close();
  } finally {
    await stopServer();
  }
  say('Đã dừng.');
}

export function registerRunCommands(program: Command): void {
  program
    .command('run')
    .description('Chạy toàn bộ hệ thống: máy chủ Temporal cục bộ (nếu chưa cấu hình cụm ngoài), worker và mọi kế hoạch còn trong thời gian theo dõi')
    .action(run);
}
