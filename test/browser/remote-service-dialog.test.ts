import { localeSwitch } from '../support/browser-locale.js';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { BehaviorSubject, Subject } from 'rxjs';
import type { BrowserPluginContext } from '../../src/common/browser-plugin-api.js';
import { CodedError } from '../../src/common/errors.js';
import type { ConnectionTestReport } from '../../src/common/remote-service/connection-test.js';
import type { PrerequisitesView } from '../../src/common/remote-assistance/api.js';
import type { RemoteServiceStateView, RemoteServiceView, SerialView } from '../../src/common/remote-service/remote-service-api.js';
import type { RemoteServiceInput, RemoteServiceSecretsInput } from '../../src/common/remote-service/settings-rules.js';
import type { RemoteServiceSettings } from '../../src/common/settings/plugin-settings.js';

/** What readRemoteService gives for an empty file (the schema's defaults). */
const DEFAULT_REMOTE_SERVICE: RemoteServiceSettings = { enabled: false, remoteAssistanceFeature: false, allowRemoteAssistance: false, organisationId: '', backofficeUrl: '', proxy: { mode: 'none' }, serviceControl: 'auto' };
import { remoteServiceGerman } from '../../src/views/remote-service/de.js';
import '../../src/views/remote-service/remote-service-dialog.js';
import type { RemoteServiceDialog } from '../../src/views/remote-service/remote-service-dialog.js';

const useLocale = localeSwitch(remoteServiceGerman);

const VIEW: RemoteServiceView = {
  version: 4,
  settings: { ...DEFAULT_REMOTE_SERVICE, organisationId: 'DEMO-ORG', backofficeUrl: 'https://bo.example.com' },
  account: { kind: 'localSystem' },
  secretsSet: { verificationCode: false, proxyPassword: false, orsAccountPassword: false },
  licenseServerRemote: false,
};

const REPORT: ConnectionTestReport = {
  url: 'https://bo.example.com',
  mode: 'manual',
  candidates: [{ kind: 'proxy', host: 'proxy.corp', port: 3128 }],
  route: { kind: 'proxy', proxy: 'proxy.corp:3128' },
  testedAt: '2026-03-01T10:00:00Z',
  ok: false,
  ms: 12,
  hops: [
    { hop: 'resolve', status: 'ok', ms: 1, details: { source: 'manual' } },
    { hop: 'tcp', status: 'ok', ms: 1, target: 'proxy.corp:3128' },
    { hop: 'connect', status: 'failed', ms: 3, target: 'bo.example.com:443', error: { code: 'proxy.auth-failed', params: { proxy: 'proxy.corp:3128', scheme: 'Basic' } }, hint: 'proxy.hint.check-credentials' },
    { hop: 'tls', status: 'skipped', ms: 0 },
    { hop: 'http', status: 'skipped', ms: 0 },
    { hop: 'login', status: 'skipped', ms: 0 },
    { hop: 'serial', status: 'skipped', ms: 0 },
    { hop: 'license', status: 'skipped', ms: 0 },
  ],
};

/** A report that passed every hop (direct to the back office). */
const PASSED: ConnectionTestReport = {
  url: 'https://bo.example.com',
  mode: 'none',
  candidates: [{ kind: 'direct' }],
  route: { kind: 'direct' },
  testedAt: '2026-03-01T10:00:00Z',
  ok: true,
  ms: 30,
  hops: (['resolve', 'tcp', 'connect', 'tls', 'http', 'login', 'serial', 'license'] as const).map((hop) => ({ hop, status: hop === 'connect' ? 'skipped' : 'ok', ms: 1, target: hop === 'login' ? 'DEMO-ORG' : hop === 'serial' || hop === 'license' ? 'SN-4711' : 'bo.example.com:443' })),
};

