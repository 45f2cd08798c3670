import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import type { ResultItem, TreeNodeInfo } from '../../common/console-protocol.js';
import { icon } from './icons.js';
import { errorText, text } from './l10n.js';
import { listTarget } from './list-keys.js';
import { tokens } from './theme.js';

/**
 * The result pane: the selected node's items in columns. Rows are reachable with the arrow keys
 * (roving tabindex); Enter or double-click opens an item's property dialog.
 */
@localized()
@customElement('ors-result-pane')
export class ResultPane extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        overflow: auto;
      }
      table {
        border-collapse: collapse;
        width: 100%;
      }
      th {
        text-align: left;
        font-weight: 600;
        border-bottom: 1px solid var(--ors-border);
        padding: 4px 8px;
        background: var(--ors-bg-alt);
      }
      td {
        padding: 4px 8px;
        border-bottom: 1px solid var(--ors-bg-alt);
      }
      tr[aria-selected='true'] td {
        background: var(--ors-selected);
      }
      .name {
        display: flex;
        gap: 6px;
        align-items: center;
      }
      .badge {
        border-radius: 8px;
        padding: 0 6px;
        font-size: 12px;
        border: 1px solid currentColor;
      }
      .badge.ok {
        color: var(--ors-ok);
      }
      .badge.info {
        color: var(--ors-info);
      }
      .badge.warning {
        color: var(--ors-warning);
      }
      .badge.error {
        color: var(--ors-error);
      }
      .empty,
      .fault {
        padding: 16px;
        color: var(--ors-fg-muted);
      }
      .fault {
        color: var(--ors-error);
      }
    `,
  ];

  @property({ attribute: false }) node?: TreeNodeInfo;
  @property({ attribute: false }) items: readonly ResultItem[] = [];
  @state() private selectedId = '';

  override render() {
    const node = this.node;
    if (!node) return html`<p class="empty">${msg('Select a node in the tree.', { id: 'result.select' })}</p>`;
    if (node.fault) {
      return html`<div class="fault" role="alert">
        <strong>${msg('This plugin could not be loaded.', { id: 'result.faulted' })}</strong>
        <p>${errorText(node.fault)}</p>
      </div>`;
    }
    const columns = node.columns.length ? node.columns : [{ id: 'name', label: msg('Name', { id: 'result.name' }) }];
    const focusId = this.items.some((i) => i.id === this.selectedId) ? this.selectedId : this.items[0]?.id;
    return html`<table role="grid" aria-label=${text(node.label)} @keydown=${this.onKeyDown}>
      <thead>
        <tr>
          ${columns.map((c) => html`<th scope="col">${text(c.label)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${this.items.length === 0
          ? html`<tr>
              <td class="empty" colspan=${columns.length}>${msg('There are no items to show in this view.', { id: 'result.empty' })}</td>
            </tr>`
          : this.items.map(
              (item) => html`<tr
                data-id=${item.id}
                aria-selected=${item.id === this.selectedId ? 'true' : 'false'}
                tabindex=${item.id === focusId ? 0 : -1}
                @click=${() => this.select(item.id)}
                @dblclick=${() => this.activate(item)}
                @contextmenu=${(e: MouseEvent) => this.menu(e, item)}
              >
                ${columns.map(
                  (c, i) => html`<td role="gridcell">
                    ${i === 0
                      ? html`<span class="name">${icon(item.icon)}<span>${text(item.cells[c.id])}</span></span>`
                      : c.id === 'state' && item.badge
                        ? html`<span class="badge ${item.badge.kind}">${text(item.badge.text)}</span>`
                        : text(item.cells[c.id])}
                  </td>`,
                )}
              </tr>`,
            )}
      </tbody>
    </table>`;
  }

  /** The item with keyboard focus or selection, for the toolbar's Properties verb. */
  get selectedItem(): ResultItem | undefined {
    return this.items.find((i) => i.id === this.selectedId);
  }

  private select(id: string): void {
    this.selectedId = id;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(id)}"]`)?.focus());
  }

  private activate(item: ResultItem): void {
    this.selectedId = item.id;
    this.dispatchEvent(new CustomEvent('item-activate', { detail: { item }, bubbles: true, composed: true }));
  }

  private menu(e: Event, item: ResultItem): void {
    e.preventDefault();
    this.selectedId = item.id;
    const row = this.renderRoot.querySelector(`tr[data-id="${CSS.escape(item.id)}"]`)?.getBoundingClientRect();
    const x = e instanceof MouseEvent && e.clientX ? e.clientX : (row?.left ?? 0) + 24;
    const y = e instanceof MouseEvent && e.clientY ? e.clientY : (row?.bottom ?? 0);
    this.dispatchEvent(new CustomEvent('item-context-menu', { detail: { item, x, y }, bubbles: true, composed: true }));
  }

  private onKeyDown(e: KeyboardEvent): void {
    const id = (e.target as HTMLElement).dataset['id'];
    const i = this.items.findIndex((x) => x.id === id);
    const item = this.items[i];
    if (!item) return;
    const target = listTarget(e.key, i, this.items.length);
    if (target !== undefined) {
      e.preventDefault();
      this.select(this.items[target]!.id);
      return;
    }
    switch (e.key) {
      case 'Enter':
        this.activate(item);
        break;
      case 'ContextMenu':
        this.menu(e, item);
        break;
      case 'F10':
        if (!e.shiftKey) return;
        this.menu(e, item);
        break;
      default:
        return;
    }
    e.preventDefault();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-result-pane': ResultPane;
  }
}
