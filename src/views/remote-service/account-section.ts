import { html, nothing, type TemplateResult } from 'lit';
import { customElement } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { errorText } from '../../elements/l10n.js';
import { FormSection } from '../../elements/form-section.js';
import type { FormState } from './form-model.js';
import { secretTexts } from './secret-texts.js';

/**
 * ["ORS service" credentials]: Local System (default) or another account with user name, password
 * and domain — recommended only when the Floating License Server is remote (the manual's advice).
 */
@localized()
@customElement('ors-rs-account')
export class AccountSection extends FormSection<FormState> {
  override render(): TemplateResult {
    const f = this.form;
    const kindError = this.errors['orsAccount.kind'];
    return html`<fieldset id="account" ?disabled=${this.disabled} aria-describedby=${kindError ? 'orsAccount-kind-error account-hint' : 'account-hint'}>
      <legend>${msg('"ORS service" credentials', { id: 'remote.account' })}</legend>
      <span class="hint" id="account-hint"
        >${msg('The ORS service runs as Local System by default. Change the account only when the Floating License Server is installed remotely.', { id: 'remote.account.hint' })}</span
      >
      ${this.radio('accountKind', 'localSystem', msg('Local System', { id: 'remote.account.localSystem' }), 'orsAccount.kind')}
      ${this.radio('accountKind', 'other', msg('Other account', { id: 'remote.account.other' }), 'orsAccount.kind')}
      ${kindError ? html`<span class="error" id="orsAccount-kind-error">${errorText(kindError)}</span>` : nothing}
      <fieldset id="account-credentials" ?disabled=${f.accountKind !== 'other'}>
        <legend>${msg('Account', { id: 'remote.account.credentials' })}</legend>
        ${this.text('accountUser', 'orsAccount.username', msg('User name:', { id: 'remote.account.user' }), { autocomplete: 'username' })}
        ${this.secret('orsAccount.password', msg('Password:', { id: 'remote.account.password' }), secretTexts())}
        ${this.text('accountDomain', 'orsAccount.domain', msg('Domain (optional):', { id: 'remote.account.domain' }))}
      </fieldset>
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-rs-account': AccountSection;
  }
}
