import { formStyles } from '../form-styles.js';
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import type { Subscription } from 'rxjs';
import type { BrowserPluginContext } from '../../common/browser-plugin-api.js';
import type { ErrorInfo } from '../../common/errors.js';
import { announcementDetail, announcementMessage, manualStepsList, updateStatusMessage } from '../../common/license-update/announcement.js';
import { LICENSE_UPDATE_SERVICE, type LicenseUpdateService } from '../../common/license-update/api.js';
import { errorText, t, text } from '../../elements/l10n.js';
import { when } from '../../elements/time.js';
import type { UpdateEvent, UpdateState } from '../../common/remote-service/model.js';
import type { Remote } from '../../common/rpc/protocol.js';

/** An action the service accepted, with what the stream must show for it to be over. */
type Request = { readonly kind: 'check'; readonly lastCheck: string | undefined } | { readonly kind: 'confirm' | 'retry' | 'decline'; readonly licenseId: string };

/** Whether the stream still shows the request running: a check until a newer check is reported, an install while its license waits. */
function inProgress(r: Request, u: UpdateState | null | undefined): boolean {
  if (!u) return false;
  if (r.kind === 'check') return u.lastCheck === r.lastCheck && u.phase !== 'stopped';
  return u.pending.some((p) => p.licenseId === r.licenseId) || (['downloading', 'verifying', 'installing', 'confirming'] as const).some((phase) => phase === u.phase);
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
  /** What the administrator asked for and the service accepted; its progress text is derived from the stream. */
  @state() private request?: Request;
  @state() private refusal?: ErrorInfo;
  @state() private sending = false;
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
    // The request is over once the stream shows it done: its text goes with it (derive, don't patch).
    if (this.request && !inProgress(this.request, this.loopState)) this.request = undefined;
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

  private async run(request: Request, action: (s: Remote<LicenseUpdateService>) => Promise<void>): Promise<void> {
    const service = this.service;
    if (!service || this.busy) return;
    this.sending = true;
    this.refusal = undefined;
    try {
      await action(service);
      this.request = request;
    } catch (e) {
      this.refusal = e as ErrorInfo;
    } finally {
      this.sending = false;
    }
  }

  private get busy(): boolean {
    return this.sending || this.request !== undefined;
  }

  private checkNow(): Promise<void> {
    return this.run({ kind: 'check', lastCheck: this.loopState?.lastCheck }, (s) => s.checkNow());
  }

  private confirm(e: UpdateEvent): Promise<void> {
    return this.run({ kind: 'confirm', licenseId: e.licenseId }, (s) => s.confirm(e.licenseId));
  }

  private retry(e: UpdateEvent): Promise<void> {
    return this.run({ kind: 'retry', licenseId: e.licenseId }, (s) => s.retry(e.licenseId));
  }

  /** [Keep current license]: the waiting license is declined (a `declined` receipt) and not asked for again. */
  private decline(e: UpdateEvent): Promise<void> {
    return this.run({ kind: 'decline', licenseId: e.licenseId }, (s) => s.decline(e.licenseId));
  }

  /** The running request's text, while the stream shows it running. */
  private requestText(): string | undefined {
    switch (this.request?.kind) {
      case 'check':
        return msg('The ORS service is asking the back office now.', { id: 'licenses.update.checkStarted' });
      case 'confirm':
        return msg('Installing the license…', { id: 'licenses.update.confirmStarted' });
      case 'retry':
        return msg('Trying again to install the license…', { id: 'licenses.update.retryStarted' });
      case 'decline':
        return msg('Keeping the current license…', { id: 'licenses.update.declineStarted' });
      default:
        return undefined;
    }
  }

  // ---- rendering ---------------------------------------------------------------------------------

  override render() {
    const u = this.loopState;
    return html`<section aria-labelledby="update-heading">
      <h3 id="update-heading">${msg('Automatic license update', { id: 'licenses.update.heading' })}</h3>
      ${u === undefined
        ? html`<p role="status">${msg('Loading…', { id: 'licenses.loading' })}</p>`
        : html`<p><span id="phase-label">${msg('State:', { id: 'licenses.update.state' })}</span>
              <span id="phase" role="status" aria-labelledby="phase-label">${u ? text(updateStatusMessage(u)) : t('license-update.phase.not-running')}</span></p>
            ${u?.stoppedBy ? html`<p id="stopped" class="error">${errorText(u.stoppedBy)}</p>` : nothing}
            ${u
              ? html`${this.renderPending(u.pending)}
                  <dl>
                    <dt>${msg('Last license query', { id: 'licenses.update.lastCheck' })}</dt>
                    <dd id="last-check">${when(u.lastCheck)}</dd>
                    <dt>${msg('Next license query', { id: 'licenses.update.nextCheck' })}</dt>
                    <dd id="next-check">${when(u.nextCheck)}</dd>
                    <dt id="license-path-label">${msg('License path:', { id: 'licenses.update.licensePath' })}</dt>
                    <dd id="license-path" aria-labelledby="license-path-label">${u.licensePath ?? '–'}</dd>
                  </dl>
                  <p class="hint" id="query-hint">
                    ${msg('The ORS service keeps a query open at the back office, so a new license arrives within seconds; the next query starts at the time shown. The connection check of the Remote Service is a separate heartbeat.', { id: 'licenses.update.queryHint' })}
                  </p>`
              : nothing}`}
      <div class="actions">
        <button id="check-now" ?disabled=${!u || this.busy} @click=${() => void this.checkNow()}>${msg('Check now', { id: 'licenses.update.checkNow' })}</button>
      </div>
      <div aria-live="polite">
        ${this.refusal
          ? html`<p id="update-message" class="error" role="alert">${errorText(this.refusal)}</p>`
          : this.requestText()
            ? html`<p id="update-message" class="hint" role="status">${this.requestText()}</p>`
            : nothing}
      </div>
    </section>`;
  }

  private renderPending(pending: readonly UpdateEvent[]): TemplateResult {
    if (!pending.length) return html`<p id="no-pending" class="hint">${msg('No license is waiting for you.', { id: 'licenses.update.noPending' })}</p>`;
    return html`<h4 id="pending-heading">${msg('Licenses waiting for you', { id: 'licenses.update.pending' })}</h4>
      <ul class="pending" aria-labelledby="pending-heading">
        ${pending.map((e) => {
          const id = `pending-${e.licenseId.replace(/[^\w-]/g, '_')}`;
          return html`<li data-license=${e.licenseId} data-kind=${e.kind}>
            <p id="${id}-text">${text(announcementMessage(e))}</p>
            ${e.kind === 'manual-pending' ? this.renderManualSteps(e, id) : this.renderDetail(e, id)}
            ${e.kind === 'awaiting-confirmation'
              ? html`<div class="actions">
                  <button data-action="confirm" aria-describedby="${id}-text" ?disabled=${this.busy} @click=${() => void this.confirm(e)}>
                    ${msg('Install anyway', { id: 'licenses.install.confirm' })}
                  </button>
                  <button data-action="decline" aria-describedby="${id}-text" ?disabled=${this.busy} @click=${() => void this.decline(e)}>
                    ${msg('Keep current license', { id: 'licenses.update.decline' })}
                  </button>
                </div>`
              : e.kind === 'manual-pending'
                ? html`<div class="actions">
                    <button data-action="retry" aria-describedby="${id}-text" ?disabled=${this.busy} @click=${() => void this.retry(e)}>
                      ${msg('Retry', { id: 'licenses.update.retry' })}
                    </button>
                  </div>`
                : nothing}
          </li>`;
        })}
      </ul>`;
  }

  private renderDetail(e: UpdateEvent, id: string): TemplateResult | typeof nothing {
    const detail = announcementDetail(e);
    return detail ? html`<p class="detail" id="${id}-detail">${text(detail)}</p>` : nothing;
  }

  /** The manual steps as the manual gives them: an ordered list, after the reason the automatic install failed. */
  private renderManualSteps(e: UpdateEvent, id: string): TemplateResult {
    const m = manualStepsList(e);
    return html`<p class="reason" id="${id}-reason">${text(m.reason)}</p>
      <ol class="steps" id="${id}-steps" aria-label=${msg('Manual steps', { id: 'licenses.update.steps' })}>
        ${m.steps.map((step) => html`<li>${text(step)}</li>`)}
      </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-license-update-panel': LicenseUpdatePanel;
  }
}
