import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import type { CheckId, TestReport } from '../../common/license-server/licenses-api.js';
import { FormSection } from '../../elements/form-section.js';
import { errorText } from '../../elements/l10n.js';
import type { FormState } from './form-model.js';

/** Asks the dialog to run [Test] with the form as typed. */
export const TEST_SERVER = 'test-server';

/**
 * [Select license server] (SPEC F2): local (license folder, FLS address) or remote (host and port,
 * shared license folder, SMB port), the ORS service account that writes there, and [Test] with
 * each check's result right below it.
 */
@localized()
@customElement('ors-license-server-form')
export class LicenseServerForm extends FormSection<FormState> {
  @property({ attribute: false }) report?: TestReport;
  @property({ type: Boolean }) testing = false;

  override render(): TemplateResult {
    const f = this.form;
    const remote = f.kind === 'remote';
    const kindError = this.errors['accountKind'];
    const texts = {
      set: msg('A password is set.', { id: 'licenses.account.passwordSet' }),
      change: msg('Change password…', { id: 'licenses.account.changePassword' }),
      hint: msg('Case-sensitive.', { id: 'licenses.account.caseSensitive' }),
    };
    return html`<section id="server-form" aria-labelledby="form-heading">
      <h3 id="form-heading">${msg('Select license server', { id: 'licenses.form.heading' })}</h3>
      <fieldset>
        <legend>${msg('License server', { id: 'licenses.form.kind' })}</legend>
        ${this.radio('kind', 'local', msg('Local: the license server on this machine', { id: 'licenses.form.local' }), 'kind')}
        ${this.radio('kind', 'remote', msg('Remote: a license server on another machine', { id: 'licenses.form.remote' }), 'kind')}
      </fieldset>
      ${remote
        ? html`${this.text('host', 'host', msg('Host name or IP address', { id: 'licenses.form.host' }))}
          ${this.text('port', 'port', msg('Port of the license server', { id: 'licenses.form.port' }), { placeholder: '27000', hint: msg('1–65535; empty: 27000', { id: 'licenses.form.portHint' }) })}
          ${this.text('share', 'share', msg('Shared license folder', { id: 'licenses.form.share' }), { placeholder: '\\\\host\\share\\folder', hint: msg('As \\\\host\\share\\folder', { id: 'licenses.form.shareHint' }) })}
          ${this.text('smbPort', 'smbPort', msg('SMB port (optional)', { id: 'licenses.form.smbPort' }), { placeholder: '445' })}`
        : html`${this.text('folder', 'folder', msg('License folder', { id: 'licenses.form.folder' }), { hint: msg('A local path, e.g. /var/lib/fls/licenses or C:\\FLS\\licenses', { id: 'licenses.form.folderHint' }) })}
          ${this.text('flsUrl', 'flsUrl', msg('Address of the license server (optional)', { id: 'licenses.form.flsUrl' }), {
            placeholder: 'http://127.0.0.1:27000',
            hint: msg('Empty: the console runs the license server itself.', { id: 'licenses.form.flsUrlHint' }),
          })}`}
      <fieldset aria-describedby=${kindError ? 'accountKind-error' : 'account-hint'}>
        <legend>${msg('ORS service account', { id: 'licenses.account' })}</legend>
        ${this.radio('accountKind', 'localSystem', msg('Local System', { id: 'licenses.account.localSystem' }), 'accountKind')}
        ${this.radio('accountKind', 'other', msg('Other account', { id: 'licenses.account.other' }), 'accountKind')}
        <span class="hint" id="account-hint">${msg('Recommended only when the license server is remote: the account must be allowed to write to the shared license folder.', { id: 'licenses.account.hint' })}</span>
        ${kindError ? html`<span class="error" id="accountKind-error" role="alert">${errorText(kindError)}</span>` : nothing}
        ${f.accountKind === 'other'
          ? html`${this.text('accountUser', 'accountUser', msg('User name', { id: 'licenses.account.user' }), { autocomplete: 'username' })}
            ${this.text('accountDomain', 'accountDomain', msg('Domain (optional)', { id: 'licenses.account.domain' }))}
            ${this.secret('accountPassword', msg('Password', { id: 'licenses.account.password' }), texts)}`
          : nothing}
      </fieldset>
      <div class="actions">
        <button type="button" id="test" ?disabled=${this.testing} @click=${() => this.dispatchEvent(new CustomEvent(TEST_SERVER, { bubbles: true, composed: true }))}>${msg('Test', { id: 'licenses.test' })}</button>
      </div>
      <div id="test-result" aria-live="polite">
        ${this.testing ? html`<p role="status">${msg('Testing…', { id: 'licenses.testing' })}</p>` : nothing} ${this.report ? this.renderReport(this.report) : nothing}
      </div>
    </section>`;
  }

  private checkLabel(id: CheckId): string {
    switch (id) {
      case 'fls':
        return msg('License server reachable', { id: 'licenses.check.fls' });
      case 'trust':
        return msg('Vendor keys available', { id: 'licenses.check.trust' });
      case 'host':
        return msg('Host of the shared folder reachable', { id: 'licenses.check.host' });
      case 'logon':
        return msg('Logon with the account', { id: 'licenses.check.logon' });
      case 'share':
        return msg('Share found', { id: 'licenses.check.share' });
      case 'folder':
        return msg('License folder found', { id: 'licenses.check.folder' });
      case 'write':
        return msg('Write permission', { id: 'licenses.check.write' });
    }
  }

  private renderReport(r: TestReport): TemplateResult {
    const result = (x: 'ok' | 'failed' | 'skipped') =>
      x === 'ok' ? msg('OK', { id: 'licenses.check.ok' }) : x === 'failed' ? msg('failed', { id: 'licenses.check.failed' }) : msg('not checked', { id: 'licenses.check.skipped' });
    return html`<p class=${r.ok ? 'ok' : 'failed'}>${r.ok ? msg('All checks passed.', { id: 'licenses.test.ok' }) : msg('A check failed.', { id: 'licenses.test.failed' })}</p>
      <ul class="checks">
        ${r.checks.map(
          (c) => html`<li data-check=${c.id} class=${c.result}>
            ${this.checkLabel(c.id)}: ${result(c.result)}${c.error ? html` — ${errorText(c.error)}` : nothing}
          </li>`,
        )}
      </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-license-server-form': LicenseServerForm;
  }
}
