import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost: N=2^15, r=8 (~32 MiB, tens of ms): slow for a guesser, fine for a login a minute. */
const PARAMS = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_LEN = 32;

function scryptAsync(secret: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r * 2 };
  return new Promise((resolve, reject) =>
    scrypt(secret.normalize('NFC'), salt, KEY_LEN, options, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

/** A slow hash of a secret with the given cost: `scrypt$N$r$p$saltB64$hashB64` (the cost travels with it). */
export async function hashSecret(secret: string, params: { N: number; r: number; p: number }): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** A slow hash of a verification code. */
export function hashVerificationCode(code: string): Promise<string> {
  return hashSecret(code, PARAMS);
}

/** Constant-time check of a secret against a stored hash (any cost); false (never a throw) for a malformed hash. */
export async function verifySecret(code: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length !== KEY_LEN) return false;
  const actual = await scryptAsync(code, salt, { N, r, p });
  return timingSafeEqual(actual, expected);
}

export const verifyVerificationCode = verifySecret;

/** A hash of a random code, used for unknown organisations so their answer takes as long as a real check. */
let dummyHash: Promise<string> | undefined;
export function dummyVerificationHash(): Promise<string> {
  dummyHash ??= hashVerificationCode(randomBytes(16).toString('hex'));
  return dummyHash;
}

/** A new verification code: 20 characters of an unambiguous alphabet in groups (≈100 bits). */
export function generateVerificationCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}
