import { formStyles } from '../form-styles.js';
import { ServiceView } from '../service-view.js';
import { errorText, t } from '../../elements/l10n.js';
import { changedFields, secretField, textField } from '../../elements/form-fields.js';
import './connection-report.js';
import './feedback-panel.js';
import { css, html, nothing, type LitElement, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import type { Subscription } from 'rxjs';
import type { HostService } from '../../common/console-protocol.js';
import { CodedError, type ErrorInfo } from '../../common/errors.js';
import type { DiagnosticReport } from '../../common/proxy/diagnostic.js';
import { REMOTE_SERVICE_SERVICE, type RemoteServiceService, type RemoteServiceStateView, type RemoteServiceView, type SerialView } from '../../common/remote-service/remote-service-api.js';
import { connectionTestErrors, validateRemoteService, type RemoteServiceField, type RemoteServiceFieldError, type RemoteServiceInput, type RemoteServiceSecretsInput } from '../../common/remote-service/settings-rules.js';
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
  private baseline: FormState = EMPTY;

  /** Done when the dialog and its feedback and report elements have rendered. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    await Promise.all([...this.renderRoot.querySelectorAll<LitElement>('ors-remote-service-feedback, ors-connection-report')].map((e) => e.updateComplete));
    return done;
  }

  private get service(): Remote<RemoteServiceService> | undefined {
    return this.context?.service<RemoteServiceService>(REMOTE_SERVICE_SERVICE);
  }

  get dirty(): boolean {
    return changedFields(this.form, this.baseline) || Object.values(this.secrets).some((s) => s !== '');
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
    this.baseline = this.form;
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
      this.message = { kind: 'ok', text: t('remote-service.restart.done') };
    } catch (e) {
      this.message = { kind: 'error', text: errorText(e as ErrorInfo) };
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
      this.message = { kind: 'error', text: errorText(e as ErrorInfo) };
    } finally {
      this.busy = undefined;
    }
  }

  private async testConnection(): Promise<void> {
    const service = this.service;
    if (!service) return;
    const relevant = connectionTestErrors(this.validate());
    if (relevant.length) return this.showErrors(relevant);
    this.busy = 'testing';
    this.report = undefined;
    try {
      this.report = await service.testConnection(inputOf(this.form), this.secretsInput());
    } catch (e) {
      const info = e as ErrorInfo;
      if (info.field) this.showErrors([info as RemoteServiceFieldError]);
      else this.message = { kind: 'error', text: errorText(info) };
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
      ${this.errors.form ? html`<p class="error" role="alert" id="form-error">${errorText(this.errors.form)}</p>` : nothing}
      ${this.message ? html`<p role="alert" id="message" class=${this.message.kind}>${this.message.text}</p>` : nothing}
      ${this.busy === 'testing' ? html`<p role="status">${msg('Testing the connection…', { id: 'remote.testing' })}</p>` : nothing} ${this.report ? html`<ors-connection-report .report=${this.report}></ors-connection-report>` : nothing}
      <ors-remote-service-feedback
        .state=${this.serviceState}
        .busy=${this.busy}
        @start-service=${() => void this.startService()}
      ></ors-remote-service-feedback>
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
      ${error ? html`<span class="error" id="remoteAssistanceFeature-error">${errorText(error)}</span>` : nothing}
    </div>`;
  }

  private field(
    field: RemoteServiceField,
    label: string,
    value: string,
    onInput: (v: string) => void,
    options: { hint?: string; placeholder?: string; autocomplete?: string; inputmode?: string } = {},
  ): TemplateResult {
    const error = this.errors[field];
    return textField({ id: idOf(field), name: field, label, value, onInput, ...options, ...(error ? { error } : {}) });
  }

  /** A write-only secret: shows that one is set and offers "Change", never its value. */
  private secret(field: SecretField, label: string, isSet: boolean): TemplateResult {
    const error = this.errors[field];
    return secretField({
      id: idOf(field),
      label,
      isSet,
      changing: this.changing[field],
      value: this.secrets[field],
      onChange: () => (this.changing = { ...this.changing, [field]: true }),
      onInput: (v) => {
        this.secrets = { ...this.secrets, [field]: v };
        this.clearError(field);
      },
      texts: {
        set: msg('Set (not shown).', { id: 'remote.secret.set' }),
        change: msg('Change…', { id: 'remote.secret.change' }),
        hint: msg('Case-sensitive.', { id: 'remote.secret.caseSensitive' }),
      },
      ...(error ? { error } : {}),
    });
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
            : html`${t('remote-service.no-serial')}
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
      ${kindError ? html`<span class="error" id="orsAccount-kind-error">${errorText(kindError)}</span>` : nothing}
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
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-remote-service-dialog': RemoteServiceDialog;
  }
}
