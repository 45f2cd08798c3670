import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { DIRTY_CHANGE, type BrowserPluginContext, type PropertyViewElement } from '../../common/browser-plugin-api.js';
import { deepActiveElement, focusableWithin, trapTab } from './focus.js';
import { errorText } from './l10n.js';
import { tokens } from './theme.js';

/**
 * The modal frame of a property dialog: title, the plugin's view element, OK / Cancel / Apply.
 * Focus is trapped inside, Escape cancels, Apply is enabled only while the view is dirty, and an
 * error from apply() keeps the dialog open (the view shows field errors at the field).
 */
@localized()
@customElement('ors-property-dialog')
export class PropertyDialog extends LitElement {
  static override styles = [
    tokens,
    css`
      dialog {
        padding: 0;
        border: 1px solid var(--ors-border);
        border-radius: 6px;
        min-width: 420px;
        max-width: min(720px, 95vw);
        box-shadow: 0 8px 28px rgb(0 0 0 / 25%);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 25%);
      }
      header {
        padding: 10px 16px;
        font-weight: 600;
        border-bottom: 1px solid var(--ors-border);
        background: var(--ors-bg-alt);
      }
      .body {
        padding: 16px;
        max-height: 70vh;
        overflow: auto;
      }
      footer {
        display: flex;
        justify-content: flex-end;
        gap: var(--ors-gap);
        padding: 10px 16px;
        border-top: 1px solid var(--ors-border);
      }
      .error {
        color: var(--ors-error);
        margin: 0 16px;
      }
      .missing {
        color: var(--ors-error);
      }
    `,
  ];

  @property() heading = '';
  @property() element = '';
  @property({ attribute: false }) context?: BrowserPluginContext;
  @property() nodeId = '';
  @property() itemId = '';
  /** The page (tab) of the view to open on, when a command asked for one. */
  @property() page = '';
  @state() private dirty = false;
  @state() private busy = false;
  @state() private error = '';
  @query('dialog') private dialog!: HTMLDialogElement;
  private view?: PropertyViewElement;
  private returnFocus?: HTMLElement;

  override render() {
    return html`<dialog aria-labelledby="title" @keydown=${this.onKeyDown} @cancel=${this.onCancelEvent}>
      <header id="title">${this.heading}</header>
      <div class="body">${this.view ?? html`<p class="missing" role="alert">${msg('This dialog cannot be shown: its plugin did not load.', { id: 'dialog.missing' })}</p>`}</div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <footer>
        <button class="primary" ?disabled=${this.busy} @click=${() => this.ok()}>${msg('OK', { id: 'dialog.ok' })}</button>
        <button ?disabled=${this.busy} @click=${() => this.close()}>${msg('Cancel', { id: 'dialog.cancel' })}</button>
        <button ?disabled=${!this.dirty || this.busy} @click=${() => this.apply()}>${msg('Apply', { id: 'dialog.apply' })}</button>
      </footer>
    </dialog>`;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('element') || changed.has('context') || changed.has('nodeId') || changed.has('itemId') || changed.has('page')) this.createView();
  }

  override firstUpdated(): void {
    this.returnFocus = deepActiveElement() as HTMLElement | undefined;
    this.dialog.showModal();
    void this.updateComplete.then(async () => {
      await (this.view as unknown as LitElement | undefined)?.updateComplete;
      const first = focusableWithin(this.dialog)[0];
      first?.focus();
    });
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  async apply(): Promise<boolean> {
    if (!this.view || !this.dirty) return true;
    this.busy = true;
    this.error = '';
    try {
      await this.view.apply();
      this.dirty = this.view.dirty;
      return true;
    } catch (e) {
      // Field errors are shown at the field by the view; others here.
      if (!(e as { field?: string }).field) this.error = errorText(e);
      return false;
    } finally {
      this.busy = false;
    }
  }

  async ok(): Promise<void> {
    if (await this.apply()) this.close();
  }

  close(): void {
    if (this.dialog?.open) this.dialog.close();
    this.dispatchEvent(new CustomEvent('dialog-close', { bubbles: true, composed: true }));
    this.returnFocus?.focus();
  }

  private createView(): void {
    this.view?.removeEventListener(DIRTY_CHANGE, this.onDirty);
    this.view = undefined;
    if (!this.element || !customElements.get(this.element)) return;
    const view = document.createElement(this.element) as PropertyViewElement;
    if (this.context) view.context = this.context;
    view.nodeId = this.nodeId;
    view.itemId = this.itemId;
    if (this.page) view.page = this.page;
    view.addEventListener(DIRTY_CHANGE, this.onDirty);
    this.view = view;
    this.dirty = false;
  }

  private readonly onDirty = (): void => {
    this.dirty = this.view?.dirty ?? false;
    this.error = '';
  };

  private onCancelEvent(e: Event): void {
    e.preventDefault();
    this.close();
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.close();
      return;
    }
    trapTab(e, this.dialog);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-property-dialog': PropertyDialog;
  }
}
