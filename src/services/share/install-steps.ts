import { createHash, randomBytes } from 'node:crypto';
import { validateShareFileName } from '../../common/unc.js';
import { codeOf, FATAL_CODES, shareError } from './share-errors.js';
import { retrying, SHARING_VIOLATION_RETRY, type RetryDeps, type RetryPolicy } from './retry.js';

/**
 * The file operations an install needs, on one connection to the license folder. Each throws a
 * CodedError (`share.no-such-file`, `share.access-denied`, `share.sharing-violation`, …).
 */
export interface RemoteFolderOps {
  put(data: Uint8Array, name: string): Promise<void>;
  get(name: string): Promise<Uint8Array>;
  /** A second name for the same file; rejected on servers without hard links. */
  hardlink(existing: string, link: string): Promise<void>;
  /** Renames, replacing `to` if it exists. */
  rename(from: string, to: string): Promise<void>;
  del(name: string): Promise<void>;
}

export interface InstallOptions extends RetryDeps {
  readonly retry?: RetryPolicy;
  /** Unique part of the temporary names (random by default). */
  readonly id?: string;
}

export const TEMP_MARKER = '.tmp-';

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function tempNamesFor(name: string, id: string): { tmp: string; prevTmp: string; prev: string } {
  return { tmp: `.${name}${TEMP_MARKER}${id}`, prevTmp: `.${name}.prev${TEMP_MARKER}${id}`, prev: `${name}.prev` };
}

/**
 * Installs `data` as `name` so that the folder always holds a complete license under `name`:
 *   1. put the new content under a temporary name (a failure leaves `name` untouched);
 *   2. give the current `name` a second name and move that over `<name>.prev` (a hard link, so the
 *      current file is never absent; servers without hard links get a copy instead);
 *   3. rename the temporary file over `name` — atomic on the server;
 *   4. read `name` back and compare its SHA-256.
 * Temporary files are removed on failure. Sharing violations (the target held open) are retried
 * with back-off. Returns the hex SHA-256.
 */
export async function installAtomically(ops: RemoteFolderOps, name: string, data: Uint8Array, options: InstallOptions = {}): Promise<string> {
  validateShareFileName(name);
  const expected = sha256Hex(data);
  const { tmp, prevTmp, prev } = tempNamesFor(name, options.id ?? randomBytes(6).toString('hex'));
  const policy = options.retry ?? SHARING_VIOLATION_RETRY;
  const again = <T>(fn: () => Promise<T>): Promise<T> =>
    retrying(fn, (e) => codeOf(e) === 'share.sharing-violation', policy, options);
  const created = new Set<string>();
  try {
    await ops.put(data, tmp);
    created.add(tmp);
    const hadPrevious = await keepPrevious(ops, name, prevTmp, created, again);
    if (hadPrevious) {
      await again(() => ops.rename(prevTmp, prev));
      created.delete(prevTmp);
    }
    await again(() => ops.rename(tmp, name));
    created.delete(tmp);
  } catch (e) {
    if (!FATAL_CODES.has(codeOf(e) ?? '')) {
      for (const leftover of created) await ops.del(leftover).catch(() => undefined);
    }
    throw e;
  }
  const actual = sha256Hex(await again(() => ops.get(name)));
  if (actual !== expected) throw shareError('share.readback-mismatch', { name, expected, actual });
  return expected;
}

async function keepPrevious(
  ops: RemoteFolderOps,
  name: string,
  prevTmp: string,
  created: Set<string>,
  again: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<boolean> {
  try {
    await again(() => ops.hardlink(name, prevTmp));
    created.add(prevTmp);
    return true;
  } catch (e) {
    const code = codeOf(e);
    if (code === 'share.no-such-file') return false;
    if (code !== 'share.failed' && code !== 'share.access-denied') throw e;
  }
  // No hard links on this server: keep a copy instead.
  let old: Uint8Array;
  try {
    old = await again(() => ops.get(name));
  } catch (e) {
    if (codeOf(e) === 'share.no-such-file') return false;
    throw e;
  }
  created.add(prevTmp);
  await ops.put(old, prevTmp);
  return true;
}
