import { formStyles } from '../form-styles.js';
import { ServiceView } from '../service-view.js';
import { errorText, t } from '../../elements/l10n.js';
import { changedFields } from '../../elements/form-fields.js';
import { idOf, type FormEdit, type SecretEdit } from '../../elements/form-section.js';
import { tabList, tabPanel, tabStyles } from '../../elements/tabs.js';
import './account-section.js';
import './connection-report.js';
import './feedback-panel.js';
import './general-section.js';
import './organisation-section.js';
import './proxy-section.js';
import { css, html, nothing, type LitElement, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import type { Subscription } from 'rxjs';
import type { HostService } from '../../common/console-protocol.js';
import { CodedError, type ErrorInfo } from '../../common/errors.js';
import { REMOTE_ASSISTANCE_SERVICE, type PrerequisitesView, type RemoteAssistanceService } from '../../common/remote-assistance/api.js';
import type { Prerequisite } from '../../common/remote-assistance/prerequisites.js';
import { reportStaleness, type ConnectionTestReport } from '../../common/remote-service/connection-test.js';
import { fieldsMessage } from '../../common/remote-service/feedback.js';
import { REMOTE_SERVICE_SERVICE, type RemoteServiceService, type RemoteServiceStateView, type RemoteServiceView, type SerialView } from '../../common/remote-service/remote-service-api.js';
import { connectionTestErrors, validateRemoteService, type RemoteServiceFieldError } from '../../common/remote-service/settings-rules.js';
import type { Remote } from '../../common/rpc/protocol.js';
import { EMPTY_FORM, formOf, inputOf, NO_SECRETS, NOT_CHANGING, secretsInputOf, type FormState, type SecretField } from './form-model.js';

type Tab = 'general' | 'service' | 'proxy' | 'account';
const TABS: readonly Tab[] = ['general', 'service', 'proxy', 'account'];
const PREFIX = 'rs';

/** The tab each field is on (errors switch to it). */
function tabOfField(field: string): Tab {
  if (field.startsWith('proxy.')) return 'proxy';
  if (field.startsWith('orsAccount.')) return 'account';
  if (field === 'enabled' || field === 'remoteAssistanceFeature' || field === 'allowRemoteAssistance') return 'general';
  return 'service';
}

/** Where each unmet remote-assistance prerequisite is fixed within this dialog. */
const FIX_TARGET: Readonly<Record<Prerequisite['id'], { tab: Tab; focus: string } | undefined>> = {
  'license-update': { tab: 'service', focus: '#organisationId' },
  feature: { tab: 'general', focus: '#remoteAssistanceFeature' },
  proxy: { tab: 'proxy', focus: '#proxyMode-manual' },
  teamviewer: undefined, // the QuickSupport path is in the Remote assistance node's dialog
};

/**
 * Remote Service → property dialog (SPEC F3), as an MMC property sheet: tabs in the manual's order —
 * General ([Enable], [Remote Assistance], [Allow remote assistance] with its prerequisites), Remote
 * Service (organisation ID, verification code, serial number, back office), Proxy server, ORS
 * service account — then [Restart] and [Test connection] with their results right below them, and
 * Feedback. Each section is its own element; rules live in common/.
 */
@localized()
@customElement('ors-remote-service-dialog')
export class RemoteServiceDialog extends ServiceView {
  static override styles = [
    formStyles,
    tabStyles,
    css`
      :host {
        display: block;
        max-width: 72ch;
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
      ol.hops,
      ul.prereqs {
        padding-left: 1.4em;
        margin: 4px 0;
      }
      ul.prereqs {
        list-style: none;
        padding-left: 0;
      }
      ul.prereqs li {
        margin: 4px 0;
      }
      .met .mark {
        color: var(--ors-ok, #146c2e);
      }
      .unmet .mark {
        color: var(--ors-error, #b3261e);
      }
      button.link {
        background: none;
        border: none;
        padding: 0;
        color: var(--ors-link, #0b57d0);
        text-decoration: underline;
        cursor: pointer;
        font: inherit;
      }
      #result.shown {
        border-left: 3px solid var(--ors-border, #c8cbd0);
        padding-left: 8px;
        margin: 8px 0;
      }
      section.stale {
        color: var(--ors-fg-muted, #6b6f76);
      }
      .notice {
        border-left: 3px solid var(--ors-warning, #8a5300);
        padding: 2px 8px;
        margin: 8px 0;
      }
      code {
        font-family: var(--ors-mono, monospace);
        word-break: break-all;
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
      .visually-hidden {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
        white-space: nowrap;
      }
    `,
  ];

  @state() private view?: RemoteServiceView;
  @state() private serviceState?: RemoteServiceStateView;
  @state() private serial: SerialView = { kind: 'loading' };
  @state() private prerequisites?: PrerequisitesView;
  @state() private form: FormState = { ...EMPTY_FORM };
  @state() private secrets: Record<SecretField, string> = { ...NO_SECRETS };
  @state() private changing: Record<SecretField, boolean> = { ...NOT_CHANGING };
  @state() private errors: Partial<Record<string, ErrorInfo>> = {};
  @state() private report?: ConnectionTestReport;
  /** A setting changed since the report was made. */
  @state() private reportOutdated = false;
  @state() private busy?: 'testing' | 'restarting' | 'starting';
  @state() private message?: { kind: 'ok' | 'error'; text: string };
  @state() private tab: Tab = 'general';
  private baseline: FormState = EMPTY_FORM;
  /** Set when a result was produced: the next render brings it into view. */
  private revealResult = false;

  /** Done when the dialog and its sections, report and feedback have rendered. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    await Promise.all([...this.renderRoot.querySelectorAll<LitElement>('ors-rs-general, ors-rs-organisation, ors-rs-proxy, ors-rs-account, ors-remote-service-feedback, ors-connection-report')].map((e) => e.updateComplete));
    return done;
  }

  private get service(): Remote<RemoteServiceService> | undefined {
    return this.context?.service<RemoteServiceService>(REMOTE_SERVICE_SERVICE);
  }

  private get assistance(): Remote<RemoteAssistanceService> | undefined {
    return this.context?.service<RemoteAssistanceService>(REMOTE_ASSISTANCE_SERVICE);
  }

  get dirty(): boolean {
    return changedFields(this.form, this.baseline) || Object.values(this.secrets).some((s) => s !== '');
  }

  protected override follow(): Subscription[] {
    const service = this.service;
    if (!service) return [];
    const subs = [
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
    try {
      const prerequisites = this.assistance?.prerequisites$();
      if (prerequisites) subs.push(prerequisites.subscribe({ next: (p) => (this.prerequisites = p), error: () => (this.prerequisites = undefined) }));
    } catch {
      // A plugin side without remote assistance: the allow section says it is loading.
    }
    return subs;
  }

  private resetForm(v: RemoteServiceView): void {
    this.form = formOf(v);
    this.baseline = this.form;
    this.secrets = { ...NO_SECRETS };
    this.changing = { ...NOT_CHANGING };
    this.errors = {};
  }

  private validate(form: FormState = this.form): RemoteServiceFieldError[] {
    const v = this.view;
    const r = validateRemoteService(inputOf(form), secretsInputOf(this.secrets), {
      secretsSet: v?.secretsSet ?? { verificationCode: false, proxyPassword: false, orsAccountPassword: false },
      licenseServerRemote: v?.licenseServerRemote ?? false,
      form: true,
      ...(v ? { saved: v.settings, savedAccount: v.account } : {}),
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
    const savedAllow = this.view?.settings.allowRemoteAssistance ?? false;
    // Allowing remote assistance is the Remote assistance node's setting: it goes through its service, which checks the prerequisites.
    const allowNow = this.form.allowRemoteAssistance && !savedAllow;
    try {
      let view = await service.save(inputOf({ ...this.form, allowRemoteAssistance: this.form.allowRemoteAssistance && savedAllow }), this.view?.version ?? 0, secretsInputOf(this.secrets));
      if (allowNow) {
        const assistance = this.assistance;
        if (!assistance) throw new CodedError('remote-assistance.prerequisites-unmet', { unmet: '' }, { field: 'allowRemoteAssistance' });
        await assistance.allow(true, view.version).catch((e: ErrorInfo) => {
          throw { ...e, field: 'allowRemoteAssistance' };
        });
        view = { ...view, version: view.version + 1, settings: { ...view.settings, allowRemoteAssistance: true } };
      }
      this.view = view;
      this.resetForm(view);
    } catch (e) {
      const info = e as ErrorInfo;
      if (info.field) this.showErrors([info as RemoteServiceFieldError]);
      else this.errors = { form: info };
      throw e;
    }
  }

  /** Errors at their fields: the tab of the first one is shown and its field focused. */
  private showErrors(list: readonly (ErrorInfo & { field: string })[]): void {
    const errors: Partial<Record<string, ErrorInfo>> = {};
    for (const e of list) errors[e.field] ??= e;
    this.errors = errors;
    // Fields of a closed "change" secret open so that the error has a field to sit at.
    for (const f of ['verificationCode', 'proxy.password', 'orsAccount.password'] as const) if (errors[f]) this.changing = { ...this.changing, [f]: true };
    const first = list[0];
    if (first) this.tab = tabOfField(first.field);
    void this.updateComplete.then(() => {
      const el = first ? this.renderRoot.querySelector<HTMLElement>(`#${idOf(first.field)}`) : null;
      (el && el.getAttribute('aria-invalid') === 'true' ? el : this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]'))?.focus();
    });
  }

  private clearError(field: string): void {
    if (!this.errors[field] && !this.errors['form']) return;
    const { [field]: _gone, form: _form, ...rest } = this.errors;
    this.errors = rest;
  }

  private onEdit(e: CustomEvent<FormEdit>): void {
    const { key, value, field } = e.detail;
    this.form = { ...this.form, [key]: value } as FormState;
    this.clearError(field);
    this.settingChanged();
  }

  private onSecret(e: CustomEvent<SecretEdit>): void {
    const field = e.detail.field as SecretField;
    if (e.detail.value === undefined) this.changing = { ...this.changing, [field]: true };
    else {
      this.secrets = { ...this.secrets, [field]: e.detail.value };
      this.clearError(field);
      this.settingChanged();
    }
  }

  /** Any edit: a shown report is for the previous values now, and an old message no longer applies. */
  private settingChanged(): void {
    if (this.report) this.reportOutdated = true;
    this.message = undefined;
  }

  private async restart(): Promise<void> {
    const service = this.service;
    if (!service) return;
    this.message = undefined;
    try {
      await this.apply();
    } catch {
      return this.notTested(); // the errors are shown at their fields
    }
    this.busy = 'restarting';
    try {
      await service.restart();
      this.message = { kind: 'ok', text: t('remote-service.restart.done') };
    } catch (e) {
      this.message = { kind: 'error', text: errorText(e as ErrorInfo) };
    } finally {
      this.busy = undefined;
      this.revealResult = true;
    }
  }

  /** A click whose input is refused still ends in a visible reason, next to the buttons. */
  private notTested(): void {
    const fields = Object.keys(this.errors).filter((f) => f !== 'form');
    this.message = fields.length
      ? { kind: 'error', text: t('remote-service.fix-fields', { fields: fieldsMessage(fields) }) }
      : { kind: 'error', text: errorText(this.errors['form'] ?? { code: 'remote-service.fix-fields', params: { fields: [] } }) };
    this.revealResult = true;
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
      this.revealResult = true;
    } finally {
      this.busy = undefined;
    }
  }

  private async testConnection(): Promise<void> {
    const service = this.service;
    if (!service) return;
    const relevant = connectionTestErrors(this.validate({ ...this.form, enabled: true }));
    this.message = undefined;
    if (relevant.length) {
      this.showErrors(relevant);
      return this.notTested();
    }
    this.busy = 'testing';
    this.report = undefined;
    this.revealResult = true;
    try {
      this.report = await service.testConnection(inputOf(this.form), secretsInputOf(this.secrets));
      this.reportOutdated = false;
    } catch (e) {
      const info = e as ErrorInfo;
      if (info.field) {
        this.showErrors([info as RemoteServiceFieldError]);
        this.notTested();
      } else this.message = { kind: 'error', text: errorText(info) };
    } finally {
      this.busy = undefined;
      this.revealResult = true;
    }
  }

  private async selectLicenseServer(): Promise<void> {
    const host = this.context?.hostService<HostService>('host');
    const result = await host?.executeCommand('licenses.selectServer');
    // The console opens the Licenses dialog for a command result asking for it.
    if (result?.openProperties) this.openProperties(result.openProperties.nodeId, result.openProperties.itemId);
  }

  private openProperties(nodeId: string, itemId?: string): void {
    this.dispatchEvent(new CustomEvent('open-properties', { detail: { nodeId, ...(itemId ? { itemId } : {}) }, bubbles: true, composed: true }));
  }

  private fixPrerequisite(e: CustomEvent<Prerequisite>): void {
    const target = FIX_TARGET[e.detail.id];
    if (!target) return this.openProperties('remote-assistance', 'remote-assistance');
    this.tab = target.tab;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(target.focus)?.focus());
  }

  protected override updated(): void {
    super.updated();
    if (this.revealResult) {
      this.revealResult = false;
      // Results appear where the administrator is looking: next to the buttons, scrolled into view.
      this.renderRoot.querySelector('#result')?.scrollIntoView({ block: 'nearest' });
    }
  }

  // ---- rendering ---------------------------------------------------------------------------------

  private tabLabel(tab: Tab): string {
    switch (tab) {
      case 'general':
        return msg('General', { id: 'remote.tab.general' });
      case 'service':
        return msg('Remote Service', { id: 'remote.tab.service' });
      case 'proxy':
        return msg('Proxy server', { id: 'remote.tab.proxy' });
      case 'account':
        return msg('ORS service account', { id: 'remote.tab.account' });
    }
  }

  override render() {
    const f = this.form;
    const inactive = !this.view || !f.enabled;
    const withError = new Set(Object.keys(this.errors).filter((k) => k !== 'form').map(tabOfField));
    const section = { form: f, errors: this.errors, secrets: this.secrets, changing: this.changing };
    const secretsSet = {
      verificationCode: this.view?.secretsSet.verificationCode ?? false,
      'proxy.password': this.view?.secretsSet.proxyPassword ?? false,
      'orsAccount.password': this.view?.secretsSet.orsAccountPassword ?? false,
    };
    const connection = this.serviceState?.service.kind === 'running' ? this.serviceState.service.status?.connection : undefined;
    return html`<div @form-edit=${(e: CustomEvent<FormEdit>) => this.onEdit(e)} @secret-edit=${(e: CustomEvent<SecretEdit>) => this.onSecret(e)}>
      ${this.view ? nothing : html`<p role="status">${msg('Loading the current settings…', { id: 'remote.loading' })}</p>`}
      ${tabList({
        prefix: PREFIX,
        label: msg('Remote Service settings', { id: 'remote.tabs' }),
        tabs: TABS.map((id) => ({ id, label: this.tabLabel(id), ...(withError.has(id) ? { mark: msg('(error)', { id: 'remote.tab.error' }) } : {}) })),
        selected: this.tab,
        select: (id) => (this.tab = id as Tab),
      })}
      ${tabPanel(
        PREFIX,
        'general',
        this.tab,
        html`<ors-rs-general
          .form=${f}
          .errors=${this.errors}
          .loaded=${this.view !== undefined}
          .prerequisites=${this.prerequisites}
          @fix-prerequisite=${(e: CustomEvent<Prerequisite>) => this.fixPrerequisite(e)}
        ></ors-rs-general>`,
      )}
      ${tabPanel(
        PREFIX,
        'service',
        this.tab,
        html`<ors-rs-organisation
          .form=${section.form}
          .errors=${section.errors}
          .secrets=${section.secrets}
          .changing=${section.changing}
          .secretsSet=${secretsSet}
          .serial=${this.serial}
          ?disabled=${inactive}
          @select-license-server=${() => void this.selectLicenseServer()}
        ></ors-rs-organisation>`,
      )}
      ${tabPanel(
        PREFIX,
        'proxy',
        this.tab,
        html`<ors-rs-proxy .form=${section.form} .errors=${section.errors} .secrets=${section.secrets} .changing=${section.changing} .secretsSet=${secretsSet} ?disabled=${inactive}></ors-rs-proxy>`,
      )}
      ${tabPanel(
        PREFIX,
        'account',
        this.tab,
        html`<ors-rs-account .form=${section.form} .errors=${section.errors} .secrets=${section.secrets} .changing=${section.changing} .secretsSet=${secretsSet} ?disabled=${inactive}></ors-rs-account>`,
      )}
      <div class="actions">
        <button id="restart" ?disabled=${!this.view || this.busy !== undefined} aria-describedby="restart-hint" @click=${() => void this.restart()}>${msg('Restart', { id: 'remote.restart' })}</button>
        <button id="test" ?disabled=${inactive || this.busy !== undefined} aria-describedby="test-hint" @click=${() => void this.testConnection()}>${msg('Test connection', { id: 'remote.test' })}</button>
      </div>
      <p class="hint" id="restart-hint">${msg('Saves your changes and restarts the ORS service.', { id: 'remote.restart.hint' })}</p>
      <p class="hint" id="test-hint">${msg('Walks the ORS service’s path with the values above, up to the license at the back office.', { id: 'remote.test.hint' })}</p>
      ${this.renderResultRegion(connection)}
      <ors-remote-service-feedback .state=${this.serviceState} .busy=${this.busy} @start-service=${() => void this.startService()}></ors-remote-service-feedback>
    </div>`;
  }

  private renderResultRegion(connection: Parameters<typeof reportStaleness>[2]): TemplateResult {
    const parts = this.renderResult(connection);
    return html`<div id="result" class=${parts.length ? 'shown' : ''} aria-live="polite">${parts}</div>`;
  }

  private renderResult(connection: Parameters<typeof reportStaleness>[2]): TemplateResult[] {
    const out: TemplateResult[] = [];
    if (this.errors['form']) out.push(html`<p class="error" role="alert" id="form-error">${errorText(this.errors['form'])}</p>`);
    if (this.message) out.push(html`<p role=${this.message.kind === 'error' ? 'alert' : 'status'} id="message" class=${this.message.kind}>${this.message.text}</p>`);
    if (this.busy === 'testing') out.push(html`<p role="status" id="testing">${msg('Testing the connection…', { id: 'remote.testing' })}</p>`);
    if (this.report) {
      const stale = reportStaleness(this.report, this.reportOutdated, connection);
      out.push(html`<ors-connection-report .report=${this.report} .stale=${stale}></ors-connection-report>`);
    }
    return out;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-remote-service-dialog': RemoteServiceDialog;
  }
}
