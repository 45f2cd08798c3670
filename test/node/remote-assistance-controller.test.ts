import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BehaviorSubject, filter, firstValueFrom, timeout } from 'rxjs';
import { CodedError } from '../../src/common/errors.js';
import type { PrerequisitesView } from '../../src/common/remote-assistance/api.js';
import type { LaunchState } from '../../src/common/remote-assistance/model.js';
import type { RemoteServiceSettings, ServiceState } from '../../src/common/remote-service/model.js';
import { RemoteAssistanceController } from '../../src/plugin/remote-assistance/remote-assistance-controller.js';
import { remoteAssistanceItem } from '../../src/plugin/remote-assistance/remote-assistance-contribution.js';
import { ServiceControl } from '../../src/services/ors-control/service-control.js';
import type { AuditTrail } from '../../src/services/settings/audit-trail.js';
import type { SettingsStore } from '../../src/services/settings/settings-store.js';
import { TeamViewerDiscovery } from '../../src/services/teamviewer/teamviewer-discovery.js';
import { pluginHarness, type PluginHarness } from '../support/plugin-container.js';
import { CommandRunner } from '../../src/services/process/command-runner.js';
import { discoverTeamViewer } from '../../src/services/teamviewer/discovery.js';
import { TeamViewerLauncher } from '../../src/services/teamviewer/launcher.js';
import { createStandIn, isAlive, type StandIn } from '../support/remote-assistance-standin.js';
import { tempDir } from '../support/processes.js';


const remoteService: RemoteServiceSettings = {
  enabled: true,
  remoteAssistanceFeature: true,
  allowRemoteAssistance: false,
  organisationId: 'ORG-1',
  backofficeUrl: 'https://127.0.0.1:9/',
  proxy: { mode: 'manual', host: '127.0.0.1', port: 3128 },
  serviceControl: 'embedded',
};
const connected: ServiceState = {
  kind: 'running',
  pid: 4242,
  status: { pid: 4242, startedAt: '2026-11-27T08:00:00Z', settingsVersion: 1, connection: { kind: 'connected', since: '2026-11-27T08:00:05Z', lastCheck: '2026-11-27T08:01:00Z' } },
};

async function code(p: Promise<unknown>, expected: string): Promise<CodedError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof CodedError, `expected ${expected}, got ${String(e)}`);
  assert.equal(e.code, expected);
  return e;
}

