/**
 * The office forms' confirmation tokens: what one deployment signs, it and only it reads back, for
 * the purpose it was signed for, until it expires. Tokens are taken apart here by hand (split on
 * the dot, base64url) rather than with the module's own code.
 */
import { describe, expect, it } from 'vitest';
import { createSubmissionLinks } from '../../domain/keys/submission-links';
import { confirmationTokens, sentFromAnotherSite } from '../../web/confirmation-token';

const links = createSubmissionLinks('confirmation-token-secret-0123456789abcdef', 'http://127.0.0.1');
const T0 = Date.parse('2026-06-01T01:00:00.000Z');

function clock(start: number) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const CLAIMS = { account: 'vp-ha-dong', planId: 'ha-dong-2026', year: 2026, input: { dutyId: 'bc-dot-xuat', targets: ['tdp-1'] } };

describe('a confirmation token', () => {
  it('gives back the claims it was signed with, for its purpose, until it expires', () => {
    const time = clock(T0);
    const tokens = confirmationTokens(links, time.now);
    const token = tokens.sign('report-request', CLAIMS, 15 * 60_000);
    expect(tokens.verify('report-request', token)).toEqual(CLAIMS);
    time.advance(15 * 60_000 - 1);
    expect(tokens.verify('report-request', token)).toEqual(CLAIMS);
    time.advance(1);
    expect(tokens.verify('report-request', token)).toBeUndefined();
  });

  it('is refused for another purpose, by another deployment, or with its claims altered', () => {
    const tokens = confirmationTokens(links, () => T0);
    const token = tokens.sign('office-decision', ['vp-ha-dong', 'mien'], 60_000);
    expect(tokens.verify('report-request', token)).toBeUndefined();
    const elsewhere = confirmationTokens(createSubmissionLinks('another-deployment-secret-0123456789', 'http://127.0.0.1'), () => T0);
    expect(elsewhere.verify('office-decision', token)).toBeUndefined();

    const [payload, signature] = token.split('.') as [string, string];
    const sealed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { claims: unknown; expiresAt: number };
    const altered = Buffer.from(JSON.stringify({ ...sealed, claims: ['vp-an-lao', 'mien'] })).toString('base64url');
    expect(tokens.verify('office-decision', `${altered}.${signature}`)).toBeUndefined();
    const prolonged = Buffer.from(JSON.stringify({ ...sealed, expiresAt: sealed.expiresAt + 86_400_000 })).toString('base64url');
    expect(tokens.verify('office-decision', `${prolonged}.${signature}`)).toBeUndefined();
  });

  it('is refused when malformed or issued well ahead of the clock', () => {
    const tokens = confirmationTokens(links, () => T0);
    for (const bad of ['', '.', 'abc', 'abc.', '.abc', 'a.b.c', `${'x'.repeat(10)}.${'y'.repeat(43)}`]) {
      expect(tokens.verify('office-decision', bad), bad).toBeUndefined();
    }
    const future = confirmationTokens(links, () => T0 + 5 * 60_000).sign('office-decision', ['x'], 3_600_000);
    expect(tokens.verify('office-decision', future)).toBeUndefined();
    const slightlyAhead = confirmationTokens(links, () => T0 + 30_000).sign('office-decision', ['x'], 3_600_000);
    expect(tokens.verify('office-decision', slightlyAhead)).toEqual(['x']);
  });

  it('is signed with the office-form MAC of the link secret, under its purpose', () => {
    const token = confirmationTokens(links, () => T0).sign('office-decision', ['x'], 60_000);
    const [payload, signature] = token.split('.') as [string, string];
    expect(signature).toBe(links.formMac(`office-decision\n${payload}`));
  });
});

describe('a form sent from another site', () => {
  const host = 'theo-doi.ha-dong.example';
  it('is told by Sec-Fetch-Site or by an Origin naming another host, or no host at all', () => {
    expect(sentFromAnotherSite({ host, 'sec-fetch-site': 'cross-site' })).toBe(true);
    expect(sentFromAnotherSite({ host, 'sec-fetch-site': 'same-site' })).toBe(true);
    expect(sentFromAnotherSite({ host, origin: 'https://lua-dao.example' })).toBe(true);
    expect(sentFromAnotherSite({ host, origin: 'not a url' })).toBe(true);
  });

  it('is not a form of the site itself, nor one whose browser says nothing of where it came from', () => {
    expect(sentFromAnotherSite({ host, 'sec-fetch-site': 'same-origin', origin: `https://${host}` })).toBe(false);
    expect(sentFromAnotherSite({ host, origin: 'null' })).toBe(false);
    expect(sentFromAnotherSite({ host })).toBe(false);
  });
});
