import { formStyles } from '../form-styles.js';
import { ServiceView } from '../service-view.js';
import { connectionHintCode } from '../../common/remote-service/feedback.js';
import { css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { Subscription } from 'rxjs';
import type { HostService } from '../../common/console-protocol.js';
import { CodedError, type ErrorInfo } from '../../common/errors.js';
import { isLocale, type Locale } from '../../common/i18n.js';
import type { DiagnosticHopName, DiagnosticReport } from '../../common/proxy/diagnostic.js';
import type { ConnectionState, ServiceState } from '../../common/remote-service/model.js';
import { REMOTE_SERVICE_SERVICE, type RemoteServiceService, type RemoteServiceStateView, type RemoteServiceView, type SerialView } from '../../common/remote-service/remote-service-api.js';
import { validateRemoteService, type RemoteServiceField, type RemoteServiceFieldError, type RemoteServiceInput, type RemoteServiceSecretsInput } from '../../common/remote-service/settings-rules.js';
import { remoteServiceError, remoteServiceText } from '../../common/remote-service/text.js';
import type { Remote } from '../../common/rpc/protocol.js';

/** The form as typed (strings kept as typed so nothing the administrator entered is lost). */
interface FormState {
  enabled: boolean;
  remoteAssistanceFeature: boolean;
  allowRemoteAssistance: boolean;
  organisationId: string;
  backofficeUrl: string;
  caFile: string;
  serviceControl: string;
  proxyMode: 'none' | 'auto' | 'manual';
  proxyHost: string;
  proxyPort: string;
  proxyAuth: boolean;
  proxyUser: string;
  proxyDomain: string;
  accountKind: 'localSystem' | 'other';
  accountUser: string;
  accountDomain: string;
}

type SecretField = 'verificationCode' | 'proxy.password' | 'orsAccount.password';

const EMPTY: FormState = {
  enabled: false, remoteAssistanceFeature: false, allowRemoteAssistance: false, organisationId: '', backofficeUrl: '', caFile: '', serviceControl: 'auto',
  proxyMode: 'none', proxyHost: '', proxyPort: '', proxyAuth: false, proxyUser: '', proxyDomain: '', accountKind: 'localSystem', accountUser: '', accountDomain: '',
};

function formOf(v: RemoteServiceView): FormState {
  const s = v.settings;
  const a = v.account;
  return {
    enabled: s.enabled, remoteAssistanceFeature: s.remoteAssistanceFeature, allowRemoteAssistance: s.allowRemoteAssistance, organisationId: s.organisationId,
    backofficeUrl: s.backofficeUrl, caFile: s.caFile ?? '', serviceControl: s.serviceControl, proxyMode: s.proxy.mode, proxyHost: s.proxy.host ?? '',
    proxyPort: s.proxy.port !== undefined ? String(s.proxy.port) : '', proxyAuth: s.proxy.authenticate === true, proxyUser: s.proxy.username ?? '', proxyDomain: s.proxy.domain ?? '',
    accountKind: a.kind, accountUser: a.kind === 'other' ? a.username : '', accountDomain: a.kind === 'other' ? (a.domain ?? '') : '',
  };
}

function inputOf(f: FormState): RemoteServiceInput {
  return {
    enabled: f.enabled, remoteAssistanceFeature: f.remoteAssistanceFeature, allowRemoteAssistance: f.allowRemoteAssistance, organisationId: f.organisationId,
    backofficeUrl: f.backofficeUrl, caFile: f.caFile, serviceControl: f.serviceControl,
    proxy: { mode: f.proxyMode, host: f.proxyHost, port: f.proxyPort, authenticate: f.proxyAuth, username: f.proxyUser, domain: f.proxyDomain },
    orsAccount: f.accountKind === 'other' ? { kind: 'other', username: f.accountUser, domain: f.accountDomain } : { kind: 'localSystem' },
  };
}

/** The element id of a field (dots are awkward in id selectors). */
const idOf = (field: string): string => field.replace(/\./g, '-');

function locale(): Locale {
  const l = document.documentElement.lang;
  return isLocale(l) ? l : 'en';
}

/**
 * Remote Service → property dialog (SPEC F3), in the manual's order: [Enable], [Remote Assistance],
 * the Remote Service settings (organisation ID, verification code, serial number, proxy, ORS
 * service account), [Restart], Feedback; plus [Test connection]. Rules live in common/.
 */
@localized()
@customElement('ors-remote-service-dialog')
export class RemoteServiceDialog extends ServiceView {
  static override styles = [
    formStyles,
    css`
    :host {
      display: block;
      max-width: 68ch;
    }
    fieldset {
      border: 1px solid var(--ors-border, #c8cbd0);
      border-radius: 4px;
      margin: 8px 0;
      padding: 8px 12px;
    }
    fieldset:disabled {
      color: var(--ors-fg-muted, #6b6f76);
    }
    ul.hops {
      list-style: none;
      padding: 0;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 4px 12px;
      margin: 0;
    }
    dd {
      margin: 0;
    }
  `,
  ];

  @state() private view?: RemoteServiceView;
  @state() private serviceState?: RemoteServiceStateView;
  @state() private serial: SerialView = { kind: 'loading' };
  @state() private form: FormState = { ...EMPTY };
  @state() private secrets: Record<SecretField, string> = { verificationCode: '', 'proxy.password': '', 'orsAccount.password': '' };
  @state() private changing: Record<SecretField, boolean> = { verificationCode: false, 'proxy.password': false, 'orsAccount.password': false };
  @state() private errors: Partial<Record<RemoteServiceField | 'form', ErrorInfo>> = {};
  @state() private report?: DiagnosticReport;
  @state() private busy?: 'testing' | 'restarting' | 'starting';
  @state() private message?: { kind: 'ok' | 'error'; text: string };
  private baseline = JSON.stringify(EMPTY);

  private get service(): Remote<RemoteServiceService> | undefined {
    return this.context?.service<RemoteServiceService>(REMOTE_SERVICE_SERVICE);
  }

  get dirty(): boolean {
    return JSON.stringify(this.form) !== this.baseline || Object.values(this.secrets).some((s) => s !== '');
  }

  protected override follow(): Subscription[] {
    const service = this.service;
    if (!service) return [];
    return [
      service.settings$().subscribe({
        next: (v) => {
          this.view = v;
          // A version saved elsewhere replaces the form only while nothing is being edited.
          if (!this.dirty) this.resetForm(v);
        },
      }),
      service.state$().subscribe({ next: (s) => (this.serviceState = s) }),
      service.serial$().subscribe({ next: (s) => (this.serial = s) }),
    ];
  }

  private resetForm(v: RemoteServiceView): void {
    this.form = formOf(v);
    this.baseline = JSON.stringify(this.form);
    this.secrets = { verificationCode: '', 'proxy.password': '', 'orsAccount.password': '' };
    this.changing = { verificationCode: false, 'proxy.password': false, 'orsAccount.password': false };
    this.errors = {};
  }

  private secretsInput(): RemoteServiceSecretsInput {
    const s = this.secrets;
    return {
      ...(s.verificationCode ? { verificationCode: s.verificationCode } : {}),
      ...(s['proxy.password'] ? { proxyPassword: s['proxy.password'] } : {}),
      ...(s['orsAccount.password'] ? { orsAccountPassword: s['orsAccount.password'] } : {}),
    };
  }

  private validate(): RemoteServiceFieldError[] {
    const v = this.view;
    const r = validateRemoteService(inputOf(this.form), this.secretsInput(), {
      secretsSet: v?.secretsSet ?? { verificationCode: false, proxyPassword: false, orsAccountPassword: false },
      licenseServerRemote: v?.licenseServerRemote ?? false,
    });
    return r.ok ? [] : [...r.errors];
  }

  /** OK/Apply and the first step of [Restart]: validate at the fields, then save (secrets to the secrets store only). */
  async apply(): Promise<void> {
    if (!this.dirty) return;
    const errors = this.validate();
    if (errors.length) {
      this.showErrors(errors);
      const first = errors[0]!;
      throw new CodedError(first.code, first.params ?? {}, { field: first.field });
    }
    const service = this.service;
    if (!service) throw new CodedError('remote-service.no-service-control');
    try {
      const view = await service.save(inputOf(this.form), this.view?.version ?? 0, this.secretsInput());
      this.view = view;
      this.resetForm(view);
    } catch (e) {
      const info = e as ErrorInfo;
      if (info.field) this.showErrors([info as RemoteServiceFieldError]);
      else this.errors = { form: info };
      throw e;
    }
  }

  private showErrors(list: readonly (ErrorInfo & { field: string })[]): void {
    const errors: Partial<Record<RemoteServiceField, ErrorInfo>> = {};
    for (const e of list) errors[e.field as RemoteServiceField] ??= e;
    this.errors = errors;
    // Fields of a closed "change" secret open so that the error has a field to sit at.
    for (const f of ['verificationCode', 'proxy.password', 'orsAccount.password'] as const) if (errors[f]) this.changing = { ...this.changing, [f]: true };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  private clearError(field: RemoteServiceField): void {
    if (!this.errors[field] && !this.errors.form) return;
    const { [field]: _gone, form: _form, ...rest } = this.errors;
    this.errors = rest;
  }

  private set<K extends keyof FormState>(key: K, value: FormState[K], field: RemoteServiceField): void {
    this.form = { ...this.form, [key]: value };
    this.clearError(field);
    this.report = undefined;
    this.message = undefined;
  }

  private async restart(): Promise<void> {
    const service = this.service;
    if (!service) return;
    this.message = undefined;
    try {
      await this.apply();
    } catch {
      return; // the errors are shown at their fields
    }
    this.busy = 'restarting';
    try {
      await service.restart();
      this.message = { kind: 'ok', text: remoteServiceText(locale(), 'remote-service.restart.done') };
    } catch (e) {
      this.message = { kind: 'error', text: remoteServiceError(locale(), e as ErrorInfo) };
    } finally {
      this.busy = undefined;
    }
  }

  private async startService(): Promise<void> {
    const service = this.service;
    if (!service) return;
    this.busy = 'starting';
    this.message = undefined;
    try {
      await service.startService();
    } catch (e) {
      this.message = { kind: 'error', text: remoteServiceError(locale(), e as ErrorInfo) };
    } finally {
      this.busy = undefined;
    }
  }

  private async testConnection(): Promise<void> {
    const service = this.service;
    if (!service) return;
    const relevant = this.validate().filter((e) => e.field === 'backofficeUrl' || e.field === 'caFile' || e.field.startsWith('proxy.'));
    if (relevant.length) return this.showErrors(relevant);
    this.busy = 'testing';
    this.report = undefined;
    try {
      this.report = await service.testConnection(inputOf(this.form), this.secretsInput());
    } catch (e) {
      const info = e as ErrorInfo;
      if (info.field) this.showErrors([info as RemoteServiceFieldError]);
      else this.message = { kind: 'error', text: remoteServiceError(locale(), info) };
    } finally {
      this.busy = undefined;
    }
  }

  private async selectLicenseServer(e: Event): Promise<void> {
    e.preventDefault();
    const host = this.context?.hostService<HostService>('host');
    const result = await host?.executeCommand('licenses.selectServer');
    // The console opens the Licenses dialog for a command result asking for it.
    if (result?.openProperties) this.dispatchEvent(new CustomEvent('open-properties', { detail: result.openProperties, bubbles: true, composed: true }));
  }

  // ---- rendering ---------------------------------------------------------------------------------

  /** Everything but [Enable] is greyed while Enable is off or while the state loads. */
  private get inactive(): boolean {
    return !this.view || !this.form.enabled;
  }

  override render() {
    const f = this.form;
    return html`
      ${this.view ? nothing : html`<p role="status">${msg('Loading the current settings…', { id: 'remote.loading' })}</p>`}
      <div class="field">
        <div>
          <input type="checkbox" id="enabled" .checked=${f.enabled} ?disabled=${!this.view} aria-describedby="enabled-hint" @change=${(e: Event) => this.set('enabled', (e.target as HTMLInputElement).checked, 'enabled')} />
          <label for="enabled">${msg('Enable', { id: 'remote.enable' })}</label>
        </div>
        <span class="hint" id="enabled-hint">${msg('While this is off there is no connection to the remote-service back office.', { id: 'remote.enable.hint' })}</span>
      </div>
      ${this.renderRemoteAssistance()}
      <fieldset id="settings" ?disabled=${this.inactive}>
        <legend>${msg('Remote Service', { id: 'remote.settings' })}</legend>
        ${this.field('organisationId', msg('Service organisation ID:', { id: 'remote.orgId' }), f.organisationId, (v) => this.set('organisationId', v, 'organisationId'), {
          hint: msg('The ID and the verification code identify your service organisation; they are used to find this installation on the remote-service website.', { id: 'remote.orgId.hint' }),
        })}
        ${this.secret('verificationCode', msg('Verification code:', { id: 'remote.code' }), this.view?.secretsSet.verificationCode ?? false)} ${this.renderSerial()} ${this.renderProxy()}
        ${this.renderAccount()} ${this.renderAdvanced()}
      </fieldset>
      <div class="actions">
        <button id="restart" ?disabled=${!this.view || this.busy !== undefined} aria-describedby="restart-hint" @click=${() => void this.restart()}>${msg('Restart', { id: 'remote.restart' })}</button>
        <button id="test" ?disabled=${this.inactive || this.busy !== undefined} @click=${() => void this.testConnection()}>${msg('Test connection', { id: 'remote.test' })}</button>
      </div>
      <span class="hint" id="restart-hint">${msg('Saves your changes and restarts the ORS service.', { id: 'remote.restart.hint' })}</span>
      ${this.errors.form ? html`<p class="error" role="alert" id="form-error">${remoteServiceError(locale(), this.errors.form)}</p>` : nothing}
      ${this.message ? html`<p role="alert" id="message" class=${this.message.kind}>${this.message.text}</p>` : nothing}
      ${this.busy === 'testing' ? html`<p role="status">${msg('Testing the connection…', { id: 'remote.testing' })}</p>` : nothing} ${this.report ? this.renderReport(this.report) : nothing}
      ${this.renderFeedback()}
    `;
  }

  private renderRemoteAssistance(): TemplateResult {
    const error = this.errors.remoteAssistanceFeature;
    const described = ['remoteAssistanceFeature-hint', error ? 'remoteAssistanceFeature-error' : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <div>
        <input
          type="checkbox"
          id="remoteAssistanceFeature"
          .checked=${this.form.remoteAssistanceFeature}
          ?disabled=${this.inactive}
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${described}
          @change=${(e: Event) => this.set('remoteAssistanceFeature', (e.target as HTMLInputElement).checked, 'remoteAssistanceFeature')}
        />
        <label for="remoteAssistanceFeature">${msg('Remote Assistance', { id: 'remote.ra' })}</label>
      </div>
      <span class="hint" id="remoteAssistanceFeature-hint">${msg('To allow remote assistance, first configure the proxy server manually, then use Allow remote assistance.', { id: 'remote.ra.hint' })}</span>
      ${error ? html`<span class="error" id="remoteAssistanceFeature-error">${remoteServiceError(locale(), error)}</span>` : nothing}
    </div>`;
  }

  private field(
    field: RemoteServiceField,
    label: string,
    value: string,
    onInput: (v: string) => void,
    options: { hint?: string; placeholder?: string; autocomplete?: string; inputmode?: string } = {},
  ): TemplateResult {
    const id = idOf(field);
    const error = this.errors[field];
    const described = [error ? `${id}-error` : '', options.hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        name=${field}
        type="text"
        .value=${value}
        placeholder=${options.placeholder ?? nothing}
        inputmode=${options.inputmode ?? nothing}
        autocomplete=${options.autocomplete ?? 'off'}
        spellcheck="false"
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${described || nothing}
        @input=${(e: Event) => onInput((e.target as HTMLInputElement).value)}
      />
      ${options.hint ? html`<span class="hint" id=${`${id}-hint`}>${options.hint}</span>` : nothing}
      ${error ? html`<span class="error" id=${`${id}-error`}>${remoteServiceError(locale(), error)}</span>` : nothing}
    </div>`;
  }

  /** A write-only secret: shows that one is set and offers "Change", never its value. */
  private secret(field: SecretField, label: string, isSet: boolean): TemplateResult {
    const id = idOf(field);
    const error = this.errors[field];
    if (isSet && !this.changing[field]) {
      return html`<div class="field">
        <span id=${`${id}-label`}>${label}</span>
        <span id=${`${id}-state`} aria-labelledby=${`${id}-label`}>${msg('Set (not shown).', { id: 'remote.secret.set' })}</span>
        <button id=${`${id}-change`} aria-describedby=${`${id}-label ${id}-state`} @click=${() => (this.changing = { ...this.changing, [field]: true })}>${msg('Change…', { id: 'remote.secret.change' })}</button>
      </div>`;
    }
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        type="password"
        autocomplete="new-password"
        .value=${this.secrets[field]}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${[error ? `${id}-error` : '', `${id}-hint`].filter(Boolean).join(' ')}
        @input=${(e: Event) => {
          this.secrets = { ...this.secrets, [field]: (e.target as HTMLInputElement).value };
          this.clearError(field);
        }}
      />
      <span class="hint" id=${`${id}-hint`}>${msg('Case-sensitive.', { id: 'remote.secret.caseSensitive' })}</span>
      ${error ? html`<span class="error" id=${`${id}-error`}>${remoteServiceError(locale(), error)}</span>` : nothing}
    </div>`;
  }

  private renderSerial(): TemplateResult {
    const s = this.serial;
    return html`<div class="field">
      <label for="serial">${msg('Serial number:', { id: 'remote.serial' })}</label>
      <input id="serial" type="text" readonly .value=${s.kind === 'known' ? s.serial : ''} aria-describedby="serial-hint" />
      <span class="hint" id="serial-hint"
        >${s.kind === 'known'
          ? msg('Read automatically from the license.', { id: 'remote.serial.auto' })
          : s.kind === 'loading'
            ? msg('Reading the serial number from the license server…', { id: 'remote.serial.loading' })
            : html`${remoteServiceText(locale(), 'remote-service.no-serial')}
                <a href="#" id="select-license-server" @click=${(e: Event) => void this.selectLicenseServer(e)}>${msg('Licenses → Select license server…', { id: 'remote.serial.link' })}</a>`}</span
      >
    </div>`;
  }

  private radio(name: 'proxyMode' | 'accountKind', value: string, label: string, field: RemoteServiceField, describedBy?: string): TemplateResult {
    const id = `${name}-${value}`;
    return html`<div>
      <input
        type="radio"
        id=${id}
        name=${name}
        value=${value}
        .checked=${this.form[name] === value}
        aria-describedby=${describedBy ?? nothing}
        @change=${() => this.set(name, value as never, field)}
      />
      <label for=${id}>${label}</label>
    </div>`;
  }

  private renderProxy(): TemplateResult {
    const f = this.form;
    const manual = f.proxyMode === 'manual';
    return html`<fieldset id="proxy">
      <legend>${msg('Proxy server settings', { id: 'remote.proxy' })}</legend>
      ${this.radio('proxyMode', 'none', msg('No proxy server', { id: 'remote.proxy.none' }), 'proxy.mode')}
      ${this.radio('proxyMode', 'auto', msg('Detect proxy server automatically', { id: 'remote.proxy.auto' }), 'proxy.mode', 'proxy-auto-notes')}
      <div class="hint" id="proxy-auto-notes">
        <p>${msg('Uses the proxy server settings of the system and browser. Only for automatic license update and automatic software downloads.', { id: 'remote.proxy.auto.note1' })}</p>
        <p>${msg('Do not use this option if you want to allow remote assistance: configure the proxy server manually first, then use Allow remote assistance.', { id: 'remote.proxy.auto.note2' })}</p>
      </div>
      ${this.radio('proxyMode', 'manual', msg('Enable proxy server (manual settings)', { id: 'remote.proxy.manual' }), 'proxy.mode')}
      <fieldset id="proxy-manual" ?disabled=${!manual}>
        <legend>${msg('Manual proxy server', { id: 'remote.proxy.manualLegend' })}</legend>
        ${this.field('proxy.host', msg('Host name:', { id: 'remote.proxy.host' }), f.proxyHost, (v) => this.set('proxyHost', v, 'proxy.host'), {
          hint: msg('The host name or IP address of the proxy server.', { id: 'remote.proxy.host.hint' }),
        })}
        ${this.field('proxy.port', msg('Port:', { id: 'remote.proxy.port' }), f.proxyPort, (v) => this.set('proxyPort', v, 'proxy.port'), {
          inputmode: 'numeric',
          hint: msg('The port number the proxy server uses (1–65535).', { id: 'remote.proxy.port.hint' }),
        })}
        <div>
          <input type="checkbox" id="proxy-authenticate" .checked=${f.proxyAuth} aria-describedby="proxy-authenticate-hint" @change=${(e: Event) => this.set('proxyAuth', (e.target as HTMLInputElement).checked, 'proxy.username')} />
          <label for="proxy-authenticate">${msg('Proxy server authentication', { id: 'remote.proxy.auth' })}</label>
          <span class="hint" id="proxy-authenticate-hint">${msg('Use this option if the proxy server requires authentication.', { id: 'remote.proxy.auth.hint' })}</span>
        </div>
        <fieldset id="proxy-credentials" ?disabled=${!f.proxyAuth}>
          <legend>${msg('Proxy credentials', { id: 'remote.proxy.credentials' })}</legend>
          ${this.field('proxy.username', msg('User name:', { id: 'remote.proxy.user' }), f.proxyUser, (v) => this.set('proxyUser', v, 'proxy.username'), { autocomplete: 'username' })}
          ${this.secret('proxy.password', msg('Password:', { id: 'remote.proxy.password' }), this.view?.secretsSet.proxyPassword ?? false)}
          ${this.field('proxy.domain', msg('Domain:', { id: 'remote.proxy.domain' }), f.proxyDomain, (v) => this.set('proxyDomain', v, 'proxy.domain'), {
            hint: msg('The domain the proxy server is in (for NTLM).', { id: 'remote.proxy.domain.hint' }),
          })}
        </fieldset>
      </fieldset>
    </fieldset>`;
  }

  private renderAccount(): TemplateResult {
    const f = this.form;
    const kindError = this.errors['orsAccount.kind'];
    return html`<fieldset id="account" aria-describedby=${kindError ? 'orsAccount-kind-error account-hint' : 'account-hint'}>
      <legend>${msg('"ORS service" credentials', { id: 'remote.account' })}</legend>
      <span class="hint" id="account-hint"
        >${msg('The ORS service runs as Local System by default. Change the account only when the Floating License Server is installed remotely.', { id: 'remote.account.hint' })}</span
      >
      ${this.radio('accountKind', 'localSystem', msg('Local System', { id: 'remote.account.localSystem' }), 'orsAccount.kind')}
      ${this.radio('accountKind', 'other', msg('Other account', { id: 'remote.account.other' }), 'orsAccount.kind')}
      ${kindError ? html`<span class="error" id="orsAccount-kind-error">${remoteServiceError(locale(), kindError)}</span>` : nothing}
      <fieldset id="account-credentials" ?disabled=${f.accountKind !== 'other'}>
        <legend>${msg('Account', { id: 'remote.account.credentials' })}</legend>
        ${this.field('orsAccount.username', msg('User name:', { id: 'remote.account.user' }), f.accountUser, (v) => this.set('accountUser', v, 'orsAccount.username'), { autocomplete: 'username' })}
        ${this.secret('orsAccount.password', msg('Password:', { id: 'remote.account.password' }), this.view?.secretsSet.orsAccountPassword ?? false)}
        ${this.field('orsAccount.domain', msg('Domain (optional):', { id: 'remote.account.domain' }), f.accountDomain, (v) => this.set('accountDomain', v, 'orsAccount.domain'))}
      </fieldset>
    </fieldset>`;
  }

  private renderAdvanced(): TemplateResult {
    const f = this.form;
    const open = Boolean(this.errors.backofficeUrl || this.errors.caFile) || f.backofficeUrl === '';
    return html`<details ?open=${open}>
      <summary>${msg('Back office', { id: 'remote.advanced' })}</summary>
      ${this.field('backofficeUrl', msg('Back-office address:', { id: 'remote.backofficeUrl' }), f.backofficeUrl, (v) => this.set('backofficeUrl', v, 'backofficeUrl'), { placeholder: 'https://' })}
      ${this.field('caFile', msg('Additional CA certificates (PEM file, optional):', { id: 'remote.caFile' }), f.caFile, (v) => this.set('caFile', v, 'caFile'))}
    </details>`;
  }

  private hopLabel(hop: DiagnosticHopName): string {
    return remoteServiceText(locale(), `diagnose.hop.${hop}`);
  }

  private renderReport(r: DiagnosticReport): TemplateResult {
    const result = (x: 'ok' | 'failed' | 'skipped') =>
      x === 'ok' ? msg('OK', { id: 'remote.hop.ok' }) : x === 'failed' ? msg('failed', { id: 'remote.hop.failed' }) : msg('not checked', { id: 'remote.hop.skipped' });
    return html`<section id="report" role="status" aria-live="polite" aria-labelledby="report-heading">
      <h3 id="report-heading">${msg('Connection test', { id: 'remote.report' })}</h3>
      <p class=${r.ok ? 'ok' : 'failed'}>${r.ok ? remoteServiceText(locale(), 'diagnose.ok') : msg('The connection fails at a hop below.', { id: 'remote.report.failed' })}</p>
      <ul class="hops">
        ${r.hops.map(
          (h) => html`<li data-hop=${h.hop} class=${h.status}>
            ${this.hopLabel(h.hop)}${h.target ? ` (${h.target})` : ''}: ${result(h.status)}${h.error ? html` — ${remoteServiceError(locale(), h.error)}` : nothing}
            ${h.hint ? html`<br /><span class="hint">${remoteServiceText(locale(), h.hint)}</span>` : nothing}
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private connectionText(c: ConnectionState): { cls: string; text: string; detail?: string } {
    switch (c.kind) {
      case 'disabled':
        return { cls: '', text: msg('Disabled: no connection to the back office.', { id: 'remote.fb.disabled' }) };
      case 'not-configured':
        return { cls: 'failed', text: msg(str`Not configured: ${c.missing.join(', ')} missing.`, { id: 'remote.fb.notConfigured' }) };
      case 'connecting':
        return { cls: '', text: msg('Connecting…', { id: 'remote.fb.connecting' }) };
      case 'connected':
        return { cls: 'ok', text: msg('Connected', { id: 'remote.fb.connected' }) };
      case 'error':
        return {
          cls: 'failed',
          text: msg(str`Error: ${remoteServiceError(locale(), c.error)}`, { id: 'remote.fb.error' }),
          ...(c.hop ? { detail: msg(str`Failed at: ${c.hop}`, { id: 'remote.fb.hop' }) } : {}),
        };
    }
  }

  private serviceText(s: ServiceState | undefined): string | undefined {
    if (!s) return msg('Loading the service state…', { id: 'remote.fb.loading' });
    switch (s.kind) {
      case 'stopped':
        return msg('The ORS service is not running, so there is no connection to the Remote Service.', { id: 'remote.fb.stopped' });
      case 'crashed':
        return msg('The ORS service stopped unexpectedly; it is restarted automatically.', { id: 'remote.fb.crashed' });
      case 'starting':
        return msg('The ORS service is starting…', { id: 'remote.fb.starting' });
      case 'stopping':
        return msg('The ORS service is stopping…', { id: 'remote.fb.stopping' });
      case 'unknown':
        return remoteServiceError(locale(), s.error);
      case 'running':
        return s.status ? undefined : msg('The ORS service is running; waiting for its first report…', { id: 'remote.fb.waiting' });
    }
  }

  private renderFeedback(): TemplateResult {
    const st = this.serviceState;
    const s = st?.service;
    const status = s?.kind === 'running' ? s.status : undefined;
    const conn = status ? this.connectionText(status.connection) : undefined;
    const c = status?.connection;
    const lastCheck = c && (c.kind === 'connected' || c.kind === 'error') ? c.lastCheck : undefined;
    const nextCheck = c && (c.kind === 'connected' || c.kind === 'error') ? c.nextCheck : undefined;
    const hint = c?.kind === 'error' ? this.hintFor(c) : undefined;
    const notRunning = s?.kind === 'stopped' || (s?.kind === 'crashed' && !s.restartAt);
    const restarting = st?.restarting ?? (this.busy === 'restarting' ? 'restarting' : undefined);
    const l = status?.license;
    const dash = '–';
    return html`<section id="feedback" aria-labelledby="feedback-heading">
      <h3 id="feedback-heading">${msg('Feedback', { id: 'remote.fb' })}</h3>
      <div role="status" aria-live="polite" id="feedback-state">
        ${restarting
          ? html`<p>${restarting === 'waiting' ? remoteServiceText(locale(), 'remote-service.restart.waiting') : remoteServiceText(locale(), 'remote-service.restart.stopping')}</p>`
          : nothing}
        ${this.serviceText(s) ? html`<p id="service-state" class=${notRunning ? 'failed' : ''}>${this.serviceText(s)}</p>` : nothing}
        ${conn ? html`<p id="connection-state" class=${conn.cls} data-state=${c!.kind}>${conn.text}</p>` : nothing} ${conn?.detail ? html`<p>${conn.detail}</p>` : nothing}
        ${hint ? html`<p class="hint" id="connection-hint">${hint}</p>` : nothing}
      </div>
      ${notRunning && st?.controllable
        ? html`<button id="start-service" ?disabled=${this.busy !== undefined} @click=${() => void this.startService()}>${msg('Start service', { id: 'remote.fb.start' })}</button>`
        : nothing}
      <dl>
        <dt>${msg('Last check', { id: 'remote.fb.last' })}</dt>
        <dd id="last-check">${lastCheck ?? dash}</dd>
        <dt>${msg('Next check', { id: 'remote.fb.next' })}</dt>
        <dd id="next-check">${nextCheck ?? dash}</dd>
        <dt>${msg('License (back office)', { id: 'remote.fb.license' })}</dt>
        <dd id="backoffice-license">
          ${l
            ? `${l.serial}${l.expiry ? ` · ${msg(str`expires ${l.expiry}`, { id: 'remote.fb.expiry' })}` : ''}${l.maintenanceEnd ? ` · ${msg(str`maintenance until ${l.maintenanceEnd}`, { id: 'remote.fb.maintenance' })}` : ''}${l.users !== undefined ? ` · ${msg(str`${l.users} users`, { id: 'remote.fb.users' })}` : ''}`
            : dash}
        </dd>
      </dl>
    </section>`;
  }

  /** The hint of an error state (the rule lives in common/remote-service/feedback.ts). */
  private hintFor(c: Extract<ConnectionState, { kind: 'error' }>): string | undefined {
    const code = connectionHintCode(c);
    const text = code ? remoteServiceText(locale(), code) : undefined;
    return text === code ? undefined : text;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-remote-service-dialog': RemoteServiceDialog;
  }
}
