import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { listTarget } from './list-keys.js';
import { tokens } from './theme.js';

export interface MenuEntry {
  readonly id: string;
  readonly label: string;
  readonly disabled?: boolean;
  /** For radio-like entries (e.g. the language). */
  readonly checked?: boolean;
}

/**
 * A popup menu (WAI-ARIA menu): arrows, Home/End, Enter/Space choose, Escape or Tab close.
 * Fires `menu-choose` {id} or `menu-close`.
 */
@customElement('ors-popup-menu')
export class PopupMenu extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        position: fixed;
        z-index: 20;
      }
      [role='menu'] {
        background: var(--ors-bg);
        border: 1px solid var(--ors-border);
        border-radius: var(--ors-radius);
        box-shadow: 0 4px 16px rgb(0 0 0 / 20%);
        padding: 4px 0;
        min-width: 180px;
        margin: 0;
        list-style: none;
      }
      [role^='menuitem'] {
        padding: 4px 16px 4px 28px;
        cursor: default;
        position: relative;
      }
      [role^='menuitem']:focus {
        background: var(--ors-selected);
        outline: none;
      }
      [aria-disabled='true'] {
        color: var(--ors-fg-muted);
      }
      [aria-checked='true']::before {
        content: '✓';
        position: absolute;
        left: 10px;
      }
    `,
  ];

  @property({ attribute: false }) entries: readonly MenuEntry[] = [];
  @property() label = '';
  @property({ type: Number }) x = 0;
  @property({ type: Number }) y = 0;

  override render() {
    this.style.left = `${this.x}px`;
    this.style.top = `${this.y}px`;
    return html`<ul role="menu" aria-label=${this.label} @keydown=${this.onKeyDown} @focusout=${this.onFocusOut}>
      ${this.entries.map(
        (e) => html`<li
          role=${e.checked === undefined ? 'menuitem' : 'menuitemradio'}
          aria-checked=${e.checked === undefined ? 'false' : String(e.checked)}
          aria-disabled=${e.disabled ? 'true' : 'false'}
          tabindex="-1"
          data-id=${e.id}
          @click=${() => this.choose(e)}
        >
          ${e.label}
        </li>`,
      )}
    </ul>`;
  }

  override firstUpdated(): void {
    this.items()[0]?.focus();
  }

  private items(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('[role^="menuitem"]')];
  }

  private choose(e: MenuEntry): void {
    if (e.disabled) return;
    this.dispatchEvent(new CustomEvent('menu-choose', { detail: { id: e.id }, bubbles: true, composed: true }));
  }

  private close(): void {
    this.dispatchEvent(new CustomEvent('menu-close', { bubbles: true, composed: true }));
  }

  private onFocusOut(e: FocusEvent): void {
    if (!this.renderRoot.contains(e.relatedTarget as Node | null)) this.close();
  }

  private onKeyDown(e: KeyboardEvent): void {
    const items = this.items();
    const i = items.indexOf(e.target as HTMLElement);
    const entry = this.entries[i];
    const target = listTarget(e.key, i, items.length, true);
    if (target !== undefined) {
      e.preventDefault();
      items[target]?.focus();
      return;
    }
    switch (e.key) {
      case 'Enter':
      case ' ':
        if (entry) this.choose(entry);
        break;
      case 'Escape':
      case 'Tab':
        this.close();
        break;
      case 'ArrowLeft':
      case 'ArrowRight':
        this.dispatchEvent(new CustomEvent('menu-move', { detail: { dir: e.key === 'ArrowLeft' ? -1 : 1 }, bubbles: true, composed: true }));
        break;
      default:
        return;
    }
    e.preventDefault();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-popup-menu': PopupMenu;
  }
}
