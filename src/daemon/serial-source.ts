import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { CodedError, toErrorInfo, type ErrorInfo } from '../common/errors.js';
import { remoteFlsUrl, type LicenseServerSelection } from '../common/license-server/selection.js';
import { fetchFlsStatus } from '../services/license-server/fls-client.js';
import { LicenseFolderScanner } from '../services/license/folder.js';
import { loadVerifier } from '../services/license/trust.js';

export type SerialResult = { readonly serial: string } | { readonly error: ErrorInfo };

/** Where the serial number of this installation comes from: the license the selected license server serves. */
export interface SerialSource {
  read(signal?: AbortSignal): Promise<SerialResult>;
}

export interface SerialSourceOptions {
  /** `<data-dir>/plugins/<plugin>`: trusted keys in `trust/`, the default local license folder in `licenses/`. */
  readonly pluginDir: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly flsTimeoutMs?: number;
}

/** The same trust the console's Licenses area uses: `<pluginDir>/trust`, then $ORS_LICENSE_TRUST. */
export function daemonTrustPaths(pluginDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const own = path.join(pluginDir, 'trust');
  const extra = (env['ORS_LICENSE_TRUST'] ?? '').split(path.delimiter).filter(Boolean);
  return [...(existsSync(own) ? [own] : []), ...extra];
}

/**
 * Reads the serial from the selected license server: a remote one or a local one with an FLS URL
 * through the FLS's status; a local one without (the console runs an embedded FLS then) by scanning
 * its license folder with the same trust. The first served license's serial, as in the console.
 */
export function createSerialSource(selection: LicenseServerSelection | undefined, o: SerialSourceOptions): SerialSource {
  const timeout = o.flsTimeoutMs ?? 5_000;
  const viaFls = (url: string): SerialSource => ({
    async read(signal) {
      try {
        const s = await fetchFlsStatus(url, timeout, signal);
        const serial = s.licenses[0]?.payload.serial;
        return serial ? { serial } : { error: { code: 'ors.serial.none-served' } };
      } catch (e) {
        return { error: toErrorInfo(e) };
      }
    },
  });
  if (!selection) {
    return { read: async () => ({ error: { code: 'ors.serial.no-license-server' } }) };
  }
  if (selection.kind === 'remote') return viaFls(remoteFlsUrl(selection));
  if (selection.flsUrl) return viaFls(selection.flsUrl);
  let scanner: LicenseFolderScanner | undefined;
  return {
    async read() {
      try {
        if (!scanner) {
          const trust = daemonTrustPaths(o.pluginDir, o.env);
          if (trust.length === 0) throw new CodedError('license.no-trusted-keys');
          scanner = new LicenseFolderScanner(selection.folder, await loadVerifier(trust));
        }
        const scan = await scanner.scan();
        const serial = scan.served[0]?.payload.serial;
        return serial ? { serial } : { error: { code: 'ors.serial.none-served' } };
      } catch (e) {
        scanner = undefined;
        return { error: toErrorInfo(e) };
      }
    },
  };
}
