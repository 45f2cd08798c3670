import { localeSwitch } from '../support/browser-locale.js';
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { BehaviorSubject } from 'rxjs';
import type { BrowserPluginContext } from '../../src/common/browser-plugin-api.js';
import { CodedError } from '../../src/common/errors.js';
import type { UpdateEvent, UpdateState } from '../../src/common/remote-service/model.js';
import { licensesGerman } from '../../src/views/licenses/de.js';
import '../../src/views/licenses/update-panel.js';
import type { LicenseUpdatePanel } from '../../src/views/licenses/update-panel.js';

const useLocale = localeSwitch(licensesGerman);

const waiting: UpdateEvent = {
  id: 'ev-1',
  time: '2026-11-27T08:00:01Z',
  licenseId: 'LIC-21',
  serial: 'DEMO-0001',
  seq: 21,
  kind: 'awaiting-confirmation',
  changes: [{ kind: 'users', from: 7, to: 4, worse: true }],
  file: '/data/ors/license-path/LIC-21.lic',
};
const manual: UpdateEvent = {
  id: 'ev-2',
  time: '2026-11-27T08:00:02Z',
  licenseId: 'LIC-22',
  serial: 'DEMO-0001',
  seq: 22,
  kind: 'manual-pending',
  changes: [{ kind: 'feature-added', id: 'imposition', worse: false }],
  file: '/data/ors/license-path/LIC-22.lic',
  target: '\\\\fls01\\licenses',
  error: { code: 'share.access-denied', params: { path: '\\\\fls01\\licenses' } },
};
const STATE: UpdateState = {
  phase: 'waiting',
  lastCheck: '2026-11-27T08:00:00Z',
  nextCheck: '2026-11-27T08:01:00Z',
  pending: [waiting, manual],
  events: [manual, waiting],
  licensePath: '/data/ors/license-path',
};

function fakeService(initial: UpdateState | undefined) {
  const state$ = new BehaviorSubject<UpdateState | undefined>(initial);
  const calls: string[] = [];
  let refuse: CodedError | undefined;
  const service = {
    state$: () => state$,
    checkNow: async () => {
      calls.push('check-now');
      if (refuse) throw refuse;
    },
    confirm: async (id: string) => {
      calls.push(`confirm ${id}`);
    },
    retry: async (id: string) => {
      calls.push(`retry ${id}`);
    },
    decline: async (id: string) => {
      calls.push(`decline ${id}`);
    },
  };
  const context = { pluginId: 'remote-service-licenses', service: () => service, hostService: () => ({}), addTemplates: () => undefined } as unknown as BrowserPluginContext;
  return { context, calls, state$, refuseWith: (e: CodedError) => (refuse = e) };
}

