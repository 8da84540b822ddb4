/**
 * A real SMTP server on loopback for the burst benchmark, in a process of its own
 * (`smtp-receiver-process.ts`): it accepts every message and notes when its DATA ended and its
 * Message-ID, nothing more (parsing each message as the tests' server does would spend the CPU
 * the benchmark measures).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Arrival {
  /** Date.now() when the server accepted the message. */
  at: number;
  messageId: string;
}

/** What the receiver's process tells this one. */
export type ReceiverReport =
  | { type: 'listening'; url: string }
  | { type: 'arrivals'; arrivals: Arrival[]; connections: number };

export interface SmtpReceiver {
  url: string;
  /** Every arrival reported so far, in order (reported every 100 ms). */
  arrivals: Arrival[];
  /** Connections opened by clients so far. */
  readonly connections: number;
  close(): Promise<void>;
}

const RECEIVER_SCRIPT = fileURLToPath(new URL('./smtp-receiver-process.ts', import.meta.url));

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const child = fork(RECEIVER_SCRIPT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const arrivals: Arrival[] = [];
  let connections = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the SMTP receiver exited (${code}) before it listened`)));
    child.on('message', (report: ReceiverReport) => {
      if (report.type === 'listening') resolve(report.url);
      else {
        arrivals.push(...report.arrivals);
        connections = report.connections;
      }
    });
  });
  return {
    url,
    arrivals,
    get connections() {
      return connections;
    },
    async close() {
      if (child.connected) child.send('close');
      await exited;
    },
  };
}
