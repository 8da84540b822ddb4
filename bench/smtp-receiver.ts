/**
 * A real SMTP server on loopback for the burst benchmark: it accepts every message and notes when
 * its DATA ended and its Message-ID, nothing more (parsing each message as the tests' server does
 * would spend the CPU the benchmark measures).
 */
import type { AddressInfo, Server } from 'node:net';
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

const MESSAGE_ID = /^Message-ID:\s*(<[^>\r\n]+>)/im;
const HEADER_END = '\r\n\r\n';

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const arrivals: Arrival[] = [];
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
        arrivals.push({ at: Date.now(), messageId: MESSAGE_ID.exec(head.split(HEADER_END)[0] ?? '')?.[1] ?? '' });
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
  const { port } = (server as unknown as { server: Server }).server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrivals,
    get connections() {
      return connections;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
