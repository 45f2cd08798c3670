import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Container} from 'inversify';
import { type ContainerModule, type ServiceIdentifier } from 'inversify';
import { BehaviorSubject, filter, firstValueFrom, of, timeout, type Observable } from 'rxjs';
import sinon from 'sinon';
import { Clock } from '../../src/common/clock.js';
import { ContributionProvider } from '../../src/common/contribution-provider.js';
import type { ServiceState } from '../../src/common/remote-service/model.js';
import { pluginModules } from '../../src/plugin/index.js';
import { LicensesController } from '../../src/plugin/licenses/licenses-controller.js';
import { PluginContribution } from '../../src/plugin/plugin-contribution.js';
import { RemoteServiceController } from '../../src/plugin/remote-service/remote-service-controller.js';
import { ServiceControl } from '../../src/services/ors-control/service-control.js';
import { pluginHarness } from '../support/plugin-container.js';
import { ROOT, tempDir } from '../support/processes.js';

const manifest = JSON.parse(await readFile(path.join(ROOT, 'manifest.json'), 'utf8')) as { contributes: { commands: { id: string }[]; nodes: { id: string }[] } };

/** A ServiceControl that only reports a state (nothing is started). */
function stillControl(): ServiceControl {
  const state = new BehaviorSubject<ServiceState>({ kind: 'stopped' });
  return { backend: 'systemd', state$: state, hosting$: of({ backend: 'systemd', childOfConsole: false }), start: async () => undefined, stop: async () => undefined, restart: async () => undefined, dispose: async () => state.complete() };
}

/** Every identifier the modules bind, recorded by loading them into `container` through a recording `bind`. */
async function boundIdentifiers(container: Container, modules: readonly ContainerModule[]): Promise<Set<ServiceIdentifier>> {
  const ids = new Set<ServiceIdentifier>();
  for (const m of modules) {
    await m.load({
      bind: (id) => {
        ids.add(id);
        return container.bind(id);
      },
      isBound: (id, o) => container.isBound(id, o),
      onActivation: (id, a) => container.onActivation(id, a),
      onDeactivation: (id, d) => container.onDeactivation(id, d),
      rebind: (id) => container.rebind(id),
      rebindAsync: (id) => container.rebindAsync(id),
      unbind: (id) => container.unbind(id),
      unbindAsync: (id) => container.unbindAsync(id),
    });
  }
  return ids;
}

const orders: readonly (readonly ContainerModule[])[] = [
  pluginModules,
  [...pluginModules].reverse(),
  ...[1, 2, 3, 4, 5].map((k) => [...pluginModules.slice(k), ...pluginModules.slice(0, k)]),
  [pluginModules[3]!, pluginModules[0]!, pluginModules[5]!, pluginModules[1]!, pluginModules[4]!, pluginModules[2]!],
];

describe('the plugin container', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-plugin-container-'));
  });
  after(async () => {
    await cleanup();
  });

  it('resolves every token its modules bind', async () => {
    const h = await pluginHarness(path.join(dir, 'all'), []);
    const ids = await boundIdentifiers(h.container, pluginModules);
    (await h.container.rebind(ServiceControl)).toConstantValue(stillControl());
    const unresolved: string[] = [];
    for (const id of ids) {
      try {
        const got = id === ContributionProvider ? [h.container.get(id, { name: PluginContribution })] : h.container.getAll(id);
        if (!got.length || got.some((v) => v === undefined)) unresolved.push(String(id));
      } catch (e) {
        unresolved.push(`${String(id)}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    assert.ok(ids.size >= 25, `only ${ids.size} tokens bound`);
    assert.deepEqual(unresolved, []);
    h.container.get(LicensesController).dispose();
    h.dispose();
  });

  for (const [i, order] of orders.entries()) {
    it(`activates with its modules loaded in order #${i + 1}: every command has a handler, every node its items, Remote Service sees the service control and the serial`, async () => {
      const h = await pluginHarness(path.join(dir, `order-${i}`), order);
      (await h.container.rebind(ServiceControl)).toConstantValue(stillControl());
      h.contribute();
      assert.deepEqual([...h.commands.keys()].sort(), manifest.contributes.commands.map((c) => c.id).sort());
      assert.deepEqual([...h.items.keys()].sort(), manifest.contributes.nodes.map((n) => n.id).sort());
      assert.deepEqual([...h.exposed.keys()].sort(), ['licenseUpdate', 'licenses', 'remoteAssistance', 'remoteService']);
      assert.equal(h.catalogues.length, 1);
      const rs = h.container.get(RemoteServiceController);
      const state = await firstValueFrom(rs.state$());
      assert.equal(state.controllable, true);
      assert.deepEqual(state.service, { kind: 'stopped' });
      // No license server selected: the Licenses area says so, and Remote Service follows it (not stuck on "loading").
      const serial = await firstValueFrom(rs.serial$().pipe(filter((s) => s.kind !== 'loading'), timeout(5_000)));
      assert.deepEqual(serial, { kind: 'none' });
      h.dispose();
    });
  }

  it('lets a test replace the clock through the container: the Licenses status is derived at the bound time', async () => {
    const timers = sinon.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z'), toFake: ['Date'] });
    try {
      const h = await pluginHarness(path.join(dir, 'clock'));
      const now = { now: () => Date.parse('2031-05-06T07:08:09Z') };
      (await h.container.rebind(Clock)).toConstantValue(now);
      (await h.container.rebind(ServiceControl)).toConstantValue(stillControl());
      const spy = sinon.spy(now, 'now');
      const status$: Observable<unknown> = h.container.get(LicensesController).status$();
      await firstValueFrom(status$.pipe(timeout(5_000)));
      assert.ok(spy.called, 'the bound clock was asked');
      h.container.get(LicensesController).dispose();
      h.dispose();
    } finally {
      timers.restore();
    }
  });
});
