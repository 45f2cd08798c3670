import { msg } from '@lit/localize';
import { menuApplies, type ConsoleLayout, type ResultItem } from '../../common/console-protocol.js';
import type { Locale } from '../../common/i18n.js';
import { text } from './l10n.js';
import type { MenuEntry } from './popup-menu.js';

export const TOP_MENUS = ['action', 'view', 'help'] as const;
export type TopMenu = (typeof TOP_MENUS)[number];

export function topMenuLabel(m: TopMenu): string {
  return { action: msg('Action', { id: 'menu.action' }), view: msg('View', { id: 'menu.view' }), help: msg('Help', { id: 'menu.help' }) }[m];
}

/**
 * The commands the manifests contribute for a node or item of `nodeType`, shown only where their
 * when-clause holds (`viewItem` against the items' context values: "Start ORS service" only while
 * it is stopped). The console's own "Properties" is added by the caller, once.
 */
export function contextCommands(layout: ConsoleLayout | undefined, nodeType: string | undefined, items: readonly ResultItem[]): MenuEntry[] {
  const values = items.map((i) => i.contextValue);
  return (layout?.menus ?? []).filter((m) => menuApplies(m, nodeType, values)).map((m) => ({ id: `command:${m.command}`, label: text(m.title) }));
}

export interface TopMenuContext {
  readonly canOpenProperties: boolean;
  readonly locale: Locale;
  readonly showNotifications: boolean;
  readonly commands: readonly MenuEntry[];
}

export function topMenuEntries(m: TopMenu, c: TopMenuContext): MenuEntry[] {
  switch (m) {
    case 'action':
      return [{ id: 'properties', label: msg('Properties', { id: 'toolbar.properties' }), disabled: !c.canOpenProperties }, { id: 'refresh', label: msg('Refresh', { id: 'toolbar.refresh' }) }, ...c.commands];
    case 'view':
      return [
        { id: 'locale:en', label: 'English', checked: c.locale === 'en' },
        { id: 'locale:de', label: 'Deutsch', checked: c.locale === 'de' },
        { id: 'notifications', label: msg('Notifications', { id: 'notify.title' }), checked: c.showNotifications },
        { id: 'log', label: msg('Log…', { id: 'view.log' }) },
        { id: 'audit', label: msg('Audit log…', { id: 'view.audit' }) },
      ];
    case 'help':
      return [{ id: 'about', label: msg('About…', { id: 'help.about' }) }];
  }
}
