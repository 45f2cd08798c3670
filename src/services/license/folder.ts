import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CodedError, type ErrorInfo } from '../../common/errors.js';
import type { LicensePayload } from '../../common/license/model.js';
import { licenseError } from '../../common/license/validity.js';
import { TEMP_MARKER } from '../fs/atomic-file.js';
import type { LicenseVerifier, VerifiedLicense } from './signer.js';
import { readCapped } from './trust.js';

/** A license file in a license folder that verified and is valid now. */
export interface FolderLicense {
  readonly file: string;
  readonly kid: string;
  readonly sha256: string;
  readonly payload: LicensePayload;
}

/** A file in the license folder that is not served, and why. */
export interface FolderProblem {
  readonly file: string;
  readonly error: ErrorInfo;
}

export interface FolderScan {
  /** The best valid license per serial (highest seq). */
  readonly served: readonly FolderLicense[];
  /** Valid licenses that are superseded by a higher seq. */
  readonly superseded: readonly FolderLicense[];
  readonly problems: readonly FolderProblem[];
}

/** Files writers leave around that are never licenses: temp files of atomic writes and kept previous versions. */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.includes(TEMP_MARKER) || name.endsWith('.prev') || name.endsWith('~');
}

interface CacheEntry {
  readonly stamp: string;
  readonly result: VerifiedLicense | CodedError;
}

/**
 * Reads every license file of a folder, verifying each, and picks the best valid license per serial.
 * Verification results are cached per file identity (inode, size, mtime): an atomic rename gives
 * the new file a new inode, so a replaced file is always verified again.
 */
export class LicenseFolderScanner {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly folder: string,
    private readonly verifier: LicenseVerifier,
  ) {}

  async scan(now: number = Date.now(), serial?: string): Promise<FolderScan> {
    const names = await fs.readdir(this.folder).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [] as string[];
      throw new CodedError('io.read-failed', { path: this.folder, reason: e.code ?? e.message }, { cause: e });
    });
    const valid: FolderLicense[] = [];
    const problems: FolderProblem[] = [];
    const seen = new Set<string>();
    for (const name of names.sort()) {
      if (isIgnoredName(name)) continue;
      const file = path.join(this.folder, name);
      const st = await fs.stat(file).catch(() => undefined);
      if (!st?.isFile()) continue;
      seen.add(name);
      const stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
      let entry = this.cache.get(name);
      if (entry?.stamp !== stamp) {
        entry = { stamp, result: await this.verifyFile(file) };
        this.cache.set(name, entry);
      }
      const r = entry.result;
      if (r instanceof CodedError) {
        problems.push({ file: name, error: r.toInfo() });
        continue;
      }
      const invalid = licenseError(r.payload, { now, ...(serial !== undefined ? { serial } : {}) });
      if (invalid) problems.push({ file: name, error: invalid.toInfo() });
      else valid.push({ file: name, kid: r.kid, sha256: r.payloadSha256, payload: r.payload });
    }
    for (const name of this.cache.keys()) if (!seen.has(name)) this.cache.delete(name);
    const best = new Map<string, FolderLicense>();
    for (const l of valid) {
      const b = best.get(l.payload.serial);
      if (!b || l.payload.seq > b.payload.seq) best.set(l.payload.serial, l);
    }
    const served = [...best.values()].sort((a, b) => a.payload.serial.localeCompare(b.payload.serial));
    return { served, superseded: valid.filter((l) => !served.includes(l)), problems };
  }

  private async verifyFile(file: string): Promise<VerifiedLicense | CodedError> {
    try {
      return this.verifier.verify(await readCapped(file));
    } catch (e) {
      if (e instanceof CodedError) return e;
      return new CodedError('io.read-failed', { path: path.basename(file), reason: e instanceof Error ? e.message : String(e) });
    }
  }
}
