import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import type { LicensesStatus } from '../../common/license-server/licenses-api.js';
import { stateBadge, stateMessage } from '../../common/license/describe.js';
import { errorText, text } from '../../elements/l10n.js';
import { day } from '../../elements/time.js';

/** Asks the dialog for the next step of an empty license server: install a file, or select another server. */
export const NEXT_STEP = 'next-step';

/**
 * What the selected license server serves (SPEC F2): serial number, product, license expiry,
 * maintenance period, optional features, users and the state — or, with nothing to show, what to do
 * next. Light DOM: it sits in the dialog's styles and id scope.
 */
@localized()
@customElement('ors-installed-license')
export class InstalledLicense extends LitElement {
  @property({ attribute: false }) status?: LicensesStatus;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override render(): TemplateResult {
    const s = this.status;
    const l = s?.licenses[0];
    const server = s?.server;
    let serverText: TemplateResult | string = msg('Loading…', { id: 'licenses.loading' });
    if (server?.kind === 'not-configured') serverText = msg('No license server is selected yet.', { id: 'licenses.none' });
    else if (server?.kind === 'checking') serverText = msg('Checking the license server…', { id: 'licenses.checking' });
    else if (server?.kind === 'unreachable') serverText = html`<span class="error">${errorText(server.error)}</span>`;
    else if (server?.kind === 'reachable') serverText = s?.selection === 'remote' ? msg('Remote license server', { id: 'licenses.server.remote' }) : msg('Local license server', { id: 'licenses.server.local' });
    const state = l ? l.state : s?.problems[0] ? ({ kind: 'invalid', code: s.problems[0].error.code, params: s.problems[0].error.params ?? {} } as const) : ({ kind: 'none' } as const);
    const stateClass = { ok: 'ok', info: 'ok', warning: 'warning', error: 'error' }[stateBadge(state)];
    const dash = '–';
    return html`<section aria-labelledby="license-heading">
      <h3 id="license-heading">${msg('Installed license', { id: 'licenses.heading' })}</h3>
      <p role="status" id="server-state">${serverText}</p>
      ${!l && server && server.kind !== 'checking' ? this.renderNextStep(server.kind) : nothing}
      <dl>
        <dt>${msg('Serial number', { id: 'licenses.serial' })}</dt>
        <dd id="serial">${l?.serial ?? dash}</dd>
        <dt>${msg('Product', { id: 'licenses.product' })}</dt>
        <dd>${l?.product ?? dash}</dd>
        <dt>${msg('License expiry', { id: 'licenses.expiry' })}</dt>
        <dd>${l ? day(l.expiry) : dash}</dd>
        <dt>${msg('Maintenance period', { id: 'licenses.maintenance' })}</dt>
        <dd>${l ? html`${day(l.maintenance.start)} – ${day(l.maintenance.end)}` : dash}</dd>
        <dt>${msg('Optional features', { id: 'licenses.features' })}</dt>
        <dd>${l && l.features.length ? l.features.map((f, i) => html`${i ? ', ' : ''}${f.id}${f.count !== undefined ? ` (${f.count})` : ''}${f.expiry ? html` ${day(f.expiry)}` : ''}`) : dash}</dd>
        <dt>${msg('Number of users', { id: 'licenses.users' })}</dt>
        <dd>${l ? String(l.users) : dash}</dd>
        <dt>${msg('State', { id: 'licenses.state' })}</dt>
        <dd id="license-state" class=${stateClass}>${text(stateMessage(state))}</dd>
      </dl>
    </section>`;
  }

  /** An empty or unreachable server says what to do, with the controls to do it (issue 13 item 8). */
  private renderNextStep(kind: 'not-configured' | 'reachable' | 'unreachable'): TemplateResult {
    const step = (detail: 'install' | 'server') => () => this.dispatchEvent(new CustomEvent(NEXT_STEP, { detail, bubbles: true, composed: true }));
    const what =
      kind === 'not-configured'
        ? msg('Next step: select the license server that serves this installation’s license, or install the license file you received on this machine’s license server.', { id: 'licenses.next.none' })
        : kind === 'unreachable'
          ? msg('Next step: check the license server’s address and account under License server, then test it.', { id: 'licenses.next.unreachable' })
          : msg('The license server serves no license yet. Next step: install the license file you received from your service organisation, or select the license server that serves it.', { id: 'licenses.next.empty' });
    return html`<div id="next-step" class="notice">
      <p>${what}</p>
      <div class="actions">
        ${kind !== 'unreachable' ? html`<button type="button" id="next-install" @click=${step('install')}>${msg('Install license file…', { id: 'licenses.install' })}</button>` : nothing}
        <button type="button" id="next-server" @click=${step('server')}>${msg('Select license server…', { id: 'licenses.select' })}</button>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-installed-license': InstalledLicense;
  }
}
