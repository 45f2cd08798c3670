import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import type { AttentionItem, TreeNodeInfo } from '../../common/console-protocol.js';
import { text } from './l10n.js';
import { tokens } from './theme.js';

/** A button of a banner item or of the start-up notice ran its command. */
export const ATTENTION_ACTION = 'notification-action';

/**
 * What waits for the administrator, at the top of the console (issue 13): a license to confirm, a
 * manual install, an expiry within 30 days, an expired license — each with its node and buttons,
 * until the plugin no longer reports it (handled). Not dismissable: it goes when it is done.
 */
@localized()
@customElement('ors-attention-banner')
export class AttentionBanner extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: block;
      }
      section {
        border-bottom: 1px solid var(--ors-border);
        background: #fff8e1;
        padding: 4px 8px;
      }
      h2 {
        font-size: 13px;
        margin: 2px 0 4px;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 10px;
        align-items: center;
        padding: 3px 0 3px 8px;
        border-left: 4px solid var(--ors-warning);
        margin: 3px 0;
      }
      li.error {
        border-left-color: var(--ors-error);
      }
      .node {
        font-weight: 600;
      }
      .detail {
        color: var(--ors-fg-muted);
        font-size: 12px;
        flex-basis: 100%;
      }
      .actions {
        display: flex;
        gap: 6px;
      }
      button {
        padding: 1px 8px;
      }
    `,
  ];

  @property({ attribute: false }) items: readonly AttentionItem[] = [];
  @property({ attribute: false }) nodes: readonly TreeNodeInfo[] = [];

  override render() {
    if (!this.items.length) return nothing;
    const nodeLabel = (id: string) => text(this.nodes.find((n) => n.id === id)?.label) || id;
    return html`<section aria-labelledby="attention-heading" id="attention">
      <h2 id="attention-heading">${msg('Waiting for you', { id: 'attention.heading' })}</h2>
      <ul>
        ${this.items.map(
          (a) => html`<li class=${a.severity} data-attention=${a.id} data-node=${a.nodeId}>
            <span class="node">${nodeLabel(a.nodeId)}:</span>
            <span id=${`attention-${cssId(a.id)}`}>${text(a.message)}</span>
            <span class="actions">
              ${a.actions.map(
                (x) => html`<button
                  data-action=${x.id}
                  aria-describedby=${`attention-${cssId(a.id)}`}
                  @click=${() => this.dispatchEvent(new CustomEvent(ATTENTION_ACTION, { detail: { command: x.command, args: x.args ?? [] }, bubbles: true, composed: true }))}
                >
                  ${text(x.title)}
                </button>`,
              )}
            </span>
            ${a.detail ? html`<span class="detail">${text(a.detail)}</span>` : nothing}
          </li>`,
        )}
      </ul>
    </section>`;
  }
}

/** An attention id as an id attribute (they may hold dots). */
export function cssId(id: string): string {
  return id.replace(/[^\w-]/g, '_');
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-attention-banner': AttentionBanner;
  }
}
