// NTLMv2 messages (MS-NLMP) for proxy authentication. Written here rather than taken from a package:
// the npm NTLM clients drive their own HTTP requests against an origin's 401 (not a proxy CONNECT on a
// socket we own), and several still default to NTLMv1. MD4 comes from js-md4 (Node 20's OpenSSL has none).
import { createHmac, randomBytes } from 'node:crypto';
import md4 from 'js-md4';

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

export const NtlmFlags = {
  unicode: 0x00000001,
  oem: 0x00000002,
  requestTarget: 0x00000004,
  ntlm: 0x00000200,
  alwaysSign: 0x00008000,
  extendedSessionSecurity: 0x00080000,
  targetInfo: 0x00800000,
  negotiate128: 0x20000000,
  negotiate56: 0x80000000,
} as const;

const TYPE1_FLAGS =
  NtlmFlags.unicode |
  NtlmFlags.oem |
  NtlmFlags.requestTarget |
  NtlmFlags.ntlm |
  NtlmFlags.alwaysSign |
  NtlmFlags.extendedSessionSecurity |
  NtlmFlags.negotiate128 |
  NtlmFlags.negotiate56;

/** Type 1 (NEGOTIATE), without domain or workstation. */
export function createNegotiateMessage(): Buffer {
  const b = Buffer.alloc(32);
  SIGNATURE.copy(b, 0);
  b.writeUInt32LE(1, 8);
  b.writeUInt32LE(TYPE1_FLAGS >>> 0, 12);
  b.writeUInt32LE(32, 20); // empty domain buffer, offset after header
  b.writeUInt32LE(32, 28); // empty workstation buffer
  return b;
}

export interface NtlmChallenge {
  readonly flags: number;
  readonly serverChallenge: Buffer;
  readonly targetInfo: Buffer;
  readonly targetName: string;
}

/** Parses a Type 2 (CHALLENGE) message; throws a plain Error when it is malformed. */
export function parseChallengeMessage(msg: Buffer): NtlmChallenge {
  if (msg.length < 32 || !msg.subarray(0, 8).equals(SIGNATURE) || msg.readUInt32LE(8) !== 2) throw new Error('not an NTLM challenge');
  const field = (at: number): Buffer => {
    const len = msg.readUInt16LE(at);
    const off = msg.readUInt32LE(at + 4);
    if (len === 0) return Buffer.alloc(0);
    if (off + len > msg.length) throw new Error('NTLM challenge field out of range');
    return msg.subarray(off, off + len);
  };
  const flags = msg.readUInt32LE(20);
  const name = field(12);
  const targetInfo = msg.length >= 48 && flags & NtlmFlags.targetInfo ? field(40) : Buffer.alloc(0);
  return {
    flags,
    serverChallenge: Buffer.from(msg.subarray(24, 32)),
    targetInfo: Buffer.from(targetInfo),
    targetName: flags & NtlmFlags.unicode ? name.toString('utf16le') : name.toString('latin1'),
  };
}

const utf16 = (s: string): Buffer => Buffer.from(s, 'utf16le');
const hmacMd5 = (key: Buffer, ...data: Buffer[]): Buffer => {
  const h = createHmac('md5', key);
  for (const d of data) h.update(d);
  return h.digest();
};

/** NTOWFv2 = HMAC_MD5(MD4(UTF-16LE(password)), UTF-16LE(UPPER(user) + domain)). */
export function ntowfv2(password: string, user: string, domain: string): Buffer {
  const ntHash = Buffer.from(md4.arrayBuffer(utf16(password)));
  return hmacMd5(ntHash, utf16(user.toUpperCase() + domain));
}

/** The MsvAvTimestamp of the target info, when the server sent one (then it must be used). */
function avTimestamp(targetInfo: Buffer): Buffer | undefined {
  for (let at = 0; at + 4 <= targetInfo.length; ) {
    const id = targetInfo.readUInt16LE(at);
    const len = targetInfo.readUInt16LE(at + 2);
    if (id === 0) return undefined;
    if (id === 7 && len === 8) return targetInfo.subarray(at + 4, at + 12);
    at += 4 + len;
  }
  return undefined;
}

/** Windows FILETIME (100 ns since 1601-01-01) as 8 bytes little-endian. */
export function fileTime(ms: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE((BigInt(ms) + 11644473600000n) * 10000n);
  return b;
}

export interface NtlmV2Input {
  readonly username: string;
  readonly password: string;
  readonly domain: string;
  readonly workstation?: string;
  readonly challenge: NtlmChallenge;
  /** For tests with known vectors; random otherwise. */
  readonly clientChallenge?: Buffer;
  readonly timestamp?: Buffer;
}

/** The NTLMv2 response pieces (exported for the published test vector). */
export function ntlmv2Responses(input: NtlmV2Input): { ntResponse: Buffer; lmResponse: Buffer; ntProofStr: Buffer } {
  const key = ntowfv2(input.password, input.username, input.domain);
  const clientChallenge = input.clientChallenge ?? randomBytes(8);
  const serverTs = avTimestamp(input.challenge.targetInfo);
  const timestamp = input.timestamp ?? serverTs ?? fileTime(Date.now());
  const temp = Buffer.concat([
    Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]),
    timestamp,
    clientChallenge,
    Buffer.alloc(4),
    input.challenge.targetInfo,
    Buffer.alloc(4),
  ]);
  const ntProofStr = hmacMd5(key, input.challenge.serverChallenge, temp);
  // With a server timestamp, MS-NLMP says the LMv2 response is zeros.
  const lmResponse = serverTs
    ? Buffer.alloc(24)
    : Buffer.concat([hmacMd5(key, input.challenge.serverChallenge, clientChallenge), clientChallenge]);
  return { ntResponse: Buffer.concat([ntProofStr, temp]), lmResponse, ntProofStr };
}

/** Type 3 (AUTHENTICATE) with NTLMv2 responses. */
export function createAuthenticateMessage(input: NtlmV2Input): Buffer {
  const { ntResponse, lmResponse } = ntlmv2Responses(input);
  const unicode = (input.challenge.flags & NtlmFlags.unicode) !== 0;
  const str = (s: string): Buffer => (unicode ? utf16(s) : Buffer.from(s, 'latin1'));
  const fields = [lmResponse, ntResponse, str(input.domain), str(input.username), str(input.workstation ?? ''), Buffer.alloc(0)];
  const header = Buffer.alloc(64);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(3, 8);
  let offset = 64;
  fields.forEach((f, i) => {
    const at = 12 + i * 8;
    header.writeUInt16LE(f.length, at);
    header.writeUInt16LE(f.length, at + 2);
    header.writeUInt32LE(offset, at + 4);
    offset += f.length;
  });
  const flags = (input.challenge.flags & TYPE1_FLAGS & ~(unicode ? NtlmFlags.oem : 0)) | NtlmFlags.ntlm | (unicode ? NtlmFlags.unicode : NtlmFlags.oem);
  header.writeUInt32LE(flags >>> 0, 60);
  return Buffer.concat([header, ...fields]);
}
