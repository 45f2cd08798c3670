import type { LicenseVerifier } from '../license/signer.js';
import type { ShareClient, ShareCredentials, ShareLocation } from '../share/share-client.js';
import { FlsLicenseServer } from './fls-license-server.js';
import type { LicenseServer } from './license-server.js';
import { ShareLicenseStore } from './license-store.js';

export interface RemoteLicenseServerOptions {
  readonly shareClient: ShareClient;
  /** The shared license folder (\\host\share\path). */
  readonly location: ShareLocation;
  /** The ORS service account; handed only to the ShareClient. */
  readonly credentials: ShareCredentials;
  /** Base URL of the remote FLS (http://host:port). */
  readonly flsUrl: string;
  readonly verifier: LicenseVerifier;
  readonly pollMs?: number;
  readonly shareTimeoutMs?: number;
}

/** The remote adapter: a remote FLS, with licenses put into its shared license folder over SMB. */
export function createRemoteLicenseServer(o: RemoteLicenseServerOptions): LicenseServer {
  return new FlsLicenseServer({
    store: new ShareLicenseStore(o.shareClient, o.location, o.credentials, o.shareTimeoutMs),
    flsUrl: o.flsUrl,
    verifier: o.verifier,
    ...(o.pollMs ? { pollMs: o.pollMs } : {}),
  });
}
