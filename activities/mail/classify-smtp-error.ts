/**
 * Decides whether a failed send is worth retrying. RFC 5321: a 5yz reply is a permanent refusal
 * (the same message would be refused again), a 4yz reply is transient. 503 "bad sequence" is a
 * session-state problem, not a verdict on the message, so it counts as transient (as nodemailer's
 * own `err.permanent` does). Anything without an SMTP reply (refused connection, timeout, dropped
 * socket, DNS) is transient too: the server never judged the message.
 */

export type SmtpFailure =
  | { kind: 'permanent'; reason: string; responseCode: number }
  | { kind: 'transient'; reason: string; code: string | undefined };

interface SmtpErrorShape {
  message?: unknown;
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  permanent?: unknown;
}

export function isPermanentReplyCode(code: number): boolean {
  return code >= 500 && code < 600 && code !== 503;
}

export function classifySmtpError(err: unknown): SmtpFailure {
  const e = (err !== null && typeof err === 'object' ? err : {}) as SmtpErrorShape;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const reply = typeof e.response === 'string' ? e.response.trim() : undefined;
  const message = typeof e.message === 'string' ? e.message : String(err);
  const permanent = typeof e.permanent === 'boolean' ? e.permanent : responseCode !== undefined && isPermanentReplyCode(responseCode);
  // A refused login is the operator's configuration, not the recipient's fault: keep retrying
  // (bounded by the workflow's policy) so fixing the credentials lets the digest through.
  if (permanent && responseCode !== undefined && code !== 'EAUTH') {
    return { kind: 'permanent', reason: reply ?? message, responseCode };
  }
  return { kind: 'transient', reason: reply ?? message, code };
}
