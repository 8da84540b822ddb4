/**
 * Line-level checks of RFC 5545 that parsers forgive and strict consumers do not, written apart
 * from the serializer they check: CRLF after every content line (3.1), physical lines of at most
 * 75 octets with folds that never split a UTF-8 sequence, and TEXT values (3.3.11) whose COMMA,
 * SEMICOLON and BACKSLASH are escaped and whose line breaks are `\n`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { provideIcsValidator } from '../../provision/ics-validator';

/** Single-valued TEXT properties: an unescaped ',' or ';' in them is an error. */
const TEXT_PROPERTIES = new Set(['SUMMARY', 'DESCRIPTION', 'LOCATION', 'COMMENT', 'X-WR-CALNAME', 'X-WR-CALDESC']);
/** Multi-valued TEXT properties: ',' separates values, ';' must be escaped. */
const TEXT_LIST_PROPERTIES = new Set(['CATEGORIES', 'RESOURCES']);

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface ContentLine {
  name: string;
  params: string;
  value: string;
}

/** Every problem found, each naming its physical line (1-based); empty when the text is strict. */
export function strictIcsProblems(input: Buffer | string): string[] {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const problems: string[] = [];
  if (!bytes.subarray(-2).equals(Buffer.from('\r\n'))) problems.push('the last line does not end with CRLF');
  const physical: Buffer[] = [];
  let start = 0;
  for (let at = bytes.indexOf('\r\n'); at !== -1; at = bytes.indexOf('\r\n', start)) {
    physical.push(bytes.subarray(start, at));
    start = at + 2;
  }
  if (start < bytes.length) physical.push(bytes.subarray(start));
  physical.forEach((line, index) => {
    const where = `line ${index + 1}`;
    if (line.includes(0x0a) || line.includes(0x0d)) problems.push(`${where}: bare CR or LF inside the line`);
    if (line.length > 75) problems.push(`${where}: ${line.length} octets (at most 75)`);
    try {
      utf8.decode(line);
    } catch {
      problems.push(`${where}: not valid UTF-8 on its own (a fold splits a multi-byte character)`);
    }
    if (index > 0 && line.length === 0) problems.push(`${where}: empty line`);
  });
  for (const { name, value } of contentLines(bytes.toString('utf8'))) {
    if (TEXT_PROPERTIES.has(name) || TEXT_LIST_PROPERTIES.has(name)) {
      const unescaped = unescapedIn(value, TEXT_LIST_PROPERTIES.has(name) ? ';' : ',;');
      if (unescaped) problems.push(`${name}: ${unescaped} in "${value}"`);
    }
  }
  return problems;
}

/** Unfolded content lines (CRLF followed by one space or tab continues a line). */
export function contentLines(text: string): ContentLine[] {
  return text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => {
      const match = /^([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$/s.exec(line);
      if (!match) return { name: '', params: '', value: line };
      return { name: match[1]!.toUpperCase(), params: match[2]!, value: match[3]! };
    });
}

function unescapedIn(value: string, forbidden: string): string | undefined {
  for (let i = 0; i < value.length; i += 1) {
    const char = value[i]!;
    if (char === '\\') {
      const next = value[i + 1];
      if (next === undefined || !'\\;,nN'.includes(next)) return `a backslash not followed by \\ ; , or n at ${i}`;
      i += 1;
    } else if (forbidden.includes(char)) {
      return `an unescaped "${char}" at ${i}`;
    }
  }
  return undefined;
}

/**
 * ical4j in strict mode (one JVM for all files): parse + validate, including the iTIP rules of the
 * METHOD. Returns the problems per file name; throws when the validator cannot run at all, so a
 * missing Java fails the test instead of skipping it.
 */
export async function ical4jProblems(files: Record<string, string | Buffer>): Promise<Record<string, string>> {
  const validator = await provideIcsValidator(() => {});
  const dir = mkdtempSync(path.join(tmpdir(), 'kehoach-ics-'));
  try {
    const paths = Object.entries(files).map(([name, content]) => {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    });
    let output: string;
    try {
      output = execFileSync('java', [...validator.javaArgs, ...paths], { encoding: 'utf8', timeout: 60_000 });
    } catch (err) {
      const failed = err as { stdout?: string; stderr?: string; status?: number };
      if (failed.status !== 1 || !failed.stdout) {
        throw new Error(`Không chạy được bộ kiểm tra ical4j: ${failed.stderr ?? String(err)}`);
      }
      output = failed.stdout;
    }
    const problems: Record<string, string> = {};
    for (const line of output.split('\n')) {
      const failed = /^FAIL (\S+)\t(.*)$/.exec(line);
      if (failed) problems[path.basename(failed[1]!)] = failed[2]!;
    }
    const checked = output.split('\n').filter((line) => /^(OK|FAIL) /.test(line)).length;
    if (checked !== paths.length) throw new Error(`ical4j checked ${checked} of ${paths.length} files:\n${output}`);
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
