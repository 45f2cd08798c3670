import type { LicenseVerifier } from '../license/signer.js';
import { FlsLicenseServer } from './fls-license-server.js';
import type { LicenseServer } from './license-server.js';
import { FolderLicenseStore } from './license-store.js';

export interface LocalLicenseServerOptions {
  /** The FLS's license folder on this machine. */
  readonly folder: string;
  /** Base URL of the FLS on this machine. */
  readonly flsUrl: string;
  readonly verifier: LicenseVerifier;
  readonly pollMs?: number;
}

/** The local adapter: the FLS on this machine and its license folder (a local path). */
export function createLocalLicenseServer(o: LocalLicenseServerOptions): LicenseServer {
  return new FlsLicenseServer({ store: new FolderLicenseStore(o.folder), flsUrl: o.flsUrl, verifier: o.verifier, ...(o.pollMs ? { pollMs: o.pollMs } : {}) });
}
