import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { BehaviorSubject, filter, firstValueFrom, of, Subject, take, timeout, toArray, type Observable } from 'rxjs';
import { CodedError } from '../../src/common/errors.js';
import { messages } from '../../src/common/messages/index.js';
import type { OrsStatus, ServiceState } from '../../src/common/remote-service/model.js';
import type { RemoteServiceInput } from '../../src/common/remote-service/settings-rules.js';
import { LicenseSerial } from '../../src/plugin/licenses/license-serial.js';
import { RemoteServiceController, RemoteServiceTimings } from '../../src/plugin/remote-service/remote-service-controller.js';
import { remoteServiceItem } from '../../src/plugin/remote-service/remote-service-contribution.js';
import { ConnectionTest } from '../../src/plugin/remote-service/connection-test.js';
import { ServiceControl, type ServiceHosting } from '../../src/services/ors-control/service-control.js';
import { ConnectionDiagnostic, DefaultConnectionDiagnostic, type DiagnosticOptions } from '../../src/services/proxy/diagnostic.js';
import type { AuditTrail } from '../../src/services/settings/audit-trail.js';
import type { SecretStore } from '../../src/services/settings/secret-store.js';
import type { SettingsStore } from '../../src/services/settings/settings-store.js';
import { pluginHarness, type PluginHarness } from '../support/plugin-container.js';
import { freePort, tempDir } from '../support/processes.js';
const PLUGIN = 'remote-service-licenses';
const CODE = 'Code-7Q4-XK2-secret';
const PROXY_PW = 'Pr0xy-Pa55-secret';

const INPUT: RemoteServiceInput = {
  enabled: true,
  remoteAssistanceFeature: false,
  organisationId: 'DEMO-ORG',
  backofficeUrl: 'https://127.0.0.1:9',
  proxy: { mode: 'manual', host: '127.0.0.1', port: '3128', authenticate: true, username: 'alice' },
  orsAccount: { kind: 'localSystem' },
};

const status = (pid: number, startedAt = new Date().toISOString()): OrsStatus => ({
  pid,
  startedAt,
  settingsVersion: 1,
  connection: { kind: 'connecting', since: startedAt },
});

/** A ServiceControl that behaves like a service: restart swaps the pid, reports after `reportDelayMs`. */
class FakeServiceControl implements ServiceControl {
  readonly backend = 'embedded' as const;
  readonly hosting$ = of<ServiceHosting>({ backend: 'embedded', childOfConsole: true });
  readonly subject = new BehaviorSubject<ServiceState>({ kind: 'stopped' });
  readonly calls: string[] = [];
  reportDelayMs = 20;
  reports = true;
  private pid = 1000;
  get state$(): Observable<ServiceState> {
    return this.subject.asObservable();
  }
  async start(): Promise<void> {
    this.calls.push('start');
    this.launch();
  }
  async stop(): Promise<void> {
    this.calls.push('stop');
    this.subject.next({ kind: 'stopped' });
  }
  async restart(): Promise<void> {
    this.calls.push('restart');
    this.subject.next({ kind: 'stopping' });
    this.launch();
  }
  async dispose(): Promise<void> {
    this.subject.complete();
  }
  private launch(): void {
    const pid = ++this.pid;
    this.subject.next({ kind: 'starting' });
    this.subject.next({ kind: 'running', pid });
    if (this.reports) setTimeout(() => this.subject.next({ kind: 'running', pid, status: status(pid) }), this.reportDelayMs);
  }
}

async function rejects(p: Promise<unknown>, code: string): Promise<CodedError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof CodedError, `expected ${code}, got ${String(e)}`);
  assert.equal(e.code, code);
  return e;
}