const PREREQS_MET: PrerequisitesView = {
  prerequisites: [
    { id: 'license-update', met: true, reason: 'remote-assistance.prereq.connected', params: { since: '2026-03-01T10:00:00Z' } },
    { id: 'feature', met: true, reason: 'remote-assistance.prereq.feature-on' },
    { id: 'teamviewer', met: true, reason: 'remote-assistance.prereq.teamviewer-full-unversioned', params: { path: '/usr/bin/teamviewer' } },
    { id: 'proxy', met: true, reason: 'remote-assistance.prereq.proxy-none' },
  ],
  allMet: true,
  allowed: false,
  settingsVersion: 4,
  teamViewer: { kind: 'checking' },
  teamViewerPath: '',
  proxy: { kind: 'none' },
};
const PREREQS_UNMET: PrerequisitesView = {
  ...PREREQS_MET,
  allMet: false,
  prerequisites: [{ id: 'license-update', met: false, reason: 'remote-assistance.prereq.update-disabled', fix: 'remoteService.properties' }, ...PREREQS_MET.prerequisites.slice(1)],
};

function fakeService(options: { view?: RemoteServiceView | null; serial?: SerialView; state?: RemoteServiceStateView; saveError?: CodedError; report?: ConnectionTestReport; prerequisites?: PrerequisitesView } = {}) {
  const settings$ = options.view === null ? new Subject<RemoteServiceView>() : new BehaviorSubject<RemoteServiceView>(options.view ?? VIEW);
  const state$ = new BehaviorSubject<RemoteServiceStateView>(options.state ?? { controllable: true, service: { kind: 'stopped' } });
  const calls = { save: [] as [RemoteServiceInput, number, RemoteServiceSecretsInput | undefined][], restart: 0, start: 0, test: 0, tested: [] as (RemoteServiceInput | undefined)[], commands: [] as string[], allow: [] as [boolean, number][] };
  const prerequisites$ = new BehaviorSubject<PrerequisitesView>(options.prerequisites ?? PREREQS_UNMET);
  const service = {
    settings$: () => settings$,
    state$: () => state$,
    serial$: () => new BehaviorSubject<SerialView>(options.serial ?? { kind: 'known', serial: 'SN-4711' }),
    save: async (input: RemoteServiceInput, version: number, secrets?: RemoteServiceSecretsInput) => {
      calls.save.push([input, version, secrets]);
      if (options.saveError) throw options.saveError;
      const next: RemoteServiceView = {
        ...VIEW,
        version: version + 1,
        settings: { ...VIEW.settings, enabled: input.enabled, organisationId: input.organisationId ?? '' },
        secretsSet: { ...VIEW.secretsSet, verificationCode: true },
      };
      (settings$ as Subject<RemoteServiceView>).next(next);
      return next;
    },
    restart: async () => {
      calls.restart++;
      return { kind: 'running' };
    },
    startService: async () => {
      calls.start++;
      return { kind: 'running' };
    },
    testConnection: async (input?: RemoteServiceInput) => {
      calls.test++;
      calls.tested.push(input);
      return options.report ?? REPORT;
    },
  };
  const assistance = {
    prerequisites$: () => prerequisites$,
    allow: async (allowed: boolean, version: number) => {
      calls.allow.push([allowed, version]);
      return { ...prerequisites$.value, allowed };
    },
  };
  const host = { executeCommand: async (id: string) => (calls.commands.push(id), { openProperties: { nodeId: 'licenses', itemId: 'licenses' } }) };
  const context = { pluginId: 'remote-service-licenses', service: (name: string) => (name === 'remoteAssistance' ? assistance : service), hostService: () => host, addTemplates: () => undefined } as unknown as BrowserPluginContext;
  return { context, calls, settings$, state$, prerequisites$ };
}

async function dialog(context: BrowserPluginContext): Promise<RemoteServiceDialog> {
  const el = await fixture<RemoteServiceDialog>(html`<ors-remote-service-dialog .context=${context}></ors-remote-service-dialog>`);
  await el.updateComplete;
  return el;
}

const $ = <T extends Element = HTMLElement>(el: RemoteServiceDialog, sel: string): T => el.shadowRoot!.querySelector<T>(sel)!;
const disabled = (el: RemoteServiceDialog, sel: string): boolean => $(el, sel).matches(':disabled');

