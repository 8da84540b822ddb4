/**
 * The workflow bundle. Bundling takes seconds, so tests build it once and pass it to every worker
 * they create; the worker process bundles at start-up.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type BundleOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Inside this checkout's node_modules, where build tools keep their caches. */
export const BUNDLE_CACHE_DIR = fileURLToPath(new URL('../node_modules/.cache/kehoach/workflow-bundle', import.meta.url));

/**
 * `cache`: keep webpack's build cache on disk, so a process that bundles the same sources again
 * (each `kehoach simulate`) spends a fraction of a second instead of seconds. Webpack checks every
 * source it read and the versions of the packages it came from, and the SDK's version names the
 * configuration, so a changed file is built again; the SDK's check for modules workflows must
 * not import still runs on every build. Off by default: processes that bundle once (the worker)
 * gain nothing from it.
 */
export async function bundleKehoachWorkflows(options: { cache?: boolean } = {}): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: quietBundlerLogger,
    ...(options.cache ? { webpackConfigHook: withBuildCache } : {}),
  });
}

type WebpackConfiguration = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

const sdkVersion = (createRequire(import.meta.url)('@temporalio/worker/package.json') as { version: string }).version;

function withBuildCache(config: WebpackConfiguration): WebpackConfiguration {
  return { ...config, cache: { type: 'filesystem', cacheDirectory: BUNDLE_CACHE_DIR, version: `temporalio-worker-${sdkVersion}` } };
}

const ignore = (): void => {};
/** The bundler logs every step at info level; only problems matter here. */
const quietBundlerLogger = {
  trace: ignore,
  debug: ignore,
  info: ignore,
  log: ignore,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};
