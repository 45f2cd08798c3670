import { localeSwitch } from '../support/browser-locale.js';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { BehaviorSubject } from 'rxjs';
import type { BrowserPluginContext } from '../../src/common/browser-plugin-api.js';
import type { LicensesStatus, SelectionView, TestReport } from '../../src/common/license-server/licenses-api.js';
import type { LicenseServerInput } from '../../src/common/license-server/selection.js';
import { CodedError } from '../../src/common/errors.js';
import { licensesGerman } from '../../src/views/licenses/de.js';
import '../../src/views/licenses/licenses-dialog.js';
import type { LicensesDialog } from '../../src/views/licenses/licenses-dialog.js';

const useLocale = localeSwitch(licensesGerman);

const SERVED: LicensesStatus = {
  selection: 'remote',
  server: { kind: 'reachable', checkedAt: '2026-03-01T00:00:00Z' },
  problems: [],
  licenses: [
    {
      serial: 'SN-4711',
      product: 'PrintPrep Pro',
      licenseId: 'L1',
      expiry: '2027-12-31',
      maintenance: { start: '2026-01-01', end: '2027-06-30' },
      features: [{ id: 'imposition' }],
      users: 5,
      seatsInUse: 1,
      file: 'SN-4711.lic',
      state: { kind: 'valid' },
    },
  ],
};

function fakeService(view: SelectionView = { version: 3, account: { kind: 'localSystem' }, accountPasswordSet: false }, status: LicensesStatus = SERVED) {
  const selection$ = new BehaviorSubject<SelectionView>(view);
  const calls: { select: [LicenseServerInput, number, string | undefined][]; test: LicenseServerInput[]; install: [string, boolean, boolean][] } = { select: [], test: [], install: [] };
  const report: TestReport = {
    ok: false,
    checks: [
      { id: 'fls', result: 'ok' },
      { id: 'host', result: 'ok' },
      { id: 'logon', result: 'failed', error: { code: 'ors-account.user-required' } },
      { id: 'share', result: 'skipped' },
      { id: 'folder', result: 'skipped' },
      { id: 'write', result: 'skipped' },
    ],
  };
  const service = {
    status$: () => new BehaviorSubject(status),
    selection$: () => selection$,
    select: async (input: LicenseServerInput, version: number, password?: string) => {
      calls.select.push([input, version, password]);
      const next: SelectionView = { version: version + 1, selection: { kind: 'remote', host: '127.0.0.1', port: 27000, share: '\\\\127.0.0.1\\licenses' }, account: { kind: 'other', username: 'svc' }, accountPasswordSet: true };
      selection$.next(next);
      return next;
    },
    test: async (input: LicenseServerInput) => {
      calls.test.push(input);
      return report;
    },
    installFile: async (text: string, confirmWorse?: boolean, replaceInstallation?: boolean) => {
      calls.install.push([text, confirmWorse === true, replaceInstallation === true]);
      if (text.includes('SN-9999') && !replaceInstallation) throw new CodedError('license.other-installation', { serial: 'SN-9999', installed: 'SN-4711' });
      return { file: 'SN-9999.lic', serial: 'SN-9999', changes: [], pickupMs: 5 };
    },
  };
  const context = { pluginId: 'remote-service-licenses', service: () => service, hostService: () => ({}), addTemplates: () => undefined } as unknown as BrowserPluginContext;
  return { context, calls, selection$ };
}

async function dialog(context: BrowserPluginContext): Promise<LicensesDialog> {
  const el = await fixture<LicensesDialog>(html`<ors-licenses-dialog .context=${context}></ors-licenses-dialog>`);
  await el.updateComplete;
  return el;
}

const $ = <T extends Element = HTMLElement>(el: LicensesDialog, sel: string): T => el.shadowRoot!.querySelector<T>(sel)!;

async function openServerTab(el: LicensesDialog): Promise<void> {
  $(el, '#lic-tab-server').click();
  await el.updateComplete;
}

async function openRemoteForm(el: LicensesDialog): Promise<void> {
  await openServerTab(el);
  $<HTMLInputElement>(el, '#kind-remote').click();
  await el.updateComplete;
}

/** Focuses an input and types into it with real key presses. */
async function typeInto(el: LicensesDialog, id: string, text: string): Promise<void> {
  const input = $<HTMLInputElement>(el, `#${id}`);
  input.focus();
  input.select();
  await sendKeys({ press: 'Backspace' });
  if (text) await sendKeys({ type: text });
  await el.updateComplete;
}