/** Shows the tab whose panel holds the element (as the administrator would click it). */
async function reveal(el: RemoteServiceDialog, sel: string): Promise<void> {
  const panel = $(el, sel).closest('[role="tabpanel"]');
  if (panel?.hasAttribute('hidden')) await click(el, `#${panel.getAttribute('aria-labelledby')}`);
}

async function typeInto(el: RemoteServiceDialog, id: string, text: string): Promise<void> {
  await reveal(el, `#${id}`);
  const input = $<HTMLInputElement>(el, `#${id}`);
  input.focus();
  input.select();
  await sendKeys({ press: 'Backspace' });
  if (text) await sendKeys({ type: text });
  await el.updateComplete;
}

async function click(el: RemoteServiceDialog, sel: string): Promise<void> {
  $(el, sel).click();
  await el.updateComplete;
}

function fieldError(el: RemoteServiceDialog, id: string): string | undefined {
  const input = $<HTMLInputElement>(el, `#${id}`);
  if (input.getAttribute('aria-invalid') !== 'true') return undefined;
  const errorId = (input.getAttribute('aria-describedby') ?? '').split(' ').find((x) => x.endsWith('-error'));
  return errorId ? el.shadowRoot!.getElementById(errorId)?.textContent?.trim() : undefined;
}

