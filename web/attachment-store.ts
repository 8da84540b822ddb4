/**
 * Where the files units attach to submissions live: outside workflow history, addressed by the
 * SHA-256 of their content (a submission records only {hash, name, type, size}). The same file
 * sent twice is stored once; a stored file never changes, so a reference can never point at other
 * bytes. Two stores: a directory (the data directory's `tep-dinh-kem/` by default) and any
 * S3-compatible object store (AWS SDK v3, path-style addressing so MinIO, Ceph and others work).
 *
 * A file stored for a submission the workflow then refuses stays in the store unreferenced; it is
 * never served (the office reaches a file only through a submission that references it).
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

export interface AttachmentStore {
  /** Stores the bytes (once) and returns their SHA-256, lowercase hex. */
  put(bytes: Buffer): Promise<string>;
  /** The bytes of a stored hash, or undefined when the store has none. */
  get(hash: string): Promise<Buffer | undefined>;
}

const HASH = /^[0-9a-f]{64}$/;

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `ab/cd/abcd…`: two levels of fan-out keep directories small. */
function relativePath(hash: string): string {
  return path.join(hash.slice(0, 2), hash.slice(2, 4), hash);
}

export function createDirectoryAttachmentStore(dir: string): AttachmentStore {
  return {
    async put(bytes) {
      const hash = sha256(bytes);
      const file = path.join(dir, relativePath(hash));
      await mkdir(path.dirname(file), { recursive: true });
      // Written aside and renamed: a reader never sees half a file, and two writers of the same
      // content both end with the same complete file.
      const temporary = `${file}.${randomUUID()}.tmp`;
      try {
        await writeFile(temporary, bytes, { flag: 'wx' });
        await rename(temporary, file);
      } finally {
        await rm(temporary, { force: true });
      }
      return hash;
    },
    async get(hash) {
      if (!HASH.test(hash)) return undefined;
      try {
        const bytes = await readFile(path.join(dir, relativePath(hash)));
        // A file damaged on disk is not served as the one the submission references.
        return sha256(bytes) === hash ? bytes : undefined;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
  };
}

export interface S3StoreOptions {
  /** e.g. https://s3.example.vn or http://127.0.0.1:9000; none = AWS itself. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Key prefix inside the bucket, e.g. "kehoach/". */
  prefix?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function createS3AttachmentStore(options: S3StoreOptions): AttachmentStore {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const key = (hash: string) => `${options.prefix ?? ''}${hash.slice(0, 2)}/${hash}`;
  return {
    async put(bytes) {
      const hash = sha256(bytes);
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: key(hash),
          Body: bytes,
          ContentType: 'application/octet-stream',
          // The store checks the upload against the hash it is named by.
          ChecksumSHA256: Buffer.from(hash, 'hex').toString('base64'),
        }),
      );
      return hash;
    },
    async get(hash) {
      if (!HASH.test(hash)) return undefined;
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: key(hash) }));
        const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
        return sha256(bytes) === hash ? bytes : undefined;
      } catch (err) {
        if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return undefined;
        throw err;
      }
    },
  };
}