function fieldError(el: LicensesDialog, id: string): string | undefined {
  const input = $<HTMLInputElement>(el, `#${id}`);
  if (input.getAttribute('aria-invalid') !== 'true') return undefined;
  const describedBy = input.getAttribute('aria-describedby') ?? '';
  const errorId = describedBy.split(' ').find((x) => x.endsWith('-error'));
  return errorId ? el.shadowRoot!.getElementById(errorId)?.textContent?.trim() : undefined;
}

describe('Licenses dialog', () => {
  afterEach(() => useLocale('en'));

  it('shows what the selected license server serves: serial, product, expiry, maintenance, features, users, state', async () => {
    await useLocale('en');
    const el = await dialog(fakeService().context);
    expect($(el, '#serial').textContent).to.equal('SN-4711');
    const text = $(el, 'dl').textContent!.replace(/\s+/g, ' ');
    for (const s of ['PrintPrep Pro', '31 Dec 2027', '1 Jan 2026 – 30 Jun 2027', 'imposition', '5', 'valid']) expect(text).to.contain(s);
    expect(text, 'no raw ISO date on screen').not.to.match(/\d{4}-\d{2}-\d{2}/);
  });

  it('shows errors at the host, port and UNC path fields in English, linked with aria-describedby, and saves nothing', async () => {
    await useLocale('en');
    const { context, calls } = fakeService();
    const el = await dialog(context);
    await openRemoteForm(el);
    await typeInto(el, 'host', 'bad host');
    await typeInto(el, 'port', '70000');
    await typeInto(el, 'share', 'C:\\licenses');
    const error = await el.apply().then(() => undefined, (e: unknown) => e as { field?: string });
    await el.updateComplete;
    expect(error?.field).to.equal('host');
    expect(fieldError(el, 'host')).to.equal('bad host is not a valid host name or IP address.');
    expect(fieldError(el, 'port')).to.contain('70000 is not a valid port');
    expect(fieldError(el, 'share')).to.contain('is not a UNC path');
    expect(calls.select).to.have.length(0);
    expect(el.shadowRoot!.activeElement?.id).to.equal('host');
  });

  it('shows the same errors in German', async () => {
    await useLocale('de');
    const { context } = fakeService();
    const el = await dialog(context);
    await openRemoteForm(el);
    expect($(el, 'label[for="host"]').textContent).to.equal('Hostname oder IP-Adresse');
    await typeInto(el, 'host', '');
    await typeInto(el, 'port', '0');
    await typeInto(el, 'share', '\\\\fls');
    await el.apply().catch(() => undefined);
    await el.updateComplete;
    expect(fieldError(el, 'host')).to.equal('Geben Sie den Hostnamen oder die IP-Adresse des Lizenzservers ein.');
    expect(fieldError(el, 'port')).to.contain('0 ist kein gültiger Port');
    expect(fieldError(el, 'share')).to.contain('gültigen Freigabenamen');
  });

  it('clears a field error as soon as the field is edited', async () => {
    await useLocale('en');
    const el = await dialog(fakeService().context);
    await openRemoteForm(el);
    await typeInto(el, 'port', 'abc');
    await el.apply().catch(() => undefined);
    await el.updateComplete;
    expect(fieldError(el, 'port')).to.contain('abc');
    await typeInto(el, 'port', '27000');
    expect(fieldError(el, 'port')).to.equal(undefined);
  });

  it('tracks dirty state and applies through the RPC service with the version it loaded; the password is write-only', async () => {
    await useLocale('en');
    const { context, calls } = fakeService();
    const el = await dialog(context);
    expect(el.dirty).to.equal(false);
    await openRemoteForm(el);
    expect(el.dirty).to.equal(true);
    await typeInto(el, 'host', '127.0.0.1');
    await typeInto(el, 'share', '\\\\127.0.0.1\\licenses');
    $<HTMLInputElement>(el, '#accountKind-other').click();
    await el.updateComplete;
    await typeInto(el, 'accountUser', 'svc');
    const changed = oneEvent(el, 'dirty-change');
    await typeInto(el, 'accountPassword', 'Pa55-Word');
    await el.apply();
    await changed;
    await el.updateComplete;
    expect(calls.select).to.have.length(1);
    const [input, version, password] = calls.select[0]!;
    expect(version).to.equal(3);
    expect(password).to.equal('Pa55-Word');
    expect(input).to.include({ kind: 'remote', host: '127.0.0.1', share: '\\\\127.0.0.1\\licenses' });
    expect(el.dirty).to.equal(false);
    // After saving, the dialog says a password is set and offers to change it; it never shows it.
    expect($(el, '#accountPassword-state').textContent).to.contain('A password is set.');
    expect(el.shadowRoot!.querySelector('#accountPassword')).to.equal(null);
    expect(el.shadowRoot!.innerHTML).not.to.contain('Pa55-Word');
  });

  it('runs [Test] and shows each check with its result', async () => {
    await useLocale('en');
    const { context, calls } = fakeService({ version: 1, selection: { kind: 'remote', host: 'fls', port: 27000, share: '\\\\fls\\lic' }, account: { kind: 'other', username: 'svc' }, accountPasswordSet: true });
    const el = await dialog(context);
    await openServerTab(el);
    expect($<HTMLInputElement>(el, '#host').value).to.equal('fls');
    $(el, '#test').click();
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
    expect(calls.test).to.have.length(1);
    const items = [...el.shadowRoot!.querySelectorAll('li[data-check]')].map((li) => `${li.getAttribute('data-check')}:${li.className}`);
    expect(items).to.deep.equal(['fls:ok', 'host:ok', 'logon:failed', 'share:skipped', 'folder:skipped', 'write:skipped']);
    expect(el.shadowRoot!.querySelector('li[data-check="logon"]')!.textContent).to.contain('failed');
  });

  it('labels every control', async () => {
    await useLocale('en');
    const el = await dialog(fakeService().context);
    await openRemoteForm(el);
    $<HTMLInputElement>(el, '#accountKind-other').click();
    await el.updateComplete;
    for (const input of el.shadowRoot!.querySelectorAll('input')) {
      const label = el.shadowRoot!.querySelector(`label[for="${input.id}"]`);
      expect(label?.textContent?.trim(), `label of #${input.id}`).to.not.equal('');
    }
  });

  /** Chooses a file in the file input as the administrator would. */
  async function chooseFile(el: LicensesDialog, content: string): Promise<void> {
    const input = $<HTMLInputElement>(el, '#license-file');
    const files = new DataTransfer();
    files.items.add(new File([content], 'other.lic', { type: 'text/plain' }));
    input.files = files.files;
    input.dispatchEvent(new Event('change'));
    await new Promise((r) => setTimeout(r, 20));
    await el.updateComplete;
  }

  it('refuses a license file for another serial naming both, and replaces this installation\'s license only after an explicit, confirmed choice', async () => {
    await useLocale('de');
    const { context, calls } = fakeService();
    const el = await dialog(context);
    await chooseFile(el, 'LICENSE SN-9999');
    expect($(el, '#install-message').getAttribute('role')).to.equal('alert');
    expect($(el, '#install-message').textContent).to.contain('gilt für die Seriennummer SN-9999, der Lizenzserver stellt aber die Installation mit der Seriennummer SN-4711 bereit');
    expect(calls.install).to.deep.equal([['LICENSE SN-9999', false, false]]);
    $(el, '#replace-installation').click();
    await el.updateComplete;
    // One click is not enough: the question names both serials, and keeping is offered.
    expect(calls.install).to.have.length(1);
    expect($(el, '#replace-question').textContent).to.contain('Die Lizenz der Seriennummer SN-4711 durch die Lizenz für die Seriennummer SN-9999 ersetzen?');
    $(el, '#replace-confirm-no').click();
    await el.updateComplete;
    expect(calls.install).to.have.length(1);
    expect(el.shadowRoot!.querySelector('#replace-installation')).to.equal(null);
    await chooseFile(el, 'LICENSE SN-9999');
    $(el, '#replace-installation').click();
    await el.updateComplete;
    $(el, '#replace-confirm-yes').click();
    await new Promise((r) => setTimeout(r, 20));
    await el.updateComplete;
    expect(calls.install.at(-1)).to.deep.equal(['LICENSE SN-9999', false, true]);
    expect($(el, '#install-message').textContent).to.contain('SN-9999');
  });

  it('says what to do next when the license server serves no license, with the controls to do it', async () => {
    await useLocale('en');
    const empty: LicensesStatus = { ...SERVED, licenses: [] };
    const el = await dialog(fakeService(undefined, empty).context);
    expect($(el, '#next-step').textContent).to.contain('The license server serves no license yet. Next step: install the license file');
    $(el, '#next-server').click();
    await el.updateComplete;
    expect($(el, '#lic-tab-server').getAttribute('aria-selected')).to.equal('true');
    $(el, '#lic-tab-license').click();
    await el.updateComplete;
    $(el, '#next-install').click();
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement?.id).to.equal('license-file');
  });

  it('opens on the page a command asks for (Select license server…)', async () => {
    await useLocale('en');
    const el = await fixture<LicensesDialog>(html`<ors-licenses-dialog .page=${'server'} .context=${fakeService().context}></ors-licenses-dialog>`);
    await el.updateComplete;
    expect($(el, '#lic-tab-server').getAttribute('aria-selected')).to.equal('true');
    expect($(el, '#lic-panel-server').hidden).to.equal(false);
  });
});
