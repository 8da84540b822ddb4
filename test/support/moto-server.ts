/**
 * An S3-compatible server for the attachment store's tests: moto's standalone server (PyPI
 * `moto[server]`), an EMULATOR of the S3 API, not S3 itself. It speaks the S3 wire protocol the AWS
 * SDK v3 client uses (signatures, checksums, path-style buckets), which is what the store relies
 * on; a real bucket's durability is not what these tests check. Installed on first use into a
 * virtualenv in the provisioning cache (like the ical4j validator), pinned to one version.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { cacheDir } from '../../provision/cache-dir';
import { freePort } from '../../provision/free-port';
import { waitFor } from './wait-for';

export const MOTO_VERSION = '5.1.18';

export interface MotoServer {
  endpoint: string;
  stop(): Promise<void>;
}

function motoBinary(): string {
  const venv = path.join(cacheDir(), `moto-${MOTO_VERSION}`);
  const binary = path.join(venv, 'bin', 'moto_server');
  if (!existsSync(binary)) {
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', `moto[server]==${MOTO_VERSION}`], { stdio: 'inherit', timeout: 600_000 });
  }
  return binary;
}

export async function startMotoServer(): Promise<MotoServer> {
  const binary = motoBinary();
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitFor('moto server answering', async () => fetch(`${endpoint}/moto-api/`).then((r) => r.ok, () => false), { timeoutMs: 60_000, intervalMs: 200 });
  return {
    endpoint,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
