import { BehaviorSubject } from 'rxjs';
import type { ResultItem } from '../../common/console-protocol.js';
import type { PluginContext } from '../../host/api/index.js';

/** The Remote Service node: its result-pane items and commands. */
export function contributeRemoteService(context: PluginContext): void {
  const items$ = new BehaviorSubject<readonly ResultItem[]>([
    {
      id: 'remote-service',
      nodeType: 'remote-service',
      icon: 'cloud',
      cells: {
        name: { en: 'Remote Service', de: 'Remote Service' },
        state: { en: 'Disabled', de: 'Deaktiviert' },
        description: { en: 'Automatic license update and remote assistance', de: 'Automatische Lizenzaktualisierung und Remote-Unterstützung' },
      },
      badge: { kind: 'info', text: { en: 'Disabled', de: 'Deaktiviert' } },
    },
  ]);
  context.subscriptions.push(
    context.tree.registerItems('remote-service', items$),
    context.commands.register('remoteService.properties', () => ({ openProperties: { nodeId: 'remote-service', itemId: 'remote-service' } })),
  );
}
