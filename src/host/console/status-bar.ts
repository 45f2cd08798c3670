import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { ProgressInfo } from '../../common/console-protocol.js';
import type { ConnectionState } from '../../common/rpc/rpc-client.js';
import { icon } from './icons.js';
import { text } from './l10n.js';
import { tokens } from './theme.js';

/**
 * The status bar: the connection to the console's server, running operations (cancellable where
 * they allow it), the last status message, and the notification list's button with the number of
 * *unread* notifications.
 */
@localized()
@customElement('ors-status-bar')
export class StatusBar extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: flex;
        gap: 16px;
        align-items: center;
        padding: 2px 8px;
        border-top: 1px solid var(--ors-border);
        background: var(--ors-bg-alt);
        font-size: 13px;
      }
      .spacer {
        flex: 1;
      }
      button {
        padding: 0 8px;
        display: inline-flex;
        align-items: center;
        gap: 4px;
      }
      .offline {
        color: var(--ors-error);
      }
      .unread {
        font-weight: 600;
      }
    `,
  ];

  @property() connection: ConnectionState = 'connecting';
  @property({ attribute: false }) progress: readonly ProgressInfo[] = [];
  @property() status = '';
  @property({ type: Number }) unread = 0;
  @property({ type: Boolean }) listOpen = false;

  override render() {
    return html`<span role="status" class=${this.connection === 'open' ? '' : 'offline'}>
        ${this.connection === 'open' ? msg('Connected', { id: 'status.connected' }) : msg('Connection lost – reconnecting…', { id: 'status.reconnecting' })}
      </span>
      ${this.progress.map(
        (p) => html`<span role="progressbar" aria-label=${text(p.title)} aria-valuemin="0" aria-valuemax="100" aria-valuenow=${p.fraction === undefined ? nothing : Math.round(p.fraction * 100)}>
          ${text(p.title)}${p.fraction === undefined ? '' : ` ${Math.round(p.fraction * 100)} %`} ${text(p.message)}
          ${p.cancellable ? html`<button @click=${() => this.fire('progress-cancel', p.id)}>${msg('Cancel', { id: 'dialog.cancel' })}</button>` : nothing}
        </span>`,
      )}
      <span class="spacer" role="status" aria-live="polite">${this.status}</span>
      <button id="notifications-button" aria-pressed=${this.listOpen ? 'true' : 'false'} class=${this.unread ? 'unread' : ''} @click=${() => this.fire('notifications-toggle')}>
        ${icon('bell')}${this.unread
          ? msg(str`Notifications (${this.unread} unread)`, { id: 'status.notifications.unread' })
          : msg('Notifications', { id: 'notify.title' })}
      </button>`;
  }

  private fire(type: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-status-bar': StatusBar;
  }
}
