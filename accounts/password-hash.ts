/**
 * Password hashes of the status pages' accounts: scrypt (Node's crypto) with a random 16-byte salt
 * per password, N = 2^15, r = 8, p = 1, 32-byte key — about 32 MiB and a few dozen milliseconds per
 * check, which makes guessing from a stolen accounts file expensive. Stored as
 * `scrypt$N$r$p$salt$key` (base64url), so stronger parameters can come later without
 * invalidating old hashes. Comparison is constant-time.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const SCRYPT_PARAMETERS = Object.freeze({ N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltBytes: 16 });

/** What a stored hash may ask for: bounded, so an edited accounts file cannot make a login cost gigabytes. */
const LIMITS = { minN: 2 ** 14, maxN: 2 ** 20, maxR: 32, maxP: 16 };

export const HASH_FORMAT = /^scrypt\$(\d{1,8})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{16,128})\$([A-Za-z0-9_-]{32,128})$/;

interface Parsed {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

/** The parts of a stored hash, or a Vietnamese reason it is not one this program wrote. */
export function parsePasswordHash(stored: string): Parsed | { problem: string } {
  const match = HASH_FORMAT.exec(stored);
  if (!match) return { problem: 'mã băm mật khẩu không đúng dạng scrypt$N$r$p$muối$khóa' };
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N < LIMITS.minN || N > LIMITS.maxN || r < 1 || r > LIMITS.maxR || p < 1 || p > LIMITS.maxP) {
    return { problem: `tham số scrypt ngoài giới hạn cho phép (N là lũy thừa của 2 từ ${LIMITS.minN} đến ${LIMITS.maxN}, r từ 1 đến ${LIMITS.maxR}, p từ 1 đến ${LIMITS.maxP})` };
  }
  return { N, r, p, salt: Buffer.from(match[4] as string, 'base64url'), key: Buffer.from(match[5] as string, 'base64url') };
}

function derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions & { N: number; r: number; p: number }): Promise<Buffer> {
  // Node refuses more than 32 MiB by default; N=2^15, r=8 needs exactly that plus a little.
  const maxmem = 256 * options.N * options.r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    // NFC: the same Vietnamese password typed on keyboards that compose or decompose diacritics.
    scrypt(password.normalize('NFC'), salt, keyLength, { ...options, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltBytes } = SCRYPT_PARAMETERS;
  const salt = randomBytes(saltBytes);
  const key = await derive(password, salt, keyLength, { N, r, p });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if ('problem' in parsed) return false;
  const key = await derive(password, parsed.salt, parsed.key.length, { N: parsed.N, r: parsed.r, p: parsed.p });
  return timingSafeEqual(key, parsed.key);
}

/** A hash no password matches, checked for unknown users so they take as long as known ones. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(24).toString('base64url'));
  return decoy;
}
