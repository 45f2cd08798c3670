import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { failedHop, hopAuthentication, hopChecked, type ConnectionTestReport, type ReportStaleness } from '../../common/remote-service/connection-test.js';
import { errorText, t, text } from '../../elements/l10n.js';

/**
 * The result of [Test connection]: every hop of the ORS service's path (proxy resolution → proxy →
 * tunnel and its authentication → TLS → HTTP → back-office login → serial known → license
 * retrievable) with what it checked, its outcome, the failure's reason and what to do. Marked stale
 * as soon as a setting changes or Feedback reports a failure after it: a stale report is never
 * shown as passed. Light DOM: it sits in the dialog's form styles and id scope.
 */
@localized()
@customElement('ors-connection-report')
export class ConnectionReport extends LitElement {
  @property({ attribute: false }) report?: ConnectionTestReport;
  @property({ attribute: false }) stale?: ReportStaleness;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override render() {
    const r = this.report;
    if (!r) return nothing;
    const result = (x: 'ok' | 'failed' | 'skipped') =>
      x === 'ok' ? msg('OK', { id: 'remote.hop.ok' }) : x === 'failed' ? msg('failed', { id: 'remote.hop.failed' }) : msg('not checked', { id: 'remote.hop.skipped' });
    const failed = failedHop(r);
    const summary = r.ok ? t('connection-test.ok') : failed ? t('connection-test.failed', { hop: { code: `connection-test.hop.${failed.hop}` } }) : msg('The test did not reach every hop.', { id: 'remote.report.incomplete' });
    const staleText =
      this.stale === 'settings-changed'
        ? msg('Settings changed since this test: these results are for the previous values. Test again.', { id: 'remote.report.stale' })
        : this.stale === 'feedback-failed'
          ? msg('The ORS service reports a failure after this test (see Feedback): these results no longer hold.', { id: 'remote.report.superseded' })
          : undefined;
    return html`<section id="report" class=${this.stale ? 'stale' : ''} data-stale=${this.stale ?? nothing} aria-labelledby="report-heading">
      <h3 id="report-heading">${msg('Connection test', { id: 'remote.report' })}</h3>
      ${staleText ? html`<p id="report-stale" class="warning">${staleText}</p>` : nothing}
      <p id="report-summary" class=${this.stale ? 'hint' : r.ok ? 'ok' : 'failed'}>${summary}</p>
      <ol class="hops">
        ${r.hops.map((h) => {
          const auth = hopAuthentication(h);
          return html`<li data-hop=${h.hop} data-status=${h.status} class=${this.stale ? '' : h.status}>
            <strong>${t(`connection-test.hop.${h.hop}`)}</strong>: ${result(h.status)} — <span class="checked">${text(hopChecked(h, r))}</span>
            ${auth ? html`<br /><span class="auth" data-auth>${[text(auth.summary), ...auth.why.map((n) => errorText(n))].join(' ')}</span>` : nothing}
            ${h.error ? html`<br /><span class="reason">${errorText(h.error)}</span>` : nothing}
            ${h.hint ? html`<br /><span class="hint">${t(h.hint)}</span>` : nothing}
          </li>`;
        })}
      </ol>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-connection-report': ConnectionReport;
  }
}
