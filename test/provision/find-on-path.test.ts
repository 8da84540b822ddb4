import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isOnPath } from '../../provision/find-on-path';

describe('finding a command on PATH without running it', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kehoach-path-'));
  const bin = path.join(dir, 'bin');
  const other = path.join(dir, 'other');
  mkdirSync(bin);
  mkdirSync(other);
  writeFileSync(path.join(bin, 'cong-cu'), '#!/bin/sh\nexit 0\n');
  chmodSync(path.join(bin, 'cong-cu'), 0o755);
  writeFileSync(path.join(bin, 'khong-chay-duoc'), 'not a program\n');
  chmodSync(path.join(bin, 'khong-chay-duoc'), 0o644);
  mkdirSync(path.join(other, 'thu-muc'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds an executable file in any PATH directory', () => {
    expect(isOnPath('cong-cu', { PATH: `${other}${path.delimiter}${bin}` })).toBe(true);
  });

  it('does not take a file that cannot run, a directory, another PATH or an empty one', () => {
    expect(isOnPath('khong-chay-duoc', { PATH: bin })).toBe(false);
    expect(isOnPath('thu-muc', { PATH: other })).toBe(false);
    expect(isOnPath('cong-cu', { PATH: other })).toBe(false);
    expect(isOnPath('cong-cu', {})).toBe(false);
    expect(isOnPath('cong-cu', { PATH: `${path.delimiter}${path.delimiter}` })).toBe(false);
  });
});
