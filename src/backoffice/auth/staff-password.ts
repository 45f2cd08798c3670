import { randomBytes } from 'node:crypto';
import { CodedError } from '../../common/errors.js';
import { MAX_STAFF_PASSWORD, MIN_STAFF_PASSWORD } from '../../common/backoffice/staff-api.js';
import { hashSecret, verifySecret } from './verification-code.js';

/**
 * Staff passwords: scrypt (memory-hard) at N=2^15, r=8, p=3 — 32 MiB and about three times the
 * verification code's work per check, one of OWASP's equivalent scrypt settings (2^17/8/1 … 2^13/8/10).
 * Why scrypt and not Argon2id: Node 20 ships scrypt in node:crypto, while Argon2 needs a native
 * addon (npm 11 blocks its install script unless allowed, and its prebuilt binaries are a download);
 * the stored format and its verifier are the ones the verification codes already use, with the cost
 * inside each hash so it can be raised later without invalidating old ones.
 */
const PASSWORD_PARAMS = { N: 1 << 15, r: 8, p: 3 } as const;

export function checkStaffPassword(password: string): void {
  if (password.length < MIN_STAFF_PASSWORD || password.length > MAX_STAFF_PASSWORD) {
    throw new CodedError('backoffice.staff.password-length', { min: MIN_STAFF_PASSWORD, max: MAX_STAFF_PASSWORD }, { field: 'password' });
  }
}

export function hashStaffPassword(password: string): Promise<string> {
  return hashSecret(password, PASSWORD_PARAMS);
}

export const verifyStaffPassword = verifySecret;

let dummy: Promise<string> | undefined;
/** For unknown names: the same work as a real check, so timing tells nothing about which names exist. */
export function dummyStaffHash(): Promise<string> {
  dummy ??= hashStaffPassword(randomBytes(16).toString('hex'));
  return dummy;
}

/** A password for the demo technician: 4 groups of 5 unambiguous characters (≈100 bits). */
export { generateVerificationCode as generateStaffPassword } from './verification-code.js';
