import { BehaviorSubject } from 'rxjs';
import type { ResultItem } from '../common/console-protocol.js';
import type { PluginContext } from '../host/api/index.js';
import { pluginModule } from './plugin-module.js';

/**
 * Entry point the host calls: registers the Licenses and Remote Service nodes' items and commands.
 * Every registration goes to context.subscriptions, so deactivation is the host disposing them.
 */
export function activate(context: PluginContext): void {
  context.container.load(pluginModule);

  const licenseItems$ = new BehaviorSubject<readonly ResultItem[]>([
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
  const remoteServiceItems$ = new BehaviorSubject<readonly ResultItem[]>([
    {
      id: 'remote-service',
      nodeType: 'remote-service',
      icon: 'cloud',
      cells: {
        name: { en: 'Remote Service', de: 'Remote Service' },
        state: { en: 'Disabled', de: 'Deaktiviert' },
        description: {
          en: 'Automatic license update and remote assistance',
          de: 'Automatische Lizenzaktualisierung und Remote-Unterstützung',
        },
      },
      badge: { kind: 'info', text: { en: 'Disabled', de: 'Deaktiviert' } },
    },
  ]);

  context.subscriptions.push(
    context.tree.registerItems('licenses', licenseItems$),
    context.tree.registerItems('remote-service', remoteServiceItems$),
    context.commands.register('licenses.properties', () => ({ openProperties: { nodeId: 'licenses', itemId: 'licenses' } })),
    context.commands.register('remoteService.properties', () => ({ openProperties: { nodeId: 'remote-service', itemId: 'remote-service' } })),
  );
  context.logger.info('Remote Service & Licenses activated');
}
