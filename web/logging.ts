/**
 * Structured logs of the web app (pino, fastify's own logger): one JSON line per request and one
 * per notable event: errors, failed logins and lockouts, rate limiting, refused links and requests.
 * Never logged: passwords, the Authorization and Cookie headers, and submission tokens: a token in
 * a path is replaced by a short hash of it, enough to tell requests for the same link apart.
 */
import { createHash } from 'node:crypto';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { PRIVATE_FILE_MODE } from '../config/data-dir';
import { SUBMISSION_PATH } from '../domain/keys/submission-links';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The first 12 hex digits of the token's SHA-256: identifies a link in the logs without revealing it. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

const TOKEN_IN_PATH = new RegExp(`${SUBMISSION_PATH.replace(/\//g, '\\/')}([^/?#\\s'"]+)`, 'g');

/** Replaces every submission token in a URL or message by `#<hash>`. */
export function withoutTokens(text: string): string {
  return text.replace(TOKEN_IN_PATH, (_match, token: string) => `${SUBMISSION_PATH}#${tokenHash(token)}`);
}

interface LoggedError {
  type?: string;
  code?: string;
  statusCode?: number;
  message?: string;
  stack?: string;
}

function serializeError(error: LoggedError): LoggedError {
  return {
    type: error.constructor?.name ?? error.type,
    ...(error.code ? { code: error.code } : {}),
    ...(error.statusCode ? { statusCode: error.statusCode } : {}),
    message: withoutTokens(String(error.message ?? '')),
    ...(error.stack ? { stack: withoutTokens(error.stack) } : {}),
  };
}

export function webLoggerOptions(level: LogLevel): LoggerOptions {
  return {
    level,
    base: { name: 'kehoach-web' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Nothing logs headers or credentials on purpose; this is the net under a future mistake.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', 'password', '*.password'],
      censor: '[ẩn]',
    },
    serializers: { err: serializeError },
  };
}

/** A logger for the web app writing JSON lines to `destination` (a file, stdout, or a test's stream). */
export function createWebLogger(level: LogLevel, destination: DestinationStream): Logger {
  return pino(webLoggerOptions(level), destination);
}

/** The log file in the data directory, private to the service user, appended to across restarts. */
export function logFileDestination(file: string): DestinationStream {
  return pino.destination({ dest: file, mkdir: true, append: true, sync: false, mode: PRIVATE_FILE_MODE });
}
