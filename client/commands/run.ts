/**
 * `kehoach run` (what `npm start` runs): the whole system in one process tree.
 *
 * With no TEMPORAL_ADDRESS it starts the embedded Temporal dev server persisting to a SQLite file in
 * the data directory (Web UI on), then the worker, then makes sure the default plan is running.
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
import { readOrCreateSecret } from '../../config/generated-secret';
import { type Config, loadConfig, temporalAddress } from '../../config/config';
import { isListening } from '../../provision/free-port';
import { type RunningServer, startDevServer } from '../../provision/server-process';
import { provideTemporalCli } from '../../provision/temporal-cli';
import { buildActivityDeps } from '../../activities/deps';
import { createActivities } from '../../activities';
import { createKehoachWorker } from '../../worker/create-worker';
import { ensurePlanRunning } from '../plan-client';
import { connectClient, connectWorker } from '../temporal';
import { createSubmissionLinks } from '../../domain/links';
import { createWebLogger, logFileDestination } from '../../web/logging';
import { createWebApp, OFFICE_USER } from '../../web/server';
import { say, UserError } from '../cli-output';

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

async function run(): Promise<void> {
  const config = loadConfig();
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
    const worker = await createKehoachWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      activities: createActivities(deps),
    });
    const client = await connectClient(config);
    const plan = await ensurePlanRunning(client, config, config.planFile);
    // The embedded setup generates the office password once; an external one sets it or leaves the page off.
    const officePassword = config.officePassword ?? (config.devServer ? readOrCreateSecret(config.dataDir, 'office-password', 12) : undefined);
    const webLogFile = path.join(config.dataDir, 'logs', 'web.log');
    const webLogger = createWebLogger(config.logLevel, logFileDestination(webLogFile));
    const web = await createWebApp({
      client,
      links: createSubmissionLinks(settings.linkSecret, config.web.publicUrl),
      planFile: config.planFile,
      logger: webLogger,
      limits: config.web.limits,
      trustedProxies: config.web.trustedProxies,
      ...(officePassword ? { officePassword } : {}),
    });
    await web.listen({ host: config.web.host, port: config.web.port }).catch((err: Error) => {
      throw new UserError(`không mở được trang web ở ${config.web.host}:${config.web.port}: ${err.message}. Hãy đặt KEHOACH_WEB_PORT sang cổng khác.`);
    });

    say('');
    say(`Temporal:          ${temporalAddress(config)} (không gian tên "${config.temporal.namespace}")`);
    if (config.devServer) {
      say(`  dữ liệu lưu tại:  ${config.devServer.dbFile}`);
      say(`  giao diện Web:    http://127.0.0.1:${config.devServer.uiPort}`);
    }
    say(`Worker:            hàng đợi "${config.temporal.taskQueue}"`);
    const listening = `http://${config.web.host}:${config.web.port}`;
    say(`Trang nộp báo cáo: ${listening}${config.web.publicUrl === listening ? '' : ` (địa chỉ công khai trong thư: ${config.web.publicUrl})`}`);
    say(
      officePassword
        ? `Trang theo dõi:    ${config.web.publicUrl}/theo-doi (tài khoản "${OFFICE_USER}", mật khẩu ${config.officePassword ? 'trong KEHOACH_OFFICE_PASSWORD' : `trong tệp ${path.join(config.dataDir, 'office-password')}`})`
        : 'Trang theo dõi:    tắt (đặt KEHOACH_OFFICE_PASSWORD để bật)',
    );
    say(
      `Thư điện tử:       ${config.mail.smtpUrl ? `máy chủ SMTP ${new URL(config.mail.smtpUrl).host}` : `hộp thư cục bộ ${config.mail.outboxDir} (xem bằng: npm run kehoach -- outbox list)`}`,
    );
    say(`Kế hoạch:          ${plan.title} — ${plan.started ? 'vừa khởi chạy' : 'đang chạy'} (${plan.workflowId})`);
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
      await worker.run();
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
    .description('Chạy toàn bộ hệ thống: máy chủ Temporal cục bộ (nếu chưa cấu hình cụm ngoài), worker và kế hoạch mặc định')
    .action(run);
}
