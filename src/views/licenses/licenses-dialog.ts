import { formStyles } from '../form-styles.js';
import { ServiceView } from '../service-view.js';
import { css, html, type LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { Subscription } from 'rxjs';
import { CodedError, type ErrorInfo } from '../../common/errors.js';
import { LICENSES_SERVICE, type LicensesService, type LicensesStatus, type SelectionView, type TestReport } from '../../common/license-server/licenses-api.js';
import { validateAccountPassword, validateLicenseServerInput, type LicenseServerField } from '../../common/license-server/selection.js';
import { errorText } from '../../elements/l10n.js';
import { changedFields } from '../../elements/form-fields.js';
import { idOf, type FormEdit, type SecretEdit } from '../../elements/form-section.js';
import { tabList, tabPanel, tabStyles } from '../../elements/tabs.js';
import type { Remote } from '../../common/rpc/protocol.js';
import { EMPTY_FORM, formOf, inputOf, type FormState } from './form-model.js';
import type { InstallConfirm, InstallQuestion } from './license-file.js';
import './installed-license.js';
import './license-file.js';
import './server-form.js';
import './update-panel.js';

type Tab = 'license' | 'server' | 'update';
const TABS: readonly Tab[] = ['license', 'server', 'update'];
const PREFIX = 'lic';

/**
 * Licenses → property dialog (SPEC F2, F5), as an MMC property sheet: License (what the selected
 * server serves, the next step when it serves nothing, [Install license file…]), License server
 * ([Select license server] with [Test]) and Automatic license update (what waits for the
 * administrator, the update loop, [Check now]). Each part is its own element; rules live in common/.
 */
@localized()
@customElement('ors-licenses-dialog')
export class LicensesDialog extends ServiceView {
  static override styles = [
    formStyles,
    tabStyles,
    css`
      :host {
        display: block;
        max-width: 68ch;
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
      .notice {
        border-left: 3px solid var(--ors-warning, #8a5300);
        padding: 2px 8px;
        margin: 8px 0;
      }
    `,
  ];

  /** The page to open on (a command may ask for one: 'server' for Select license server, 'update' for what waits). */
  @property() page?: string;
  @state() private status?: LicensesStatus;
  @state() private selection?: SelectionView;
  @state() private form: FormState = { ...EMPTY_FORM };
  @state() private password = '';
  @state() private changingPassword = false;
  @state() private errors: Partial<Record<string, ErrorInfo>> = {};
  @state() private report?: TestReport;
  @state() private testing = false;
  @state() private installMessage?: { kind: 'ok' | 'error'; text: string };
  @state() private question?: InstallQuestion;
  @state() private installing = false;
  @state() private tab: Tab = 'license';
  private pendingText?: string;
  private baseline: FormState = EMPTY_FORM;

  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    await Promise.all([...this.renderRoot.querySelectorAll<LitElement>('ors-installed-license, ors-license-server-form, ors-license-file, ors-license-update-panel')].map((e) => e.updateComplete));
    return done;
  }

  private get service(): Remote<LicensesService> | undefined {
    return this.context?.service<LicensesService>(LICENSES_SERVICE);
  }

  get dirty(): boolean {
    return changedFields(this.form, this.baseline) || this.password !== '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.page === 'server' || this.page === 'update') this.tab = this.page;
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

  private validate(): (ErrorInfo & { field: string })[] {
    const input = inputOf(this.form);
    const passwordGiven = this.password !== '';
    const r = validateLicenseServerInput(input, { passwordSet: this.selection?.accountPasswordSet ?? false, passwordGiven });
    const list: (ErrorInfo & { field: string })[] = r.ok ? [] : [...r.errors];
    if (passwordGiven) {
      const p = validateAccountPassword(this.password);
      if (p) list.push(p);
    }
    return list;
  }

  /** Validates at the fields, then saves through the RPC service (password to the secrets store only). */
  async apply(): Promise<void> {
    if (!this.dirty) return;
    const list = this.validate();
    if (list.length) {
      this.showErrors(list);
      const first = list[0]!;
      throw new CodedError(first.code, first.params ?? {}, { field: first.field });
    }
    const service = this.service;
    if (!service) throw new CodedError('licenses.no-server');
    try {
      const view = await service.select(inputOf(this.form), this.selection?.version ?? 0, this.password !== '' ? this.password : undefined);
      this.selection = view;
      this.resetForm(view);
    } catch (e) {
      const info = e as ErrorInfo;
      if (info.field) this.showErrors([info as ErrorInfo & { field: LicenseServerField }]);
      throw e;
    }
  }

  /** Errors at their fields: the License server page shows, the first field takes the focus. */
  private showErrors(list: readonly (ErrorInfo & { field: string })[]): void {
    const errors: Partial<Record<string, ErrorInfo>> = {};
    for (const e of list) errors[e.field] ??= e;
    this.errors = errors;
    if (errors['accountPassword']) this.changingPassword = true;
    this.tab = 'server';
    const first = list[0];
    void this.updateComplete.then(() => (first ? this.renderRoot.querySelector<HTMLElement>(`#${idOf(first.field)}`) : this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]'))?.focus());
  }

  private onEdit(e: CustomEvent<FormEdit>): void {
    const { key, value, field } = e.detail;
    this.form = { ...this.form, [key]: value } as FormState;
    if (this.errors[field]) {
      const { [field]: _gone, ...rest } = this.errors;
      this.errors = rest;
    }
    this.report = undefined;
  }

  private onSecret(e: CustomEvent<SecretEdit>): void {
    if (e.detail.value === undefined) this.changingPassword = true;
    else {
      this.password = e.detail.value;
      const { accountPassword: _gone, ...rest } = this.errors;
      this.errors = rest;
      this.report = undefined;
    }
  }

  private async runTest(): Promise<void> {
    const service = this.service;
    if (!service) return;
    const list = this.validate();
    if (list.length) return this.showErrors(list);
    this.testing = true;
    this.report = undefined;
    try {
      this.report = await service.test(inputOf(this.form), this.password !== '' ? this.password : undefined);
    } catch (e) {
      const info = e as ErrorInfo;
      if (info.field) this.showErrors([info as ErrorInfo & { field: string }]);
      else this.report = { ok: false, checks: [{ id: 'fls', result: 'failed', error: info }] };
    } finally {
      this.testing = false;
    }
  }

  private async install(text: string, confirm: InstallConfirm = {}): Promise<void> {
    const service = this.service;
    if (!service) return;
    this.installMessage = undefined;
    this.question = undefined;
    this.installing = true;
    try {
      const r = await service.installFile(text, confirm.confirmWorse === true, confirm.replaceInstallation === true);
      this.pendingText = undefined;
      this.installMessage = { kind: 'ok', text: msg(str`License ${r.serial} installed as ${r.file}.`, { id: 'licenses.install.done' }) };
    } catch (err) {
      const info = err as ErrorInfo;
      this.pendingText = text;
      if (info.code === 'license.worse') this.question = { kind: 'worse' };
      else if (info.code === 'license.other-installation') this.question = { kind: 'other-installation', serial: String(info.params?.['serial'] ?? ''), installed: String(info.params?.['installed'] ?? '') };
      this.installMessage = { kind: 'error', text: errorText(info) };
    } finally {
      this.installing = false;
    }
  }

  private confirmInstall(e: CustomEvent<InstallConfirm>): void {
    if (this.pendingText !== undefined) void this.install(this.pendingText, e.detail);
  }

  private nextStep(e: CustomEvent<'install' | 'server'>): void {
    if (e.detail === 'server') {
      this.tab = 'server';
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#kind-local')?.focus());
    } else void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#license-file')?.focus());
  }

  // ---- rendering ---------------------------------------------------------------------------------

  private tabLabel(tab: Tab): string {
    switch (tab) {
      case 'license':
        return msg('License', { id: 'licenses.tab.license' });
      case 'server':
        return msg('License server', { id: 'licenses.tab.server' });
      case 'update':
        return msg('Automatic license update', { id: 'licenses.tab.update' });
    }
  }

  override render() {
    const serverError = Object.keys(this.errors).length > 0;
    return html`<div @form-edit=${(e: CustomEvent<FormEdit>) => this.onEdit(e)} @secret-edit=${(e: CustomEvent<SecretEdit>) => this.onSecret(e)}>
      ${tabList({
        prefix: PREFIX,
        label: msg('Licenses', { id: 'licenses.tabs' }),
        tabs: TABS.map((id) => ({ id, label: this.tabLabel(id), ...(id === 'server' && serverError ? { mark: msg('(error)', { id: 'licenses.tab.error' }) } : {}) })),
        selected: this.tab,
        select: (id) => (this.tab = id as Tab),
      })}
      ${tabPanel(
        PREFIX,
        'license',
        this.tab,
        html`<ors-installed-license .status=${this.status} @next-step=${(e: CustomEvent<'install' | 'server'>) => this.nextStep(e)}></ors-installed-license>
          <ors-license-file
            .message=${this.installMessage}
            .question=${this.question}
            .busy=${this.installing}
            @install-file=${(e: CustomEvent<string>) => void this.install(e.detail)}
            @install-confirm=${(e: CustomEvent<InstallConfirm>) => this.confirmInstall(e)}
            @install-cancel=${() => {
              this.question = undefined;
              this.pendingText = undefined;
              this.installMessage = undefined;
            }}
          ></ors-license-file>`,
      )}
      ${tabPanel(
        PREFIX,
        'server',
        this.tab,
        html`<ors-license-server-form
          .form=${this.form}
          .errors=${this.errors}
          .secrets=${{ accountPassword: this.password }}
          .changing=${{ accountPassword: this.changingPassword }}
          .secretsSet=${{ accountPassword: this.selection?.accountPasswordSet ?? false }}
          .report=${this.report}
          .testing=${this.testing}
          @test-server=${() => void this.runTest()}
        ></ors-license-server-form>`,
      )}
      ${tabPanel(PREFIX, 'update', this.tab, html`<ors-license-update-panel .context=${this.context}></ors-license-update-panel>`)}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-licenses-dialog': LicensesDialog;
  }
}
