import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CodedError } from '../../common/errors.js';
import { MAX_LICENSE_BYTES } from './armour.js';
import { createLicenseVerifier, kidOf, type LicenseVerifier, type TrustedKey } from './signer.js';

const MAX_KEY_BYTES = 16 * 1024;

/**
 * Reads trusted vendor public keys from files and folders (every `*.pub` in a folder). Several keys
 * may be trusted at once, so the vendor can rotate keys. The kid is the key's fingerprint.
 */
export async function loadTrustedKeys(paths: readonly string[]): Promise<TrustedKey[]> {
  const files: string[] = [];
  for (const p of paths) {
    const st = await fs.stat(p).catch((cause: unknown) => {
      throw new CodedError('io.read-failed', { path: p, reason: (cause as NodeJS.ErrnoException).code ?? String(cause) }, { cause });
    });
    if (st.isDirectory()) {
      const names = (await fs.readdir(p)).filter((n) => n.endsWith('.pub')).sort();
      files.push(...names.map((n) => path.join(p, n)));
    } else files.push(p);
  }
  const keys: TrustedKey[] = [];
  for (const f of files) {
    const pem = (await readCapped(f, MAX_KEY_BYTES)).toString('utf8');
    try {
      keys.push({ kid: kidOf(pem), publicKeyPem: pem });
    } catch (cause) {
      throw new CodedError('license.key-invalid', { reason: `${f} is not a public key` }, { cause });
    }
  }
  if (keys.length === 0) throw new CodedError('license.no-trusted-keys');
  return keys;
}

export async function loadVerifier(paths: readonly string[]): Promise<LicenseVerifier> {
  return createLicenseVerifier(await loadTrustedKeys(paths));
}

/** Reads at most `max` bytes; a larger file is refused without reading it (license.too-large). */
export async function readCapped(file: string, max: number = MAX_LICENSE_BYTES): Promise<Buffer> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (cause) {
    throw new CodedError('io.read-failed', { path: file, reason: (cause as NodeJS.ErrnoException).code ?? String(cause) }, { cause });
  }
  try {
    const buf = Buffer.alloc(max + 1);
    let n = 0;
    while (n < buf.length) {
      const { bytesRead } = await handle.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    if (n > max) throw new CodedError('license.too-large', { max });
    return buf.subarray(0, n);
  } finally {
    await handle.close();
  }
}
