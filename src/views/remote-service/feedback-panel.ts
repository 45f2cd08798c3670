import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { connectionHintCode, fieldsMessage, hopMessage } from '../../common/remote-service/feedback.js';
import type { ConnectionState, ServiceState } from '../../common/remote-service/model.js';
import type { RemoteServiceStateView } from '../../common/remote-service/remote-service-api.js';
import { errorText, hasMessage, t } from '../../elements/l10n.js';
import { when } from '../../elements/time.js';

/**
 * Feedback of the Remote Service dialog (SPEC F3 item 5), a pure function of the ORS service's state
 * stream: whether the service runs, the connection to the back office with the reason and a hint,
 * the last and next check, the license the back office reports, and [Start service] when it does
 * not run. Light DOM: it sits in the dialog's form styles and id scope.
 */
@localized()
@customElement('ors-remote-service-feedback')
export class RemoteServiceFeedback extends LitElement {
  @property({ attribute: false }) state?: RemoteServiceStateView;
  /** The dialog's own operation in progress (its restart shows until the stream reports one). */
  @property({ attribute: false }) busy?: 'testing' | 'restarting' | 'starting';
  @state() private copied = false;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  private connectionText(c: ConnectionState): { cls: string; text: string; detail?: string } {
    switch (c.kind) {
      case 'disabled':
        return { cls: '', text: msg('Disabled: no connection to the back office.', { id: 'remote.fb.disabled' }) };
      case 'not-configured':
        return { cls: 'failed', text: t('remote-service.fb.not-configured', { missing: fieldsMessage(c.missing) }) };
      case 'connecting':
        return { cls: '', text: msg('Connecting…', { id: 'remote.fb.connecting' }) };
      case 'connected':
        return { cls: 'ok', text: msg('Connected', { id: 'remote.fb.connected' }) };
      case 'error':
        return {
          cls: 'failed',
          text: msg(str`Error: ${errorText(c.error)}`, { id: 'remote.fb.error' }),
          ...(c.hop ? { detail: t('remote-service.fb.failed-at', { hop: hopMessage(c.hop) }) } : {}),
        };
    }
  }

  private serviceText(s: ServiceState | undefined): string | undefined {
    if (!s) return msg('Loading the service state…', { id: 'remote.fb.loading' });
    switch (s.kind) {
      case 'stopped':
        return msg('The ORS service is not running, so there is no connection to the Remote Service.', { id: 'remote.fb.stopped' });
      case 'crashed':
        return msg('The ORS service stopped unexpectedly; it is restarted automatically.', { id: 'remote.fb.crashed' });
      case 'starting':
        return msg('The ORS service is starting…', { id: 'remote.fb.starting' });
      case 'stopping':
        return msg('The ORS service is stopping…', { id: 'remote.fb.stopping' });
      case 'unknown':
        return errorText(s.error);
      case 'running':
        return s.status ? undefined : msg('The ORS service is running; waiting for its first report…', { id: 'remote.fb.waiting' });
    }
  }

