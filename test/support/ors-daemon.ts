// Helpers of the ORS service tests: a console data dir wired to a running back office, `ors daemon`
// as a real child process, and waiting on its status stream.
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { firstValueFrom, filter, timeout, type Observable } from 'rxjs';
import { openPluginStores, type PluginStores } from '../../src/cli/plugin-stores.js';
import { PLUGIN_ID, type OrsStatus, type RemoteServiceSettings } from '../../src/common/remote-service/model.js';
import { daemonStatus$, endpointFileOf } from '../../src/services/ors-control/daemon-endpoint-client.js';
import { apiRequest, login, type RunningBackoffice } from './backoffice-server.js';
import { ROOT, startProcess, type Started } from './processes.js';

/** `ors daemon` from the sources (see ors-daemon-main.ts until main.ts registers the command). */
export const DAEMON_COMMAND: readonly string[] = [process.execPath, '--import', 'tsx', path.join(ROOT, 'test/support/ors-daemon-main.ts')];

export interface DataDirSetup {
  readonly enabled?: boolean;
  readonly code?: string;
  readonly proxy?: RemoteServiceSettings['proxy'];
  readonly proxyPassword?: string;
  /** Put the back office's license (and its signing key as trust) into the local license folder (default true). */
  readonly license?: boolean;
  /** The back-office URL the daemon uses (default bo.url). */
  readonly backofficeUrl?: string;
}

/** Writes the settings, secrets, local license folder and trust the way the console would. */
export async function prepareDataDir(dir: string, bo: RunningBackoffice, setup: DataDirSetup = {}): Promise<PluginStores> {
  const stores = await openPluginStores(dir);
  const folder = path.join(stores.pluginDir, 'licenses');
  await mkdir(folder, { recursive: true });
  if (setup.license ?? true) {
    const token = await login(bo);
    const r = await apiRequest(bo, 'GET', `/v1/installations/${bo.serial}/license`, { token });
    await mkdir(path.join(stores.pluginDir, 'trust'), { recursive: true });
    await writeFile(path.join(stores.pluginDir, 'trust', `${bo.kid}.pub`), bo.publicKeyPem);
    await writeFile(path.join(folder, `${bo.serial}.lic`), (r.body as { license: string }).license);
  }
  const caFile = path.join(dir, 'backoffice-ca.pem');
  await writeFile(caFile, bo.caPem);
  await writeRemoteService(stores, bo, setup, caFile, folder);
  return stores;
}

export async function writeRemoteService(stores: PluginStores, bo: RunningBackoffice, setup: DataDirSetup, caFile: string, folder: string): Promise<void> {
  const secrets = stores.secrets.forPlugin(PLUGIN_ID);
  await secrets.set('verificationCode', setup.code ?? bo.code);
  if (setup.proxyPassword !== undefined) await secrets.set('proxyPassword', setup.proxyPassword);
  const remoteService: RemoteServiceSettings = {
    enabled: setup.enabled ?? true,
    remoteAssistanceFeature: false,
    allowRemoteAssistance: false,
    organisationId: bo.orgId,
    backofficeUrl: setup.backofficeUrl ?? bo.url,
    caFile,
    proxy: setup.proxy ?? { mode: 'none' },
    serviceControl: 'embedded',
  };
  await stores.settings.update({ remoteService, licenseServer: { kind: 'local', folder } }, stores.settings.get().version);
}

export async function startDaemon(dataDir: string, extra: readonly string[] = ['--heartbeat-seconds', '1']): Promise<Started> {
  const [cmd, ...pre] = DAEMON_COMMAND;
  return startProcess(cmd!, [...pre, 'daemon', '--data-dir', dataDir, ...extra], {
    cwd: ROOT,
    waitFor: /status endpoint listening/,
    env: { ...process.env, ORS_LOG_LEVEL: 'info' },
    timeoutMs: 30_000,
  });
}

export function statusOf(dataDir: string, pid?: number): Observable<OrsStatus | undefined> {
  return daemonStatus$(endpointFileOf(dataDir), { retryMs: 100, ...(pid !== undefined ? { pid: () => pid } : {}) });
}

/** The first status on the stream that satisfies `predicate`. */
export function waitForStatus(dataDir: string, predicate: (s: OrsStatus) => boolean, ms = 15_000, pid?: number): Promise<OrsStatus> {
  return firstValueFrom(
    statusOf(dataDir, pid).pipe(
      filter((s): s is OrsStatus => s !== undefined && predicate(s)),
      timeout({ first: ms, with: () => { throw new Error(`no matching daemon status within ${ms} ms`); } }),
    ),
  );
}
