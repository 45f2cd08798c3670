import { inject, injectable } from 'inversify';
import { ShareClient } from '../share/share-client.js';
import type { LicenseServer } from './license-server.js';
import { createLocalLicenseServer, type LocalLicenseServerOptions } from './local-license-server.js';
import { createRemoteLicenseServer, type RemoteLicenseServerOptions } from './remote-license-server.js';

/** Builds the adapter of a license-server selection: local folder + FLS, or remote FLS + SMB share. */
export interface LicenseServerFactory {
  local(o: LocalLicenseServerOptions): LicenseServer;
  remote(o: Omit<RemoteLicenseServerOptions, 'shareClient'>): LicenseServer;
}
export const LicenseServerFactory = Symbol('LicenseServerFactory');

@injectable()
export class DefaultLicenseServerFactory implements LicenseServerFactory {
  constructor(@inject(ShareClient) private readonly shareClient: ShareClient) {}

  local(o: LocalLicenseServerOptions): LicenseServer {
    return createLocalLicenseServer(o);
  }

  remote(o: Omit<RemoteLicenseServerOptions, 'shareClient'>): LicenseServer {
    return createRemoteLicenseServer({ ...o, shareClient: this.shareClient });
  }
}
