// The help desk's requests for remote assistance in the console (issue 14): the plugin's real
// modules over real host stores (settings, audit, notifications), a fake ORS service state (the
// status carries the request) and a recording of what goes back to the ORS service; a stand-in
// TeamViewer started for real.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BehaviorSubject, filter, firstValueFrom, timeout } from 'rxjs';
import type { AssistanceReport, AssistanceRequest } from '../../src/common/backoffice/assistance.js';
import { CodedError } from '../../src/common/errors.js';
import type { NotificationInfo } from '../../src/common/console-protocol.js';
import type { RemoteServiceSettings, ServiceState } from '../../src/common/remote-service/model.js';
import { ACCEPT_REQUEST_COMMAND, AssistanceReports, AssistanceRequests, DECLINE_REQUEST_COMMAND } from '../../src/plugin/remote-assistance/assistance-requests.js';
import { RemoteAssistanceController } from '../../src/plugin/remote-assistance/remote-assistance-controller.js';
import { ServiceControl } from '../../src/services/ors-control/service-control.js';
import { CommandRunner } from '../../src/services/process/command-runner.js';
import { discoverTeamViewer } from '../../src/services/teamviewer/discovery.js';
import { TeamViewerLauncher } from '../../src/services/teamviewer/launcher.js';
import { TeamViewerDiscovery } from '../../src/services/teamviewer/teamviewer-discovery.js';
import { pluginHarness, type PluginHarness } from '../support/plugin-container.js';
import { tempDir } from '../support/processes.js';
import { createStandIn, isAlive, type StandIn } from '../support/remote-assistance-standin.js';

const remoteService: RemoteServiceSettings = {
  enabled: true,
  remoteAssistanceFeature: true,
  allowRemoteAssistance: false,
  organisationId: 'ORG-1',
  backofficeUrl: 'https://127.0.0.1:9/',
  proxy: { mode: 'none' },
  serviceControl: 'embedded',
};

const status = (assistance?: AssistanceRequest): ServiceState => ({
  kind: 'running',
  pid: 4242,
  status: {
    pid: 4242,
    startedAt: '2026-11-27T08:00:00Z',
    settingsVersion: 1,
    connection: { kind: 'connected', since: '2026-11-27T08:00:05Z', lastCheck: '2026-11-27T08:01:00Z' },
    ...(assistance ? { assistance } : {}),
  },
});

let n = 0;
function request(state: AssistanceRequest['state'], expiresInMs = 600_000): AssistanceRequest {
  const now = Date.now();
  return {
    id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    serial: 'SER-1',
    organisationId: 'ORG-1',
    requestedBy: 'tech-anna',
    message: 'May we look at the license server?',
    state,
    createdAt: new Date(now).toISOString(),
    updatedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + expiresInMs).toISOString(),
    teamViewerId: null,
    reason: null,
  };
}

