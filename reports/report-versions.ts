/**
 * The versions of a plan's year-end report on disk: `<dataDir>/reports/<plan>-<year>/`, one
 * `v<N>-<hash>.docx` per version (hash = the first 12 hex digits of its SHA-256) beside a
 * `v<N>-<hash>.json` that says when it was built and mailed. Written by the plan's report activity,
 * read by the office page. A version is written once: a retried attempt finds it and reuses it.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../config/write-file-atomic';
import { namesIn } from '../config/data-dir';

export interface StoredReportVersion {
  planId: string;
  year: number;
  version: number;
  /** ISO UTC: the figures are as of this instant. */
  asOf: string;
  /** The .docx file name in the plan's report folder. */
  file: string;
  hash: string;
  messageId: string;
  /** ISO UTC, when the mail server took it (absent until then). */
  sentAt?: string;
}

const VERSION_FILE = /^v(\d+)-([0-9a-f]{12})\.json$/;

export function reportVersionsDir(dataDir: string, planId: string, year: number): string {
  return path.join(dataDir, 'reports', `${planId}-${year}`);
}

export function contentHash(docx: Buffer): string {
  return createHash('sha256').update(docx).digest('hex').slice(0, 12);
}

/** Every stored version of the plan's report, oldest first; none when the folder does not exist. */
export async function listReportVersions(dataDir: string, planId: string, year: number): Promise<StoredReportVersion[]> {
  const dir = reportVersionsDir(dataDir, planId, year);
  const names = await namesIn(dir);
  const versions: StoredReportVersion[] = [];
  for (const name of names) {
    if (!VERSION_FILE.test(name)) continue;
    versions.push(JSON.parse(await readFile(path.join(dir, name), 'utf8')) as StoredReportVersion);
  }
  return versions.sort((a, b) => a.version - b.version);
}

export async function findReportVersion(dataDir: string, planId: string, year: number, version: number): Promise<StoredReportVersion | undefined> {
  return (await listReportVersions(dataDir, planId, year)).find((stored) => stored.version === version);
}

export async function readReportDocx(dataDir: string, stored: StoredReportVersion): Promise<Buffer> {
  return readFile(path.join(reportVersionsDir(dataDir, stored.planId, stored.year), stored.file));
}

/** Stores a new version's document and its record (the .docx first, so a record never names a missing file). */
export async function storeReportVersion(dataDir: string, stored: StoredReportVersion, docx: Buffer): Promise<void> {
  const dir = reportVersionsDir(dataDir, stored.planId, stored.year);
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, stored.file), docx);
  await writeRecord(dir, stored);
}

export async function markReportVersionSent(dataDir: string, stored: StoredReportVersion, sentAt: string): Promise<StoredReportVersion> {
  const updated = { ...stored, sentAt };
  await writeRecord(reportVersionsDir(dataDir, stored.planId, stored.year), updated);
  return updated;
}

async function writeRecord(dir: string, stored: StoredReportVersion): Promise<void> {
  await writeFileAtomic(path.join(dir, stored.file.replace(/\.docx$/, '.json')), `${JSON.stringify(stored, null, 2)}\n`);
}
