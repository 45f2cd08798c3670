import { formStyles } from '../form-styles.js';
import { ServiceView } from '../service-view.js';
import { css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { Subscription } from 'rxjs';
import { CodedError, type ErrorInfo } from '../../common/errors.js';
import { LICENSES_SERVICE, type CheckId, type LicensesService, type LicensesStatus, type SelectionView, type TestReport } from '../../common/license-server/licenses-api.js';
import { validateLicenseServerInput, validateAccountPassword, type LicenseServerField, type LicenseServerInput } from '../../common/license-server/selection.js';
import { stateBadge, stateMessage } from '../../common/license/describe.js';
import { errorText, text } from '../../elements/l10n.js';
import { day } from '../../elements/time.js';
import { changedFields, textField } from '../../elements/form-fields.js';
import type { Remote } from '../../common/rpc/protocol.js';
import './update-panel.js';

/** The form as typed; every value a string so that what the administrator typed is kept. */
interface FormState {
  kind: 'local' | 'remote';
  folder: string;
  flsUrl: string;
  host: string;
  port: string;
  share: string;
  smbPort: string;
  accountKind: 'localSystem' | 'other';
  accountUser: string;
  accountDomain: string;
}

const EMPTY: FormState = { kind: 'local', folder: '', flsUrl: '', host: '', port: '', share: '', smbPort: '', accountKind: 'localSystem', accountUser: '', accountDomain: '' };

function formOf(v: SelectionView | undefined): FormState {
  const s = v?.selection;
  const a = v?.account;
  const account = { accountKind: a?.kind ?? 'localSystem', accountUser: a?.kind === 'other' ? a.username : '', accountDomain: a?.kind === 'other' ? (a.domain ?? '') : '' } as const;
  if (!s) return { ...EMPTY, ...account };
  if (s.kind === 'local') return { ...EMPTY, ...account, kind: 'local', folder: s.folder, flsUrl: s.flsUrl ?? '' };
  return { ...EMPTY, ...account, kind: 'remote', host: s.host, port: String(s.port), share: s.share, smbPort: s.smbPort ? String(s.smbPort) : '' };
}

function inputOf(f: FormState): LicenseServerInput {
  const account = { kind: f.accountKind, username: f.accountUser, domain: f.accountDomain };
  return f.kind === 'local' ? { kind: 'local', folder: f.folder, flsUrl: f.flsUrl, account } : { kind: 'remote', host: f.host, port: f.port, share: f.share, smbPort: f.smbPort, account };
}

/**
 * Licenses → property dialog (SPEC F2): what the selected license server serves, [Select license
 * server…] with [Test], and [Install license file…]. Rules live in common/; this element renders.
 */
@localized()
@customElement('ors-licenses-dialog')
export class LicensesDialog extends ServiceView {
  static override styles = [
    formStyles,
    css`
    :host {
      display: block;
      max-width: 64ch;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 4px 12px;
      margin: 0 0 12px;
    }
    dt {
      color: var(--ors-fg-muted, #555);
    }
    dd {
      margin: 0;
    }
    fieldset {
      border: 1px solid var(--ors-border, #c8cbd0);
      border-radius: 4px;
      margin: 8px 0;
      padding: 8px 12px;
    }
    ul.checks {
      list-style: none;
      padding: 0;
    }
  `,
  ];

  @state() private status?: LicensesStatus;
  @state() private selection?: SelectionView;
  @state() private form: FormState = { ...EMPTY };
  @state() private password = '';
  @state() private changingPassword = false;
  @state() private errors: Partial<Record<LicenseServerField, ErrorInfo>> = {};
  @state() private formOpen = false;
  @state() private report?: TestReport;
  @state() private testing = false;
  @state() private installMessage?: { kind: 'ok' | 'error'; text: string };
  @state() private pendingWorse?: string;
  private baseline: FormState = EMPTY;

  private get service(): Remote<LicensesService> | undefined {
    return this.context?.service<LicensesService>(LICENSES_SERVICE);
  }

  get dirty(): boolean {
    return changedFields(this.form, this.baseline) || this.password !== '';
  }

  protected override follow(): Subscription[] {
    const service = this.service;
    if (!service) return [];
    return [
      service.status$().subscribe({ next: (s) => (this.status = s) }),
      service.selection$().subscribe({
        next: (v) => {
          this.selection = v;
          // A newer version saved elsewhere replaces the form only while nothing is being edited.
          if (!this.dirty) this.resetForm(v);
        },
      }),
    ];
  }

  private resetForm(v: SelectionView | undefined): void {
    this.form = formOf(v);
    this.baseline = this.form;
    this.password = '';
    this.changingPassword = false;
    this.errors = {};
  }

  /** Validates at the fields, then saves through the RPC service (password to the secrets store only). */
  async apply(): Promise<void> {
    if (!this.dirty) return;
    const input = inputOf(this.form);
    const passwordGiven = this.password !== '';
    const errors = validateLicenseServerInput(input, { passwordSet: this.selection?.accountPasswordSet ?? false, passwordGiven });
    const list = errors.ok ? [] : [...errors.errors];
    if (passwordGiven) {
      const p = validateAccountPassword(this.password);
      if (p) list.push(p);
    }
    if (list.length) {
      this.formOpen = true;
      this.showErrors(list);
      const first = list[0]!;
      throw new CodedError(first.code, first.params ?? {}, { field: first.field });
    }
    const service = this.service;
    if (!service) throw new CodedError('licenses.no-server');
    try {
      const view = await service.select(input, this.selection?.version ?? 0, passwordGiven ? this.password : undefined);
      this.selection = view;
      this.resetForm(view);
    } catch (e) {
      const info = e as ErrorInfo;
      if (info.field) {
        this.formOpen = true;
        this.showErrors([info as ErrorInfo & { field: LicenseServerField }]);
      }
      throw e;
    }
  }

  private showErrors(list: readonly (ErrorInfo & { field: string })[]): void {
    const errors: Partial<Record<LicenseServerField, ErrorInfo>> = {};
    for (const e of list) errors[e.field as LicenseServerField] ??= e;
    this.errors = errors;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  private set(field: keyof FormState, value: string): void {
    this.form = { ...this.form, [field]: value } as FormState;
    if (this.errors[field as LicenseServerField]) {
      const { [field as LicenseServerField]: _gone, ...rest } = this.errors;
      this.errors = rest;
    }
    this.report = undefined;
  }

  private async runTest(): Promise<void> {
    const service = this.service;
    if (!service) return;
    const input = inputOf(this.form);
    const v = validateLicenseServerInput(input, { passwordSet: this.selection?.accountPasswordSet ?? false, passwordGiven: this.password !== '' });
    if (!v.ok) {
      this.showErrors(v.errors);
      return;
    }
    this.testing = true;
    this.report = undefined;
    try {
      this.report = await service.test(input, this.password !== '' ? this.password : undefined);
    } catch (e) {
      const info = e as ErrorInfo;
      if (info.field) this.showErrors([info as ErrorInfo & { field: string }]);
      else this.report = { ok: false, checks: [{ id: 'fls', result: 'failed', error: info }] };
    } finally {
      this.testing = false;
    }
  }

  private async installFile(e: Event, confirmWorse = false, known?: string): Promise<void> {
    const service = this.service;
    const input = e.target instanceof HTMLInputElement ? e.target : null;
    const file = input?.files?.[0];
    const text = known ?? (file ? await file.text() : undefined);
    if (!service || text === undefined) return;
    this.installMessage = undefined;
    this.pendingWorse = undefined;
    try {
      const r = await service.installFile(text, confirmWorse);
      this.installMessage = { kind: 'ok', text: msg(str`License ${r.serial} installed as ${r.file}.`, { id: 'licenses.install.done' }) };
    } catch (err) {
      const info = err as ErrorInfo;
      if (info.code === 'license.worse') this.pendingWorse = text;
      this.installMessage = { kind: 'error', text: errorText(info) };
    } finally {
      if (input) input.value = '';
    }
  }

  // ---- rendering ---------------------------------------------------------------------------------

  override render() {
    return html`
      ${this.renderLicense()}
      <div class="actions">
        <button aria-expanded=${this.formOpen ? 'true' : 'false'} aria-controls="server-form" @click=${() => (this.formOpen = !this.formOpen)}>
          ${msg('Select license server…', { id: 'licenses.select' })}
        </button>
      </div>
      ${this.formOpen ? this.renderForm() : nothing}
      ${this.renderInstall()}
      <ors-license-update-panel .context=${this.context}></ors-license-update-panel>
    `;
  }

  private renderLicense(): TemplateResult {
    const s = this.status;
    const l = s?.licenses[0];
    const server = s?.server;
    let serverText: TemplateResult | string = msg('Loading…', { id: 'licenses.loading' });
    if (server?.kind === 'not-configured') serverText = msg('No license server is selected yet.', { id: 'licenses.none' });
    else if (server?.kind === 'checking') serverText = msg('Checking the license server…', { id: 'licenses.checking' });
    else if (server?.kind === 'unreachable') serverText = html`<span class="error">${errorText(server.error)}</span>`;
    else if (server?.kind === 'reachable') serverText = s?.selection === 'remote' ? msg('Remote license server', { id: 'licenses.server.remote' }) : msg('Local license server', { id: 'licenses.server.local' });
    const state = l ? l.state : s?.problems[0] ? ({ kind: 'invalid', code: s.problems[0].error.code, params: s.problems[0].error.params ?? {} } as const) : ({ kind: 'none' } as const);
    const stateText = text(stateMessage(state));
    const stateClass = { ok: 'ok', info: 'ok', warning: 'warning', error: 'error' }[stateBadge(state)];
    const dash = '–';
    return html`<section aria-labelledby="license-heading">
      <h3 id="license-heading">${msg('Installed license', { id: 'licenses.heading' })}</h3>
      <p role="status" id="server-state">${serverText}</p>
      <dl>
        <dt>${msg('Serial number', { id: 'licenses.serial' })}</dt>
        <dd id="serial">${l?.serial ?? dash}</dd>
        <dt>${msg('Product', { id: 'licenses.product' })}</dt>
        <dd>${l?.product ?? dash}</dd>
        <dt>${msg('License expiry', { id: 'licenses.expiry' })}</dt>
        <dd>${l ? day(l.expiry) : dash}</dd>
        <dt>${msg('Maintenance period', { id: 'licenses.maintenance' })}</dt>
        <dd>${l ? html`${day(l.maintenance.start)} – ${day(l.maintenance.end)}` : dash}</dd>
        <dt>${msg('Optional features', { id: 'licenses.features' })}</dt>
        <dd>${l && l.features.length ? l.features.map((f, i) => html`${i ? ', ' : ''}${f.id}${f.count !== undefined ? ` (${f.count})` : ''}${f.expiry ? html` ${day(f.expiry)}` : ''}`) : dash}</dd>
        <dt>${msg('Number of users', { id: 'licenses.users' })}</dt>
        <dd>${l ? String(l.users) : dash}</dd>
        <dt>${msg('State', { id: 'licenses.state' })}</dt>
        <dd id="license-state" class=${stateClass}>${stateText}</dd>
      </dl>
    </section>`;
  }

  private field(id: keyof FormState & LicenseServerField, label: string, options: { type?: string; hint?: string; placeholder?: string; autocomplete?: string } = {}): TemplateResult {
    const error = this.errors[id];
    return textField({ id, label, value: this.form[id], onInput: (v) => this.set(id, v), ...options, ...(error ? { error } : {}) });
  }

  private radio(name: 'kind' | 'accountKind', value: string, label: string): TemplateResult {
    const id = `${name}-${value}`;
    return html`<div>
      <input type="radio" id=${id} name=${name} value=${value} .checked=${this.form[name] === value} @change=${() => this.set(name, value)} />
      <label for=${id}>${label}</label>
    </div>`;
  }

  private renderPassword(): TemplateResult {
    const error = this.errors.accountPassword;
    const set = this.selection?.accountPasswordSet ?? false;
    if (set && !this.changingPassword) {
      return html`<div class="field">
        <span id="password-label">${msg('Password', { id: 'licenses.account.password' })}</span>
        <span aria-labelledby="password-label" id="password-state">${msg('A password is set.', { id: 'licenses.account.passwordSet' })}</span>
        <button @click=${() => (this.changingPassword = true)} aria-describedby="password-state">${msg('Change password…', { id: 'licenses.account.changePassword' })}</button>
      </div>`;
    }
    return html`<div class="field">
      <label for="accountPassword">${msg('Password (case-sensitive)', { id: 'licenses.account.passwordNew' })}</label>
      <input
        id="accountPassword"
        type="password"
        autocomplete="new-password"
        .value=${this.password}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? 'accountPassword-error' : nothing}
        @input=${(e: Event) => {
          this.password = (e.target as HTMLInputElement).value;
          const { accountPassword: _gone, ...rest } = this.errors;
          this.errors = rest;
        }}
      />
      ${error ? html`<span class="error" id="accountPassword-error">${errorText(error)}</span>` : nothing}
    </div>`;
  }

  private renderForm(): TemplateResult {
    const f = this.form;
    const remote = f.kind === 'remote';
    const kindError = this.errors.accountKind;
    return html`<section id="server-form" aria-labelledby="form-heading">
      <h3 id="form-heading">${msg('Select license server', { id: 'licenses.form.heading' })}</h3>
      <fieldset>
        <legend>${msg('License server', { id: 'licenses.form.kind' })}</legend>
        ${this.radio('kind', 'local', msg('Local: the license server on this machine', { id: 'licenses.form.local' }))}
        ${this.radio('kind', 'remote', msg('Remote: a license server on another machine', { id: 'licenses.form.remote' }))}
      </fieldset>
      ${remote
        ? html`${this.field('host', msg('Host name or IP address', { id: 'licenses.form.host' }))}
          ${this.field('port', msg('Port of the license server', { id: 'licenses.form.port' }), { placeholder: '27000', hint: msg('1–65535; empty: 27000', { id: 'licenses.form.portHint' }) })}
          ${this.field('share', msg('Shared license folder', { id: 'licenses.form.share' }), { placeholder: '\\\\host\\share\\folder', hint: msg('As \\\\host\\share\\folder', { id: 'licenses.form.shareHint' }) })}
          ${this.field('smbPort', msg('SMB port (optional)', { id: 'licenses.form.smbPort' }), { placeholder: '445' })}`
        : html`${this.field('folder', msg('License folder', { id: 'licenses.form.folder' }), { hint: msg('A local path, e.g. /var/lib/fls/licenses or C:\\FLS\\licenses', { id: 'licenses.form.folderHint' }) })}
          ${this.field('flsUrl', msg('Address of the license server (optional)', { id: 'licenses.form.flsUrl' }), {
            placeholder: 'http://127.0.0.1:27000',
            hint: msg('Empty: the console runs the license server itself.', { id: 'licenses.form.flsUrlHint' }),
          })}`}
      <fieldset aria-describedby=${kindError ? 'accountKind-error' : 'account-hint'}>
        <legend>${msg('ORS service account', { id: 'licenses.account' })}</legend>
        ${this.radio('accountKind', 'localSystem', msg('Local System', { id: 'licenses.account.localSystem' }))}
        ${this.radio('accountKind', 'other', msg('Other account', { id: 'licenses.account.other' }))}
        <span class="hint" id="account-hint">${msg('Recommended only when the license server is remote: the account must be allowed to write to the shared license folder.', { id: 'licenses.account.hint' })}</span>
        ${kindError ? html`<span class="error" id="accountKind-error" role="alert">${errorText(kindError)}</span>` : nothing}
        ${f.accountKind === 'other'
          ? html`${this.field('accountUser', msg('User name', { id: 'licenses.account.user' }), { autocomplete: 'username' })}
            ${this.field('accountDomain', msg('Domain (optional)', { id: 'licenses.account.domain' }))} ${this.renderPassword()}`
          : nothing}
      </fieldset>
      <div class="actions">
        <button id="test" ?disabled=${this.testing} @click=${() => void this.runTest()}>${msg('Test', { id: 'licenses.test' })}</button>
      </div>
      ${this.testing ? html`<p role="status">${msg('Testing…', { id: 'licenses.testing' })}</p>` : nothing} ${this.report ? this.renderReport(this.report) : nothing}
    </section>`;
  }

  private checkLabel(id: CheckId): string {
    switch (id) {
      case 'fls':
        return msg('License server reachable', { id: 'licenses.check.fls' });
      case 'trust':
        return msg('Vendor keys available', { id: 'licenses.check.trust' });
      case 'host':
        return msg('Host of the shared folder reachable', { id: 'licenses.check.host' });
      case 'logon':
        return msg('Logon with the account', { id: 'licenses.check.logon' });
      case 'share':
        return msg('Share found', { id: 'licenses.check.share' });
      case 'folder':
        return msg('License folder found', { id: 'licenses.check.folder' });
      case 'write':
        return msg('Write permission', { id: 'licenses.check.write' });
    }
  }

  private renderReport(r: TestReport): TemplateResult {
    const result = (x: 'ok' | 'failed' | 'skipped') =>
      x === 'ok' ? msg('OK', { id: 'licenses.check.ok' }) : x === 'failed' ? msg('failed', { id: 'licenses.check.failed' }) : msg('not checked', { id: 'licenses.check.skipped' });
    return html`<div role="status" aria-live="polite">
      <p class=${r.ok ? 'ok' : 'failed'}>${r.ok ? msg('All checks passed.', { id: 'licenses.test.ok' }) : msg('A check failed.', { id: 'licenses.test.failed' })}</p>
      <ul class="checks">
        ${r.checks.map(
          (c) => html`<li data-check=${c.id} class=${c.result}>
            ${this.checkLabel(c.id)}: ${result(c.result)}${c.error ? html` — ${errorText(c.error)}` : nothing}
          </li>`,
        )}
      </ul>
    </div>`;
  }

  private renderInstall(): TemplateResult {
    return html`<section aria-labelledby="install-heading">
      <h3 id="install-heading">${msg('Install license file', { id: 'licenses.install.heading' })}</h3>
      <div class="field">
        <label for="license-file">${msg('Install license file…', { id: 'licenses.install' })}</label>
        <input id="license-file" type="file" accept=".lic,.txt,text/plain" aria-describedby="install-hint" @change=${(e: Event) => void this.installFile(e)} />
        <span class="hint" id="install-hint">${msg('The file is checked like an automatic update before it is installed on the selected license server.', { id: 'licenses.install.hint' })}</span>
      </div>
      ${this.installMessage ? html`<p role="alert" class=${this.installMessage.kind === 'ok' ? 'ok' : 'error'}>${this.installMessage.text}</p>` : nothing}
      ${this.pendingWorse
        ? html`<button @click=${(e: Event) => void this.installFile(e, true, this.pendingWorse)}>${msg('Install anyway', { id: 'licenses.install.confirm' })}</button>`
        : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-licenses-dialog': LicensesDialog;
  }
}
