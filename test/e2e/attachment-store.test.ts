/**
 * Both attachment stores through the same checks: content addressing (the key is the SHA-256 of
 * the bytes, computed here with node:crypto), the same file stored once, unknown and malformed
 * hashes answered "none", and bytes that no longer match their hash never served. The S3 store
 * runs against moto's S3 server (an emulator of the S3 API, see test/support/moto-server.ts) with
 * the AWS SDK v3 client, path-style as any S3-compatible store is addressed.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDirectoryAttachmentStore, createS3AttachmentStore, type AttachmentStore } from '../../web/attachment-store';
import { type MotoServer, startMotoServer } from '../support/moto-server';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const CREDENTIALS = { accessKeyId: 'kehoach-test', secretAccessKey: 'kehoach-test-secret' };
const BUCKET = 'kehoach-tep';

let moto: MotoServer;
let raw: S3Client;
const dir = mkdtempSync(path.join(os.tmpdir(), 'kehoach-attachments-'));

beforeAll(async () => {
  moto = await startMotoServer();
  raw = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: CREDENTIALS });
  await raw.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 600_000);

afterAll(async () => {
  raw?.destroy();
  await moto?.stop();
});

const stores: [string, () => AttachmentStore, (hash: string, bytes: Buffer) => Promise<void>][] = [
  [
    'directory',
    () => createDirectoryAttachmentStore(dir),
    async (hash, bytes) => writeFileSync(path.join(dir, hash.slice(0, 2), hash.slice(2, 4), hash), bytes),
  ],
  [
    'S3 (moto emulator)',
    () => createS3AttachmentStore({ endpoint: moto.endpoint, region: 'us-east-1', bucket: BUCKET, prefix: 'tep/', credentials: CREDENTIALS }),
    async (hash, bytes) => void (await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: `tep/${hash.slice(0, 2)}/${hash}`, Body: bytes }))),
  ],
];

describe.each(stores)('%s attachment store', (_name, makeStore, overwrite) => {
  it('stores bytes under their SHA-256, once, and gives them back unchanged', async () => {
    const store = makeStore();
    const bytes = Buffer.from(`%PDF-1.4 biên bản ${_name}\n`, 'utf8');
    const hash = await store.put(bytes);
    expect(hash).toBe(sha256(bytes));
    expect(await store.put(Buffer.from(bytes))).toBe(hash);
    expect((await store.get(hash))?.equals(bytes)).toBe(true);
  });

  it('answers none for an unknown or malformed hash', async () => {
    const store = makeStore();
    expect(await store.get(sha256(Buffer.from('chưa từng lưu')))).toBeUndefined();
    expect(await store.get('../../etc/passwd')).toBeUndefined();
    expect(await store.get('A'.repeat(64))).toBeUndefined();
  });

  it('never serves bytes that no longer match their hash', async () => {
    const store = makeStore();
    const bytes = Buffer.from(`bảng số liệu ${_name}`, 'utf8');
    const hash = await store.put(bytes);
    await overwrite(hash, Buffer.from('đã bị sửa', 'utf8'));
    expect(await store.get(hash)).toBeUndefined();
  });
});

it('keeps one object per distinct content in the S3 bucket and one file per content in the directory', async () => {
  const listed = await raw.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'tep/' }));
  expect(listed.KeyCount).toBe(2);
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  expect(files.map((entry) => entry.name).every((name) => /^[0-9a-f]{64}$/.test(name))).toBe(true);
  expect(files).toHaveLength(2);
});
