import { html, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import type { SerialView } from '../../common/remote-service/remote-service-api.js';
import { FormSection } from '../../elements/form-section.js';
import { t } from '../../elements/l10n.js';
import { secretTexts } from './secret-texts.js';
import type { FormState } from './form-model.js';

/** Asks the dialog to open Licenses → Select license server (the serial number comes from there). */
export const SELECT_LICENSE_SERVER = 'select-license-server';

/**
 * The [Remote Service] settings of the manual: service organisation ID and verification code, the
 * serial number (read-only, from the license server), and where the back office is.
 */
@localized()
@customElement('ors-rs-organisation')
export class OrganisationSection extends FormSection<FormState> {
  @property({ attribute: false }) serial: SerialView = { kind: 'loading' };

  override render(): TemplateResult {
    return html`<fieldset id="settings" ?disabled=${this.disabled}>
      <legend>${msg('Remote Service', { id: 'remote.settings' })}</legend>
      ${this.text('organisationId', 'organisationId', msg('Service organisation ID:', { id: 'remote.orgId' }), {
        hint: msg('The ID and the verification code identify your service organisation; they are used to find this installation on the remote-service website.', { id: 'remote.orgId.hint' }),
      })}
      ${this.secret('verificationCode', msg('Verification code:', { id: 'remote.code' }), secretTexts())} ${this.renderSerial()}
      ${this.text('backofficeUrl', 'backofficeUrl', msg('Back-office address:', { id: 'remote.backofficeUrl' }), { placeholder: 'https://' })}
      ${this.text('caFile', 'caFile', msg('Additional CA certificates (PEM file, optional):', { id: 'remote.caFile' }))}
    </fieldset>`;
  }

  private renderSerial(): TemplateResult {
    const s = this.serial;
    return html`<div class="field">
      <label for="serial">${msg('Serial number:', { id: 'remote.serial' })}</label>
      <input id="serial" type="text" readonly .value=${s.kind === 'known' ? s.serial : ''} aria-describedby="serial-hint" />
      <span class="hint" id="serial-hint"
        >${s.kind === 'known'
          ? msg('Read automatically from the license.', { id: 'remote.serial.auto' })
          : s.kind === 'loading'
            ? msg('Reading the serial number from the license server…', { id: 'remote.serial.loading' })
            : html`${t('remote-service.no-serial')}
                <a href="#" id="select-license-server" @click=${(e: Event) => this.selectLicenseServer(e)}>${msg('Licenses → Select license server…', { id: 'remote.serial.link' })}</a>`}</span
      >
    </div>`;
  }

  private selectLicenseServer(e: Event): void {
    e.preventDefault();
    this.dispatchEvent(new CustomEvent(SELECT_LICENSE_SERVER, { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-rs-organisation': OrganisationSection;
  }
}
