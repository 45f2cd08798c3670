import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** Where the Licenses area finds its vendor keys and how it runs the embedded FLS (tests rebind it). */
export interface LicensesConfig {
  /** The plugin's data folder: trusted keys in `trust/`, the embedded FLS's default folder. */
  readonly dataDir: string;
  /** Trusted vendor keys (default: `<dataDir>/trust` if present, then $ORS_LICENSE_TRUST, looked up on each use). */
  readonly trustPaths?: readonly string[];
  /** argv prefix running `ors`, for the embedded FLS. */
  readonly orsCommand?: readonly string[];
  /** How often the FLS's status is read. */
  readonly pollMs?: number;
}
export const LicensesConfig = Symbol('LicensesConfig');

export function defaultTrustPaths(dataDir: string): string[] {
  const own = path.join(dataDir, 'trust');
  const env = (process.env['ORS_LICENSE_TRUST'] ?? '').split(path.delimiter).filter(Boolean);
  return [...(existsSync(own) ? [own] : []), ...env];
}

export function trustPathsOf(c: LicensesConfig): readonly string[] {
  return c.trustPaths ?? defaultTrustPaths(c.dataDir);
}
