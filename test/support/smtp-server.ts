/**
 * A real SMTP server on 127.0.0.1 (random port) for tests: it captures and parses every message
 * it accepts, and can be told to misbehave the way real servers do (a 4xx "try later" at the end
 * of DATA, a 5xx for chosen recipients, or a connection dropped before the greeting).
 */
import type { Server, Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMessage {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  readonly port: number;
  /** smtp://127.0.0.1:PORT */
  readonly url: string;
  /** Messages the server accepted (250 after DATA), in order. */
  readonly messages: CapturedMessage[];
  /** Every MAIL FROM the server saw: one per send attempt that got past the greeting. */
  readonly transactions: number;
  readonly connections: number;
  /** Answer the next `count` messages with a transient reply at the end of DATA. */
  failNextMessages(count: number, code?: number, text?: string): void;
  /** Refuse these recipient addresses at RCPT TO with a permanent reply. */
  rejectRecipients(addresses: string[], code?: number, text?: string): void;
  /** Close the next `count` connections as soon as they open, before any greeting. */
  dropNextConnections(count: number): void;
  /** While down, every transaction is refused at MAIL FROM with 421 (the server is unavailable). */
  setDown(down: boolean): void;
  /** Transactions refused while down. */
  readonly refusedWhileDown: number;
  close(): Promise<void>;
}

function smtpError(code: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode: code });
}

export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const messages: CapturedMessage[] = [];
  const rejected = new Map<string, { code: number; text: string }>();
  let transientFailures = { remaining: 0, code: 451, text: '' };
  let dropsRemaining = 0;
  let down = false;
  let refusedWhileDown = 0;
  let transactions = 0;
  let connections = 0;

  const server = new SMTPServer({
    logger: false,
    // A client's pooled idle connection must not hold close() for smtp-server's default 30 s.
    closeTimeout: 200,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onMailFrom(_address, _session, callback) {
      transactions += 1;
      if (down) {
        refusedWhileDown += 1;
        callback(smtpError(421, '4.3.2 Máy chủ thư đang ngừng phục vụ'));
        return;
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      const rule = rejected.get(address.address.toLowerCase());
      callback(rule ? smtpError(rule.code, rule.text) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (transientFailures.remaining > 0) {
          transientFailures.remaining -= 1;
          callback(smtpError(transientFailures.code, transientFailures.text));
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            messages.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              },
              raw,
              parsed,
            });
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  server.on('error', () => {
    // A socket we destroyed on purpose surfaces here; the test observes the client side.
  });
  const netServer = (server as unknown as { server: Server }).server;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Runs after smtp-server's own handler has adopted the socket, so destroying it looks to the
  // client exactly like a server that hung up.
  netServer.on('connection', (socket: Socket) => {
    connections += 1;
    if (dropsRemaining > 0) {
      dropsRemaining -= 1;
      socket.destroy();
    }
  });
  const address = netServer.address();
  if (address === null || typeof address === 'string') throw new Error('test SMTP server has no TCP address');

  return {
    port: address.port,
    url: `smtp://127.0.0.1:${address.port}`,
    messages,
    get transactions() {
      return transactions;
    },
    get connections() {
      return connections;
    },
    failNextMessages(count, code = 451, text = '4.3.0 Hệ thống tạm thời bận, xin thử lại sau') {
      transientFailures = { remaining: count, code, text };
    },
    rejectRecipients(addresses, code = 550, text = '5.1.1 Hộp thư không tồn tại') {
      for (const a of addresses) rejected.set(a.toLowerCase(), { code, text });
    },
    dropNextConnections(count) {
      dropsRemaining = count;
    },
    setDown(value) {
      down = value;
    },
    get refusedWhileDown() {
      return refusedWhileDown;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