  override render() {
    const st = this.state;
    const s = st?.service;
    const status = s?.kind === 'running' ? s.status : undefined;
    const conn = status ? this.connectionText(status.connection) : undefined;
    const c = status?.connection;
    const lastCheck = c && (c.kind === 'connected' || c.kind === 'error') ? c.lastCheck : undefined;
    const nextCheck = c && (c.kind === 'connected' || c.kind === 'error') ? c.nextCheck : undefined;
    const hint = c?.kind === 'error' ? this.hintFor(c) : undefined;
    const notRunning = s?.kind === 'stopped' || (s?.kind === 'crashed' && !s.restartAt);
    const restarting = st?.restarting ?? (this.busy === 'restarting' ? 'restarting' : undefined);
    const l = status?.license;
    return html`<section id="feedback" aria-labelledby="feedback-heading">
      <h3 id="feedback-heading">${msg('Feedback', { id: 'remote.fb' })}</h3>
      <div role="status" aria-live="polite" id="feedback-state">
        ${restarting
          ? html`<p>${restarting === 'waiting' ? t('remote-service.restart.waiting') : t('remote-service.restart.stopping')}</p>`
          : nothing}
        ${this.serviceText(s) ? html`<p id="service-state" class=${notRunning ? 'failed' : ''}>${this.serviceText(s)}</p>` : nothing}
        ${conn ? html`<p id="connection-state" class=${conn.cls} data-state=${c!.kind}>${conn.text}</p>` : nothing} ${conn?.detail ? html`<p>${conn.detail}</p>` : nothing}
        ${hint ? html`<p class="hint" id="connection-hint">${hint}</p>` : nothing}
      </div>
      ${notRunning && st?.controllable
        ? html`<button id="start-service" ?disabled=${this.busy !== undefined} @click=${() => this.dispatchEvent(new CustomEvent('start-service', { bubbles: true, composed: true }))}>
            ${msg('Start service', { id: 'remote.fb.start' })}
          </button>`
        : nothing}
      ${this.renderHosting()}
      <dl>
        <dt>${msg('Last connection check', { id: 'remote.fb.last' })}</dt>
        <dd id="last-check">${when(lastCheck)}</dd>
        <dt>${msg('Next connection check (heartbeat)', { id: 'remote.fb.next' })}</dt>
        <dd id="next-check">${when(nextCheck)}</dd>
        <dt>${msg('License (back office)', { id: 'remote.fb.license' })}</dt>
        <dd id="backoffice-license">
          ${l
            ? [
                l.serial,
                ...(l.expiry ? [t('remote-service.fb.expiry', { expiry: l.expiry })] : []),
                ...(l.maintenanceEnd ? [t('remote-service.fb.maintenance', { end: l.maintenanceEnd })] : []),
                ...(l.users !== undefined ? [t('remote-service.fb.users', { users: l.users })] : []),
              ].join(' · ')
            : '–'}
        </dd>
      </dl>
    </section>`;
  }

  /**
   * While the ORS service runs only as this console's child (issue 16): automatic license update
   * stops when the console closes; the exact command that installs it as a service, with [Copy].
   * Derived from the hosting stream, so it goes away by itself once a service is detected.
   */
  private renderHosting() {
    const h = this.state?.hosting;
    if (!h?.childOfConsole) return nothing;
    return html`<div id="hosting-notice" class="notice" role="note" aria-labelledby="hosting-text">
      <p id="hosting-text" class="warning">
        ${msg('The ORS service runs only while this console runs: automatic license update stops when you close the console.', { id: 'remote.fb.hosting' })}
      </p>
      ${h.installCommand
        ? html`<p>
            <span id="hosting-command-label">${msg('Install it as a service (administrator rights):', { id: 'remote.fb.hosting.install' })}</span>
            <code id="hosting-command" translate="no" aria-labelledby="hosting-command-label">${h.installCommand}</code>
            <button type="button" id="hosting-copy" aria-describedby="hosting-command-label" @click=${() => void this.copy(h.installCommand!)}>${msg('Copy command', { id: 'remote.fb.hosting.copy' })}</button>
            <span role="status" class="hint">${this.copied ? msg('Copied.', { id: 'remote.fb.hosting.copied' }) : ''}</span>
          </p>`
        : nothing}
    </div>`;
  }

  private async copy(command: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(command);
      this.copied = true;
    } catch {
      // No clipboard permission: select the command so Ctrl+C copies it.
      const el = this.querySelector('#hosting-command');
      if (el) window.getSelection()?.selectAllChildren(el);
      this.copied = false;
    }
  }

  /** The hint of an error state (the rule lives in common/remote-service/feedback.ts). */
  private hintFor(c: Extract<ConnectionState, { kind: 'error' }>): string | undefined {
    const code = connectionHintCode(c);
    return code && hasMessage(code) ? t(code) : undefined;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-remote-service-feedback': RemoteServiceFeedback;
  }
}
