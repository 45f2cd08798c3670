import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import type { AttentionItem } from '../../common/console-protocol.js';
import { ATTENTION_ACTION, cssId } from './attention-banner.js';
import { trapTab } from './focus.js';
import { text } from './l10n.js';
import { modalDialog, tokens } from './theme.js';

/**
 * The notice at console start (issue 13; sibling manuals: a notice at login): an expired license or
 * a license waiting for confirmation, with its buttons. A modal dialog — focus stays inside, Escape
 * or [Close] dismisses it; the banner keeps showing what is still open.
 */
@localized()
@customElement('ors-startup-notice')
export class StartupNotice extends LitElement {
  static override styles = [
    tokens,
    modalDialog,
    css`
      dialog {
        min-width: 380px;
        max-width: min(640px, 95vw);
      }
      ul {
        padding-left: 18px;
      }
      li {
        margin: 6px 0;
      }
      .detail {
        color: var(--ors-fg-muted);
        font-size: 13px;
      }
      .actions,
      footer {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
        margin-top: 6px;
      }
      footer {
        justify-content: flex-end;
        margin-top: 12px;
      }
    `,
  ];

  @property({ attribute: false }) items: readonly AttentionItem[] = [];
  @query('dialog') private dialog!: HTMLDialogElement;

  override render() {
    return html`<dialog aria-labelledby="notice-title" aria-describedby="notice-intro" @keydown=${this.onKeyDown} @close=${() => this.dispatchEvent(new CustomEvent('notice-close', { bubbles: true, composed: true }))}>
      <h2 id="notice-title">${msg('Please note', { id: 'notice.title' })}</h2>
      <p id="notice-intro">${msg('Something waits for your decision:', { id: 'notice.intro' })}</p>
      <ul>
        ${this.items.map(
          (a) => html`<li data-notice=${a.id}>
            <span id=${`notice-${cssId(a.id)}`}>${text(a.message)}</span>
            ${a.detail ? html`<div class="detail">${text(a.detail)}</div>` : nothing}
            <div class="actions">
              ${a.actions.map(
                (x) => html`<button data-action=${x.id} aria-describedby=${`notice-${cssId(a.id)}`} @click=${() => this.act(x.command, x.args ?? [])}>${text(x.title)}</button>`,
              )}
            </div>
          </li>`,
        )}
      </ul>
      <footer><button class="primary" id="notice-close" @click=${() => this.dialog.close()}>${msg('Close', { id: 'dialog.close' })}</button></footer>
    </dialog>`;
  }

  override firstUpdated(): void {
    this.dialog.showModal();
    this.renderRoot.querySelector<HTMLElement>('#notice-close')?.focus();
  }

  /** Tab and Shift+Tab wrap inside the notice (the native modal would also let focus leave to the browser). */
  private onKeyDown(e: KeyboardEvent): void {
    trapTab(e, this.dialog);
  }

  /** A button runs its command and closes the notice (the banner shows what remains). */
  private act(command: string, args: readonly unknown[]): void {
    this.dispatchEvent(new CustomEvent(ATTENTION_ACTION, { detail: { command, args }, bubbles: true, composed: true }));
    this.dialog.close();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-startup-notice': StartupNotice;
  }
}
