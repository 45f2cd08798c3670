import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';

/** A file was chosen (`detail`: its text). */
export const INSTALL_FILE = 'install-file';
/** The administrator confirmed what the last attempt asked for. */
export const INSTALL_CONFIRM = 'install-confirm';
export const INSTALL_CANCEL = 'install-cancel';

/** What the last install attempt needs from the administrator before it may go on. */
export type InstallQuestion = { readonly kind: 'worse' } | { readonly kind: 'other-installation'; readonly serial: string; readonly installed: string };

export interface InstallConfirm {
  readonly confirmWorse?: boolean;
  readonly replaceInstallation?: boolean;
}

/**
 * [Install license file…]: the file is checked like an automatic update before anything is touched.
 * A license that takes something away asks [Install anyway]; a license for another installation's
 * serial number is refused (both named) and can replace this installation's license only after an
 * explicit choice and a confirmation. Light DOM: the dialog's styles and id scope.
 */
@localized()
@customElement('ors-license-file')
export class LicenseFile extends LitElement {
  @property({ attribute: false }) message?: { readonly kind: 'ok' | 'error'; readonly text: string };
  @property({ attribute: false }) question?: InstallQuestion;
  @property({ type: Boolean }) busy = false;
  /** The replacement was chosen and now waits for its confirmation. */
  @state() private replacing = false;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('question') && this.question?.kind !== 'other-installation') this.replacing = false;
  }

  private async chosen(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const text = await file.text();
    input.value = '';
    this.replacing = false;
    this.dispatchEvent(new CustomEvent(INSTALL_FILE, { detail: text, bubbles: true, composed: true }));
  }

  private confirm(detail: InstallConfirm): void {
    this.replacing = false;
    this.dispatchEvent(new CustomEvent<InstallConfirm>(INSTALL_CONFIRM, { detail, bubbles: true, composed: true }));
  }

  private cancel(): void {
    this.replacing = false;
    this.dispatchEvent(new CustomEvent(INSTALL_CANCEL, { bubbles: true, composed: true }));
  }

  override render(): TemplateResult {
    return html`<section aria-labelledby="install-heading">
      <h3 id="install-heading">${msg('Install license file', { id: 'licenses.install.heading' })}</h3>
      <div class="field">
        <label for="license-file">${msg('Install license file…', { id: 'licenses.install' })}</label>
        <input id="license-file" type="file" accept=".lic,.txt,text/plain" aria-describedby="install-hint" ?disabled=${this.busy} @change=${(e: Event) => void this.chosen(e)} />
        <span class="hint" id="install-hint">${msg('The file is checked like an automatic update before it is installed on the selected license server.', { id: 'licenses.install.hint' })}</span>
      </div>
      <div id="install-result" aria-live="polite">
        ${this.message ? html`<p role=${this.message.kind === 'error' ? 'alert' : 'status'} id="install-message" class=${this.message.kind === 'ok' ? 'ok' : 'error'}>${this.message.text}</p>` : nothing}
        ${this.renderQuestion()}
      </div>
    </section>`;
  }

  private renderQuestion(): TemplateResult | typeof nothing {
    const q = this.question;
    if (!q) return nothing;
    if (q.kind === 'worse') {
      return html`<div class="actions">
        <button type="button" id="install-anyway" aria-describedby="install-message" ?disabled=${this.busy} @click=${() => this.confirm({ confirmWorse: true })}>
          ${msg('Install anyway', { id: 'licenses.install.confirm' })}
        </button>
      </div>`;
    }
    if (!this.replacing) {
      return html`<div class="actions">
        <button type="button" id="replace-installation" aria-describedby="install-message" ?disabled=${this.busy} @click=${() => (this.replacing = true)}>
          ${msg('Replace this installation’s license…', { id: 'licenses.replace' })}
        </button>
      </div>`;
    }
    return html`<div id="replace-confirm" class="notice" role="group" aria-labelledby="replace-question">
      <p id="replace-question" class="warning">
        ${msg(str`Replace the license of serial number ${q.installed} by the license for serial number ${q.serial}? The license server then serves ${q.serial} only; the replaced license is kept in its history folder.`, { id: 'licenses.replace.question' })}
      </p>
      <div class="actions">
        <button type="button" id="replace-confirm-yes" class="primary" ?disabled=${this.busy} @click=${() => this.confirm({ replaceInstallation: true })}>
          ${msg('Replace the license', { id: 'licenses.replace.yes' })}
        </button>
        <button type="button" id="replace-confirm-no" @click=${() => this.cancel()}>${msg('Keep the installed license', { id: 'licenses.replace.no' })}</button>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-license-file': LicenseFile;
  }
}
