/**
 * The start-up check of the custom search attributes against the real dev server: the embedded
 * namespace has them, a fresh namespace gets them registered, and a namespace where they cannot be
 * registered (its ten Keyword slots of SQL visibility already taken, a real refusal of the server)
 * stops the standalone worker with the names and the command to add them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { msToTs } from '@temporalio/common/lib/time';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../domain/user-error';
import { ensureSearchAttributes } from '../../operations/search-attributes';
import { devServer } from '../support/temporal-servers';
import { waitFor } from '../support/wait-for';

const T = proto.temporal.api.enums.v1.IndexedValueType;
/** What the README tells operators to register, written out independently of the code's table. */
const EXPECTED: Record<string, number> = {
  KehoachPlan: T.INDEXED_VALUE_TYPE_KEYWORD,
  KehoachYear: T.INDEXED_VALUE_TYPE_INT,
  KehoachDuty: T.INDEXED_VALUE_TYPE_KEYWORD,
  KehoachUnits: T.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  KehoachStatus: T.INDEXED_VALUE_TYPE_KEYWORD,
  KehoachNextDeadline: T.INDEXED_VALUE_TYPE_DATETIME,
  KehoachAlert: T.INDEXED_VALUE_TYPE_KEYWORD,
};

let connection: Connection;
const address = () => devServer().address;

async function customAttributes(namespace: string): Promise<Record<string, number>> {
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  return Object.fromEntries(Object.entries(listed.customAttributes ?? {}).map(([name, type]) => [name, Number(type)]));
}

/** A namespace of its own, known to the server's caches before it is used. */
async function freshNamespace(prefix: string): Promise<string> {
  const namespace = `${prefix}-${process.pid}-${Date.now()}`;
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  await waitFor(`namespace ${namespace} usable`, () => customAttributes(namespace).then(() => true, () => false), { timeoutMs: 60_000, intervalMs: 500 });
  return namespace;
}

function runWorker(namespace: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: address(),
      TEMPORAL_NAMESPACE: namespace,
      KEHOACH_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'kehoach-sa-')),
      KEHOACH_LINK_SECRET: 'khoa-bi-mat-cua-phep-thu-thuoc-tinh-tim-kiem',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  // A worker that got past the check would run until stopped.
  const stop = setTimeout(() => child.kill('SIGTERM'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(stop);
      resolve({ code, stderr, stdout });
    }),
  );
}

beforeAll(async () => {
  connection = await Connection.connect({ address: address() });
});
afterAll(async () => {
  await connection?.close();
});

describe('search attributes at start-up', () => {
  it('finds every attribute, with its type, on the embedded namespace and registers nothing', async () => {
    expect(await ensureSearchAttributes(connection, 'default')).toEqual({ registered: [] });
    const present = await customAttributes('default');
    for (const [name, type] of Object.entries(EXPECTED)) expect(present[name], name).toBe(type);
  });

  it('registers what a fresh namespace lacks, once', async () => {
    const namespace = await freshNamespace('kehoach-sa-moi');
    const before = await customAttributes(namespace);
    expect(Object.keys(EXPECTED).filter((name) => name in before)).toEqual([]);

    const first = await ensureSearchAttributes(connection, namespace);
    expect([...first.registered].sort()).toEqual(Object.keys(EXPECTED).sort());
    const present = await customAttributes(namespace);
    for (const [name, type] of Object.entries(EXPECTED)) expect(present[name], name).toBe(type);
    expect(await ensureSearchAttributes(connection, namespace)).toEqual({ registered: [] });
  });

  it('refuses a namespace where an attribute has another type, naming it', async () => {
    const namespace = await freshNamespace('kehoach-sa-sai-kieu');
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: { KehoachPlan: T.INDEXED_VALUE_TYPE_INT } });
    const refusal = await ensureSearchAttributes(connection, namespace).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(UserError);
    expect((refusal as Error).message).toContain('KehoachPlan (cần kiểu Keyword)');
    expect((refusal as Error).message).toContain(`"${namespace}"`);
  });

  it('stops the worker with the missing names and the commands when the server refuses to register them', async () => {
    const namespace = await freshNamespace('kehoach-sa-day');
    const taken = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`Khac${String(i + 1).padStart(2, '0')}`, T.INDEXED_VALUE_TYPE_KEYWORD]));
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: taken });

    const { code, stderr, stdout } = await runWorker(namespace);
    expect(stdout).not.toContain('Worker đang chạy');
    expect(code, stderr).toBe(1);
    expect(stderr).toContain(`Lỗi: không gian tên "${namespace}" thiếu 7 thuộc tính tìm kiếm mà kehoach cần: KehoachPlan, KehoachYear, KehoachDuty, KehoachUnits, KehoachStatus, KehoachNextDeadline, KehoachAlert`);
    expect(stderr).toContain(`temporal operator search-attribute create --namespace ${namespace} --name KehoachUnits --type KeywordList`);
    expect(stderr).toContain(`temporal operator search-attribute create --namespace ${namespace} --name KehoachNextDeadline --type Datetime`);
    expect(stderr).not.toMatch(/\n\s+at /);
    // Nothing was registered half-way.
    expect(Object.keys(await customAttributes(namespace)).filter((name) => name.startsWith('Kehoach'))).toEqual([]);
  });
});
