// The automatic license update, end to end on loopback: a real back office (`ors backoffice serve
// --demo`), a real FLS on the license folder (local, or behind a real Samba share), and `ors daemon`
// from a bundle of the sources (so the 50 kill -9 runs restart it in a fraction of a second).
//
// The daemon is test/support/ors-daemon-main.ts (the real `ors daemon` command) bundled: its test-only
// ORS_UPDATE_* environment knobs bind shorter update-loop timings in the daemon's container.
import { readdir, readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { openDataDir } from '../../src/backoffice/data-dir.js';
import type { PluginStores } from '../../src/cli/plugin-stores.js';
import { ORS_ACCOUNT_PASSWORD_KEY, type LicenseServerSelection } from '../../src/common/license-server/selection.js';
import { PLUGIN_ID, type OrsStatus, type UpdateEvent } from '../../src/common/remote-service/model.js';
import { endpointFileOf } from '../../src/services/ors-control/daemon-endpoint-client.js';
import { isIgnoredName } from '../../src/services/license/folder.js';
import { loadVerifier } from '../../src/services/license/trust.js';
import { apiRequest, login, startBackoffice, type RunningBackoffice } from './backoffice-server.js';
import { flsStatus, startFlsProcess } from './license-servers.js';
import { prepareDataDir, waitForStatus } from './ors-daemon.js';
import { ROOT, runOrs, startProcess, tempDir, type Started } from './processes.js';

let bundle: Promise<string> | undefined;

/** `ors daemon` (test entry) bundled once per test process into node_modules/.cache (packages stay external, so they resolve). */
export function orsBundle(): Promise<string> {
  bundle ??= (async () => {
    const out = path.join(ROOT, 'node_modules', '.cache', 'ors-update-tests', String(process.pid), 'ors.js');
    await esbuild.build({
      entryPoints: [path.join(ROOT, 'test/support/ors-daemon-main.ts')],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      tsconfig: path.join(ROOT, 'tsconfig.json'),
      logLevel: 'error',
    });
    process.once('exit', () => void rm(path.dirname(out), { recursive: true, force: true }));
    return out;
  })();
  return bundle;
}

export const FAST_UPDATE_ENV: Readonly<Record<string, string>> = { ORS_UPDATE_WAIT_SECONDS: '20', ORS_UPDATE_PICKUP_MS: '8000' };

/** `ors daemon` from the bundle; resolves once its endpoint listens. */
export async function startBundledDaemon(dataDir: string, env: Record<string, string> = {}): Promise<Started> {
  return startProcess(process.execPath, [await orsBundle(), 'daemon', '--data-dir', dataDir, '--heartbeat-seconds', '30'], {
    cwd: ROOT,
    waitFor: /status endpoint listening/,
    env: { ...process.env, ORS_LOG_LEVEL: 'info', ...FAST_UPDATE_ENV, ...env },
    timeoutMs: 30_000,
  });
}

export interface Receipt {
  readonly licenseId: string;
  readonly kind: string;
  readonly reason: string | null;
}

export interface UpdateRig {
  readonly bo: RunningBackoffice;
  readonly dataDir: string;
  readonly stores: PluginStores;
  readonly trustDir: string;
  /** The license folder the FLS serves (local) or the share's folder on this machine (remote). */
  folder: string;
  flsUrl: string;
  daemon?: Started;
  readonly endpointFile: string;
  readonly serial: string;
  /** Changes the entitlement with the vendor CLI (`ors backoffice entitlement set …`). */
  vendor(args: readonly string[]): Promise<string>;
  /** The same through the back office's repository in this process (fast, for the kill loop and the benchmark). */
  setUsers(users: number): Promise<{ licenseId: string; seq: number }>;
  startDaemon(env?: Record<string, string>): Promise<Started>;
  waitForEvent(pred: (e: UpdateEvent) => boolean, ms?: number): Promise<UpdateEvent>;
  waitForStatus(pred: (s: OrsStatus) => boolean, ms?: number): Promise<OrsStatus>;
  servedSeq(): Promise<number | undefined>;
  receipts(): Promise<Receipt[]>;
  /**
   * The first receipt the back office holds that matches. The receipt outbox sends a receipt after
   * the outcome is journaled and announced, so a test that saw the event waits for its receipt.
   */
  waitForReceipt(pred: (r: Receipt) => boolean, ms?: number): Promise<Receipt>;
  select(selection: LicenseServerSelection, account?: { username: string; password: string }): Promise<void>;
  stop(): Promise<void>;
}

/** Back office + console data dir + FLS on the local license folder; the daemon is started by the test. */
export async function startUpdateRig(): Promise<UpdateRig> {
  const bo = await startBackoffice();
  const tmp = await tempDir('ors-update-');
  const stores = await prepareDataDir(tmp.dir, bo);
  const folder = path.join(stores.pluginDir, 'licenses');
  const trustDir = path.join(stores.pluginDir, 'trust');
  const fls = await startFlsProcess(folder, trustDir);
  const extraFls: Started[] = [];
  const repo = await openDataDir(bo.dataDir);
  const rig: UpdateRig = {
    bo,
    dataDir: tmp.dir,
    stores,
    trustDir,
    folder,
    flsUrl: fls.url,
    endpointFile: endpointFileOf(tmp.dir),
    serial: bo.serial,
    async vendor(args) {
      const r = await runOrs(['backoffice', 'entitlement', 'set', '--data-dir', bo.dataDir, '--serial', bo.serial, ...args], { env: { ...process.env, LC_ALL: 'C' } });
      if (r.code !== 0) throw new Error(`entitlement set failed: ${r.stderr}`);
      return r.stdout;
    },
    async setUsers(users) {
      const r = await repo.service.setEntitlement(bo.serial, { users });
      if (!r.license) throw new Error('no license issued');
      return { licenseId: r.license.licenseId, seq: r.license.seq };
    },
    async startDaemon(env) {
      rig.daemon = await startBundledDaemon(tmp.dir, env);
      return rig.daemon;
    },
    waitForEvent: async (pred, ms = 20_000) => {
      const s = await waitForStatus(tmp.dir, (st) => (st.update?.events ?? []).some(pred), ms);
      return s.update!.events.find(pred)!;
    },
    waitForStatus: (pred, ms = 20_000) => waitForStatus(tmp.dir, pred, ms),
    servedSeq: async () => (await flsStatus(rig.flsUrl)).licenses.find((l) => l.payload.serial === bo.serial)?.payload.seq,
    async receipts() {
      return (await repo.repo.listReceipts(bo.serial)).map((x) => ({ licenseId: x.licenseId, kind: x.kind, reason: x.reason }));
    },
    async waitForReceipt(pred, ms = 20_000) {
      const deadline = performance.now() + ms;
      for (;;) {
        const all = await rig.receipts();
        const found = all.find(pred);
        if (found) return found;
        if (performance.now() > deadline) throw new Error(`no matching receipt within ${ms} ms; the back office holds ${JSON.stringify(all)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async select(selection, account) {
      const secrets = stores.secrets.forPlugin(PLUGIN_ID);
      if (account) await secrets.set(ORS_ACCOUNT_PASSWORD_KEY, account.password);
      await stores.settings.update(
        { licenseServer: selection, ...(account ? { orsAccount: { kind: 'other', username: account.username } } : {}) },
        stores.settings.get().version,
      );
    },
    async stop() {
      await rig.daemon?.stop();
      await fls.stop();
      for (const f of extraFls) await f.stop();
      await repo.close();
      stores.settings.close();
      await bo.stop();
      await tmp.cleanup();
    },
  };
  await rig.select({ kind: 'local', folder, flsUrl: fls.url });
  return rig;
}

/** Top-level names of a license folder, and every temporary file anywhere below it. */
export async function folderState(folder: string): Promise<{ names: string[]; temps: string[] }> {
  const names = (await readdir(folder)).sort();
  const temps: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(path.join(dir, e.name));
      else if (e.name.includes('.tmp-')) temps.push(path.relative(folder, path.join(dir, e.name)));
    }
  };
  await walk(folder);
  return { names, temps };
}

/** The license files at the top of a folder that verify with the trust, with their seq (what an FLS would consider). */
export async function validLicenses(folder: string, trustDir: string): Promise<{ file: string; seq: number }[]> {
  const verifier = await loadVerifier([trustDir]);
  const out: { file: string; seq: number }[] = [];
  for (const e of await readdir(folder, { withFileTypes: true })) {
    if (!e.isFile() || isIgnoredName(e.name)) continue;
    try {
      out.push({ file: e.name, seq: verifier.verify(await readFile(path.join(folder, e.name))).payload.seq });
    } catch {
      // not a valid license
    }
  }
  return out;
}

/** The current armoured license of the demo installation, straight from the back office's API. */
export async function currentArmoured(bo: RunningBackoffice): Promise<{ licenseId: string; seq: number; license: string }> {
  const token = await login(bo);
  const r = await apiRequest(bo, 'GET', `/v1/installations/${bo.serial}/license`, { token });
  return r.body as { licenseId: string; seq: number; license: string };
}