describe('Remote Service plugin service (real settings, secrets and audit stores; a fake ServiceControl bound in the container)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let h: PluginHarness;
  let settings: SettingsStore;
  let store: SecretStore;
  let audit: AuditTrail;
  let control: FakeServiceControl;
  let serial$: Subject<string | undefined>;
  let diagnosed: DiagnosticOptions[];
  let controller: RemoteServiceController;
  let n = 0;

  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-remote-service-plugin-'));
  });
  after(async () => {
    await cleanup();
  });
  afterEach(() => h.dispose());
  beforeEach(async () => {
    h = await pluginHarness(path.join(dir, String(++n)));
    ({ settings, secretStore: store, audit } = h);
    control = new FakeServiceControl();
    serial$ = new Subject();
    diagnosed = [];
    (await h.container.rebind(ServiceControl)).toConstantValue(control);
    (await h.container.rebind(LicenseSerial)).toConstantValue({ serial$ });
    (await h.container.rebind(RemoteServiceTimings)).toConstantValue({ reportTimeoutMs: 2_000 });
    (await h.container.rebind(ConnectionDiagnostic)).toConstantValue({
      run: async (o: DiagnosticOptions) => {
        diagnosed.push(o);
        return { url: o.url, mode: o.proxy.mode, candidates: [], hops: [{ hop: 'tcp', status: 'ok', ms: 1 }], ok: true, ms: 1 };
      },
    });
    controller = h.container.get(RemoteServiceController);
  });

  it('saves settings and secrets; the settings file and every RPC answer hold no secret, only whether it is set', async () => {
    const first = await firstValueFrom(controller.settings$());
    assert.deepEqual(first.secretsSet, { verificationCode: false, proxyPassword: false, orsAccountPassword: false });
    const view = await controller.save(INPUT, first.version, { verificationCode: CODE, proxyPassword: PROXY_PW });
    assert.equal(view.version, first.version + 1);
    assert.deepEqual(view.secretsSet, { verificationCode: true, proxyPassword: true, orsAccountPassword: false });
    assert.equal(view.settings.proxy.port, 3128);
    assert.equal(await store.forPlugin(PLUGIN).get('verificationCode'), CODE);
    const files = [path.join(dir, String(n), 'settings', `${PLUGIN}.json`), path.join(dir, String(n), 'audit.log')];
    for (const f of files) {
      const text = await readFile(f, 'utf8');
      assert.ok(!text.includes(CODE) && !text.includes(PROXY_PW), `${path.basename(f)} holds a secret`);
    }
    const payloads = JSON.stringify([view, await firstValueFrom(controller.settings$()), await controller.testConnection()]);
    assert.ok(!payloads.includes(CODE) && !payloads.includes(PROXY_PW));
  });

  it('audits every change, with secrets only as "changed"', async () => {
    await controller.save(INPUT, 0, { verificationCode: CODE, proxyPassword: PROXY_PW });
    const entries = await audit.read();
    const secretChanges = entries.filter((e) => e.action === 'secret.set').flatMap((e) => e.changes ?? []);
    assert.equal(secretChanges.length, 2);
    for (const c of secretChanges) assert.deepEqual(Object.keys(c).sort(), ['changed', 'key']);
    assert.ok(secretChanges.some((c) => c.key.endsWith('verificationCode')) && secretChanges.some((c) => c.key.endsWith('proxyPassword')));
    const update = entries.find((e) => e.action === 'settings.update');
    assert.ok(update?.changes?.some((c) => c.key === 'remoteService'));
    assert.ok(!JSON.stringify(entries).includes(CODE));
  });

  it('refuses invalid input at its field and changes nothing', async () => {
    const e = await rejects(controller.save({ ...INPUT, proxy: { ...INPUT.proxy, port: '70000' } }, 0, { verificationCode: CODE, proxyPassword: PROXY_PW }), 'proxy.port-invalid');
    assert.equal(e.field, 'proxy.port');
    assert.equal(settings.get().version, 0);
    assert.equal(store.forPlugin(PLUGIN).isSet('verificationCode'), false);
    await rejects(controller.save({ ...INPUT, remoteAssistanceFeature: true, proxy: { mode: 'auto' } }, 0, { verificationCode: CODE }), 'proxy.auto-not-allowed');
    assert.equal(settings.get().version, 0);
  });

  it('lets one of two concurrent saves on the same version win; the other gets settings.conflict and its secret is not kept', async () => {
    await controller.save(INPUT, 0, { verificationCode: CODE, proxyPassword: PROXY_PW });
    const v = settings.get().version;
    const results = await Promise.allSettled([
      controller.save({ ...INPUT, organisationId: 'ORG-A' }, v, { verificationCode: 'code-from-A' }),
      controller.save({ ...INPUT, organisationId: 'ORG-B' }, v, { verificationCode: 'code-from-B' }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    assert.equal((lost[0]!.reason as CodedError).code, 'settings.conflict');
    const org = (settings.get().values['remoteService'] as { organisationId: string }).organisationId;
    assert.equal(await store.forPlugin(PLUGIN).get('verificationCode'), org === 'ORG-A' ? 'code-from-A' : 'code-from-B');
  });

  it('refuses a save based on a version another console already replaced', async () => {
    await controller.save(INPUT, 0, { verificationCode: CODE, proxyPassword: PROXY_PW });
    await rejects(controller.save({ ...INPUT, organisationId: 'LATE' }, 0, { verificationCode: 'late-code' }), 'settings.conflict');
    assert.equal(await store.forPlugin(PLUGIN).get('verificationCode'), CODE);
  });

  it('restarts the ORS service and resolves only once the new process reports, with progress', async () => {
    await controller.startService();
    const waiting = firstValueFrom(controller.state$().pipe(filter((s) => s.restarting === 'waiting')));
    const state = await controller.restart();
    assert.equal(state.kind, 'running');
    assert.equal(state.kind === 'running' && state.status?.pid, 1002);
    assert.deepEqual(control.calls, ['start', 'restart']);
    assert.equal((await waiting).restarting, 'waiting');
    assert.deepEqual(h.progress.reports, ['remote-service.restart.stopping', 'remote-service.restart.waiting', 'remote-service.restart.done']);
    assert.equal(h.progress.done, 1);
    const actions = (await audit.read()).map((e) => e.action);
    assert.ok(actions.includes('remoteService.restart') && actions.includes('remoteService.start'));
  });

  it('gives up with a message when the restarted service never reports, and ends the progress', async () => {
    await controller.startService();
    control.reports = false;
    (await h.container.rebind(RemoteServiceTimings)).toConstantValue({ reportTimeoutMs: 150 });
    (await h.container.rebind(RemoteServiceController)).toSelf().inSingletonScope();
    const fast = h.container.get(RemoteServiceController);
    const e = await rejects(fast.restart(), 'remote-service.restart-timeout');
    assert.equal(e.params['seconds'], 0);
    assert.equal(h.progress.done, 1);
    const s = await firstValueFrom(fast.state$());
    assert.equal(s.restarting, undefined);
  });

  it('says the service cannot be controlled when no ServiceControl is bound', async () => {
    await h.container.unbind(ServiceControl);
    (await h.container.rebind(RemoteServiceController)).toSelf().inSingletonScope();
    const bare = h.container.get(RemoteServiceController);
    const s = await firstValueFrom(bare.state$());
    assert.equal(s.controllable, false);
    assert.deepEqual(s.service, { kind: 'unknown', error: { code: 'remote-service.no-service-control' } });
    await rejects(bare.restart(), 'remote-service.no-service-control');
  });

  it('follows the serial number of the Licenses area: loading, then known, then none', async () => {
    const seen = firstValueFrom(controller.serial$().pipe(take(3), toArray(), timeout(2_000)));
    serial$.next('SN-4711');
    serial$.next(undefined);
    assert.deepEqual(await seen, [{ kind: 'loading' }, { kind: 'known', serial: 'SN-4711' }, { kind: 'none' }]);
  });

  it('tests the unsaved form with the stored proxy password (for the proxy it was saved for)', async () => {
    await controller.save(INPUT, 0, { verificationCode: CODE, proxyPassword: PROXY_PW });
    // A new back-office address: the stored code was saved for the old one, so it is typed again.
    const report = await controller.testConnection({ ...INPUT, backofficeUrl: 'https://backoffice.example.com', proxy: { ...INPUT.proxy, username: 'bob' } }, { verificationCode: CODE });
    // The HTTP hop asks the back office's health endpoint.
    assert.equal(diagnosed[0]?.url, 'https://backoffice.example.com/v1/health');
    assert.deepEqual({ ...diagnosed[0]!.proxy }, { mode: 'manual', host: '127.0.0.1', port: 3128, username: 'bob', domain: '', password: PROXY_PW });
    // The fake walk stopped before HTTP: the back office's own hops are listed, not checked, and the report is not green.
    assert.deepEqual(report.hops.slice(-3).map((h) => `${h.hop}:${h.status}`), ['login:skipped', 'serial:skipped', 'license:skipped']);
    assert.equal(report.ok, false);
  });

  it('asks for the verification code again, at its field, when the back-office address changed', async () => {
    await controller.save(INPUT, 0, { verificationCode: CODE, proxyPassword: PROXY_PW });
    await assert.rejects(controller.testConnection({ ...INPUT, backofficeUrl: 'https://backoffice.example.com' }), (e: CodedError) => e.code === 'secrets.other-endpoint' && e.field === 'verificationCode');
    assert.equal(diagnosed.length, 0, 'nothing was sent anywhere');
  });

  it('does not check greyed-out leftovers: a manual proxy host that is no longer manual neither blocks a test nor a save', async () => {
    const leftovers = { ...INPUT, proxy: { mode: 'none', host: 'not a host!', port: '99999', authenticate: true, username: 'a:b' } };
    await controller.testConnection(leftovers, { verificationCode: CODE });
    assert.equal(diagnosed[0]?.proxy.mode, 'none');
    const view = await controller.save(leftovers, 0, { verificationCode: CODE });
    assert.deepEqual(view.settings.proxy, { mode: 'none', authenticate: true }, 'malformed leftovers are not saved');
    await assert.rejects(controller.save({ ...leftovers, proxy: { ...leftovers.proxy, mode: 'manual' } }, view.version), (e: CodedError) => e.field === 'proxy.host');
  });

  it('walks the real diagnostic to a refused back office and names the failed hop with its hint', async () => {
    const port = await freePort();
    (await h.container.rebind(ConnectionDiagnostic)).to(DefaultConnectionDiagnostic);
    (await h.container.rebind(ConnectionTest)).toSelf().inSingletonScope();
    (await h.container.rebind(RemoteServiceController)).toSelf().inSingletonScope();
    const real = h.container.get(RemoteServiceController);
    const report = await real.testConnection({ ...INPUT, backofficeUrl: `https://127.0.0.1:${port}`, proxy: { mode: 'none' } }, { verificationCode: CODE });
    assert.equal(report.ok, false);
    const failed = report.hops.find((h) => h.status === 'failed');
    assert.ok(failed, JSON.stringify(report.hops));
    assert.ok(failed.error?.code);
  });

  it('derives the result-pane row from the settings and the service state', () => {
    const on = { ...INPUT, enabled: true, remoteAssistanceFeature: false, allowRemoteAssistance: false, organisationId: 'X', backofficeUrl: 'https://x', proxy: { mode: 'none' as const }, serviceControl: 'auto' as const };
    const row = (service: ServiceState, enabled = true) => remoteServiceItem({ ...on, enabled }, { controllable: true, service });
    assert.equal(row({ kind: 'stopped' }, false).badge?.kind, 'info');
    const words = (t: unknown) => ['en', 'de'].map((l) => messages.formatMessage(l as 'en' | 'de', t as { code: string }));
    assert.deepEqual(words(row({ kind: 'stopped' }).cells['state']), ['ORS service not running', 'ORS-Dienst läuft nicht']);
    const missing = row({ kind: 'running', status: { ...status(5), connection: { kind: 'not-configured', missing: ['serial', 'proxy.host'] } } });
    assert.deepEqual(words(missing.cells['description']), ['Missing: serial number and proxy host name', 'Es fehlt: Seriennummer und Hostname des Proxy-Servers']);
    const connected = row({ kind: 'running', status: { ...status(5), connection: { kind: 'connected', since: 'a', lastCheck: 'b' }, license: { serial: 'SN-1' } } });
    assert.equal(connected.badge?.kind, 'ok');
    const error = row({ kind: 'running', status: { ...status(5), connection: { kind: 'error', error: { code: 'proxy.auth-failed', params: { proxy: 'p:1', scheme: 'Basic' } } } } });
    assert.deepEqual(words(error.cells['description']), ['Proxy p:1 rejected the Basic credentials.', 'Proxy p:1 hat die Basic-Anmeldedaten abgelehnt.']);
  });

  it('leaves no secret in any file of the settings folder', async () => {
    await controller.save(INPUT, 0, { verificationCode: CODE, proxyPassword: PROXY_PW });
    const folder = path.join(dir, String(n), 'settings');
    for (const f of await readdir(folder)) assert.ok(!(await readFile(path.join(folder, f), 'utf8')).includes(CODE), f);
  });
});
