/**
 * Signed submission links: the email tells a unit where to submit one occurrence, and the token
 * in the link proves which plan, occurrence and unit the link was issued for. The token carries
 * no expiry: whether a period is still open is the workflow's decision, not the link's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SubmissionClaims {
  planId: string;
  year: number;
  occurrenceKey: string;
  unitId: string;
}

export type LinkRejection = 'malformed' | 'bad-signature' | 'bad-claims';

export type LinkVerification =
  | { ok: true; claims: SubmissionClaims }
  | { ok: false; reason: LinkRejection; message: string };

/** Whose calendar feed a feed link opens: one unit of one plan year. */
export interface FeedClaims {
  planId: string;
  year: number;
  unitId: string;
}

export interface SubmissionLinks {
  linkFor(claims: SubmissionClaims): string;
  /** The token alone, for callers that build their own URL. */
  tokenFor(claims: SubmissionClaims): string;
  verify(token: string): LinkVerification;
  /**
   * The unit's calendar subscription (webcal://): stable while the secret is, and revoked for every
   * unit at once by rotating it. Its MAC is under its own context, so a feed link opens no form.
   */
  feedLinkFor(claims: FeedClaims): string;
  verifyFeed(token: string): FeedClaims | undefined;
  /** A MAC of an office form's content (its anti-forgery token); none outside this deployment can make one. */
  formMac(payload: string): string;
}

/** Path under the public URL where a unit's calendar feed answers; the token and `.ics` follow it. */
export const FEED_PATH = '/lich/';

/** Path under the public URL where the submission page answers; the token follows it. */
export const SUBMISSION_PATH = '/nop/';

/** Separates these MACs from any other use of the same secret. */
const MAC_CONTEXT = 'kehoach/submission-link/v1\n';
const FEED_CONTEXT = 'kehoach/calendar-feed/v1\n';
const FORM_CONTEXT = 'kehoach/office-form/v1\n';
const MIN_SECRET_LENGTH = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Base64url ignores the unused low bits of a last character, so one token has several spellings
 * that decode alike; only the spelling this module issues is accepted, so a link is one string.
 */
function isCanonicalBase64url(text: string): boolean {
  return Buffer.from(text, 'base64url').toString('base64url') === text;
}

const REJECTION_MESSAGES: Record<LinkRejection, string> = {
  malformed: 'Đường dẫn nộp báo cáo không đúng định dạng. Vui lòng mở lại đường dẫn trong thư điện tử.',
  'bad-signature':
    'Đường dẫn nộp báo cáo không hợp lệ (chữ ký không khớp): đường dẫn đã bị sửa đổi hoặc không do hệ thống cấp.',
  'bad-claims': 'Đường dẫn nộp báo cáo thiếu thông tin về kế hoạch, kỳ báo cáo hoặc đơn vị.',
};

export function createSubmissionLinks(secret: string, publicUrl: string): SubmissionLinks {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`Khóa ký đường dẫn phải có ít nhất ${MIN_SECRET_LENGTH} ký tự.`);
  }
  const base = new URL(publicUrl);
  const mac = (payload: string, context = MAC_CONTEXT): Buffer => createHmac('sha256', secret).update(context).update(payload).digest();
  const feedToken = (claims: FeedClaims): string => {
    const payload = Buffer.from(JSON.stringify([claims.planId, claims.year, claims.unitId]), 'utf8').toString('base64url');
    return `${payload}.${mac(payload, FEED_CONTEXT).toString('base64url')}`;
  };

  const tokenFor = (claims: SubmissionClaims): string => {
    const payload = Buffer.from(
      JSON.stringify([claims.planId, claims.year, claims.occurrenceKey, claims.unitId]),
      'utf8',
    ).toString('base64url');
    return `${payload}.${mac(payload).toString('base64url')}`;
  };

  const reject = (reason: LinkRejection): LinkVerification => ({
    ok: false,
    reason,
    message: REJECTION_MESSAGES[reason],
  });

  return {
    tokenFor,
    linkFor(claims) {
      const url = new URL(base);
      url.pathname = `${url.pathname.replace(/\/+$/, '')}${SUBMISSION_PATH}${tokenFor(claims)}`;
      return url.toString();
    },
    verify(token) {
      const parts = token.split('.');
      const [payload, signature] = parts;
      if (parts.length !== 2 || !payload || !signature || !BASE64URL.test(payload) || !BASE64URL.test(signature)) {
        return reject('malformed');
      }
      // Not a spelling this module issues: someone edited the link.
      if (!isCanonicalBase64url(payload) || !isCanonicalBase64url(signature)) return reject('bad-signature');
      const expected = mac(payload);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reject('bad-signature');
      const claims = parseClaims(Buffer.from(payload, 'base64url').toString('utf8'));
      return claims ? { ok: true, claims } : reject('bad-claims');
    },
    feedLinkFor(claims) {
      const url = new URL(base);
      url.pathname = `${url.pathname.replace(/\/+$/, '')}${FEED_PATH}${feedToken(claims)}.ics`;
      // webcal:// is how mail clients and phones recognise a subscription rather than a download.
      return url.toString().replace(/^https?:/, 'webcal:');
    },
    verifyFeed(token) {
      const [payload, signature, ...rest] = token.split('.');
      if (rest.length > 0 || !payload || !signature || !BASE64URL.test(payload) || !BASE64URL.test(signature)) return undefined;
      if (!isCanonicalBase64url(payload) || !isCanonicalBase64url(signature)) return undefined;
      const expected = mac(payload, FEED_CONTEXT);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      return parseFeedClaims(Buffer.from(payload, 'base64url').toString('utf8'));
    },
    formMac(payload) {
      return mac(payload, FORM_CONTEXT).toString('base64url');
    },
  };
}

/** The array of `length` values a claim's JSON holds, or undefined for anything else. */
function jsonTuple(json: string, length: number): unknown[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  return Array.isArray(value) && value.length === length ? value : undefined;
}

function parseFeedClaims(json: string): FeedClaims | undefined {
  const value = jsonTuple(json, 3);
  if (!value) return undefined;
  const [planId, year, unitId] = value;
  if (typeof planId !== 'string' || !planId || typeof unitId !== 'string' || !unitId) return undefined;
  if (typeof year !== 'number' || !Number.isInteger(year)) return undefined;
  return { planId, year, unitId };
}

function parseClaims(json: string): SubmissionClaims | undefined {
  const value = jsonTuple(json, 4);
  if (!value) return undefined;
  const [planId, year, occurrenceKey, unitId] = value;
  if (typeof planId !== 'string' || !planId) return undefined;
  if (typeof year !== 'number' || !Number.isInteger(year)) return undefined;
  if (typeof occurrenceKey !== 'string' || !occurrenceKey) return undefined;
  if (typeof unitId !== 'string' || !unitId) return undefined;
  return { planId, year, occurrenceKey, unitId };
}
