import { formStyles } from '../form-styles.js';
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import type { Subscription } from 'rxjs';
import type { BrowserPluginContext } from '../../common/browser-plugin-api.js';
import type { ErrorInfo } from '../../common/errors.js';
import { isLocale, type Locale } from '../../common/i18n.js';
import { announcementDetail, announcementMessage } from '../../common/license-update/announcement.js';
import { LICENSE_UPDATE_SERVICE, type LicenseUpdateService } from '../../common/license-update/api.js';
import { licenseUpdateError, licenseUpdateText } from '../../common/license-update/text.js';
import type { UpdateEvent, UpdateState } from '../../common/remote-service/model.js';
import type { Remote } from '../../common/rpc/protocol.js';

function locale(): Locale {
  const l = document.documentElement.lang;
  return isLocale(l) ? l : 'en';
}

function when(iso: string | undefined): TemplateResult | string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return html`<time datetime=${iso}>${d.toLocaleString(locale() === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'medium' })}</time>`;
}

/**
 * The automatic license update inside the Licenses dialog (SPEC F5): the update loop's phase, last
 * and next check, the licenses waiting for the administrator with what they change and
 * [Install anyway] / [Retry], and [Check now]. The ORS service decides; this element renders.
 */
@localized()
@customElement('ors-license-update-panel')
export class LicenseUpdatePanel extends LitElement {
  static override styles = [
    formStyles,
    css`
    :host {
      display: block;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 2px 12px;
      margin: 6px 0;
    }
    dd {
      margin: 0;
    }
    ul.pending {
      list-style: none;
      padding: 0;
      margin: 0;
    }
    ul.pending li {
      border-left: 3px solid var(--ors-warning, #8a5300);
      padding: 4px 8px;
      margin: 6px 0;
    }
    .detail,
    .actions {
      display: flex;
      gap: 8px;
      flex-wrap: wrap;
      margin: 8px 0;
      align-items: center;
    }
    .error {
      color: var(--ors-error, #b3261e);
    }
  `,
  ];

  @property({ attribute: false }) context?: BrowserPluginContext;

  /** null: the ORS service does not run (or does not report); undefined: not loaded yet. */
  @state() private loopState?: UpdateState | null;
  @state() private busy?: string;
  @state() private message?: { kind: 'ok' | 'error'; text: string };
  private subscription?: Subscription;

  private get service(): Remote<LicenseUpdateService> | undefined {
    return this.context?.service<LicenseUpdateService>(LICENSE_UPDATE_SERVICE);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.subscribe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('context') && this.isConnected) this.subscribe();
  }

  private subscribe(): void {
    this.subscription?.unsubscribe();
    const service = this.service;
    if (!service) return;
    try {
      this.subscription = service.state$().subscribe({ next: (u) => (this.loopState = u ?? null), error: () => (this.loopState = null) });
    } catch {
      // A console whose plugin has no licenseUpdate service (older plugin side): nothing to show.
      this.loopState = null;
    }
  }

  private async run(key: string, action: (s: Remote<LicenseUpdateService>) => Promise<void>, done: string): Promise<void> {
    const service = this.service;
    if (!service || this.busy) return;
    this.busy = key;
    this.message = undefined;
    try {
      await action(service);
      this.message = { kind: 'ok', text: done };
    } catch (e) {
      this.message = { kind: 'error', text: licenseUpdateError(locale(), e as ErrorInfo) };
    } finally {
      this.busy = undefined;
    }
  }

  private checkNow(): Promise<void> {
    return this.run('check', (s) => s.checkNow(), msg('The ORS service is asking the back office now.', { id: 'licenses.update.checkStarted' }));
  }

  private confirm(e: UpdateEvent): Promise<void> {
    return this.run(`confirm:${e.licenseId}`, (s) => s.confirm(e.licenseId), msg('Installing the license…', { id: 'licenses.update.confirmStarted' }));
  }

  private retry(e: UpdateEvent): Promise<void> {
    return this.run(`retry:${e.licenseId}`, (s) => s.retry(e.licenseId), msg('Trying again to install the license…', { id: 'licenses.update.retryStarted' }));
  }

  // ---- rendering ---------------------------------------------------------------------------------

  override render() {
    const l = locale();
    const u = this.loopState;
    return html`<section aria-labelledby="update-heading">
      <h3 id="update-heading">${msg('Automatic license update', { id: 'licenses.update.heading' })}</h3>
      ${u === undefined
        ? html`<p role="status">${msg('Loading…', { id: 'licenses.loading' })}</p>`
        : html`<p><span id="phase-label">${msg('State:', { id: 'licenses.update.state' })}</span>
              <span id="phase" role="status" aria-labelledby="phase-label">${u ? licenseUpdateText(l, `license-update.phase.${u.phase}`) : licenseUpdateText(l, 'license-update.phase.not-running')}</span></p>
            ${u?.stoppedBy ? html`<p id="stopped" class="error">${licenseUpdateError(l, u.stoppedBy)}</p>` : nothing}
            ${u
              ? html`<dl>
                    <dt>${msg('Last check', { id: 'licenses.update.lastCheck' })}</dt>
                    <dd id="last-check">${when(u.lastCheck)}</dd>
                    <dt>${msg('Next check', { id: 'licenses.update.nextCheck' })}</dt>
                    <dd id="next-check">${when(u.nextCheck)}</dd>
                  </dl>
                  ${this.renderPending(u.pending)}`
              : nothing}`}
      <div class="actions">
        <button id="check-now" ?disabled=${!u || !!this.busy} @click=${() => void this.checkNow()}>${msg('Check now', { id: 'licenses.update.checkNow' })}</button>
      </div>
      <div aria-live="polite">${this.message ? html`<p id="update-message" class=${this.message.kind === 'error' ? 'error' : 'hint'} role=${this.message.kind === 'error' ? 'alert' : 'status'}>${this.message.text}</p>` : nothing}</div>
    </section>`;
  }

  private renderPending(pending: readonly UpdateEvent[]): TemplateResult {
    const l = locale();
    if (!pending.length) return html`<p id="no-pending" class="hint">${msg('No license is waiting for you.', { id: 'licenses.update.noPending' })}</p>`;
    return html`<h4 id="pending-heading">${msg('Licenses waiting for you', { id: 'licenses.update.pending' })}</h4>
      <ul class="pending" aria-labelledby="pending-heading">
        ${pending.map((e) => {
          const id = `pending-${e.licenseId.replace(/[^\w-]/g, '_')}`;
          const detail = announcementDetail(l, e);
          return html`<li data-license=${e.licenseId} data-kind=${e.kind}>
            <p id="${id}-text">${announcementMessage(l, e)}</p>
            ${detail ? html`<p class="detail" id="${id}-detail">${detail}</p>` : nothing}
            ${e.kind === 'awaiting-confirmation'
              ? html`<button data-action="confirm" aria-describedby="${id}-text ${id}-detail" ?disabled=${!!this.busy} @click=${() => void this.confirm(e)}>
                  ${msg('Install anyway', { id: 'licenses.install.confirm' })}
                </button>`
              : e.kind === 'manual-pending'
                ? html`<button data-action="retry" aria-describedby="${id}-text ${id}-detail" ?disabled=${!!this.busy} @click=${() => void this.retry(e)}>
                    ${msg('Retry', { id: 'licenses.update.retry' })}
                  </button>`
                : nothing}
          </li>`;
        })}
      </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-license-update-panel': LicenseUpdatePanel;
  }
}
