/**
 * The workflow bundle. Bundling takes seconds, so tests build it once and pass it to every worker
 * they create; the worker process bundles at start-up.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type BundleOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { cachedBundle } from './bundle-output-cache';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Inside this checkout's node_modules, where build tools keep their caches. */
export const BUNDLE_CACHE_DIR = fileURLToPath(new URL('../node_modules/.cache/kehoach/workflow-bundle', import.meta.url));

/** Where the last bundle is kept with the hashes of its sources (`bundle-output-cache.ts`). */
export const BUNDLE_OUTPUT_DIR = fileURLToPath(new URL('../node_modules/.cache/kehoach/workflow-bundle-output', import.meta.url));

/**
 * `cache`: a process that bundles the same sources again (each `kehoach simulate`) reads back the
 * last bundle when none of its sources changed (`bundle-output-cache.ts`), and otherwise builds on
 * webpack's build cache kept on disk, a fraction of a second instead of seconds. Webpack checks
 * every source it read and the versions of the packages it came from, and the SDK's version names
 * the configuration, so a changed file is built again; the SDK's check for modules workflows must
 * not import runs on every build. Off by default: processes that bundle once (the worker) gain
 * nothing from it.
 */
export async function bundleKehoachWorkflows(options: { cache?: boolean } = {}): Promise<WorkflowBundleWithSourceMap> {
  return options.cache ? cachedBundle(BUNDLE_OUTPUT_DIR, () => build(true), [BUNDLER_PACKAGE]) : build(false);
}

function build(cache: boolean): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: quietBundlerLogger,
    ...(cache ? { webpackConfigHook: withBuildCache } : {}),
  });
}

type WebpackConfiguration = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

const require = createRequire(import.meta.url);
const sdkVersion = (require('@temporalio/worker/package.json') as { version: string }).version;
/** The SDK package whose bundler writes the bundle's entry module. */
const BUNDLER_PACKAGE = require.resolve('@temporalio/worker/package.json');

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
