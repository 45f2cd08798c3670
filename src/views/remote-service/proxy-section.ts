import { html, type TemplateResult } from 'lit';
import { customElement } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { FormSection } from '../../elements/form-section.js';
import type { FormState } from './form-model.js';
import { secretTexts } from './secret-texts.js';

/**
 * [Proxy-Servereinstellungen]: no proxy, detect automatically (with the manual's two notes), or a
 * manual proxy with host, port and optional authentication. Parts that do not apply are greyed,
 * and the rules leave greyed parts unchecked.
 */
@localized()
@customElement('ors-rs-proxy')
export class ProxySection extends FormSection<FormState> {
  override render(): TemplateResult {
    const f = this.form;
    const manual = f.proxyMode === 'manual';
    return html`<fieldset id="proxy" ?disabled=${this.disabled}>
      <legend>${msg('Proxy server settings', { id: 'remote.proxy' })}</legend>
      ${this.radio('proxyMode', 'none', msg('No proxy server', { id: 'remote.proxy.none' }), 'proxy.mode')}
      ${this.radio('proxyMode', 'auto', msg('Detect proxy server automatically', { id: 'remote.proxy.auto' }), 'proxy.mode', 'proxy-auto-notes')}
      <div class="hint" id="proxy-auto-notes">
        <p>${msg('Uses the proxy server settings of the system and browser. Only for automatic license update and automatic software downloads.', { id: 'remote.proxy.auto.note1' })}</p>
        <p>${msg('Do not use this option if you want to allow remote assistance: configure the proxy server manually first, then use Allow remote assistance.', { id: 'remote.proxy.auto.note2' })}</p>
      </div>
      ${this.radio('proxyMode', 'manual', msg('Enable proxy server (manual settings)', { id: 'remote.proxy.manual' }), 'proxy.mode')}
      <fieldset id="proxy-manual" ?disabled=${!manual}>
        <legend>${msg('Manual proxy server', { id: 'remote.proxy.manualLegend' })}</legend>
        ${this.text('proxyHost', 'proxy.host', msg('Host name:', { id: 'remote.proxy.host' }), { hint: msg('The host name or IP address of the proxy server.', { id: 'remote.proxy.host.hint' }) })}
        ${this.text('proxyPort', 'proxy.port', msg('Port:', { id: 'remote.proxy.port' }), {
          inputmode: 'numeric',
          hint: msg('The port number the proxy server uses (1–65535).', { id: 'remote.proxy.port.hint' }),
        })}
        ${this.text('proxyKerberos', 'proxy.kerberosServiceName', msg('Kerberos service name (optional):', { id: 'remote.proxy.kerberos' }), {
          hint: msg('Only if the proxy server is known to Kerberos under another name than its host name, e.g. HTTP/proxy.corp.example. Empty: HTTP/ and the host name above.', { id: 'remote.proxy.kerberos.hint' }),
        })}
        ${this.checkbox('proxyAuth', 'proxy.authenticate', msg('Proxy server authentication', { id: 'remote.proxy.auth' }), {
          id: 'proxy-authenticate',
          hint: msg('Use this option if the proxy server requires authentication.', { id: 'remote.proxy.auth.hint' }),
        })}
        <fieldset id="proxy-credentials" ?disabled=${!f.proxyAuth}>
          <legend>${msg('Proxy credentials', { id: 'remote.proxy.credentials' })}</legend>
          ${this.text('proxyUser', 'proxy.username', msg('User name:', { id: 'remote.proxy.user' }), { autocomplete: 'username' })}
          ${this.secret('proxy.password', msg('Password:', { id: 'remote.proxy.password' }), secretTexts())}
          ${this.text('proxyDomain', 'proxy.domain', msg('Domain:', { id: 'remote.proxy.domain' }), { hint: msg('The domain the proxy server is in (for NTLM).', { id: 'remote.proxy.domain.hint' }) })}
        </fieldset>
      </fieldset>
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-rs-proxy': ProxySection;
  }
}
