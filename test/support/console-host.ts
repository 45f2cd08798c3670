import { BehaviorSubject, Observable, of } from 'rxjs';
import type { AttentionItem, AuditRow, ConsoleLayout, HostService, LogEntry, NotificationInfo } from '../../src/common/console-protocol.js';
import type { ConsoleServices } from '../../src/host/console/console-app.js';

export const LAYOUT: ConsoleLayout = {
  hostVersion: '1.0.0',
  nodes: [
    { id: 'licenses', pluginId: 'p', label: { en: 'Licenses', de: 'Lizenzen' }, nodeType: 'licenses', columns: [] },
    { id: 'remote-service', pluginId: 'p', label: 'Remote Service', nodeType: 'remote-service', columns: [] },
  ],
  menus: [],
  views: [],
  plugins: [],
  strings: { en: {}, de: {} },
};

/**
 * A host for the console shell in browser tests: every stream a subject the test drives, and a log
 * stream that counts its listeners. Commands and read marks are recorded.
 */
export function fakeHost(o: { layout?: ConsoleLayout; logs?: readonly LogEntry[] } = {}) {
  let listening = 0;
  const logs$ = new Observable<readonly LogEntry[]>((s) => {
    listening++;
    s.next(o.logs ?? []);
    return () => listening--;
  });
  const notifications$ = new BehaviorSubject<readonly NotificationInfo[]>([]);
  const attention$ = new BehaviorSubject<readonly AttentionItem[]>([]);
  const audit$ = new BehaviorSubject<readonly AuditRow[]>([]);
  const calls = { commands: [] as [string, readonly unknown[]][], read: [] as string[] };
  const host = {
    layout: async () => o.layout ?? LAYOUT,
    items$: () => of([]),
    executeCommand: async (id: string, args: readonly unknown[] = []) => (calls.commands.push([id, args]), null),
    notifications$: () => notifications$,
    dismissNotification: async () => undefined,
    markNotificationsRead: async (ids: readonly string[]) => {
      calls.read.push(...ids);
      notifications$.next(notifications$.value.map((n) => (ids.includes(n.id) ? { ...n, read: true } : n)));
    },
    attention$: () => attention$,
    audit$: () => audit$,
    progress$: () => new BehaviorSubject([]),
    cancelProgress: async () => undefined,
    about$: () => new BehaviorSubject([]),
    logs$: () => logs$,
    catalogue$: () => new BehaviorSubject({}),
  } as unknown as HostService;
  const services = { host, connection$: of('open'), pluginContext: () => ({}) } as unknown as ConsoleServices;
  return { host, services, calls, notifications$, attention$, audit$, listening: () => listening };
}
