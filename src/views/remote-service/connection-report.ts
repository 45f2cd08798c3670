import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import type { DiagnosticReport } from '../../common/proxy/diagnostic.js';
import { errorText, t } from '../../elements/l10n.js';

/**
 * The result of [Test connection]: every hop (proxy resolution → proxy → tunnel → TLS → HTTP) with
 * its outcome, the failure's reason and what to do. Light DOM: it sits in the dialog's form styles
 * and id scope.
 */
@localized()
@customElement('ors-connection-report')
export class ConnectionReport extends LitElement {
  @property({ attribute: false }) report?: DiagnosticReport;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override render() {
    const r = this.report;
    if (!r) return nothing;
    const result = (x: 'ok' | 'failed' | 'skipped') =>
      x === 'ok' ? msg('OK', { id: 'remote.hop.ok' }) : x === 'failed' ? msg('failed', { id: 'remote.hop.failed' }) : msg('not checked', { id: 'remote.hop.skipped' });
    return html`<section id="report" role="status" aria-live="polite" aria-labelledby="report-heading">
      <h3 id="report-heading">${msg('Connection test', { id: 'remote.report' })}</h3>
      <p class=${r.ok ? 'ok' : 'failed'}>${r.ok ? t('diagnose.ok') : msg('The connection fails at a hop below.', { id: 'remote.report.failed' })}</p>
      <ul class="hops">
        ${r.hops.map(
          (h) => html`<li data-hop=${h.hop} class=${h.status}>
            ${t(`diagnose.hop.${h.hop}`)}${h.target ? ` (${h.target})` : ''}: ${result(h.status)}${h.error ? html` — ${errorText(h.error)}` : nothing}
            ${h.hint ? html`<br /><span class="hint">${t(h.hint)}</span>` : nothing}
          </li>`,
        )}
      </ul>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-connection-report': ConnectionReport;
  }
}