async function panel(context: BrowserPluginContext): Promise<LicenseUpdatePanel> {
  const el = await fixture<LicenseUpdatePanel>(html`<ors-license-update-panel .context=${context}></ors-license-update-panel>`);
  await el.updateComplete;
  return el;
}
const $ = <T extends Element = HTMLElement>(el: LicenseUpdatePanel, sel: string) => el.shadowRoot!.querySelector<T>(sel)!;
const text = (el: LicenseUpdatePanel, sel: string) => ($(el, sel)?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('license update panel', () => {
  afterEach(() => useLocale('en'));

  it('shows the phase, the last and next check, and each waiting license with what it changes and its button', async () => {
    const f = fakeService(STATE);
    const el = await panel(f.context);
    // A license waits for the administrator: the status says so, not "waiting for a new license".
    expect(text(el, '#phase')).to.equal('A new license waits for your decision');
    expect($(el, '#phase').getAttribute('role')).to.equal('status');
    expect(text(el, '#license-path')).to.equal('/data/ors/license-path');
    expect(text(el, '#license-path-label')).to.equal('License path:');
    expect($(el, '#last-check time').getAttribute('datetime')).to.equal('2026-11-27T08:00:00Z');
    expect($(el, '#next-check time').getAttribute('datetime')).to.equal('2026-11-27T08:01:00Z');
    const items = [...el.shadowRoot!.querySelectorAll<HTMLElement>('li[data-license]')];
    expect(items.map((li) => `${li.dataset['license']}:${li.dataset['kind']}`)).to.deep.equal(['LIC-21:awaiting-confirmation', 'LIC-22:manual-pending']);
    expect(items[0]!.textContent).to.contain('3 users fewer (now 4)');
    expect([...items[0]!.querySelectorAll('button')].map((b) => b.textContent!.trim())).to.deep.equal(['Install anyway', 'Keep current license']);
    expect(items[1]!.textContent).to.contain('new feature imposition');
    // The manual steps: the reason first, then an ordered list.
    expect(items[1]!.querySelector('.reason')!.textContent).to.match(/^The automatic install failed: /);
    const steps = [...items[1]!.querySelectorAll('ol.steps > li')].map((li) => li.textContent!.trim());
    expect(steps).to.have.length(3);
    expect(steps[0]).to.equal('Copy /data/ors/license-path/LIC-22.lic from the license path to the license folder \\\\fls01\\licenses of the license server.');
    expect(items[1]!.querySelector('button')!.textContent!.trim()).to.equal('Retry');
    // The button is described by the license's text, for screen readers.
    const described = items[0]!.querySelector('button')!.getAttribute('aria-describedby')!.split(' ');
    expect(described.every((id) => !!el.shadowRoot!.getElementById(id))).to.equal(true);
  });

  const settle = async (el: LicenseUpdatePanel) => {
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
  };

  it('carries [Install anyway], [Retry] and [Check now] to the service, from the keyboard too, one at a time', async () => {
    const f = fakeService(STATE);
    const el = await panel(f.context);
    $<HTMLButtonElement>(el, 'li[data-license="LIC-21"] button').click();
    await settle(el);
    // While the install runs, nothing else can be started.
    expect($<HTMLButtonElement>(el, '#check-now').disabled).to.equal(true);
    f.state$.next({ ...STATE, pending: [manual] });
    await settle(el);
    $<HTMLButtonElement>(el, 'li[data-license="LIC-22"] button').focus();
    await sendKeys({ press: 'Enter' });
    await settle(el);
    f.state$.next({ ...STATE, pending: [] });
    await settle(el);
    $<HTMLButtonElement>(el, '#check-now').focus();
    await sendKeys({ press: 'Space' });
    await settle(el);
    expect(f.calls).to.deep.equal(['confirm LIC-21', 'retry LIC-22', 'check-now']);
    expect(text(el, '#update-message')).to.equal('The ORS service is asking the back office now.');
  });

  it('[Keep current license] declines the waiting license; its text lasts until the stream no longer shows it waiting', async () => {
    const f = fakeService(STATE);
    const el = await panel(f.context);
    $<HTMLButtonElement>(el, 'li[data-license="LIC-21"] button[data-action="decline"]').click();
    await settle(el);
    expect(f.calls).to.deep.equal(['decline LIC-21']);
    expect(text(el, '#update-message')).to.equal('Keeping the current license…');
    f.state$.next({ ...STATE, pending: [manual] });
    await settle(el);
    expect($(el, '#update-message')).to.equal(null);
    expect(text(el, '#phase')).to.equal('A new license waits to be installed by hand');
    f.state$.next({ ...STATE, pending: [] });
    await settle(el);
    expect(text(el, '#phase')).to.equal('Waiting for a new license');
  });

  // Stale statuses on main: the text set at the click stayed after the operation had ended.
  it('shows "Installing the license…" only until the stream shows the license installed', async () => {
    const f = fakeService(STATE);
    const el = await panel(f.context);
    $<HTMLButtonElement>(el, 'li[data-license="LIC-21"] button').click();
    await settle(el);
    expect(text(el, '#update-message')).to.equal('Installing the license…');
    f.state$.next({ ...STATE, phase: 'installing' });
    await settle(el);
    expect(text(el, '#update-message')).to.equal('Installing the license…');
    f.state$.next({ ...STATE, phase: 'waiting', pending: [manual], events: [{ ...waiting, kind: 'installed', id: 'ev-9' }, manual] });
    await settle(el);
    expect($(el, '#update-message')).to.equal(null);
    expect($<HTMLButtonElement>(el, '#check-now').disabled).to.equal(false);
  });

  it('shows "Trying again…" only until the retried license is no longer waiting', async () => {
    const f = fakeService(STATE);
    const el = await panel(f.context);
    $<HTMLButtonElement>(el, 'li[data-license="LIC-22"] button').click();
    await settle(el);
    expect(text(el, '#update-message')).to.equal('Trying again to install the license…');
    f.state$.next({ ...STATE, pending: [waiting] });
    await settle(el);
    expect($(el, '#update-message')).to.equal(null);
  });

  it('shows "asking the back office now" only until the service reports a newer check', async () => {
    const f = fakeService(STATE);
    const el = await panel(f.context);
    $<HTMLButtonElement>(el, '#check-now').click();
    await settle(el);
    expect(text(el, '#update-message')).to.equal('The ORS service is asking the back office now.');
    f.state$.next({ ...STATE, lastCheck: '2026-11-27T08:00:30Z' });
    await settle(el);
    expect($(el, '#update-message')).to.equal(null);
  });

  it('shows a refusal as an alert and updates when the service reports the license installed', async () => {
    const f = fakeService(STATE);
    const el = await panel(f.context);
    f.refuseWith(new CodedError('license-update.service-not-running'));
    $<HTMLButtonElement>(el, '#check-now').click();
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
    expect($(el, '#update-message').getAttribute('role')).to.equal('alert');
    expect(text(el, '#update-message')).to.contain('The ORS service is not running');
    f.state$.next({ ...STATE, phase: 'idle', pending: [] });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('li[data-license]').length).to.equal(0);
    expect(text(el, '#no-pending')).to.equal('No license is waiting for you.');
  });

  it('says so when the ORS service is not running and disables [Check now]', async () => {
    const f = fakeService(undefined);
    const el = await panel(f.context);
    expect(text(el, '#phase')).to.equal('The ORS service is not running.');
    expect($<HTMLButtonElement>(el, '#check-now').disabled).to.equal(true);
  });

  it('speaks German', async () => {
    await useLocale('de');
    const f = fakeService({ ...STATE, stoppedBy: { code: 'license-update.service-not-running' } });
    const el = await panel(f.context);
    expect(text(el, 'h3')).to.equal('Automatische Lizenzaktualisierung');
    expect(text(el, '#phase')).to.equal('Eine neue Lizenz wartet auf Ihre Entscheidung');
    expect(text(el, '#license-path-label')).to.equal('Lizenzpfad:');
    expect(text(el, '#stopped')).to.contain('Der ORS-Dienst läuft nicht');
    expect(text(el, 'li[data-license="LIC-21"]')).to.contain('3 Benutzer weniger (jetzt 4)');
    expect(text(el, 'li[data-license="LIC-21"] button[data-action="confirm"]')).to.equal('Trotzdem installieren');
    expect(text(el, 'li[data-license="LIC-21"] button[data-action="decline"]')).to.equal('Aktuelle Lizenz behalten');
    expect(text(el, 'li[data-license="LIC-22"] .reason')).to.match(/^Die automatische Installation ist fehlgeschlagen: /);
    expect(text(el, 'li[data-license="LIC-22"]')).to.contain('Kopieren Sie /data/ors/license-path/LIC-22.lic aus dem Lizenzpfad in den Lizenzordner');
    expect(text(el, 'li[data-license="LIC-22"] button')).to.equal('Wiederholen');
    expect(text(el, '#check-now')).to.equal('Jetzt prüfen');
    expect($(el, '#last-check time').textContent).to.match(/27\.11\.2026/);
  });
});
