/**
 * The signed confirmations of the office's forms (decisions on an item, ad-hoc report requests,
 * entry sheets).
 * The status pages sign in with HTTP Basic, which a browser also sends with a form another site
 * posts; so a form that changes something is accepted only with the token its confirmation page
 * issued. The token carries its claims (what the page showed: the account, the plan, the exact
 * request) and when it expires, signed with the office-form MAC of the deployment's link secret, so
 * any web process of the deployment accepts it and nobody else can make one. Each kind of form
 * signs under its own purpose, so a token of one kind never passes as another.
 *
 * Format: `<base64url JSON {claims, issuedAt, expiresAt}>.<MAC of "purpose\npayload">`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { SubmissionLinks } from '../domain/keys/submission-links';

export type ConfirmationPurpose = 'office-decision' | 'report-request' | 'report-sheet';

export interface ConfirmationTokens {
  sign(purpose: ConfirmationPurpose, claims: unknown, validMs: number): string;
  /**
   * The claims of a token this deployment signed for `purpose` and that has not expired; undefined
   * for anything else (altered, forged, another purpose, expired, issued in the future, malformed).
   * The caller still checks the claims against the request in hand.
   */
  verify(purpose: ConfirmationPurpose, token: string): unknown;
}

/** A token issued this far ahead of our clock (another process's) is still accepted. */
const CLOCK_SKEW_MS = 60_000;

interface Sealed {
  claims: unknown;
  issuedAt: number;
  expiresAt: number;
}

export function confirmationTokens(links: Pick<SubmissionLinks, 'formMac'>, now: () => number = Date.now): ConfirmationTokens {
  const mac = (purpose: ConfirmationPurpose, payload: string) => links.formMac(`${purpose}\n${payload}`);
  return {
    sign(purpose, claims, validMs) {
      const issuedAt = now();
      const sealed: Sealed = { claims, issuedAt, expiresAt: issuedAt + validMs };
      const payload = Buffer.from(JSON.stringify(sealed), 'utf8').toString('base64url');
      return `${payload}.${mac(purpose, payload)}`;
    },
    verify(purpose, token) {
      const parts = token.split('.');
      const [payload, signature] = parts;
      if (parts.length !== 2 || !payload || !signature) return undefined;
      const expected = Buffer.from(mac(purpose, payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      let sealed: Partial<Sealed>;
      try {
        sealed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Sealed>;
      } catch {
        return undefined;
      }
      const at = now();
      if (typeof sealed.issuedAt !== 'number' || typeof sealed.expiresAt !== 'number') return undefined;
      if (sealed.expiresAt <= at || sealed.issuedAt > at + CLOCK_SKEW_MS) return undefined;
      return sealed.claims;
    },
  };
}

/**
 * Whether the browser says another site sent this form (Sec-Fetch-Site, or an Origin naming
 * another host): such a post is refused before its token is even read.
 */
export function sentFromAnotherSite(headers: { 'sec-fetch-site'?: string | string[]; origin?: string; host?: string }): boolean {
  const site = headers['sec-fetch-site'];
  const origin = headers.origin;
  if (site === 'cross-site' || site === 'same-site') return true;
  if (origin === undefined || origin === 'null') return false;
  try {
    return new URL(origin).host !== headers.host;
  } catch {
    return true;
  }
}
