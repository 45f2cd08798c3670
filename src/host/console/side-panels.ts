import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import type { AboutSection, LogEntry, NotificationInfo } from '../../common/console-protocol.js';
import { formatDateTime } from '../../common/format/formatter.js';
import { uiLocale } from '../../elements/l10n.js';
import { text } from './l10n.js';
import { modalDialog, tokens } from './theme.js';

/** The notification list: newest first, with actions and Dismiss; persisted by the host. */
@localized()
@customElement('ors-notification-list')
export class NotificationList extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        border-left: 1px solid var(--ors-border);
        background: var(--ors-bg);
        overflow: auto;
        padding: 8px;
        width: 340px;
      }
      h2 {
        font-size: 15px;
        margin: 0 0 8px;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        border: 1px solid var(--ors-border);
        border-left-width: 4px;
        border-radius: var(--ors-radius);
        padding: 6px 8px;
        margin-bottom: 6px;
      }
      li.info {
        border-left-color: var(--ors-info);
      }
      li.warning {
        border-left-color: var(--ors-warning);
      }
      li.error {
        border-left-color: var(--ors-error);
      }
      .meta {
        color: var(--ors-fg-muted);
        font-size: 12px;
      }
      .actions {
        display: flex;
        gap: 6px;
        margin-top: 6px;
      }
    `,
  ];

  @property({ attribute: false }) notifications: readonly NotificationInfo[] = [];

  override render() {
    const severity = { info: msg('Information', { id: 'notify.info' }), warning: msg('Warning', { id: 'notify.warning' }), error: msg('Error', { id: 'notify.error' }) };
    return html`<section aria-labelledby="h">
      <h2 id="h">${msg('Notifications', { id: 'notify.title' })}</h2>
      ${this.notifications.length === 0
        ? html`<p>${msg('No notifications.', { id: 'notify.none' })}</p>`
        : html`<ul>
            ${this.notifications.map(
              (n) => html`<li class=${n.severity}>
                <div class="meta">${severity[n.severity]} · <time datetime=${n.time}>${formatDateTime(uiLocale(), n.time)}</time></div>
                <div>${text(n.message)}</div>
                ${n.detail ? html`<div class="meta">${text(n.detail)}</div>` : nothing}
                <div class="actions">
                  ${n.actions.map(
                    (a) => html`<button @click=${() => this.fire('notification-action', { command: a.command, args: a.args ?? [] })}>${text(a.title)}</button>`,
                  )}
                  <button @click=${() => this.fire('notification-dismiss', { id: n.id })}>${msg('Dismiss', { id: 'notify.dismiss' })}</button>
                </div>
              </li>`,
            )}
          </ul>`}
    </section>`;
  }

  private fire(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

/** A simple modal with a title and a close button, for About and the log view. */
@localized()
@customElement('ors-info-dialog')
export class InfoDialog extends LitElement {
  static override styles = [
    tokens,
    modalDialog,
    css`
      dialog {
        min-width: 380px;
        max-width: min(760px, 95vw);
      }
      h3 {
        font-size: 15px;
        margin: 12px 0 4px;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 2px 12px;
        margin: 0;
      }
      dt {
        color: var(--ors-fg-muted);
      }
      dd {
        margin: 0;
      }
      .log {
        max-height: 60vh;
        overflow: auto;
        font-family: ui-monospace, monospace;
        font-size: 12px;
      }
      footer {
        display: flex;
        justify-content: flex-end;
        margin-top: 12px;
      }
    `,
  ];

  @property() heading = '';
  @property() hostVersion = '';
  @property({ attribute: false }) sections?: readonly AboutSection[];
  @property({ attribute: false }) logs?: readonly LogEntry[];
  @query('dialog') private dialog!: HTMLDialogElement;

  override render() {
    return html`<dialog aria-labelledby="t" @close=${() => this.dispatchEvent(new CustomEvent('dialog-close', { bubbles: true, composed: true }))}>
      <h2 id="t">${this.heading}</h2>
      ${this.sections
        ? html`<dl>
              <dt>${msg('Console version', { id: 'about.version' })}</dt>
              <dd>${this.hostVersion}</dd>
            </dl>
            ${this.sections.map(
              (s) => html`<h3>${text(s.title)}</h3>
                <dl>
                  ${s.rows.map((r) => html`<dt>${text(r.label)}</dt><dd>${text(r.value)}</dd>`)}
                </dl>`,
            )}`
        : nothing}
      ${this.logs
        ? html`<div class="log" role="log" tabindex="0" aria-label=${msg('Log entries', { id: 'log.entries' })}>
            ${this.logs.length === 0 ? msg('No log entries.', { id: 'log.none' }) : nothing}
            ${this.logs.map(
              (l) =>
                html`<div>
                  <time datetime=${l.time}>${formatDateTime(uiLocale(), l.time)}</time> ${this.levelText(l.level)} [${l.source}]
                  <span lang="en" class="log-text">${l.msg}</span>
                </div>`,
            )}
          </div>`
        : nothing}
      <footer><button class="primary" @click=${() => this.dialog.close()}>${msg('Close', { id: 'dialog.close' })}</button></footer>
    </dialog>`;
  }

  override firstUpdated(): void {
    this.dialog.showModal();
  }

  /** The level in the UI language; the line itself is the program's own diagnostic text (English, marked so). */
  private levelText(level: LogEntry['level']): string {
    switch (level) {
      case 'trace':
      case 'debug':
        return msg('Debug', { id: 'log.level.debug' });
      case 'info':
        return msg('Info', { id: 'log.level.info' });
      case 'warn':
        return msg('Warning', { id: 'log.level.warn' });
      case 'error':
      case 'fatal':
        return msg('Error', { id: 'log.level.error' });
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-notification-list': NotificationList;
    'ors-info-dialog': InfoDialog;
  }
}
