import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allMet, prerequisitesOf, type Prerequisite } from '../../src/common/remote-assistance/prerequisites.js';
import type { TeamViewerAvailability } from '../../src/common/remote-assistance/model.js';
import { remoteAssistanceMessages } from '../../src/common/messages/remote-assistance.js';
import type { RemoteServiceSettings, ServiceState } from '../../src/common/remote-service/model.js';

const settings = (o: Partial<RemoteServiceSettings> = {}): RemoteServiceSettings => ({
  enabled: true,
  remoteAssistanceFeature: true,
  allowRemoteAssistance: false,
  organisationId: 'ORG-1',
  backofficeUrl: 'https://backoffice.example',
  proxy: { mode: 'manual', host: 'proxy.corp.example', port: 3128 },
  serviceControl: 'auto',
  ...o,
});
const connected: ServiceState = {
  kind: 'running',
  pid: 42,
  status: { pid: 42, startedAt: '2026-11-27T08:00:00Z', settingsVersion: 3, connection: { kind: 'connected', since: '2026-11-27T08:00:05Z', lastCheck: '2026-11-27T08:01:00Z' } },
};
const running = (connection: NonNullable<Extract<ServiceState, { kind: 'running' }>['status']>['connection']): ServiceState => ({
  kind: 'running',
  pid: 42,
  status: { pid: 42, startedAt: '2026-11-27T08:00:00Z', settingsVersion: 3, connection },
});
const found: TeamViewerAvailability = { kind: 'available', installation: { kind: 'quicksupport', executable: '/opt/tv/TeamViewerQS', source: 'configured', version: '15.48.4' } };

const one = (list: Prerequisite[], id: Prerequisite['id']) => list.find((p) => p.id === id)!;

describe('Remote assistance prerequisites (SPEC F4)', () => {
  it('are all met with license update connected, the feature on, TeamViewer found and a manual proxy', () => {
    const list = prerequisitesOf(settings(), connected, found);
    assert.deepEqual(list.map((p) => [p.id, p.met, p.reason]), [
      ['license-update', true, 'remote-assistance.prereq.connected'],
      ['feature', true, 'remote-assistance.prereq.feature-on'],
      ['teamviewer', true, 'remote-assistance.prereq.teamviewer-quicksupport'],
      ['proxy', true, 'remote-assistance.prereq.proxy-manual'],
    ]);
    assert.equal(allMet(list), true);
    assert.ok(list.every((p) => p.fix === undefined));
  });

  it('accept "no proxy" as explicitly chosen', () => {
    const list = prerequisitesOf(settings({ proxy: { mode: 'none' } }), connected, found);
    assert.deepEqual(one(list, 'proxy'), { id: 'proxy', met: true, reason: 'remote-assistance.prereq.proxy-none' });
    assert.equal(allMet(list), true);
  });

  it('are not met at all before the Remote Service was ever configured', () => {
    const list = prerequisitesOf(undefined, undefined, found);
    assert.deepEqual(list.filter((p) => !p.met).map((p) => p.reason), ['remote-assistance.prereq.update-disabled', 'remote-assistance.prereq.feature-off']);
  });

  const table: [string, Parameters<typeof prerequisitesOf>, Prerequisite['id'], string, string][] = [
    ['Remote Service not enabled', [settings({ enabled: false }), connected, found], 'license-update', 'update-disabled', 'remoteService.properties'],
    ['no service control bound (connection unknown)', [settings(), undefined, found], 'license-update', 'connection-unknown', 'remoteService.properties'],
    ['ORS service stopped', [settings(), { kind: 'stopped' }, found], 'license-update', 'service-not-running', 'remoteService.properties'],
    ['ORS service crashed', [settings(), { kind: 'crashed', exitCode: 1 }, found], 'license-update', 'service-not-running', 'remoteService.properties'],
    ['ORS service starting', [settings(), { kind: 'starting' }, found], 'license-update', 'service-starting', 'remoteService.properties'],
    ['ORS service running but not yet reporting', [settings(), { kind: 'running', pid: 1 }, found], 'license-update', 'service-starting', 'remoteService.properties'],
    ['ORS state unknown', [settings(), { kind: 'unknown', error: { code: 'x' } }, found], 'license-update', 'connection-unknown', 'remoteService.properties'],
    ['not configured', [settings(), running({ kind: 'not-configured', missing: ['verificationCode'] }), found], 'license-update', 'not-configured', 'remoteService.properties'],
    ['still connecting', [settings(), running({ kind: 'connecting', since: 'x' }), found], 'license-update', 'connecting', 'remoteService.properties'],
    ['connection failed', [settings(), running({ kind: 'error', error: { code: 'proxy.auth-failed' }, hop: 'proxy' }), found], 'license-update', 'connection-error', 'remoteService.properties'],
    ['the service reports update disabled', [settings(), running({ kind: 'disabled' }), found], 'license-update', 'update-disabled', 'remoteService.properties'],
    ['feature switched off', [settings({ remoteAssistanceFeature: false }), connected, found], 'feature', 'feature-off', 'remoteService.properties'],
    ['TeamViewer still being looked for', [settings(), connected, { kind: 'checking' }], 'teamviewer', 'teamviewer-checking', 'remoteAssistance.properties'],
    ['TeamViewer not found', [settings(), connected, { kind: 'not-found', platform: 'linux' }], 'teamviewer', 'teamviewer-missing', 'remoteAssistance.properties'],
    ['configured QuickSupport path missing', [settings(), connected, { kind: 'not-found', platform: 'win32', configuredPath: 'C:\\QS\\TeamViewerQS.exe' }], 'teamviewer', 'teamviewer-configured-missing', 'remoteAssistance.properties'],
    ['proxy auto-detect', [settings({ proxy: { mode: 'auto' } }), connected, found], 'proxy', 'proxy-auto', 'remoteService.properties'],
    ['manual proxy without host', [settings({ proxy: { mode: 'manual', port: 3128 } }), connected, found], 'proxy', 'proxy-incomplete', 'remoteService.properties'],
    ['manual proxy with a bad port', [settings({ proxy: { mode: 'manual', host: 'p.example', port: 70000 } }), connected, found], 'proxy', 'proxy-incomplete', 'remoteService.properties'],
  ];
  for (const [name, args, id, reason, fix] of table) {
    it(`are not all met when ${name}: ${id} unmet (${reason}) with a link to ${fix}`, () => {
      const list = prerequisitesOf(...args);
      const p = one(list, id);
      assert.equal(p.met, false);
      assert.equal(p.reason, `remote-assistance.prereq.${reason}`);
      assert.equal(p.fix, fix);
      assert.equal(allMet(list), false);
      assert.equal(list.filter((x) => !x.met).length, 1, `only ${id} is unmet: ${JSON.stringify(list)}`);
    });
  }

  it('name every reason with English and German text', () => {
    const reasons = new Set<string>();
    for (const [, args] of table) for (const p of prerequisitesOf(...args)) reasons.add(p.reason);
    for (const p of prerequisitesOf(settings({ proxy: { mode: 'none' } }), connected, { kind: 'available', installation: { kind: 'full', executable: '/x', source: 'path' } })) reasons.add(p.reason);
    for (const r of reasons) {
      const m = remoteAssistanceMessages[r];
      assert.ok(m?.en && m.de, `missing text for ${r}`);
    }
    for (const id of ['license-update', 'feature', 'teamviewer', 'proxy']) assert.ok(remoteAssistanceMessages[`remote-assistance.prereq-title.${id}`]);
  });
});
