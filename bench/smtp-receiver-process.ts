/**
 * The burst benchmark's SMTP server, run as a process of its own (`smtp-receiver.ts` starts it):
 * it accepts every message and notes when its DATA ended and its Message-ID, nothing more, and
 * reports them to its parent in batches. A real mail server never shares the worker's event loop;
 * in the bench's process its protocol work would be charged to the worker's activities.
 */
import type { AddressInfo, Server } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Arrival, ReceiverReport } from './smtp-receiver';

const MESSAGE_ID = /^Message-ID:\s*(<[^>\r\n]+>)/im;
const HEADER_END = '\r\n\r\n';
/** How often arrivals go to the parent: each keeps the instant it was accepted, so this only delays the count. */
const REPORT_EVERY_MS = 100;

const send = (report: ReceiverReport): void => {
  process.send?.(report);
};

let pending: Arrival[] = [];
let connections = 0;
const server = new SMTPServer({
  logger: false,
  closeTimeout: 200,
  disabledCommands: ['STARTTLS', 'AUTH'],
  size: 10 * 2 ** 20,
  onConnect(_session, callback) {
    connections += 1;
    callback();
  },
  onData(stream, _session, callback) {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (!head.includes(HEADER_END)) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      pending.push({ at: Date.now(), messageId: MESSAGE_ID.exec(head.split(HEADER_END)[0] ?? '')?.[1] ?? '' });
      callback();
    });
  },
});

const flush = (): void => {
  if (pending.length === 0) return;
  send({ type: 'arrivals', arrivals: pending, connections });
  pending = [];
};
const reporting = setInterval(flush, REPORT_EVERY_MS);

server.listen(0, '127.0.0.1', () => {
  const { port } = (server as unknown as { server: Server }).server.address() as AddressInfo;
  send({ type: 'listening', url: `smtp://127.0.0.1:${port}` });
});
process.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(reporting);
  server.close(() => {
    flush();
    process.disconnect?.();
  });
});
// The parent gone, nothing is left to report to.
process.on('disconnect', () => process.exit(0));
