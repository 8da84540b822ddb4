/**
 * A real SMTP server on loopback for the burst benchmark: it accepts every message and notes when
 * its DATA ended and its Message-ID, nothing more (parsing each message as the tests' server does
 * would spend the CPU the benchmark measures). It runs in a process of its own, as a mail server
 * would: in the worker's process its protocol work shared the event loop the activities run on.
 */
import { fork } from 'node:child_process';
import type { AddressInfo, Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';

export interface Arrival {
  /** Date.now() when the server accepted the message. */
  at: number;
  messageId: string;
}

export interface SmtpReceiver {
  url: string;
  arrivals: Arrival[];
  /** Connections opened by clients so far. */
  readonly connections: number;
  close(): Promise<void>;
}

type ReceiverMessage = { port: number } | { arrival: Arrival } | { connected: true };

const MESSAGE_ID = /^Message-ID:\s*(<[^>\r\n]+>)/im;
const HEADER_END = '\r\n\r\n';

/** Starts the receiver in a child process; arrivals and connections come back over IPC. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const arrivals: Arrival[] = [];
  let connections = 0;
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the SMTP receiver stopped at start (exit ${code})`)));
    child.on('message', (message: ReceiverMessage) => {
      if ('port' in message) resolve(message.port);
      else if ('arrival' in message) arrivals.push(message.arrival);
      else connections += 1;
    });
  });
  child.removeAllListeners('exit');
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrivals,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

async function serve(): Promise<void> {
  const send = (message: ReceiverMessage) => process.send?.(message);
  const server = new SMTPServer({
    logger: false,
    closeTimeout: 200,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: 10 * 2 ** 20,
    onConnect(_session, callback) {
      send({ connected: true });
      callback();
    },
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (!head.includes(HEADER_END)) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        send({ arrival: { at: Date.now(), messageId: MESSAGE_ID.exec(head.split(HEADER_END)[0] ?? '')?.[1] ?? '' } });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  send({ port: ((server as unknown as { server: Server }).server.address() as AddressInfo).port });
  process.on('disconnect', () => process.exit(0));
}

if (process.argv.includes('--serve')) await serve();
