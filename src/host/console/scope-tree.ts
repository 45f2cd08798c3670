import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { TreeNodeInfo } from '../../common/console-protocol.js';
import { icon } from './icons.js';
import { text } from './l10n.js';
import { listTarget } from './list-keys.js';
import { tokens } from './theme.js';

interface Row {
  readonly node: TreeNodeInfo;
  readonly level: number;
  readonly hasChildren: boolean;
}

const TYPEAHEAD_MS = 600;

/** What waits for the administrator on a node: how many items, and the worst severity. */
export interface NodeBadge {
  readonly count: number;
  readonly severity: 'warning' | 'error';
}

/**
 * The scope pane: a WAI-ARIA tree (roving tabindex; arrows, Home/End, Enter = default verb,
 * type-ahead, Shift+F10 for the context menu). Selection follows focus, as in MMC.
 */
@localized()
@customElement('ors-scope-tree')
export class ScopeTree extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        overflow: auto;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 4px 0;
      }
      [role='treeitem'] {
        display: flex;
        align-items: center;
        gap: 6px;
        padding: 3px 8px;
        cursor: default;
        user-select: none;
        white-space: nowrap;
      }
      /* Indentation by level in CSS: a style attribute would break the strict CSP. */
      [aria-level='2'] {
        padding-left: 24px;
      }
      [aria-level='3'] {
        padding-left: 40px;
      }
      [aria-level='4'] {
        padding-left: 56px;
      }
      [role='treeitem'][aria-selected='true'] {
        background: var(--ors-selected);
      }
      .twisty {
        width: 12px;
        display: inline-block;
        text-align: center;
        color: var(--ors-fg-muted);
      }
      .fault {
        color: var(--ors-error);
      }
      .badge {
        min-width: 16px;
        padding: 0 5px;
        border-radius: 8px;
        font-size: 11px;
        line-height: 16px;
        text-align: center;
        color: #fff;
        background: var(--ors-warning);
      }
      .badge.error {
        background: var(--ors-error);
      }
    `,
  ];

  @property({ attribute: false }) nodes: readonly TreeNodeInfo[] = [];
  @property() selectedId = '';
  @property({ attribute: false }) badges: Readonly<Record<string, NodeBadge>> = {};
  @state() private expanded = new Set<string>();
  @state() private focusedId = '';
  private typed = '';
  private typedAt = 0;

  override render() {
    const rows = this.rows();
    const focused = rows.some((r) => r.node.id === this.focusedId) ? this.focusedId : (this.selectedId || rows[0]?.node.id);
    return html`<ul role="tree" aria-label=${msg('Console tree', { id: 'tree.label' })} @keydown=${this.onKeyDown}>
      ${rows.map(
        (r) => html`<li
          role="treeitem"
          id=${`node-${r.node.id}`}
          data-id=${r.node.id}
          aria-level=${r.level}
          aria-selected=${r.node.id === this.selectedId ? 'true' : 'false'}
          aria-expanded=${r.hasChildren ? String(this.expanded.has(r.node.id)) : nothing}
          tabindex=${r.node.id === focused ? 0 : -1}
          @click=${() => this.select(r.node.id)}
          @dblclick=${() => this.fire('node-activate', r.node.id)}
          @contextmenu=${(e: MouseEvent) => this.openMenu(e, r.node.id)}
        >
          <span class="twisty" aria-hidden="true">${r.hasChildren ? (this.expanded.has(r.node.id) ? '▾' : '▸') : ''}</span>
          ${icon(r.node.fault ? 'warning' : r.node.icon)}
          <span class=${r.node.fault ? 'fault' : ''}>${text(r.node.label)}</span>
          ${r.node.fault ? html`<span class="visually-hidden">${msg('(failed to load)', { id: 'tree.faulted' })}</span>` : nothing}
          ${this.badge(r.node.id)}
        </li>`,
      )}
    </ul>`;
  }

  /** The count of what waits on a node, read with its name ("Licenses, 1 waiting for you"). */
  private badge(id: string) {
    const b = this.badges[id];
    if (!b) return nothing;
    return html`<span class="badge ${b.severity}" data-badge=${b.count} aria-hidden="true">${b.count}</span><span class="visually-hidden">${msg(str`, ${b.count} waiting for you`, { id: 'tree.badge' })}</span>`;
  }

  /** Moves keyboard focus into the tree (to the selected node). */
  override focus(): void {
    this.itemElement(this.focusedId || this.selectedId || this.rows()[0]?.node.id)?.focus();
  }

  private rows(): Row[] {
    const children = new Map<string | undefined, TreeNodeInfo[]>();
    const ids = new Set(this.nodes.map((n) => n.id));
    for (const n of this.nodes) {
      const parent = n.parent && ids.has(n.parent) ? n.parent : undefined;
      children.set(parent, [...(children.get(parent) ?? []), n]);
    }
    const out: Row[] = [];
    const walk = (parent: string | undefined, level: number): void => {
      for (const node of children.get(parent) ?? []) {
        const hasChildren = (children.get(node.id)?.length ?? 0) > 0;
        out.push({ node, level, hasChildren });
        if (hasChildren && this.expanded.has(node.id)) walk(node.id, level + 1);
      }
    };
    walk(undefined, 1);
    return out;
  }

  private select(id: string, focus = true): void {
    this.focusedId = id;
    if (id !== this.selectedId) this.fire('node-select', id);
    if (focus) void this.updateComplete.then(() => this.itemElement(id)?.focus());
  }

  private onKeyDown(e: KeyboardEvent): void {
    const rows = this.rows();
    const id = (e.target as HTMLElement).dataset['id'] ?? '';
    const i = rows.findIndex((r) => r.node.id === id);
    const row = rows[i];
    if (!row) return;
    const go = (j: number): void => {
      const target = rows[j];
      if (target) this.select(target.node.id);
    };
    const target = listTarget(e.key, i, rows.length);
    if (target !== undefined) {
      e.preventDefault();
      go(target);
      return;
    }
    switch (e.key) {
      case 'ArrowRight':
        if (row.hasChildren && !this.expanded.has(id)) this.expanded = new Set([...this.expanded, id]);
        else if (row.hasChildren) go(i + 1);
        break;
      case 'ArrowLeft':
        if (row.hasChildren && this.expanded.has(id)) this.expanded = new Set([...this.expanded].filter((x) => x !== id));
        else if (row.node.parent) this.select(row.node.parent);
        break;
      case 'Enter':
        this.fire('node-activate', id);
        break;
      case 'F10':
        if (!e.shiftKey) return;
        this.openMenu(e, id);
        break;
      case 'ContextMenu':
        this.openMenu(e, id);
        break;
      default:
        if (e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey && e.key !== ' ') {
          this.typeAhead(rows, i, e.key);
          break;
        }
        return;
    }
    e.preventDefault();
  }

  private typeAhead(rows: Row[], from: number, key: string): void {
    const now = Date.now();
    this.typed = now - this.typedAt > TYPEAHEAD_MS ? key.toLowerCase() : this.typed + key.toLowerCase();
    this.typedAt = now;
    // A repeated single letter cycles through the matches; a longer prefix searches from the current node.
    const start = this.typed.length === 1 ? from + 1 : from;
    for (let k = 0; k < rows.length; k++) {
      const r = rows[(start + k) % rows.length]!;
      if (text(r.node.label).toLowerCase().startsWith(this.typed)) {
        this.select(r.node.id);
        return;
      }
    }
  }

  private openMenu(e: Event, id: string): void {
    e.preventDefault();
    this.select(id, false);
    const el = this.itemElement(id);
    const rect = el?.getBoundingClientRect();
    const x = e instanceof MouseEvent && e.clientX ? e.clientX : (rect?.left ?? 0) + 24;
    const y = e instanceof MouseEvent && e.clientY ? e.clientY : (rect?.bottom ?? 0);
    this.dispatchEvent(new CustomEvent('node-context-menu', { detail: { id, x, y }, bubbles: true, composed: true }));
  }

  private itemElement(id: string | undefined): HTMLElement | null {
    return id ? this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"]`) : null;
  }

  private fire(type: string, id: string): void {
    this.dispatchEvent(new CustomEvent(type, { detail: { id }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-scope-tree': ScopeTree;
  }
}
