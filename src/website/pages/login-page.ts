import { localized, msg } from '@lit/localize';
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { ErrorInfo } from '../../common/errors.js';
import { textField } from '../../elements/form-fields.js';
import { errorText } from '../../elements/l10n.js';
import { SitePage } from '../site-page.js';

/** Log in with the staff account (name and password); a failing source is held by the server, never locked out. */
@localized()
@customElement('ors-login-page')
export class LoginPage extends SitePage {
  @state() private name = '';
  @state() private password = '';
  @state() private error?: ErrorInfo;
  @state() private busy = false;

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    this.busy = true;
    this.error = undefined;
    try {
      await this.api.login(this.name.trim(), this.password);
      this.password = '';
    } catch (err) {
      this.error = err as ErrorInfo;
      this.password = '';
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#password')?.focus());
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<h2>${msg('Log in', { id: 'login.title' })}</h2>
      <p class="hint">${msg('Staff of the service organisation: log in with the name and password your administrator gave you.', { id: 'login.hint' })}</p>
      <form @submit=${(e: Event) => void this.submit(e)} aria-describedby=${this.error ? 'login-error' : nothing} novalidate>
        ${textField({ id: 'name', label: msg('Name', { id: 'login.name' }), value: this.name, autocomplete: 'username', onInput: (v) => (this.name = v) })}
        ${textField({ id: 'password', type: 'password', label: msg('Password', { id: 'login.password' }), value: this.password, autocomplete: 'current-password', onInput: (v) => (this.password = v) })}
        <div class="actions">
          <button class="primary" type="submit" id="login" ?disabled=${this.busy || !this.name.trim() || !this.password}>${msg('Log in', { id: 'login.submit' })}</button>
          ${this.busy ? html`<span role="status">${msg('Checking…', { id: 'login.checking' })}</span>` : nothing}
        </div>
        ${this.error ? html`<p role="alert" class="error" id="login-error">${errorText(this.error)}</p>` : nothing}
      </form>`;
  }
}
