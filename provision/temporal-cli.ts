/**
 * Finds or obtains the Temporal CLI, whose `server start-dev` is the embedded default server and
 * the one end-to-end tests run against. Looked for in this order, the first that answers wins:
 *   1. TEMPORAL_CLI_PATH; 2. `temporal` on PATH; 3. the project cache; 4. the SDK's cached download
 *   (or the SDK's download itself, which works online and fails fast offline);
 *   5. a build from the Go module proxy (minutes, with progress).
 */
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheDir } from './cache-dir';
import { type Log, ProvisionError } from './provision-error';
import { runCommand } from './run-command';

export const TEMPORAL_CLI_VERSION = '1.5.1';
const SDK_VERSION = '1.24.0';

export type CliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'sdk-download' | 'built';

export interface ProvidedCli {
  path: string;
  source: CliSource;
  version: string;
}

async function versionOf(binary: string): Promise<string | undefined> {
  const result = await runCommand(binary, ['--version'], { timeoutMs: 20_000 });
  if (result.code !== 0) return undefined;
  return /temporal version (\S+)/.exec(result.stdout)?.[1];
}

export function cachedCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir(env), 'bin', 'temporal');
}

async function trySdkDownload(log: Log): Promise<string | undefined> {
  const downloaded = path.join(os.tmpdir(), `temporal-sdk-typescript-${SDK_VERSION}`);
  if (existsSync(downloaded)) return downloaded;
  log('Thử tải máy chủ Temporal qua SDK (chỉ được khi có Internet)...');
  try {
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createLocal();
    await env.teardown();
  } catch (err) {
    log(`  không tải được: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
  return existsSync(downloaded) ? downloaded : undefined;
}

async function buildFromGoProxy(target: string, log: Log, env: NodeJS.ProcessEnv): Promise<void> {
  const go = await runCommand('go', ['version']);
  if (go.code !== 0) {
    throw new ProvisionError(
      'Không tìm thấy máy chủ Temporal và không có Go để tự dựng. Hãy cài Go (apt-get install golang hoặc từ go.dev), ' +
        'hoặc cài Temporal CLI rồi đặt TEMPORAL_CLI_PATH=/đường/dẫn/temporal.',
    );
  }
  mkdirSync(path.dirname(target), { recursive: true });
  log(`Dựng Temporal CLI ${TEMPORAL_CLI_VERSION} từ Go module proxy (${go.stdout.trim()}); lần đầu mất vài phút...`);
  const started = Date.now();
  let packages = 0;
  const result = await runCommand(
    'go',
    [
      'install',
      '-v',
      '-trimpath',
      '-ldflags',
      `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
      `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`,
    ],
    {
      env: { ...env, CGO_ENABLED: '0', GOBIN: path.dirname(target) },
      echo: (line) => {
        packages += 1;
        if (line.startsWith('go: downloading')) return;
        if (packages % 100 === 0) log(`  ... đã biên dịch ${packages} gói (${Math.round((Date.now() - started) / 1000)} giây)`);
      },
    },
  );
  if (result.code !== 0) {
    throw new ProvisionError(
      `Dựng Temporal CLI thất bại (go install, mã ${result.code}):\n${result.stderr.split('\n').slice(-15).join('\n')}\n` +
        'Nếu lỗi là do kiểm tra checksum, thử đặt GONOSUMDB=github.com/temporalio/*,go.temporal.io/* rồi chạy lại.',
    );
  }
  log(`  xong sau ${Math.round((Date.now() - started) / 1000)} giây.`);
}

export async function provideTemporalCli(log: Log, env: NodeJS.ProcessEnv = process.env): Promise<ProvidedCli> {
  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit) {
    const version = await versionOf(explicit);
    if (!version) {
      throw new ProvisionError(`TEMPORAL_CLI_PATH=${explicit} không chạy được "${explicit} --version". Hãy kiểm tra đường dẫn.`);
    }
    return { path: explicit, source: 'TEMPORAL_CLI_PATH', version };
  }
  const onPath = await versionOf('temporal');
  if (onPath) return { path: 'temporal', source: 'PATH', version: onPath };

  const cached = cachedCliPath(env);
  const cachedVersion = existsSync(cached) ? await versionOf(cached) : undefined;
  if (cachedVersion === TEMPORAL_CLI_VERSION) return { path: cached, source: 'cache', version: cachedVersion };

  const sdk = await trySdkDownload(log);
  const sdkVersion = sdk ? await versionOf(sdk) : undefined;
  if (sdk && sdkVersion) return { path: sdk, source: 'sdk-download', version: sdkVersion };

  await buildFromGoProxy(cached, log, env);
  const built = await versionOf(cached);
  if (!built) throw new ProvisionError(`Đã dựng nhưng ${cached} --version không chạy được.`);
  return { path: cached, source: 'built', version: built };
}