describe('Remote assistance: allow, start and stop only when the prerequisites hold (real settings store, audit file, stand-in TeamViewer)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let h: PluginHarness;
  let settings: SettingsStore;
  let audit: AuditTrail;
  let standIn: StandIn;
  let controller: RemoteAssistanceController;
  let launcher: TeamViewerLauncher;
  const service = new BehaviorSubject<ServiceState>({ kind: 'stopped' });

  const view = (p: (v: PrerequisitesView) => boolean = () => true) => firstValueFrom(controller.prerequisites$().pipe(filter(p), timeout(10_000)));
  const state = (p: (s: LaunchState) => boolean) => firstValueFrom(controller.state$().pipe(filter(p), timeout(10_000)));
  const actions = async () => (await audit.read(100)).map((e) => e.action);

  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-ra-controller-'));
    h = await pluginHarness(dir);
    ({ settings, audit } = h);
    await settings.update({ remoteService }, 0);
    standIn = await createStandIn(path.join(dir, 'Quick Support "QS"'), 'TeamViewerQS', { id: '1234567890', printId: true, lingerMs: 60_000 });
    const control: Pick<ServiceControl, 'backend' | 'state$'> = { backend: 'embedded', state$: service };
    (await h.container.rebind(ServiceControl)).toConstantValue(control as ServiceControl);
    // Only this machine's empty PATH and folders: TeamViewer is found through the configured path alone.
    const runner = h.container.get<CommandRunner>(CommandRunner);
    (await h.container.rebind(TeamViewerDiscovery)).toConstantValue({
      discover: (configuredPath: string | undefined) => discoverTeamViewer({ platform: process.platform, env: { PATH: path.join(dir, 'empty') }, runner, optDir: path.join(dir, 'no-opt'), ...(configuredPath ? { configuredPath } : {}) }),
      readId: async () => undefined,
    });
    (await h.container.rebind(TeamViewerLauncher)).toConstantValue((launcher = new TeamViewerLauncher({ stopGraceMs: 2_000 })));
    controller = h.container.get(RemoteAssistanceController);
  });
  after(async () => {
    await controller.dispose();
    h.dispose();
    for (const s of await standIn.starts()) if (isAlive(s.pid)) process.kill(s.pid, 'SIGKILL');
    settings.close();
    await cleanup();
  });

  it('shows TeamViewer as not found until its QuickSupport path is configured, and refuses a relative path at the field', async () => {
    const v = await view((x) => x.teamViewer.kind !== 'checking');
    assert.equal(v.teamViewer.kind, 'not-found');
    const e = await code(controller.setTeamViewerPath('Downloads/TeamViewerQS', settings.get().version), 'remote-assistance.path-invalid');
    assert.equal(e.field, 'teamViewerPath');
    // A path typed but not saved: looked at, nothing saved, the prerequisites unchanged.
    const version = settings.get().version;
    assert.equal((await controller.check(path.dirname(standIn.executable))).kind, 'available');
    assert.equal((await code(controller.check('Downloads/TeamViewerQS'), 'remote-assistance.path-invalid')).field, 'teamViewerPath');
    assert.equal(settings.get().version, version);
    assert.equal((await controller.refresh()).teamViewer.kind, 'not-found');
    const after = await controller.setTeamViewerPath(path.dirname(standIn.executable), settings.get().version);
    assert.equal(after.teamViewer.kind, 'available');
    assert.equal(after.teamViewerPath, path.dirname(standIn.executable));
    assert.equal((await state((s) => s.kind !== 'not-installed')).kind, 'ready');
  });

  it('refuses to allow remote assistance while the ORS service is not running, and saves nothing', async () => {
    const before = settings.get();
    await code(controller.allow(true, before.version), 'remote-assistance.prerequisites-unmet');
    assert.equal(settings.get().version, before.version);
    assert.equal((settings.get().values['remoteService'] as RemoteServiceSettings).allowRemoteAssistance, false);
  });

  it('refuses Start while remote assistance is not allowed, even with every prerequisite met; nothing is started', async () => {
    service.next(connected);
    const v = await view((x) => x.allMet);
    assert.equal(v.allowed, false);
    await code(controller.start(), 'remote-assistance.not-allowed');
    assert.deepEqual(await standIn.starts(), []);
  });

  it('refuses an allow based on a stale settings version', async () => {
    await code(controller.allow(true, settings.get().version - 1), 'settings.conflict');
  });

  it('allows remote assistance once every prerequisite holds, saved and audited', async () => {
    const v = await controller.allow(true, settings.get().version);
    assert.equal(v.allowed, true);
    assert.equal((settings.get().values['remoteService'] as RemoteServiceSettings).allowRemoteAssistance, true);
    assert.ok((await actions()).includes('remote-assistance.allow'));
  });

  it('refuses Start when a prerequisite stopped holding after it was allowed (connection lost)', async () => {
    service.next({ ...connected, status: { ...connected.status!, connection: { kind: 'error', error: { code: 'backoffice.unreachable' } } } } as ServiceState);
    await code(controller.start(), 'remote-assistance.prerequisites-unmet');
    assert.deepEqual(await standIn.starts(), []);
    service.next(connected);
  });

  it('starts TeamViewer on the administrator\'s action, shows its ID, and Stop ends it; both audited', async () => {
    const running = await controller.start();
    assert.equal(running.kind, 'running');
    const withId = await state((s) => s.kind === 'running' && !!s.id);
    assert.equal(withId.kind === 'running' && withId.id, '1234567890');
    const item = remoteAssistanceItem(await view(), withId);
    assert.equal(item.cells['description'], 'ID 1 234 567 890');
    assert.equal(item.badge?.kind, 'ok');
    await code(controller.start(), 'remote-assistance.already-running');
    const ended = await controller.stop();
    assert.equal(ended.kind, 'ended');
    assert.ok(withId.kind === 'running' && !isAlive(withId.pid));
    const a = await actions();
    assert.ok(a.includes('remote-assistance.start') && a.includes('remote-assistance.stop'), a.join(', '));
    await code(controller.stop(), 'remote-assistance.not-running');
  });

  it('taking the permission back ends the running session and refuses the next Start', async () => {
    const running = await controller.start();
    assert.ok(running.kind === 'running');
    await controller.allow(false, settings.get().version);
    assert.equal(isAlive(running.pid), false);
    assert.equal(launcher.state.kind, 'ended');
    await code(controller.start(), 'remote-assistance.not-allowed');
    const a = await actions();
    assert.ok(a.includes('remote-assistance.disallow'));
  });
});
