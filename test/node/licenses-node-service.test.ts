import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { filter, firstValueFrom, timeout, type Observable } from 'rxjs';
import { CodedError } from '../../src/common/errors.js';
import { messages } from '../../src/common/messages/index.js';
import type { LicensesStatus } from '../../src/common/license-server/licenses-api.js';
import { addDays, toCalendarDate } from '../../src/common/license/dates.js';
import type { SecretStore } from '../../src/services/settings/secret-store.js';
import type { SettingsStore } from '../../src/services/settings/settings-store.js';
import { LicensesConfig } from '../../src/plugin/licenses/licenses-config.js';
import { LicensesController } from '../../src/plugin/licenses/licenses-controller.js';
import { pluginHarness, type PluginHarness } from '../support/plugin-container.js';
import { aboutSection, resultItems, warningsOf } from '../../src/plugin/licenses/licenses-contribution.js';
import { samplePayload } from '../support/license-fixtures.js';
import { startFlsProcess, vendorOnDisk } from '../support/license-servers.js';
import { freePort, ORS_SOURCE, tempDir, type Started } from '../support/processes.js';

const today = toCalendarDate(Date.now());
const lic = (o: Parameters<typeof samplePayload>[0] = {}) =>
  samplePayload({ issuedAt: '2026-01-01T00:00:00Z', notBefore: '2026-01-01T00:00:00Z', expiry: addDays(today, 365), maintenance: { start: addDays(today, -30), end: addDays(today, 300) }, ...o });

function until<T>(o$: Observable<T>, p: (v: T) => boolean, ms = 15_000): Promise<T> {
  return firstValueFrom(o$.pipe(filter(p), timeout(ms)));
}

