/** A server could not be provided; the message says what to install or set (Vietnamese, user-facing). */
export class ProvisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProvisionError';
  }
}

export type Log = (line: string) => void;
