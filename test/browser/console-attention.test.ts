import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AttentionItem, AuditRow, NotificationInfo } from '../../src/common/console-protocol.js';
import { switchLocale } from '../../src/host/console/l10n.js';
import '../../src/host/console/console-app.js';
import type { ConsoleApp } from '../../src/host/console/console-app.js';
import { auditCsv, auditLines } from '../../src/host/console/audit-table.js';
import { fakeHost, LAYOUT } from '../support/console-host.js';

const confirm: AttentionItem = {
  id: 'license-update.LIC-21',
  nodeId: 'licenses',
  severity: 'warning',
  message: 'A new license for DEMO-0001 takes something away and waits for your confirmation.',
  actions: [
    { id: 'confirm', title: 'Install anyway', command: 'licenses.confirmUpdate', args: ['LIC-21'] },
    { id: 'decline', title: 'Keep current license', command: 'licenses.declineUpdate', args: ['LIC-21'] },
  ],
  notice: true,
};
const expiring: AttentionItem = { id: 'licenses.f7.DEMO-0001', nodeId: 'licenses', severity: 'warning', message: 'License DEMO-0001 expires in 12 days.', actions: [] };

const note = (id: string, read = false): NotificationInfo => ({ id, severity: 'info', message: `note ${id}`, source: 'p', time: '2026-11-28T07:00:00Z', actions: [], ...(read ? { read } : {}) });

async function consoleWith(f: ReturnType<typeof fakeHost>): Promise<ConsoleApp> {
  const app = await fixture<ConsoleApp>(html`<ors-console .services=${f.services}></ors-console>`);
  await new Promise((r) => setTimeout(r, 0));
  await app.updateComplete;
  return app;
}
const inner = (app: ConsoleApp, host: string, sel: string): HTMLElement | null => app.shadowRoot!.querySelector(host)!.shadowRoot!.querySelector<HTMLElement>(sel);

