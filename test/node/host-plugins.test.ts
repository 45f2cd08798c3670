import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { firstValueFrom } from 'rxjs';
import { after, before, describe, it } from 'node:test';
import { startHost, type RunningHost } from '../../src/host/server/host.js';
import { ROOT, tempDir } from '../support/processes.js';

const fixtures = path.join(ROOT, 'test/fixtures/plugins');
const events = (): string[] => ((globalThis as { __events?: string[] }).__events ??= []);
const quiet = new Writable({ write: (_c, _e, done) => done() });

describe('plugin host', () => {
  let host: RunningHost;
  let cleanup: () => Promise<void>;

  before(async () => {
    const t = await tempDir('ors-plugins-');
    cleanup = t.cleanup;
    events().length = 0;
    host = await startHost({
      dataDir: t.dir,
      port: 0,
      staticDir: t.dir,
      logStream: quiet,
      pluginDirs: ['throws', 'good', 'lazy', 'no-handler', 'missing'].map((p) => path.join(fixtures, p)),
    });
  });
  after(async () => {
    await host.close();
    await cleanup();
  });

  it('activates onStartup plugins at load and lazy ones only on their event', async () => {
    assert.ok(events().includes('good:activate'));
    assert.ok(!events().includes('lazy:activate'));
    const lazy = host.plugins.pluginStates().find((p) => p.id === 'lazy');
    assert.equal(lazy?.state, 'inactive');
    assert.equal(await host.plugins.executeCommand('lazy.run'), null);
    assert.ok(events().includes('lazy:activate'));
    assert.equal(host.plugins.pluginStates().find((p) => p.id === 'lazy')?.state, 'active');
  });

  it('shows a plugin whose activation throws as a faulted node with the reason, and keeps the others running', () => {
    const layout = host.plugins.layout();
    const node = layout.nodes.find((n) => n.id === 'throws-node');
    assert.equal(node?.fault?.code, 'internal.unexpected');
    assert.match(String(node?.fault?.params?.['detail']), /database is on fire/);
    assert.ok(events().includes('throws:dispose'), 'its registrations were disposed');
    assert.equal(host.plugins.pluginStates().find((p) => p.id === 'good')?.state, 'active');
  });

  it('reports a contributed command without a handler at load, not at click', () => {
    const p = host.plugins.pluginStates().find((x) => x.id === 'no-handler');
    assert.equal(p?.state, 'faulted');
    assert.equal(p?.fault?.code, 'plugin.command-without-handler');
    assert.equal(p?.fault?.params?.['command'], 'nh.forgotten');
  });

  it('shows a folder without a manifest as a faulted node', () => {
    const node = host.plugins.layout().nodes.find((n) => n.id === 'faulted:missing');
    assert.equal(node?.fault?.code, 'plugin.manifest-unreadable');
  });

  it('localises manifest labels and places context menus by nodeType', () => {
    const layout = host.plugins.layout();
    assert.deepEqual(layout.nodes.find((n) => n.id === 'good-node')?.label, { en: 'Good', de: 'Gut' });
    assert.deepEqual(layout.menus.find((m) => m.command === 'good.hello')?.nodeType, 'good');
  });

  it('serves result-pane items and runs commands through their handlers', async () => {
    const items = await firstValueFrom(host.plugins.items$('good-node'));
    assert.deepEqual(items.map((i) => i.id), ['i1']);
    assert.equal(host.plugins.get('good.echo')?.members.has('echo'), true);
  });

  it('disposes a plugin’s registrations in reverse order on deactivation, then calls deactivate', async () => {
    events().length = 0;
    await host.plugins.deactivate('good');
    assert.deepEqual(events(), ['good:deactivate', 'good:dispose:last', 'good:dispose:first']);
    assert.equal(host.plugins.get('good.echo'), undefined, 'its RPC service is gone');
    assert.deepEqual(await firstValueFrom(host.plugins.items$('good-node')), [], 'its items are gone');
  });

  it('activates a deactivated plugin again when one of its commands runs', async () => {
    events().length = 0;
    await host.plugins.executeCommand('good.hello');
    assert.deepEqual(events(), ['good:activate']);
    assert.equal(host.plugins.pluginStates().find((p) => p.id === 'good')?.state, 'active');
  });
});
