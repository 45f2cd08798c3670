import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { CodedError } from '../../common/errors.js';
import type { LicenseEnvelope, LicensePayload, LicenseSigner } from '../../common/license/model.js';
import { armour, dearmour, decodeBase64Strict } from './armour.js';
import { validatePayloadShape } from './payload-schema.js';

/** Domain separation: a license signature can never be mistaken for a signature over anything else. */
export const LICENSE_SIGNATURE_DOMAIN = Buffer.from('ORS-LICENSE-v1\0', 'latin1');
const KID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const ENVELOPE_KEYS = ['alg', 'kid', 'payload', 'sig', 'v'];
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface GeneratedKeyPair {
  readonly kid: string;
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

export interface TrustedKey {
  /** Defaults to the key's fingerprint (kidOf). */
  readonly kid?: string;
  readonly publicKeyPem: string;
}

/** A license whose signature holds and whose payload has the right shape (dates/serial not yet judged). */
export interface VerifiedLicense {
  readonly kid: string;
  readonly payload: LicensePayload;
  /** The payload bytes exactly as signed. */
  readonly payloadBytes: Uint8Array;
  /** Hex SHA-256 of the payload bytes: identifies the license regardless of armour whitespace. */
  readonly payloadSha256: string;
}

export interface LicenseVerifier {
  /** kids of the trusted keys. */
  readonly kids: readonly string[];
  /** Throws a CodedError (license.too-large, license.malformed, license.unknown-kid, license.signature-invalid, license.payload-invalid). */
  verify(text: string | Uint8Array): VerifiedLicense;
}

/** The key id of a public key: a fingerprint, so a kid cannot be claimed for another key. */
export function kidOf(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const raw = key.export({ format: 'der', type: 'spki' });
  return `ors-${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
}

export function generateKeyPair(): GeneratedKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    kid: kidOf(publicKey),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

function encodePayload(payload: LicensePayload): Buffer {
  // Validate what we sign: a signer must never produce a license the verifier rejects.
  validatePayloadShape(JSON.parse(JSON.stringify(payload)));
  return Buffer.from(JSON.stringify(payload), 'utf8');
}

/** Signs payloads into armoured license text. `kid` defaults to the key's fingerprint. */
export function createLicenseSigner(privateKeyPem: string, kid?: string): LicenseSigner {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new CodedError('license.key-invalid', { reason: 'not an Ed25519 private key' });
  const id = kid ?? kidOf(createPublicKey(key));
  if (!KID_PATTERN.test(id)) throw new CodedError('license.key-invalid', { reason: 'kid must match [A-Za-z0-9._-]{1,64}' });
  return {
    kid: id,
    sign(payload: LicensePayload): string {
      const bytes = encodePayload(payload);
      const sig = sign(null, Buffer.concat([LICENSE_SIGNATURE_DOMAIN, bytes]), key);
      const envelope: LicenseEnvelope = { v: 1, alg: 'Ed25519', kid: id, payload: bytes.toString('base64'), sig: sig.toString('base64') };
      return armour(Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64'));
    },
  };
}

function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    throw new CodedError('license.malformed', { reason: `${what} is not JSON` });
  }
}

function readEnvelope(text: string | Uint8Array): { kid: string; payloadBytes: Buffer; sig: Buffer } {
  const body = dearmour(text);
  const env = parseJson(decodeBase64Strict(body, 'armour body'), 'envelope');
  if (!env || typeof env !== 'object' || Array.isArray(env)) throw new CodedError('license.malformed', { reason: 'envelope is not an object' });
  const e = env as Record<string, unknown>;
  if (Object.keys(e).sort().join(',') !== ENVELOPE_KEYS.join(',')) {
    throw new CodedError('license.malformed', { reason: `envelope must have exactly ${ENVELOPE_KEYS.join(', ')}` });
  }
  if (e['v'] !== 1) throw new CodedError('license.malformed', { reason: 'unsupported envelope version' });
  if (e['alg'] !== 'Ed25519') throw new CodedError('license.malformed', { reason: 'unsupported signature algorithm' });
  const { kid, payload, sig } = e;
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) throw new CodedError('license.malformed', { reason: 'kid' });
  if (typeof payload !== 'string' || typeof sig !== 'string') throw new CodedError('license.malformed', { reason: 'payload and sig must be strings' });
  const sigBytes = decodeBase64Strict(sig, 'sig');
  if (sigBytes.length !== 64) throw new CodedError('license.malformed', { reason: 'sig must be 64 bytes' });
  return { kid, payloadBytes: decodeBase64Strict(payload, 'payload'), sig: sigBytes };
}

/** A verifier that trusts exactly the given public keys (several at once, so keys can be rotated). */
export function createLicenseVerifier(trustedKeys: readonly (TrustedKey | string)[]): LicenseVerifier {
  const ring = new Map<string, KeyObject>();
  for (const t of trustedKeys) {
    const pem = typeof t === 'string' ? t : t.publicKeyPem;
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch (cause) {
      throw new CodedError('license.key-invalid', { reason: 'not a public key' }, { cause });
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new CodedError('license.key-invalid', { reason: 'not an Ed25519 public key' });
    ring.set((typeof t === 'string' ? undefined : t.kid) ?? kidOf(key), key);
  }
  return {
    kids: [...ring.keys()],
    verify(text) {
      const { kid, payloadBytes, sig } = readEnvelope(text);
      const key = ring.get(kid);
      if (!key) throw new CodedError('license.unknown-kid', { kid });
      if (!verify(null, Buffer.concat([LICENSE_SIGNATURE_DOMAIN, payloadBytes]), key, sig)) {
        throw new CodedError('license.signature-invalid', { kid });
      }
      // Only now, with the signature holding, is anything of the payload looked at.
      const payload = validatePayloadShape(parseJson(payloadBytes, 'payload'));
      return { kid, payload, payloadBytes, payloadSha256: createHash('sha256').update(payloadBytes).digest('hex') };
    },
  };
}
