/**
 * Property-sheet tabs as MMC shows them, following the WAI-ARIA tabs pattern: a tablist of tabs
 * (roving tabindex; ←/→ move and select, Home/End the first/last), each tab controlling its
 * tabpanel. Template functions rendered in the caller's id scope (aria-controls and
 * aria-labelledby must resolve there); the caller owns which tab is selected. Styles: tabStyles.
 */
import { css, html, type TemplateResult } from 'lit';

export interface TabInfo {
  readonly id: string;
  readonly label: string;
  /** A mark after the label (e.g. an error inside the panel), read with the label. */
  readonly mark?: string;
}

const tabId = (prefix: string, id: string): string => `${prefix}-tab-${id}`;
const panelId = (prefix: string, id: string): string => `${prefix}-panel-${id}`;

function onKey(e: KeyboardEvent, tabs: readonly TabInfo[], prefix: string, select: (id: string) => void): void {
  const i = tabs.findIndex((t) => tabId(prefix, t.id) === (e.target as HTMLElement).id);
  if (i < 0) return;
  const next = e.key === 'ArrowRight' ? (i + 1) % tabs.length : e.key === 'ArrowLeft' ? (i - 1 + tabs.length) % tabs.length : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : -1;
  if (next < 0) return;
  e.preventDefault();
  const id = tabs[next]!.id;
  select(id);
  // Focus follows selection (automatic activation); the tab exists already, only its tabindex changes.
  const root = (e.currentTarget as HTMLElement).getRootNode() as ParentNode;
  root.querySelector<HTMLElement>(`#${tabId(prefix, id)}`)?.focus();
}

/** The tablist: one tab per entry, `selected` marked; a click or the arrow keys call `select`. */
export function tabList(o: { readonly prefix: string; readonly label: string; readonly tabs: readonly TabInfo[]; readonly selected: string; readonly select: (id: string) => void }): TemplateResult {
  return html`<div role="tablist" aria-label=${o.label} class="tabs" @keydown=${(e: KeyboardEvent) => onKey(e, o.tabs, o.prefix, o.select)}>
    ${o.tabs.map((t) => {
      const on = t.id === o.selected;
      return html`<button
        type="button"
        role="tab"
        id=${tabId(o.prefix, t.id)}
        aria-selected=${on ? 'true' : 'false'}
        aria-controls=${panelId(o.prefix, t.id)}
        tabindex=${on ? 0 : -1}
        data-tab=${t.id}
        @click=${() => o.select(t.id)}
      >
        ${t.label}${t.mark ? html`<span class="tab-mark"> ${t.mark}</span>` : ''}
      </button>`;
    })}
  </div>`;
}

/** One tab's panel; the others stay in the document, hidden (their state and ids remain). */
export function tabPanel(prefix: string, id: string, selected: string, content: unknown): TemplateResult {
  return html`<div role="tabpanel" id=${panelId(prefix, id)} aria-labelledby=${tabId(prefix, id)} tabindex="0" ?hidden=${id !== selected} class="tabpanel">${content}</div>`;
}

export const tabStyles = css`
  .tabs {
    display: flex;
    gap: 2px;
    border-bottom: 1px solid var(--ors-border, #c8cbd0);
    margin-bottom: 8px;
    flex-wrap: wrap;
  }
  .tabs [role='tab'] {
    border: 1px solid transparent;
    border-bottom: none;
    border-radius: 4px 4px 0 0;
    background: transparent;
    padding: 4px 10px;
    margin-bottom: -1px;
    font: inherit;
    cursor: pointer;
  }
  .tabs [role='tab'][aria-selected='true'] {
    border-color: var(--ors-border, #c8cbd0);
    background: var(--ors-bg, #fff);
    font-weight: 600;
  }
  .tabs [role='tab']:focus-visible {
    outline: 2px solid var(--ors-focus, #0b57d0);
    outline-offset: -2px;
  }
  .tab-mark {
    color: var(--ors-error, #b3261e);
  }
  .tabpanel[hidden] {
    display: none;
  }
`;
