import { removeFolderLeftovers } from '../../services/license-server/license-store.js';
import { createHash } from 'node:crypto';
import { CodedError } from '../../common/errors.js';
import { entitlementChanges } from '../../common/license/compare.js';
import type { LicensePayload } from '../../common/license/model.js';
import { assertLicenseValid } from '../../common/license/validity.js';
import { remoteFlsUrl } from '../../common/license-server/selection.js';
import { formatUnc, parseUnc } from '../../common/unc.js';
import { LicenseFolderScanner } from '../../services/license/folder.js';
import type { LicenseVerifier } from '../../services/license/signer.js';
import { fetchFlsStatus } from '../../services/license-server/fls-client.js';
import type { InstallResult } from '../../services/license-server/license-server.js';
import { FolderLicenseStore } from '../../services/license-server/license-store.js';
import { createLocalLicenseServer } from '../../services/license-server/local-license-server.js';
import { createRemoteLicenseServer } from '../../services/license-server/remote-license-server.js';
import type { ShareClient } from '../../services/share/share-client.js';
import type { ReadyConfig } from '../daemon-config.js';

/** The license a license server serves for a serial: its payload and the payload's SHA-256. */
export interface ServedLicense {
  readonly payload: LicensePayload;
  readonly sha256: string;
}

/** The selected license server as the update loop uses it. */
export interface LicenseTarget {
  readonly kind: 'local' | 'remote';
  /** Where an administrator would copy the file by hand: the local folder or the share as UNC. */
  readonly target: string;
  /** What the license server serves for `serial` now (through its FLS, or the folder when there is none). */
  served(serial: string, signal?: AbortSignal): Promise<ServedLicense | undefined>;
  /** verify → atomic write (previous kept in history/) → confirmed served. Throws without touching the installed license. */
  install(data: Uint8Array, serial: string, signal?: AbortSignal): Promise<InstallResult>;
  /** Removes temporary files a killed write left in a local license folder. */
  removeLeftovers(): Promise<void>;
}

export interface LicenseTargetOptions {
  readonly verifier: LicenseVerifier;
  readonly shareClient: ShareClient;
  /** How long the FLS may take to serve a newly written license. */
  readonly pickupDeadlineMs: number;
  readonly shareTimeoutMs: number;
  readonly flsTimeoutMs?: number;
  readonly now?: () => number;
}

const fromFls = (url: string, timeoutMs: number) => async (serial: string, signal?: AbortSignal): Promise<ServedLicense | undefined> => {
  const s = await fetchFlsStatus(url, timeoutMs, signal);
  const l = s.licenses.find((x) => x.payload.serial === serial);
  return l ? { payload: l.payload, sha256: l.sha256 } : undefined;
};

/**
 * Builds the target for the selection in the settings: a local folder with its FLS, a local folder
 * whose FLS the console embeds (confirmed by reading the folder), or a remote FLS with its shared
 * license folder written over SMB with the ORS service account.
 */
export function createLicenseTarget(config: ReadyConfig, o: LicenseTargetOptions): LicenseTarget {
  const s = config.selection;
  const now = o.now ?? Date.now;
  const flsTimeout = o.flsTimeoutMs ?? 5_000;
  if (!s) throw new CodedError('ors.serial.no-license-server');
  if (s.kind === 'local' && s.flsUrl) {
    const server = createLocalLicenseServer({ folder: s.folder, flsUrl: s.flsUrl, verifier: o.verifier });
    return {
      kind: 'local',
      target: s.folder,
      served: fromFls(s.flsUrl, flsTimeout),
      install: (data, serial, signal) => server.install(data, { serial, confirmWorse: true, pickupDeadlineMs: o.pickupDeadlineMs, ...(signal ? { signal } : {}) }),
      removeLeftovers: async () => void (await removeFolderLeftovers(s.folder)),
    };
  }
  if (s.kind === 'local') return folderOnlyTarget(s.folder, o.verifier, now);
  const unc = parseUnc(s.share);
  const share = formatUnc(unc);
  const flsUrl = remoteFlsUrl(s);
  const account = config.account;
  return {
    kind: 'remote',
    target: share,
    served: fromFls(flsUrl, flsTimeout),
    install: async (data, serial, signal) => {
      if (account?.kind !== 'other' || !config.orsAccountPassword) throw new CodedError('ors-account.password-required', {}, { field: 'accountPassword' });
      const server = createRemoteLicenseServer({
        shareClient: o.shareClient,
        location: { host: unc.host, share: unc.share, folder: unc.folder, ...(s.smbPort ? { port: s.smbPort } : {}) },
        credentials: { username: account.username, password: config.orsAccountPassword, ...(account.domain ? { domain: account.domain } : {}) },
        flsUrl,
        verifier: o.verifier,
        shareTimeoutMs: o.shareTimeoutMs,
      });
      return server.install(data, { serial, confirmWorse: true, pickupDeadlineMs: o.pickupDeadlineMs, ...(signal ? { signal } : {}) });
    },
    removeLeftovers: async () => undefined, // the share's temporary names are dot files the FLS ignores
  };
}

/**
 * A local folder served by the console's embedded FLS (no URL in the settings): the same steps as
 * FlsLicenseServer.install, confirmed by the folder scan the embedded FLS itself uses.
 */
function folderOnlyTarget(folder: string, verifier: LicenseVerifier, now: () => number): LicenseTarget {
  const store = new FolderLicenseStore(folder);
  const scanner = new LicenseFolderScanner(folder, verifier);
  const served = async (serial: string): Promise<ServedLicense | undefined> => {
    const l = (await scanner.scan(now(), serial)).served.find((x) => x.payload.serial === serial);
    return l ? { payload: l.payload, sha256: l.sha256 } : undefined;
  };
  return {
    kind: 'local',
    target: folder,
    served,
    async install(data, serial) {
      const t0 = performance.now();
      const incoming = verifier.verify(data);
      const p = incoming.payload;
      assertLicenseValid(p, { now: now(), serial });
      const scan = await scanner.scan(now(), serial);
      const installed = scan.served.find((x) => x.payload.serial === serial);
      const file = `${p.serial}.lic`;
      let previous: string | undefined;
      let changes: InstallResult['changes'] = [];
      if (installed && installed.sha256 !== incoming.payloadSha256) {
        if (p.seq <= installed.payload.seq) throw new CodedError('license.not-newer', { seq: p.seq, installedSeq: installed.payload.seq });
        changes = entitlementChanges(installed.payload, p);
        const stamp = new Date(now()).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
        previous = await store.keep(`${p.serial}.seq${installed.payload.seq}.${stamp}.lic`, await store.read(installed.file));
      }
      if (installed?.sha256 !== incoming.payloadSha256) await store.write(file, data);
      // Another valid file with a higher seq (a stray copy) would still win: then it is not served.
      if ((await served(serial))?.sha256 !== incoming.payloadSha256) throw new CodedError('license-server.not-picked-up', { seconds: 0, url: folder });
      return { file, sha256: createHash('sha256').update(data).digest('hex'), changes, pickupMs: performance.now() - t0, ...(previous ? { previous } : {}) };
    },
    removeLeftovers: async () => void (await removeFolderLeftovers(folder)),
  };
}
