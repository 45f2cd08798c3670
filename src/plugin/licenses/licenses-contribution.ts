import { BehaviorSubject } from 'rxjs';
import type { ResultItem } from '../../common/console-protocol.js';
import type { PluginContext } from '../../host/api/index.js';

/** The Licenses node: its result-pane items and commands. */
export function contributeLicenses(context: PluginContext): void {
  const items$ = new BehaviorSubject<readonly ResultItem[]>([
    {
      id: 'licenses',
      nodeType: 'licenses',
      icon: 'key',
      cells: {
        name: { en: 'Licenses', de: 'Lizenzen' },
        state: { en: 'Not configured', de: 'Nicht konfiguriert' },
        description: { en: 'Select the license server and view the installed license', de: 'Lizenzserver auswählen und installierte Lizenz anzeigen' },
      },
      badge: { kind: 'info', text: { en: 'Not configured', de: 'Nicht konfiguriert' } },
    },
  ]);
  context.subscriptions.push(
    context.tree.registerItems('licenses', items$),
    context.commands.register('licenses.properties', () => ({ openProperties: { nodeId: 'licenses', itemId: 'licenses' } })),
  );
}
