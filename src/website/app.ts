import { localized, msg } from '@lit/localize';
import { Router } from '@lit-labs/router';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Subscription } from 'rxjs';
import type { StaffSessionResponse } from '../common/backoffice/staff-api.js';
import { isLocale, type Locale } from '../common/i18n.js';
import { onCatalogueChange } from '../elements/l10n.js';
import type { WebsiteApi } from './api.js';
import { currentLocale, switchLocale } from './l10n.js';
import { siteStyles } from './styles.js';
import './pages/login-page.js';
import './pages/installations-page.js';
import './pages/installation-page.js';
import './pages/releases-page.js';

/**
 * The remote-service website's shell: the header (site name, navigation, who is logged in, the
 * language, log out), the login while there is no session, and the pages by URL.
 */
@localized()
@customElement('ors-website')
export class WebsiteApp extends LitElement {
  static override styles = [
    siteStyles,
    css`
      header {
        display: flex;
        flex-wrap: wrap;
        gap: 16px;
        align-items: center;
        padding: 8px 16px;
        border-bottom: 1px solid var(--site-border);
        background: var(--site-bg-alt);
      }
      header .site {
        font-weight: 600;
        font-size: 1.05rem;
        color: var(--site-fg);
        text-decoration: none;
      }
      nav ul {
        list-style: none;
        display: flex;
        gap: 12px;
        margin: 0;
        padding: 0;
      }
      nav a[aria-current='page'] {
        font-weight: 600;
      }
      .user {
        margin-left: auto;
        display: flex;
        gap: 8px;
        align-items: center;
      }
      main {
        padding: 16px;
        max-width: 1200px;
      }
    `,
  ];

  @property({ attribute: false }) api!: WebsiteApi;
  @state() private session?: StaffSessionResponse;
  @state() private resumed = false;
  private sub?: Subscription;
  private offCatalogue?: () => void;

  private readonly router = new Router(
    this,
    [
      { path: '/', render: () => html`<ors-installations-page .api=${this.api}></ors-installations-page>` },
      { path: '/installations/:serial', render: ({ serial }) => html`<ors-installation-page .api=${this.api} .serial=${serial ?? ''}></ors-installation-page>` },
      { path: '/releases', render: () => html`<ors-releases-page .api=${this.api}></ors-releases-page>` },
    ],
    { fallback: { render: () => html`<h2>${msg('Page not found', { id: 'site.notFound' })}</h2><p><a href="/">${msg('Back to the installations', { id: 'site.notFound.back' })}</a></p>` } },
  );

  override connectedCallback(): void {
    super.connectedCallback();
    this.offCatalogue = onCatalogueChange(() => this.requestUpdate());
    this.sub = this.api.session$.subscribe((s) => (this.session = s));
    void this.api
      .resume()
      .catch(() => undefined)
      .finally(() => (this.resumed = true));
    this.addEventListener('site-navigate', (e) => void this.go((e as CustomEvent<{ path: string }>).detail.path));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.sub?.unsubscribe();
    this.offCatalogue?.();
  }

  private async go(path: string): Promise<void> {
    history.pushState({}, '', path);
    await this.router.goto(path);
  }

  private async logout(): Promise<void> {
    await this.api.logout().catch(() => undefined);
  }

  private navLink(path: string, label: string) {
    const here = location.pathname === path || (path === '/' && location.pathname.startsWith('/installations/'));
    return html`<li><a href=${path} aria-current=${here ? 'page' : nothing}>${label}</a></li>`;
  }

  override render() {
    const s = this.session;
    const locale = currentLocale();
    return html`<header>
        <a class="site" href="/">${msg('Remote Service website', { id: 'site.name' })}</a>
        ${s
          ? html`<nav aria-label=${msg('Main', { id: 'site.nav' })}>
              <ul>
                ${this.navLink('/', msg('Installations', { id: 'site.nav.installations' }))} ${this.navLink('/releases', msg('Releases', { id: 'site.nav.releases' }))}
              </ul>
            </nav>`
          : nothing}
        <div class="user">
          ${s
            ? html`<span id="who">${s.user.name} (${s.user.organisationId}, ${s.user.role === 'vendor-admin' ? msg('vendor administrator', { id: 'site.role.admin' }) : msg('technician', { id: 'site.role.technician' })})</span>`
            : nothing}
          <label for="language" class="visually-hidden">${msg('Language', { id: 'site.language' })}</label>
          <select
            id="language"
            @change=${(e: Event) => {
              const v = (e.target as HTMLSelectElement).value;
              if (isLocale(v)) void switchLocale(v as Locale);
            }}
          >
            <option value="en" ?selected=${locale === 'en'} lang="en">English</option>
            <option value="de" ?selected=${locale === 'de'} lang="de">Deutsch</option>
          </select>
          ${s ? html`<button id="logout" @click=${() => void this.logout()}>${msg('Log out', { id: 'site.logout' })}</button>` : nothing}
        </div>
      </header>
      <main id="main">
        ${!this.resumed ? html`<p role="status">${msg('Loading…', { id: 'site.loading' })}</p>` : s ? this.router.outlet() : html`<ors-login-page .api=${this.api}></ors-login-page>`}
      </main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-website': WebsiteApp;
  }
}
