import { expect, fixture, html } from '@open-wc/testing';
import { BehaviorSubject, Observable, of } from 'rxjs';
import type { ConsoleLayout, HostService, LogEntry } from '../../src/common/console-protocol.js';
import '../../src/host/console/console-app.js';
import type { ConsoleApp, ConsoleServices } from '../../src/host/console/console-app.js';

const layout: ConsoleLayout = { hostVersion: '1.0.0', nodes: [], menus: [], views: [], plugins: [], strings: { en: {}, de: {} } };
const entry: LogEntry = { time: '2026-11-28T07:00:00Z', level: 'warn', source: 'host', msg: 'disk almost full' };

/** A host whose log stream counts who listens (the Log dialog must be its only listener, and only while open). */
function fakeHost() {
  let listening = 0;
  const logs$ = new Observable<readonly LogEntry[]>((s) => {
    listening++;
    s.next([entry]);
    return () => listening--;
  });
  const host = {
    layout: async () => layout,
    items$: () => of([]),
    executeCommand: async () => null,
    notifications$: () => new BehaviorSubject([]),
    dismissNotification: async () => undefined,
    progress$: () => new BehaviorSubject([]),
    cancelProgress: async () => undefined,
    about$: () => new BehaviorSubject([]),
    logs$: () => logs$,
    catalogue$: () => new BehaviorSubject({}),
  } as unknown as HostService;
  return { host, listening: () => listening };
}

describe('the Log dialog', () => {
  it('listens to the log only while it is open, however often it is opened (no subscription left behind)', async () => {
    const f = fakeHost();
    const services = { host: f.host, connection$: of('open'), pluginContext: () => ({}) } as unknown as ConsoleServices;
    const app = await fixture<ConsoleApp>(html`<ors-console .services=${services}></ors-console>`);
    const open = app as unknown as { openLog(): void; closeInfo(): void };
    for (let i = 0; i < 3; i++) {
      open.openLog();
      await app.updateComplete;
      expect(f.listening()).to.equal(1);
      const dialog = app.shadowRoot!.querySelector('ors-info-dialog')!;
      await dialog.updateComplete;
      expect(dialog.shadowRoot!.querySelector('[role="log"]')!.textContent).to.contain('disk almost full');
      // The time in the UI language and the local zone, never raw ISO.
      expect(dialog.shadowRoot!.querySelector('[role="log"] time')!.textContent).not.to.contain('2026-11-28T');
      open.closeInfo();
      await app.updateComplete;
      expect(f.listening()).to.equal(0);
    }
    app.remove();
    expect(f.listening()).to.equal(0);
  });
});
