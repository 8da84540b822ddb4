import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSubmissionLinks, SUBMISSION_PATH } from '../../../domain/keys/submission-links';
import { LINK_SECRET, PUBLIC_URL } from '../../activities/fixtures';

const claims = { planId: 'ha-dong-dccs-2026', year: 2026, occurrenceKey: 'bc-dccs-quy:th-ha-dong:2026-Q1', unitId: 'th-ha-dong' };

function tokenOf(link: string): string {
  return new URL(link).pathname.split(SUBMISSION_PATH)[1] ?? '';
}

describe('submission links', () => {
  const links = createSubmissionLinks(LINK_SECRET, PUBLIC_URL);

  it('builds a link under the public URL whose token verifies back to the same claims', () => {
    const link = links.linkFor(claims);
    expect(link.startsWith(`${PUBLIC_URL}${SUBMISSION_PATH}`)).toBe(true);
    expect(links.verify(tokenOf(link))).toEqual({ ok: true, claims });
  });

  it('keeps a path prefix of the public URL', () => {
    const link = createSubmissionLinks(LINK_SECRET, 'https://cong.example.vn/ha-dong/').linkFor(claims);
    expect(link.startsWith(`https://cong.example.vn/ha-dong${SUBMISSION_PATH}`)).toBe(true);
  });

  it('gives different tokens for different units, occurrences and years', () => {
    const tokens = new Set([
      links.tokenFor(claims),
      links.tokenFor({ ...claims, unitId: 'thcs-ha-dong' }),
      links.tokenFor({ ...claims, occurrenceKey: 'bc-dccs-quy:th-ha-dong:2026-Q2' }),
      links.tokenFor({ ...claims, year: 2027 }),
    ]);
    expect(tokens.size).toBe(4);
  });

  it('rejects a token whose claims were altered, even with a well-formed signature', () => {
    const [, signature] = links.tokenFor(claims).split('.');
    const forgedPayload = Buffer.from(JSON.stringify(['ha-dong-dccs-2026', 2026, claims.occurrenceKey, 'thcs-ha-dong'])).toString('base64url');
    const result = links.verify(`${forgedPayload}.${signature}`);
    expect(result).toMatchObject({ ok: false, reason: 'bad-signature' });
    if (!result.ok) expect(result.message).toMatch(/chữ ký không khớp/);
  });

  it('rejects a token signed with another secret', () => {
    const other = createSubmissionLinks('another-secret-that-is-long-enough', PUBLIC_URL);
    expect(links.verify(other.tokenFor(claims))).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a flipped signature character and a truncated signature', () => {
    const token = links.tokenFor(claims);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(links.verify(token.slice(0, -1) + last)).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(links.verify(token.slice(0, -4))).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('accepts only the issued spelling of a token, not the variants base64url decodes alike', () => {
    const token = links.tokenFor(claims);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.at(-1) ?? '');
    // A 32-byte signature is 43 characters: the last one carries 4 bits, its 2 low bits are padding.
    const variants = [1, 2, 3].map((low) => token.slice(0, -1) + alphabet[(last & ~3) | ((last + low) & 3)]);
    for (const variant of variants) {
      expect(Buffer.from(variant.split('.')[1] ?? '', 'base64url')).toEqual(Buffer.from(token.split('.')[1] ?? '', 'base64url'));
      expect(links.verify(variant)).toMatchObject({ ok: false, reason: 'bad-signature' });
    }
    expect(links.verify(token)).toMatchObject({ ok: true });
  });

  it.each(['', 'abc', 'a.b.c', '.sig', 'payload.', 'bad payload.sig', 'pay/load.sig'])(
    'rejects the malformed token %j',
    (token) => {
      expect(links.verify(token)).toMatchObject({ ok: false, reason: 'malformed' });
    },
  );

  it('rejects a correctly signed token that does not carry the expected claims', () => {
    // A payload of the wrong shape, signed with the real secret in the token's own format.
    const payload = Buffer.from(JSON.stringify({ planId: 'x' })).toString('base64url');
    const signature = createHmac('sha256', LINK_SECRET).update('kehoach/submission-link/v1\n').update(payload).digest('base64url');
    expect(links.verify(`${payload}.${signature}`)).toMatchObject({ ok: false, reason: 'bad-claims' });
  });

  it('refuses a short secret', () => {
    expect(() => createSubmissionLinks('short', PUBLIC_URL)).toThrow(/ít nhất 16 ký tự/);
  });

  describe('calendar feed links', () => {
    const unit = { planId: claims.planId, year: claims.year, unitId: claims.unitId };
    const tokenOfFeed = (link: string) => new URL(link.replace(/^webcal:/, 'https:')).pathname.replace(/^\/lich\//, '').replace(/\.ics$/, '');

    it('is a webcal link under the public URL, the same every time, naming the unit it opens', () => {
      const link = links.feedLinkFor(unit);
      expect(link).toBe(links.feedLinkFor(unit));
      expect(link).toMatch(new RegExp(`^webcal://${new URL(PUBLIC_URL).host}/lich/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.ics$`));
      expect(links.verifyFeed(tokenOfFeed(link))).toEqual(unit);
    });

    it('is its own MAC: HMAC-SHA256 of the unit under the feed context, not a submission token, and revoked by a new secret', () => {
      const token = tokenOfFeed(links.feedLinkFor(unit));
      const [payload] = token.split('.');
      expect(token.split('.')[1]).toBe(createHmac('sha256', LINK_SECRET).update('kehoach/calendar-feed/v1\n').update(payload!).digest('base64url'));
      expect(links.verify(token).ok).toBe(false);
      expect(links.verifyFeed(links.tokenFor(claims))).toBeUndefined();
      expect(createSubmissionLinks('a-rotated-secret-0123456789', PUBLIC_URL).verifyFeed(token)).toBeUndefined();
      expect(links.verifyFeed(tokenOfFeed(links.feedLinkFor({ ...unit, unitId: 'thcs-ha-dong' })))).toEqual({ ...unit, unitId: 'thcs-ha-dong' });
    });
  });
});