describe('the console: what waits for the administrator, unread notifications, the audit view', () => {
  afterEach(() => switchLocale('en'));

  it('shows a banner and a badge on the node for each waiting item until the plugin no longer reports it', async () => {
    const f = fakeHost();
    const app = await consoleWith(f);
    expect(inner(app, 'ors-attention-banner', '#attention')).to.equal(null);
    f.attention$.next([expiring]);
    await app.updateComplete;
    const banner = app.shadowRoot!.querySelector('ors-attention-banner')!;
    await banner.updateComplete;
    expect(inner(app, 'ors-attention-banner', 'li')!.textContent).to.contain('Licenses:');
    expect(inner(app, 'ors-attention-banner', 'li')!.textContent).to.contain('expires in 12 days');
    const tree = app.shadowRoot!.querySelector('ors-scope-tree')!;
    await tree.updateComplete;
    expect(inner(app, 'ors-scope-tree', '#node-licenses .badge')!.textContent).to.equal('1');
    expect(inner(app, 'ors-scope-tree', '#node-licenses')!.textContent).to.contain('1 waiting for you');
    expect(inner(app, 'ors-scope-tree', '#node-remote-service .badge')).to.equal(null);
    f.attention$.next([]);
    await app.updateComplete;
    await tree.updateComplete;
    expect(inner(app, 'ors-attention-banner', '#attention')).to.equal(null);
    expect(inner(app, 'ors-scope-tree', '#node-licenses .badge')).to.equal(null);
  });

  it('carries a banner button to its command', async () => {
    const f = fakeHost();
    f.attention$.next([{ ...confirm, notice: false }]);
    const app = await consoleWith(f);
    await app.shadowRoot!.querySelector('ors-attention-banner')!.updateComplete;
    inner(app, 'ors-attention-banner', 'button[data-action="decline"]')!.click();
    await new Promise((r) => setTimeout(r, 0));
    expect(f.calls.commands).to.deep.equal([['licenses.declineUpdate', ['LIC-21']]]);
  });

  it('opens a modal notice at start for a license waiting for confirmation: focus inside, Tab wraps, Escape closes, the banner stays', async () => {
    const f = fakeHost();
    f.attention$.next([confirm, expiring]);
    const app = await consoleWith(f);
    const notice = app.shadowRoot!.querySelector('ors-startup-notice')!;
    await notice.updateComplete;
    const dialog = notice.shadowRoot!.querySelector('dialog')!;
    expect(dialog.open).to.equal(true);
    // Only what must not be missed: the confirmation, not the expiry notice.
    expect([...dialog.querySelectorAll('li')].map((li) => li.dataset['notice'])).to.deep.equal(['license-update.LIC-21']);
    expect(notice.shadowRoot!.activeElement?.id).to.equal('notice-close');
    await sendKeys({ press: 'Tab' });
    expect(notice.shadowRoot!.activeElement?.textContent?.trim()).to.equal('Install anyway');
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(notice.shadowRoot!.activeElement?.id).to.equal('notice-close');
    await sendKeys({ press: 'Escape' });
    await app.updateComplete;
    expect(app.shadowRoot!.querySelector('ors-startup-notice')).to.equal(null);
    expect(inner(app, 'ors-attention-banner', `li[data-attention="${confirm.id}"]`)).to.not.equal(null);
  });

  it('shows what begins to wait after the console started in the banner only, not as the start-up notice', async () => {
    const f = fakeHost();
    const app = await consoleWith(f);
    f.attention$.next([{ ...confirm, since: new Date(Date.now() + 1_000).toISOString() }]);
    await app.updateComplete;
    await app.shadowRoot!.querySelector('ors-attention-banner')!.updateComplete;
    expect(app.shadowRoot!.querySelector('ors-startup-notice')).to.equal(null);
    expect(inner(app, 'ors-attention-banner', `li[data-attention="${confirm.id}"]`)).to.not.equal(null);
    // One that waited before the start opens it.
    const f2 = fakeHost();
    f2.attention$.next([{ ...confirm, since: new Date(Date.now() - 60_000).toISOString() }]);
    const app2 = await consoleWith(f2);
    expect(app2.shadowRoot!.querySelector('ors-startup-notice')).to.not.equal(null);
  });

  it('counts unread notifications in the status bar; opening the list marks them read', async () => {
    await switchLocale('de');
    const f = fakeHost();
    f.notifications$.next([note('a'), note('b'), note('c', true)]);
    const app = await consoleWith(f);
    const bar = app.shadowRoot!.querySelector('ors-status-bar')!;
    await bar.updateComplete;
    const button = () => bar.shadowRoot!.querySelector('#notifications-button')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(button()).to.equal('Benachrichtigungen (2 ungelesen)');
    (bar.shadowRoot!.querySelector('#notifications-button') as HTMLElement).click();
    await new Promise((r) => setTimeout(r, 0));
    await app.updateComplete;
    await bar.updateComplete;
    expect(f.calls.read).to.deep.equal(['a', 'b']);
    expect(button()).to.equal('Benachrichtigungen');
    // A new one while the list is open is seen at once; with the list closed it counts.
    (bar.shadowRoot!.querySelector('#notifications-button') as HTMLElement).click();
    await app.updateComplete;
    f.notifications$.next([note('d'), ...f.notifications$.value]);
    await app.updateComplete;
    await bar.updateComplete;
    expect(button()).to.equal('Benachrichtigungen (1 ungelesen)');
  });

  const rows: AuditRow[] = [
    { time: '2026-11-28T07:00:00Z', actor: 'console', user: 'alice', session: '3f2a9c1d', action: 'settings.update', target: 'p', pluginId: 'p', nodeId: 'remote-service', changes: [{ key: 'remoteService.proxy.port', from: 3128, to: 8080 }, { key: 'remoteService.enabled', from: false, to: true }] },
    { time: '2026-11-28T06:00:00Z', actor: 'console', user: 'alice', session: '3f2a9c1d', action: 'secret.set', target: 'verificationCode', nodeId: 'remote-service', changes: [{ key: 'secret.verificationCode', changed: true }] },
    { time: '2026-11-28T05:00:00Z', actor: 'ors-service', action: 'license.installed', target: 'DEMO-0001', nodeId: 'licenses', changes: [{ key: 'users', from: 5, to: '=7' }] },
  ];

  it('shows the audit log: when, who with the session, node, what, old → new, secrets only as changed; filters by node', async () => {
    const f = fakeHost();
    f.audit$.next(rows);
    const app = await consoleWith(f);
    (app as unknown as { openAudit(): void }).openAudit();
    await app.updateComplete;
    const dialog = app.shadowRoot!.querySelector('ors-audit-dialog')!;
    await dialog.updateComplete;
    const table = () => [...dialog.shadowRoot!.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()));
    const all = table();
    expect(all).to.have.length(4);
    expect(all[0]!.slice(1)).to.deep.equal(['alice (Console), session 3f2a9c1d', 'Remote Service', 'remoteService.proxy.port', '3128', '8080']);
    expect(all[1]!.slice(4)).to.deep.equal(['no', 'yes']);
    expect(all[2]!.slice(5)).to.deep.equal(['changed']);
    expect(all[2]!.join(' ')).not.to.contain('undefined');
    expect(all[3]!.slice(1, 3)).to.deep.equal(['ORS service', 'Licenses']);
    expect(all[0]![0]).not.to.match(/\d{4}-\d{2}-\d{2}T/);
    const select = dialog.shadowRoot!.querySelector<HTMLSelectElement>('#audit-node')!;
    select.value = 'licenses';
    select.dispatchEvent(new Event('change'));
    await dialog.updateComplete;
    expect(table()).to.have.length(1);
  });

  it('exports the audit lines as CSV in the UI language, quoted and safe against spreadsheet formulas', async () => {
    await switchLocale('de');
    const csv = auditCsv(auditLines(rows, LAYOUT.nodes));
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).to.equal('Wann,"Zeitpunkt (ISO 8601, UTC)",Wer,Knoten,Was,Alter Wert,Neuer Wert');
    expect(lines).to.have.length(5);
    expect(lines[1]).to.contain(',2026-11-28T07:00:00Z,"alice (Konsole), Sitzung 3f2a9c1d",Remote Service,remoteService.proxy.port,3128,8080');
    expect(lines[3]).to.match(/,geändert$/);
    expect(lines[4]).to.match(/,5,'=7$/);
  });
});