async function rejects(p: Promise<unknown>, code: string): Promise<CodedError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof CodedError, `expected ${code}, got ${String(e)}`);
  assert.equal(e.code, code);
  return e;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Licenses node service (real FLS processes, real settings and secrets stores)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let vendor: Awaited<ReturnType<typeof vendorOnDisk>>;
  let fls: Started & { url: string };
  let flsFolder: string;
  let h: PluginHarness;
  let settings: SettingsStore;
  let secrets: SecretStore;
  let controller: LicensesController;
  const served = (s: LicensesStatus) => s.licenses.length > 0;

  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-licenses-node-'));
    vendor = await vendorOnDisk(dir);
    flsFolder = path.join(dir, 'fls-folder');
    await mkdir(flsFolder, { recursive: true });
    await writeFile(path.join(flsFolder, 'SN-1001.lic'), vendor.signer.sign(lic({ users: 5 })));
    fls = await startFlsProcess(flsFolder, vendor.trustDir);
    h = await pluginHarness(dir);
    ({ settings, secretStore: secrets } = h);
    (await h.container.rebind(LicensesConfig)).toConstantValue({ dataDir: path.join(dir, 'plugin'), trustPaths: [vendor.trustDir], orsCommand: ORS_SOURCE, pollMs: 200 });
    controller = h.container.get(LicensesController);
  });
  after(async () => {
    controller?.dispose();
    h?.dispose();
    await fls?.stop();
    await cleanup();
  });

  it('says "not configured" while no license server is selected', async () => {
    const s = await until(controller.status$(), () => true);
    assert.deepEqual(s.server, { kind: 'not-configured' });
    assert.equal(resultItems(s)[0]?.badge?.kind, 'info');
  });

  it('refuses an invalid selection at the field and saves nothing', async () => {
    const e = await rejects(controller.select({ kind: 'remote', host: 'fls', port: '70000', share: '\\\\fls\\lic', account: { kind: 'other', username: 'u' } }, 0, 'pw-1234'), 'licenses.invalid-port');
    assert.equal(e.field, 'port');
    assert.equal(settings.get().version, 0);
    assert.equal(secrets.forPlugin('remote-service-licenses').isSet('orsAccountPassword'), false);
  });

  it('selects a local server and serves what its FLS serves: serial, product, expiry, maintenance, users, state', async () => {
    const view = await controller.select({ kind: 'local', folder: flsFolder, flsUrl: fls.url }, 0);
    assert.equal(view.version, 1);
    assert.deepEqual(view.selection, { kind: 'local', folder: flsFolder, flsUrl: fls.url });
    const s = await until(controller.status$(), served);
    assert.equal(s.server.kind, 'reachable');
    const l = s.licenses[0]!;
    assert.deepEqual([l.serial, l.product, l.users, l.maintenance.end, l.state.kind], ['SN-1001', 'PrintPrep Pro', 5, addDays(today, 300), 'valid']);
    assert.equal(await until(controller.serial$, (x) => x !== undefined), 'SN-1001');
    assert.equal(resultItems(s)[0]?.badge?.kind, 'ok');
    // The About box in German: dates as the language writes them, not raw ISO.
    const de = (d: string) => new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.parse(`${d}T00:00:00Z`));
    const shown = aboutSection(s).rows.map((r) => (typeof r.value === 'string' ? r.value : messages.formatMessage('de', r.value as { code: string })));
    assert.deepEqual(shown, ['SN-1001', de(addDays(today, 365)), `${de(addDays(today, -30))} – ${de(addDays(today, 300))}`]);
  });

  it('refuses a save based on a stale version (another console saved in between)', async () => {
    await rejects(controller.select({ kind: 'local', folder: flsFolder }, 0), 'settings.conflict');
    assert.equal(settings.get().version, 1);
  });

  it('installs a license file by hand with the same checks, and refuses a tampered one without touching the folder', async () => {
    const names = (await readdir(flsFolder)).sort();
    const good = vendor.signer.sign(lic({ seq: 2, users: 8, licenseId: 'L2' }));
    const tampered = good.replace(/\n(.)/, (_m, c: string) => `\n${c === 'A' ? 'B' : 'A'}`);
    const e = await controller.installFile(tampered).then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof CodedError && /^license\.(signature-invalid|malformed)$/.test(e.code), String(e));
    assert.deepEqual((await readdir(flsFolder)).sort(), names);
    const r = await controller.installFile(good);
    assert.equal(r.serial, 'SN-1001');
    assert.deepEqual(r.changes.map((c) => c.kind), ['users']);
    const s = await until(controller.status$(), (x) => x.licenses[0]?.users === 8);
    assert.equal(s.licenses[0]?.state.kind, 'valid');
  });

  it('tests a local selection: folder, write and FLS reachable', async () => {
    const r = await controller.test({ kind: 'local', folder: flsFolder, flsUrl: fls.url });
    assert.deepEqual(r.checks.map((c) => [c.id, c.result]), [['folder', 'ok'], ['write', 'ok'], ['fls', 'ok']]);
    assert.equal(r.ok, true);
  });

  it('tests a remote selection and names the failed checks when nothing listens', async () => {
    const closed = await freePort();
    const r = await controller.test({ kind: 'remote', host: '127.0.0.1', port: closed, share: '\\\\127.0.0.1\\licenses', smbPort: closed, account: { kind: 'other', username: 'svc' } }, 'Secret-Pw-42');
    assert.equal(r.ok, false);
    assert.deepEqual(r.checks.map((c) => [c.id, c.result]), [['fls', 'failed'], ['host', 'failed'], ['logon', 'skipped'], ['share', 'skipped'], ['folder', 'skipped'], ['write', 'skipped']]);
    assert.equal(r.checks[1]?.error?.code, 'share.host-unreachable');
    assert.ok(!JSON.stringify(r).includes('Secret-Pw-42'));
  });

  it('keeps the account password in the secrets store only: never in settings, the view or on disk in clear', async () => {
    const password = 'Case-Sensitive-Pw-7';
    const view = await controller.select({ kind: 'remote', host: '127.0.0.1', port: 1, share: '\\\\127.0.0.1\\licenses\\lic', account: { kind: 'other', username: 'svc', domain: 'example.com' } }, settings.get().version, password);
    assert.equal(view.accountPasswordSet, true);
    assert.deepEqual(view.account, { kind: 'other', username: 'svc', domain: 'example.com' });
    const latest = await until(controller.selection$(), (v) => v.version === view.version);
    assert.ok(!JSON.stringify(latest).includes(password));
    const onDisk = (await readFile(path.join(dir, 'settings', 'remote-service-licenses.json'), 'utf8')) + (await readFile(path.join(dir, 'secrets', 'secrets.json'), 'utf8'));
    assert.ok(!onDisk.includes(password));
    assert.equal(await secrets.forPlugin('remote-service-licenses').get('orsAccountPassword'), password);
    // an unreachable remote server shows why, the serial number is gone
    const s = await until(controller.status$(), (x) => x.server.kind === 'unreachable');
    assert.equal(s.selection, 'remote');
    assert.equal(await until(controller.serial$, (x) => x === undefined), undefined);
  });

  it('supervises an embedded FLS on a local folder without an FLS URL, and stops it on deactivation', async () => {
    const folder = path.join(dir, 'embedded');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'SN-2002.lic'), vendor.signer.sign(lic({ serial: 'SN-2002', licenseId: 'E1' })));
    await controller.select({ kind: 'local', folder }, settings.get().version);
    const pids = new Set<number>();
    const sub = controller.status$().subscribe();
    const s = await until(controller.status$(), (x) => x.licenses[0]?.serial === 'SN-2002', 30_000);
    assert.equal(s.server.kind, 'reachable');
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const cmd = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
      if (cmd.includes(folder) && cmd.includes('fls')) pids.add(Number(entry));
    }
    assert.equal(pids.size, 1, 'one embedded FLS process');
    // Deactivation stops it even while a console still listens.
    controller.dispose();
    const pid = [...pids][0]!;
    const t0 = Date.now();
    while (alive(pid) && Date.now() - t0 < 8000) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(pid), false, 'the embedded FLS is stopped');
    sub.unsubscribe();
  });
});

describe('F7 warnings and badges', () => {
  const status = (state: LicensesStatus['licenses'][number]['state']): LicensesStatus => ({
    selection: 'local',
    server: { kind: 'reachable', checkedAt: '' },
    problems: [],
    licenses: [{ serial: 'SN-9', product: 'P', licenseId: 'x', expiry: '2026-04-01', maintenance: { start: '2026-01-01', end: '2026-04-01' }, features: [], users: 1, seatsInUse: 0, file: 'SN-9.lic', state }],
  });

  it('warns when the license expires within 30 days, keyed per serial so it is replaced', () => {
    const w = warningsOf(status({ kind: 'expires-soon', expiry: '2026-04-01', days: 12 }));
    assert.deepEqual(w, [{ key: 'licenses.f7.SN-9', severity: 'warning', code: 'licenses.warn.expires-soon', params: { serial: 'SN-9', expiry: '2026-04-01', days: 12 } }]);
    assert.equal(resultItems(status({ kind: 'expires-soon', expiry: '2026-04-01', days: 12 }))[0]?.badge?.kind, 'warning');
  });

  it('raises an error once the license has expired, and nothing while it is valid', () => {
    assert.equal(warningsOf(status({ kind: 'expired', expiry: '2026-01-01' }))[0]?.severity, 'error');
    assert.equal(resultItems(status({ kind: 'expired', expiry: '2026-01-01' }))[0]?.badge?.kind, 'error');
    assert.deepEqual(warningsOf(status({ kind: 'valid' })), []);
  });
});