describe('Remote assistance on request: the notice, Start or Decline, and what goes back to the help desk', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let h: PluginHarness;
  let standIn: StandIn;
  let requests: AssistanceRequests;
  let controller: RemoteAssistanceController;
  const service = new BehaviorSubject<ServiceState>(status());
  const sent: { id: string; report: AssistanceReport }[] = [];

  const notice = (id: string): Promise<NotificationInfo> =>
    firstValueFrom(h.notifications.list$.pipe(filter((l) => l.some((x) => JSON.stringify(x).includes(id))), timeout(10_000))).then((l) => l.find((x) => JSON.stringify(x).includes(id))!);
  const noticeCode = async (id: string, code: string): Promise<NotificationInfo> =>
    firstValueFrom(
      h.notifications.list$.pipe(
        filter((l) => l.some((x) => (x.message as { code: string }).code === code && JSON.stringify(x).includes(id))),
        timeout(10_000),
      ),
    ).then((l) => l.find((x) => (x.message as { code: string }).code === code)!);
  const sentFor = async (id: string, count: number): Promise<string[]> => {
    const until = Date.now() + 10_000;
    while (sent.filter((s) => s.id === id).length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    return sent.filter((s) => s.id === id).map((s) => s.report.kind + (s.report.teamViewerId ? `:${s.report.teamViewerId}` : '') + (s.report.reason ? `:${s.report.reason}` : ''));
  };
  /** The audit log's actions once it holds `wanted` (the audit entry follows the notice). */
  const audited = async (...wanted: string[]): Promise<string[]> => {
    const until = Date.now() + 10_000;
    for (;;) {
      const actions = (await h.audit.read(200)).map((e) => e.action);
      if (wanted.every((w) => actions.includes(w)) || Date.now() > until) return actions;
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-ra-requests-'));
    h = await pluginHarness(dir);
    await h.settings.update({ remoteService }, 0);
    standIn = await createStandIn(path.join(dir, 'QS'), 'TeamViewerQS', { id: '1234567890', printId: true, lingerMs: 60_000 });
    const control: ServiceControl = {
      backend: 'embedded',
      state$: service,
      hosting$: new BehaviorSubject({ backend: 'embedded' as const, childOfConsole: false }),
      start: async () => undefined,
      stop: async () => undefined,
      restart: async () => undefined,
      dispose: async () => undefined,
    };
    (await h.container.rebind(ServiceControl)).toConstantValue(control);
    const runner = h.container.get<CommandRunner>(CommandRunner);
    (await h.container.rebind(TeamViewerDiscovery)).toConstantValue({
      discover: (configuredPath: string | undefined) => discoverTeamViewer({ platform: process.platform, env: { PATH: path.join(dir, 'empty') }, runner, optDir: path.join(dir, 'no-opt'), ...(configuredPath ? { configuredPath } : {}) }),
      readId: async () => undefined,
    });
    (await h.container.rebind(TeamViewerLauncher)).toConstantValue(new TeamViewerLauncher({ stopGraceMs: 2_000 }));
    (await h.container.rebind(AssistanceReports)).toConstantValue({
      report: async (id: string, report: AssistanceReport) => {
        sent.push({ id, report });
      },
    });
    h.contribute();
    controller = h.container.get(RemoteAssistanceController);
    requests = h.container.get(AssistanceRequests);
  });
  after(async () => {
    h.dispose();
    for (const s of await standIn.starts()) if (isAlive(s.pid)) process.kill(s.pid, 'SIGKILL');
    h.settings.close();
    await cleanup();
  });

  it('refuses a request while remote assistance is not allowed here: the reason goes back, the administrator is told, no buttons', async () => {
    const r = request('delivered');
    service.next(status(r));
    assert.deepEqual(await sentFor(r.id, 1), ['not-allowed:not-allowed']);
    const info = await notice(r.id);
    assert.equal((info.message as { code: string }).code, 'remote-assistance.request.notice-refused');
    assert.deepEqual(info.actions, [], 'nothing to start');
    assert.equal(info.nodeId, 'remote-service');
    assert.ok((await audited('remote-assistance.request-refused')).includes('remote-assistance.request-refused'));
    assert.deepEqual(await standIn.starts(), []);
  });

  it('offers [Start remote assistance] / [Decline] on the Remote Service node once allowed; Decline goes back, starts nothing', async () => {
    await controller.setTeamViewerPath(standIn.executable, h.settings.get().version);
    await firstValueFrom(controller.prerequisites$().pipe(filter((v) => v.allMet), timeout(10_000)));
    await controller.allow(true, h.settings.get().version);
    const r = request('delivered');
    service.next(status(r));
    const offer = await noticeCode(r.id, 'remote-assistance.request.notice');
    assert.deepEqual(offer.actions.map((a) => [a.command, a.args]), [[ACCEPT_REQUEST_COMMAND, [r.id]], [DECLINE_REQUEST_COMMAND, [r.id]]]);
    assert.deepEqual((offer.message as { params: Record<string, unknown> }).params, { technician: 'tech-anna', organisation: 'ORG-1', message: 'May we look at the license server?', serial: 'SER-1' });
    await h.commands.get(DECLINE_REQUEST_COMMAND)!(r.id);
    assert.deepEqual(await sentFor(r.id, 1), ['declined']);
    await noticeCode(r.id, 'remote-assistance.request.notice-declined');
    assert.ok((await audited('remote-assistance.request-declined')).includes('remote-assistance.request-declined'));
    assert.deepEqual(await standIn.starts(), [], 'a decline starts nothing');
  });

  it('[Start] starts TeamViewer, sends its ID back, and its end too; both sides audited', async () => {
    const r = request('delivered');
    service.next(status(r));
    await noticeCode(r.id, 'remote-assistance.request.notice');
    const result = await h.commands.get(ACCEPT_REQUEST_COMMAND)!(r.id);
    assert.deepEqual(result, { openProperties: { nodeId: 'remote-assistance', itemId: 'remote-assistance' } }, 'the panel opens with the ID');
    assert.deepEqual(await sentFor(r.id, 2), ['started', 'started:1234567890']);
    const running = await noticeCode(r.id, 'remote-assistance.request.notice-running');
    assert.equal((running.message as { params: { id: string } }).params.id, '1 234 567 890');
    assert.deepEqual(running.actions.map((a) => a.command), ['remoteAssistance.stop']);
    const [start] = await standIn.starts();
    assert.ok(start && isAlive(start.pid));
    service.next(status({ ...r, state: 'started', teamViewerId: '1234567890' }));
    await h.commands.get('remoteAssistance.stop')!();
    assert.deepEqual(await sentFor(r.id, 3), ['started', 'started:1234567890', 'ended']);
    await noticeCode(r.id, 'remote-assistance.request.notice-ended');
    const wanted = ['remote-assistance.request-received', 'remote-assistance.request-accepted', 'remote-assistance.start', 'remote-assistance.request-ended'];
    const actions = await audited(...wanted);
    for (const a of wanted) assert.ok(actions.includes(a), a);
  });

  it('refuses [Start] for a request that expired or was withdrawn, and says so on the notice', async () => {
    const r = request('delivered', 200);
    service.next(status(r));
    await noticeCode(r.id, 'remote-assistance.request.notice');
    await noticeCode(r.id, 'remote-assistance.request.notice-expired');
    const e = await (h.commands.get(ACCEPT_REQUEST_COMMAND)!(r.id) as Promise<unknown>).catch((x: unknown) => x);
    assert.ok(e instanceof CodedError && e.code === 'remote-assistance.request.closed');
    const w = request('delivered');
    service.next(status(w));
    await noticeCode(w.id, 'remote-assistance.request.notice');
    service.next(status({ ...w, state: 'cancelled' }));
    await noticeCode(w.id, 'remote-assistance.request.notice-cancelled');
    assert.equal((await standIn.starts()).length, 1, 'only the one accepted above ever started');
    assert.ok((await audited('remote-assistance.request-expired')).includes('remote-assistance.request-expired'));
  });

  it('ends, after a console restart, a request still marked started that this console did not start', async () => {
    const r = { ...request('started'), teamViewerId: '1234567890' };
    service.next(status(r));
    assert.deepEqual(await sentFor(r.id, 1), ['ended']);
    await requests.settled();
  });
});
