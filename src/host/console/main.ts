import type { BrowserPluginContext, BrowserPluginModule } from '../../common/browser-plugin-api.js';
import { HOST_SERVICE, type HostService } from '../../common/console-protocol.js';
import { RpcClient } from '../../common/rpc/rpc-client.js';
import { firstValueFrom } from 'rxjs';
import { setArrivedCatalogue } from '../../elements/l10n.js';
import { addTemplates, initialLocale, switchLocale } from './l10n.js';
import './console-app.js';
import type { ConsoleServices } from './console-app.js';

/** Boots the console: one authenticated WebSocket, plugins' browser entries, then the shell. */
async function boot(): Promise<void> {
  performance.mark('ors:boot');
  const rpc = new RpcClient({ connect: () => new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc`) as never });
  const host = rpc.proxy<HostService>(HOST_SERVICE);
  const contexts = new Map<string, BrowserPluginContext>();
  const pluginContext = (pluginId: string): BrowserPluginContext => {
    let c = contexts.get(pluginId);
    if (!c) {
      c = {
        pluginId,
        service: (name) => rpc.proxy(`${pluginId}.${name}`),
        hostService: (name) => rpc.proxy(name),
        addTemplates,
      };
      contexts.set(pluginId, c);
    }
    return c;
  };
  // The plugins' catalogues come from the host (each registered through its plugin's context).
  const catalogue$ = host.catalogue$();
  setArrivedCatalogue(await firstValueFrom(catalogue$));
  catalogue$.subscribe({ next: setArrivedCatalogue, error: (e: unknown) => console.error('message catalogues', e) });
  const layout = await host.layout();
  await Promise.all(
    layout.plugins
      .filter((p) => p.browserEntry)
      .map(async (p) => {
        try {
          const mod = (await import(/* @vite-ignore */ p.browserEntry!)) as Partial<BrowserPluginModule>;
          await mod.activate?.(pluginContext(p.id));
        } catch (e) {
          console.error(`plugin ${p.id}: browser entry failed`, e);
        }
      }),
  );
  await switchLocale(initialLocale());
  const services: ConsoleServices = { host, connection$: rpc.state$, pluginContext };
  const app = document.createElement('ors-console');
  app.services = services;
  document.body.replaceChildren(app);
}

void boot();