describe('Remote Service dialog', () => {
  afterEach(() => useLocale('en'));

  it('shows every option greyed, not hidden, while Enable is off, and enables them when it is switched on', async () => {
    await useLocale('en');
    const el = await dialog(fakeService().context);
    for (const sel of ['#organisationId', '#verificationCode', '#proxyMode-manual', '#proxyMode-auto', '#accountKind-other', '#remoteAssistanceFeature', '#test']) {
      expect($(el, sel), sel).to.not.equal(null);
      expect(disabled(el, sel), sel).to.equal(true);
    }
    expect(disabled(el, '#enabled')).to.equal(false);
    await click(el, '#enabled');
    for (const sel of ['#organisationId', '#verificationCode', '#proxyMode-manual', '#remoteAssistanceFeature', '#test']) expect(disabled(el, sel), sel).to.equal(false);
    // Manual host/port stay greyed until "manual" is chosen.
    expect(disabled(el, '#proxy-host')).to.equal(true);
    await click(el, '#proxyMode-manual');
    expect(disabled(el, '#proxy-host')).to.equal(false);
  });

  it('keeps even Enable greyed while the current state loads', async () => {
    const el = await dialog(fakeService({ view: null }).context);
    expect(disabled(el, '#enabled')).to.equal(true);
    expect(disabled(el, '#organisationId')).to.equal(true);
    expect(el.shadowRoot!.textContent).to.contain('Loading the current settings');
  });

  it('shows errors at the fields in English, linked with aria-describedby, and saves nothing', async () => {
    await useLocale('en');
    const f = fakeService();
    const el = await dialog(f.context);
    await click(el, '#enabled');
    await typeInto(el, 'organisationId', 'ACME ORG');
    await click(el, '#proxyMode-manual');
    await typeInto(el, 'proxy-port', '70000');
    const e = await el.apply().then(() => undefined, (x: unknown) => x as CodedError);
    expect(e?.code).to.equal('remote-service.org-id-invalid');
    expect(fieldError(el, 'organisationId')).to.contain('ACME ORG is not a service organisation ID');
    expect(fieldError(el, 'verificationCode')).to.equal('Enter the verification code of your service organisation.');
    expect(fieldError(el, 'proxy-host')).to.equal('Enter the host name or IP address of the proxy server.');
    expect(fieldError(el, 'proxy-port')).to.equal('Proxy port "70000" must be a number from 1 to 65535.');
    expect(f.calls.save).to.have.length(0);
  });

  it('shows the same errors in German with the manual\'s labels', async () => {
    await useLocale('de');
    const el = await dialog(fakeService().context);
    expect($(el, 'label[for="enabled"]').textContent).to.equal('Aktivieren');
    expect($(el, 'label[for="organisationId"]').textContent).to.equal('Kundendienstorganisation-ID:');
    expect($(el, 'label[for="proxyMode-auto"]').textContent).to.equal('Proxy-Server automatisch erkennen');
    expect($(el, '#restart').textContent!.trim()).to.equal('Neu starten');
    await click(el, '#enabled');
    await typeInto(el, 'organisationId', '');
    await el.apply().catch(() => undefined);
    expect(fieldError(el, 'organisationId')).to.contain('Geben Sie die Kundendienstorganisation-ID ein');
    expect(fieldError(el, 'verificationCode')).to.equal('Geben Sie den Überprüfungscode Ihrer Kundendienstorganisation ein.');
  });

  it('refuses Remote Assistance with an auto-detected proxy and says to configure the proxy manually first', async () => {
    await useLocale('en');
    const f = fakeService();
    const el = await dialog(f.context);
    await click(el, '#enabled');
    await click(el, '#proxyMode-auto');
    await click(el, '#remoteAssistanceFeature');
    await typeInto(el, 'verificationCode', 'c0de');
    await el.apply().catch(() => undefined);
    const text = fieldError(el, 'remoteAssistanceFeature');
    expect(text).to.contain('Remote assistance cannot use an auto-detected proxy');
    expect(text).to.contain('Configure the proxy manually');
    expect(f.calls.save).to.have.length(0);
    expect($(el, '#proxy-auto-notes').textContent).to.contain('Only for automatic license update and automatic software downloads');
  });

  it('reports dirty while edited, saves the code write-only, and then shows it as set with "Change…"', async () => {
    await useLocale('en');
    const f = fakeService();
    const el = await dialog(f.context);
    expect(el.dirty).to.equal(false);
    const dirty = oneEvent(el, 'dirty-change');
    await click(el, '#enabled');
    await dirty;
    expect(el.dirty).to.equal(true);
    await typeInto(el, 'verificationCode', 'S3cret-Code');
    await el.apply();
    expect(f.calls.save[0]![1]).to.equal(4);
    expect(f.calls.save[0]![2]).to.deep.equal({ verificationCode: 'S3cret-Code' });
    await el.updateComplete;
    expect(el.dirty).to.equal(false);
    expect($(el, '#verificationCode-state').textContent).to.equal('Set (not shown).');
    expect(el.shadowRoot!.innerHTML).not.to.contain('S3cret-Code');
    await click(el, '#verificationCode-change');
    expect($<HTMLInputElement>(el, '#verificationCode').value).to.equal('');
  });

  it('explains a conflict with a save made elsewhere', async () => {
    await useLocale('en');
    const el = await dialog(fakeService({ saveError: new CodedError('settings.conflict', { expected: 4, actual: 5 }) }).context);
    await click(el, '#enabled');
    await typeInto(el, 'verificationCode', 'c0de');
    await el.apply().catch(() => undefined);
    expect($(el, '#form-error').textContent).to.match(/changed|geändert/i);
  });

  it('shows the serial number read-only, or says why there is none and links to Select license server', async () => {
    await useLocale('en');
    const known = await dialog(fakeService().context);
    expect($<HTMLInputElement>(known, '#serial').value).to.equal('SN-4711');
    expect($<HTMLInputElement>(known, '#serial').readOnly).to.equal(true);
    const f = fakeService({ serial: { kind: 'none' } });
    const el = await dialog(f.context);
    expect($(el, '#serial-hint').textContent).to.contain('the selected license server serves no license');
    const opened = oneEvent(el, 'open-properties');
    await click(el, '#select-license-server');
    expect((await opened).detail).to.deep.equal({ nodeId: 'licenses', itemId: 'licenses' });
    expect(f.calls.commands).to.deep.equal(['licenses.selectServer']);
  });

  it('Restart validates, saves, then restarts the service', async () => {
    await useLocale('en');
    const f = fakeService();
    const el = await dialog(f.context);
    await click(el, '#enabled');
    await typeInto(el, 'verificationCode', 'c0de');
    await click(el, '#restart');
    await new Promise((r) => setTimeout(r, 20));
    await el.updateComplete;
    expect(f.calls.save).to.have.length(1);
    expect(f.calls.restart).to.equal(1);
    expect($(el, '#message').textContent).to.equal('The ORS service is running.');
  });

  it('Test connection shows each hop with its result and hint', async () => {
    await useLocale('en');
    const f = fakeService();
    const el = await dialog(f.context);
    await click(el, '#enabled');
    await typeInto(el, 'verificationCode', 'c0de');
    await click(el, '#test');
    await new Promise((r) => setTimeout(r, 20));
    await el.updateComplete;
    const hop = $(el, 'li[data-hop="connect"]').textContent!.replace(/\s+/g, ' ');
    expect(hop).to.contain('Proxy tunnel (CONNECT): failed — tunnel to bo.example.com:443 without authentication');
    expect(hop).to.contain('Proxy proxy.corp:3128 rejected the Basic credentials.');
    expect(hop).to.contain('Check the proxy user name, domain and password');
    expect($(el, 'li[data-hop="tcp"]').className).to.equal('ok');
    expect($(el, 'li[data-hop="tcp"]').textContent).to.contain('to the proxy server proxy.corp:3128');
    expect($(el, '#report-summary').textContent).to.equal('The connection fails at: Proxy tunnel (CONNECT).');
    for (const hop of ['login', 'serial', 'license']) expect($(el, `li[data-hop="${hop}"]`).dataset['status'], hop).to.equal('skipped');
  });

  it('Feedback follows the service: not running with [Start service], then connected with checks and license info', async () => {
    await useLocale('en');
    const f = fakeService();
    const el = await dialog(f.context);
    expect($(el, '#feedback-state').getAttribute('aria-live')).to.equal('polite');
    expect($(el, '#service-state').textContent).to.contain('The ORS service is not running');
    await click(el, '#start-service');
    expect(f.calls.start).to.equal(1);
    f.state$.next({
      controllable: true,
      service: {
        kind: 'running',
        pid: 7,
        status: {
          pid: 7,
          startedAt: '2026-03-01T10:00:00Z',
          settingsVersion: 5,
          connection: { kind: 'connected', since: '2026-03-01T10:00:01Z', lastCheck: '2026-03-01T10:00:02Z', nextCheck: '2026-03-01T10:01:02Z' },
          license: { serial: 'SN-4711', expiry: '2027-12-31', users: 5 },
        },
      },
    });
    await el.updateComplete;
    expect($(el, '#connection-state').textContent).to.equal('Connected');
    expect($(el, '#start-service')).to.equal(null);
    // Local time in the UI language, the instant kept in <time datetime> (never raw ISO on screen).
    const local = (iso: string) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' }).format(Date.parse(iso));
    expect($(el, '#last-check').textContent!.trim()).to.equal(local('2026-03-01T10:00:02Z'));
    expect($(el, '#last-check time')!.getAttribute('datetime')).to.equal('2026-03-01T10:00:02Z');
    expect($(el, '#next-check').textContent!.trim()).to.equal(local('2026-03-01T10:01:02Z'));
    expect($(el, '#backoffice-license').textContent).to.contain('31 Dec 2027');
    expect($(el, '#backoffice-license').textContent).to.contain('SN-4711');
    f.state$.next({ controllable: true, service: { kind: 'running', status: { pid: 7, startedAt: 'x', settingsVersion: 5, connection: { kind: 'error', error: { code: 'proxy.auth-failed', params: { proxy: 'p:1', scheme: 'Basic' } }, hop: 'connect' } } } });
    await el.updateComplete;
    expect($(el, '#connection-state').textContent).to.contain('Error: Proxy p:1 rejected the Basic credentials.');
    expect($(el, '#connection-hint').textContent).to.contain('Check the proxy user name');
  });

  it('is a property sheet with WAI-ARIA tabs: arrows, Home and End move and select, one panel shows', async () => {
    await useLocale('en');
    const el = await dialog(fakeService().context);
    const tabs = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="tab"]')];
    expect(tabs.map((t) => t.textContent!.trim())).to.deep.equal(['General', 'Remote Service', 'Proxy server', 'ORS service account']);
    const selected = () => tabs.find((t) => t.getAttribute('aria-selected') === 'true')!.dataset['tab'];
    const shown = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="tabpanel"]')].filter((p) => !p.hidden).map((p) => p.id);
    expect(selected()).to.equal('general');
    expect(shown()).to.deep.equal(['rs-panel-general']);
    for (const t of tabs) expect(el.shadowRoot!.getElementById(t.getAttribute('aria-controls')!)!.getAttribute('aria-labelledby')).to.equal(t.id);
    tabs[0]!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(selected()).to.equal('service');
    expect(el.shadowRoot!.activeElement).to.equal(tabs[1]);
    await sendKeys({ press: 'End' });
    await el.updateComplete;
    expect(selected()).to.equal('account');
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(selected()).to.equal('general');
    await sendKeys({ press: 'ArrowLeft' });
    await sendKeys({ press: 'Home' });
    await el.updateComplete;
    expect(selected()).to.equal('general');
    expect(tabs.map((t) => t.tabIndex)).to.deep.equal([0, -1, -1, -1]);
  });

  it('shows an error on another tab: switches to it, focuses the field and marks the tab', async () => {
    await useLocale('en');
    const el = await dialog(fakeService().context);
    await click(el, '#enabled');
    await click(el, '#rs-tab-proxy');
    await click(el, '#proxyMode-manual');
    await click(el, '#rs-tab-general');
    await el.apply().catch(() => undefined);
    await el.updateComplete;
    // The first error (verification code) is on the Remote Service tab; the proxy tab is marked too.
    expect($(el, '#rs-tab-service').getAttribute('aria-selected')).to.equal('true');
    expect(el.shadowRoot!.activeElement?.id).to.equal('verificationCode');
    expect($(el, '#rs-tab-proxy').textContent).to.contain('(error)');
    expect($(el, '#rs-tab-general').textContent).not.to.contain('(error)');
  });

  it('does not check greyed-out leftovers: an invalid manual proxy host no longer blocks OK once the proxy is not manual', async () => {
    await useLocale('en');
    const f = fakeService();
    const el = await dialog(f.context);
    await click(el, '#enabled');
    await typeInto(el, 'verificationCode', 'c0de');
    await click(el, '#proxyMode-manual');
    await typeInto(el, 'proxy-host', 'not a host!');
    await click(el, '#proxyMode-none');
    expect(disabled(el, '#proxy-host')).to.equal(true);
    await el.apply();
    expect(f.calls.save).to.have.length(1);
    expect(fieldError(el, 'proxy-host')).to.equal(undefined);
  });

  it('ends every [Test connection] click in a report or the reason, next to the buttons', async () => {
    await useLocale('en');
    const f = fakeService();
    const el = await dialog(f.context);
    await click(el, '#enabled');
    await click(el, '#test');
    await el.updateComplete;
    expect(f.calls.test).to.equal(0);
    expect($(el, '#result #message').textContent).to.equal('Correct the marked fields first: verification code.');
    expect(fieldError(el, 'verificationCode')).to.equal('Enter the verification code of your service organisation.');
  });

  it('brings the result into view in a dialog that scrolls', async () => {
    await useLocale('en');
    const f = fakeService({ report: PASSED });
    const frame = await fixture<HTMLDivElement>(html`<div style="height: 240px; overflow: auto"><ors-remote-service-dialog .context=${f.context}></ors-remote-service-dialog></div>`);
    const el = frame.querySelector('ors-remote-service-dialog')!;
    await el.updateComplete;
    await click(el, '#enabled');
    await typeInto(el, 'verificationCode', 'c0de');
    frame.scrollTop = 0;
    await click(el, '#test');
    await new Promise((r) => setTimeout(r, 50));
    await el.updateComplete;
    const box = frame.getBoundingClientRect();
    const result = $(el, '#result').getBoundingClientRect();
    expect(result.top).to.be.lessThan(box.bottom);
    expect(result.bottom).to.be.greaterThan(box.top);
  });

  it('marks a report stale as soon as a setting changes, and never shows it green next to a red Feedback', async () => {
    await useLocale('en');
    const f = fakeService({ report: PASSED });
    const el = await dialog(f.context);
    await click(el, '#enabled');
    await typeInto(el, 'verificationCode', 'c0de');
    await click(el, '#test');
    await new Promise((r) => setTimeout(r, 20));
    await el.updateComplete;
    expect($(el, '#report-summary').className).to.equal('ok');
    expect($(el, '#report-stale')).to.equal(null);
    await typeInto(el, 'organisationId', 'OTHER-ORG');
    expect($(el, '#report').dataset['stale']).to.equal('settings-changed');
    expect($(el, '#report-stale').textContent).to.contain('Settings changed since this test');
    expect($(el, '#report-summary').className).to.equal('hint');
    await click(el, '#test');
    await new Promise((r) => setTimeout(r, 20));
    await el.updateComplete;
    expect($(el, '#report-stale')).to.equal(null);
    f.state$.next({ controllable: true, service: { kind: 'running', status: { pid: 7, startedAt: 'x', settingsVersion: 5, connection: { kind: 'error', error: { code: 'backoffice.auth.invalid-credentials' }, hop: 'login' } } } });
    await el.updateComplete;
    expect($(el, '#report').dataset['stale']).to.equal('feedback-failed');
    expect($(el, '#report-summary').className).not.to.equal('ok');
    expect($(el, '#report-stale').textContent).to.contain('reports a failure after this test');
  });

  it('says while the ORS service runs only as the console\'s child that license update stops with the console, with the exact command to copy, until a service is detected', async () => {
    await useLocale('de');
    const command = 'sudo ors service install --data-dir /var/lib/remote-service-licenses';
    const f = fakeService({ state: { controllable: true, service: { kind: 'stopped' }, hosting: { childOfConsole: true, installCommand: command } } });
    const el = await dialog(f.context);
    expect($(el, '#hosting-text').textContent).to.contain('endet, wenn Sie die Konsole schließen');
    expect($(el, '#hosting-command').textContent).to.equal(command);
    expect($(el, '#hosting-copy').textContent!.trim()).to.equal('Befehl kopieren');
    f.state$.next({ controllable: true, service: { kind: 'stopped' }, hosting: { childOfConsole: false } });
    await el.updateComplete;
    expect($(el, '#hosting-notice')).to.equal(null);
  });

  it('offers [Allow remote assistance] in this dialog, greyed with the unmet prerequisites inline, saved through the remote-assistance service', async () => {
    await useLocale('de');
    const f = fakeService({ view: { ...VIEW, settings: { ...VIEW.settings, enabled: true, remoteAssistanceFeature: true }, secretsSet: { ...VIEW.secretsSet, verificationCode: true } } });
    const el = await dialog(f.context);
    expect($(el, 'label[for="allowRemoteAssistance"]').textContent).to.equal('Fernunterstützung zulassen');
    expect(disabled(el, '#allowRemoteAssistance')).to.equal(true);
    expect($(el, 'li[data-prereq="license-update"]').className).to.equal('unmet');
    expect($(el, 'li[data-prereq="license-update"]').textContent).to.contain('Der Remote Service ist nicht aktiviert');
    await click(el, 'li[data-prereq="license-update"] button');
    expect($(el, '#rs-tab-service').getAttribute('aria-selected')).to.equal('true');
    f.prerequisites$.next(PREREQS_MET);
    await el.updateComplete;
    await click(el, '#rs-tab-general');
    expect(disabled(el, '#allowRemoteAssistance')).to.equal(false);
    await click(el, '#allowRemoteAssistance');
    await el.apply();
    // The Remote Service settings are saved without the permission; the permission goes through its own service.
    expect(f.calls.save[0]![0].allowRemoteAssistance).to.equal(false);
    expect(f.calls.allow).to.deep.equal([[true, 5]]);
  });
  it('takes the proxy\'s Kerberos service name when it differs from the host name: checked at the field, tested and saved with the dialog\'s values', async () => {
    await useLocale('en');
    const f = fakeService({ report: PASSED });
    const el = await dialog(f.context);
    await click(el, '#enabled');
    await typeInto(el, 'verificationCode', 'c0de');
    await click(el, '#proxyMode-manual');
    await typeInto(el, 'proxy-host', 'proxy.corp.example');
    await typeInto(el, 'proxy-port', '3128');
    expect($(el, 'label[for="proxy-kerberosServiceName"]').textContent).to.equal('Kerberos service name (optional):');
    await typeInto(el, 'proxy-kerberosServiceName', 'HTTP/a/b');
    await el.apply().catch(() => undefined);
    expect(fieldError(el, 'proxy-kerberosServiceName')).to.contain('Kerberos service name "HTTP/a/b" must look like HTTP/proxy.corp.example.com');
    expect(f.calls.save).to.have.length(0);
    await typeInto(el, 'proxy-kerberosServiceName', 'HTTP/squid.corp.example');
    await click(el, '#test');
    await new Promise((r) => setTimeout(r, 20));
    expect(f.calls.tested[0]?.proxy?.kerberosServiceName).to.equal('HTTP/squid.corp.example');
    await el.apply();
    expect(f.calls.save[0]![0].proxy?.kerberosServiceName).to.equal('HTTP/squid.corp.example');
    // Greyed with the manual proxy's other fields, and labelled in German.
    await click(el, '#proxyMode-none');
    expect(disabled(el, '#proxy-kerberosServiceName')).to.equal(true);
    await useLocale('de');
    await el.updateComplete;
    expect($(el, 'label[for="proxy-kerberosServiceName"]').textContent).to.equal('Kerberos-Dienstname (optional):');
  });

  it('reports the proxy authentication offered and used, with the reason, in English and German', async () => {
    const negotiateSkipped: ConnectionTestReport = {
      ...PASSED,
      mode: 'manual',
      candidates: [{ kind: 'proxy', host: 'proxy.corp', port: 3128 }],
      route: { kind: 'proxy', proxy: 'proxy.corp:3128' },
      hops: PASSED.hops.map((h) =>
        h.hop === 'connect'
          ? {
              hop: 'connect',
              status: 'ok',
              ms: 4,
              target: 'bo.example.com:443',
              details: { scheme: 'ntlm', offered: ['Negotiate', 'NTLM', 'Basic'], connects: 2 },
              notes: [{ code: 'proxy.auth-why.negotiate-skipped', params: { scheme: 'NTLMv2' } }, { code: 'proxy.kerberos-realm-unknown', params: { realm: 'CORP', proxy: 'proxy.corp:3128' } }],
            }
          : h,
      ),
    };
    const f = fakeService({ report: negotiateSkipped });
    for (const [locale, want] of [
      ['en', ['Proxy authentication offered: Negotiate, NTLM, Basic; used: NTLMv2.', 'instead of the offered Negotiate', 'authenticated with NTLMv2']],
      ['de', ['Vom Proxy angebotene Authentifizierung: Negotiate, NTLM, Basic; verwendet: NTLMv2.', 'statt des angebotenen Negotiate', 'authentifiziert mit NTLMv2']],
    ] as const) {
      await useLocale(locale);
      const el = await dialog(f.context);
      await click(el, '#enabled');
      await typeInto(el, 'verificationCode', 'c0de');
      await click(el, '#test');
      await new Promise((r) => setTimeout(r, 20));
      await el.updateComplete;
      const hop = $(el, 'li[data-hop="connect"]').textContent!.replace(/\s+/g, ' ');
      for (const w of want) expect(hop, locale).to.contain(w);
      expect($(el, 'li[data-hop="connect"] [data-auth]').textContent, locale).to.contain('CORP');
    }
  });
});
