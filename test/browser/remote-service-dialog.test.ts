import { localeSwitch } from '../support/browser-locale.js';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { BehaviorSubject, Subject } from 'rxjs';
import type { BrowserPluginContext } from '../../src/common/browser-plugin-api.js';
import { CodedError } from '../../src/common/errors.js';
import type { DiagnosticReport } from '../../src/common/proxy/diagnostic.js';
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

const REPORT: DiagnosticReport = {
  url: 'https://bo.example.com',
  mode: 'manual',
  candidates: [],
  ok: false,
  ms: 12,
  hops: [
    { hop: 'resolve', status: 'ok', ms: 1 },
    { hop: 'tcp', status: 'ok', ms: 1, target: 'proxy.corp:3128' },
    { hop: 'connect', status: 'failed', ms: 3, error: { code: 'proxy.auth-failed', params: { proxy: 'proxy.corp:3128', scheme: 'Basic' } }, hint: 'proxy.hint.check-credentials' },
    { hop: 'tls', status: 'skipped', ms: 0 },
    { hop: 'http', status: 'skipped', ms: 0 },
  ],
};

function fakeService(options: { view?: RemoteServiceView | null; serial?: SerialView; state?: RemoteServiceStateView; saveError?: CodedError } = {}) {
  const settings$ = options.view === null ? new Subject<RemoteServiceView>() : new BehaviorSubject<RemoteServiceView>(options.view ?? VIEW);
  const state$ = new BehaviorSubject<RemoteServiceStateView>(options.state ?? { controllable: true, service: { kind: 'stopped' } });
  const calls = { save: [] as [RemoteServiceInput, number, RemoteServiceSecretsInput | undefined][], restart: 0, start: 0, test: 0, commands: [] as string[] };
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
    testConnection: async () => {
      calls.test++;
      return REPORT;
    },
  };
  const host = { executeCommand: async (id: string) => (calls.commands.push(id), { openProperties: { nodeId: 'licenses', itemId: 'licenses' } }) };
  const context = { pluginId: 'remote-service-licenses', service: () => service, hostService: () => host, addTemplates: () => undefined } as unknown as BrowserPluginContext;
  return { context, calls, settings$, state$ };
}

async function dialog(context: BrowserPluginContext): Promise<RemoteServiceDialog> {
  const el = await fixture<RemoteServiceDialog>(html`<ors-remote-service-dialog .context=${context}></ors-remote-service-dialog>`);
  await el.updateComplete;
  return el;
}

const $ = <T extends Element = HTMLElement>(el: RemoteServiceDialog, sel: string): T => el.shadowRoot!.querySelector<T>(sel)!;
const disabled = (el: RemoteServiceDialog, sel: string): boolean => $(el, sel).matches(':disabled');

async function typeInto(el: RemoteServiceDialog, id: string, text: string): Promise<void> {
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
    await click(el, '#test');
    await new Promise((r) => setTimeout(r, 20));
    await el.updateComplete;
    const hop = $(el, 'li[data-hop="connect"]').textContent!.replace(/\s+/g, ' ');
    expect(hop).to.contain('Proxy tunnel (CONNECT): failed — Proxy proxy.corp:3128 rejected the Basic credentials.');
    expect(hop).to.contain('Check the proxy user name, domain and password');
    expect($(el, 'li[data-hop="tcp"]').className).to.equal('ok');
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
});
