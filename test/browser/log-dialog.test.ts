import { expect, fixture, html } from '@open-wc/testing';
import type { LogEntry } from '../../src/common/console-protocol.js';
import '../../src/host/console/console-app.js';
import type { ConsoleApp } from '../../src/host/console/console-app.js';
import { fakeHost } from '../support/console-host.js';

const entry: LogEntry = { time: '2026-11-28T07:00:00Z', level: 'warn', source: 'host', msg: 'disk almost full' };

describe('the Log dialog', () => {
  it('listens to the log only while it is open, however often it is opened (no subscription left behind)', async () => {
    const f = fakeHost({ logs: [entry] });
    const app = await fixture<ConsoleApp>(html`<ors-console .services=${f.services}></ors-console>`);
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
