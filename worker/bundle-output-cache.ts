/**
 * The last workflow bundle kept on disk with the content hash of every source it was built from,
 * so a process that needs the bundle of unchanged sources (each `kehoach simulate`) reads it back
 * in milliseconds instead of running webpack again (0.7–0.8 s even on webpack's own cache).
 *
 * The sources are the ones the bundle's inline source map lists: every module webpack put in it,
 * ours and those of node_modules, plus the files the caller names (the bundler's own package: it
 * writes the entry module, which lives only in memory and so is not checked itself). A changed,
 * moved or deleted source, or a bundle without a source map, means building again. A module newly
 * imported is found through the file that imports it, which changed.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { writeFileAtomic } from '../config/write-file-atomic';

interface Manifest {
  /** Absolute source path → sha256 of its content when the bundle was built. */
  sources: Record<string, string>;
}

const BUNDLE_FILE = 'workflow-bundle.js';
const MANIFEST_FILE = 'workflow-bundle.sources.json';

/** The kept bundle when every one of its sources is unchanged, else a new one from `build`, kept. */
export async function cachedBundle(
  cacheDir: string,
  build: () => Promise<WorkflowBundleWithSourceMap>,
  alsoDependsOn: string[] = [],
): Promise<WorkflowBundleWithSourceMap> {
  const kept = await keptBundle(cacheDir);
  if (kept) return kept;
  const bundle = await build();
  const sources = sourcesOf(bundle.code);
  if (sources) {
    // Best effort: a cache that cannot be written only costs the next process a build.
    await keep(cacheDir, bundle.code, [...sources, ...alsoDependsOn]).catch(() => {});
  }
  return bundle;
}

async function keptBundle(cacheDir: string): Promise<WorkflowBundleWithSourceMap | undefined> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(cacheDir, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  const entries = Object.entries(manifest.sources ?? {});
  if (entries.length === 0) return undefined;
  const hashes = await Promise.all(entries.map(([file]) => hashOf(file)));
  if (entries.some(([, hash], i) => hashes[i] !== hash)) return undefined;
  try {
    const code = await readFile(path.join(cacheDir, BUNDLE_FILE), 'utf8');
    return { code, sourceMap: '' };
  } catch {
    return undefined;
  }
}

async function keep(cacheDir: string, code: string, sourceFiles: string[]): Promise<void> {
  const hashes = await Promise.all(sourceFiles.map(hashOf));
  // A source that is not a file was made in memory by the bundler (its entry module).
  const sources = Object.fromEntries(
    sourceFiles.flatMap((file, i) => (hashes[i] === undefined ? [] : [[file, hashes[i] as string] as const])),
  );
  // The bundle first: a manifest never vouches for a bundle that is not there yet.
  await writeFileAtomic(path.join(cacheDir, BUNDLE_FILE), code);
  await writeFileAtomic(path.join(cacheDir, MANIFEST_FILE), `${JSON.stringify({ sources } satisfies Manifest)}\n`);
}

/** The files of the bundle's inline source map (webpack's own runtime modules are not files). */
export function sourcesOf(code: string): string[] | undefined {
  const match = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  if (!match?.[1]) return undefined;
  try {
    const map = JSON.parse(Buffer.from(match[1], 'base64').toString('utf8')) as { sources?: unknown };
    if (!Array.isArray(map.sources)) return undefined;
    return map.sources.filter((source): source is string => typeof source === 'string' && path.isAbsolute(source));
  } catch {
    return undefined;
  }
}

async function hashOf(file: string): Promise<string | undefined> {
  try {
    return createHash('sha256').update(await readFile(file)).digest('hex');
  } catch {
    return undefined;
  }
}
