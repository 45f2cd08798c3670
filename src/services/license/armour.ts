import { CodedError } from '../../common/errors.js';

export const ARMOUR_BEGIN = '-----BEGIN ORS LICENSE-----';
export const ARMOUR_END = '-----END ORS LICENSE-----';
/** Nothing larger is even looked at: a license is a few hundred bytes. */
export const MAX_LICENSE_BYTES = 64 * 1024;
/** The only whitespace the armour tolerates (line wrapping, CRLF, indentation). */
const ARMOUR_WHITESPACE = /[ \t\r\n]/g;

/** Wraps `body` (base64) into the armour, 64 characters per line. */
export function armour(body: string): string {
  const lines = body.match(/.{1,64}/g) ?? [];
  return `${ARMOUR_BEGIN}\n${lines.join('\n')}\n${ARMOUR_END}\n`;
}

/**
 * Strict base64 (RFC 4648, padded): Buffer's decoder silently skips invalid characters and ignores
 * non-zero trailing bits, which would let many texts decode to the same bytes. Re-encoding and
 * comparing makes the encoding canonical, so any changed character is noticed.
 */
export function decodeBase64Strict(text: string, what: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  if (text.length === 0 || bytes.toString('base64') !== text) {
    throw new CodedError('license.malformed', { reason: `${what} is not canonical base64` });
  }
  return bytes;
}

/** Returns the armour's body (the base64 text, whitespace removed). Size-capped before anything else. */
export function dearmour(input: string | Uint8Array): string {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > MAX_LICENSE_BYTES) throw new CodedError('license.too-large', { max: MAX_LICENSE_BYTES });
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  if (/[^\t\n\r\x20-\x7e]/.test(text)) throw new CodedError('license.malformed', { reason: 'not an ASCII text file' });
  const trimmed = text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  if (!trimmed.startsWith(ARMOUR_BEGIN) || !trimmed.endsWith(ARMOUR_END) || trimmed.length < ARMOUR_BEGIN.length + ARMOUR_END.length) {
    throw new CodedError('license.malformed', { reason: 'no ORS LICENSE armour' });
  }
  return trimmed.slice(ARMOUR_BEGIN.length, trimmed.length - ARMOUR_END.length).replace(ARMOUR_WHITESPACE, '');
}
