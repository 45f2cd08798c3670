import { localized, msg, str } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Release } from '../../common/backoffice/api.js';
import type { ReleaseInstallations, StaffReleaseList } from '../../common/backoffice/staff-api.js';
import type { ErrorInfo } from '../../common/errors.js';
import { formatNumber } from '../../common/format/formatter.js';
import { textField } from '../../elements/form-fields.js';
import { errorText, t, uiLocale } from '../../elements/l10n.js';
import { day } from '../../elements/time.js';
import { SitePage } from '../site-page.js';

const PAGE_SIZE = 50;
const EMPTY: Release = { product: '', version: '', releaseDate: '', checksum: '', url: '' };

/**
 * Maintenance releases (SPEC F6, issue 14 item 4): the releases, how many installations may install
 * each (the back office's F6 rule), which ones, and — for the vendor's administrators — adding one.
 */
@localized()
@customElement('ors-releases-page')
export class ReleasesPage extends SitePage {
  @state() private list?: StaffReleaseList;
  @state() private error?: ErrorInfo;
  @state() private selected?: ReleaseInstallations;
  @state() private form: Release = EMPTY;
  @state() private formError?: ErrorInfo;
  @state() private added?: string;
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.list = await this.api.releases();
      this.error = undefined;
    } catch (e) {
      this.error = e as ErrorInfo;
    }
  }

  private async show(r: Release, offset = 0): Promise<void> {
    try {
      this.selected = await this.api.releaseInstallations(r.product, r.version, offset, PAGE_SIZE);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#release-installations-heading')?.focus();
    } catch (e) {
      this.error = e as ErrorInfo;
    }
  }

  private async add(e: Event): Promise<void> {
    e.preventDefault();
    this.busy = true;
    this.formError = undefined;
    try {
      const r = await this.api.addRelease({ ...this.form, product: this.form.product.trim(), version: this.form.version.trim(), url: this.form.url.trim(), checksum: this.form.checksum.trim() });
      this.added = `${r.product} ${r.version}`;
      this.form = EMPTY;
      await this.load();
    } catch (err) {
      this.formError = err as ErrorInfo;
    } finally {
      this.busy = false;
    }
  }

  private renderInstallations(s: ReleaseInstallations): TemplateResult {
    const l = uiLocale();
    const last = s.offset + s.items.length;
    return html`<section aria-labelledby="release-installations-heading">
      <h3 id="release-installations-heading" tabindex="-1">${msg(str`Installations of ${s.release.product} and release ${s.release.version}`, { id: 'releases.installations' })}</h3>
      <table aria-labelledby="release-installations-heading">
        <thead>
          <tr>
            <th scope="col">${msg('Serial number', { id: 'list.serial' })}</th>
            <th scope="col">${msg('Service organisation', { id: 'list.organisation' })}</th>
            <th scope="col">${msg('May install', { id: 'releases.mayInstall' })}</th>
          </tr>
        </thead>
        <tbody>
          ${s.items.map(
            (i) => html`<tr data-serial=${i.serial}>
              <th scope="row"><a href=${`/installations/${encodeURIComponent(i.serial)}`}>${i.serial}</a></th>
              <td>${i.organisationId}</td>
              <td class=${i.allowed ? 'ok' : 'warning'}>${i.allowed ? msg('Yes', { id: 'releases.yes' }) : html`${msg('No', { id: 'releases.no' })}: ${t(`ors.update.check.denial.${i.reason ?? 'no-entitlement'}`)}`}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <div class="actions">
        <span role="status">${msg(str`Installations ${formatNumber(l, s.total === 0 ? 0 : s.offset + 1)}–${formatNumber(l, last)} of ${formatNumber(l, s.total)}`, { id: 'list.range' })}</span>
        <button ?disabled=${s.offset === 0} @click=${() => void this.show(s.release, Math.max(0, s.offset - PAGE_SIZE))}>${msg('Previous page', { id: 'list.previous' })}</button>
        <button ?disabled=${last >= s.total} @click=${() => void this.show(s.release, s.offset + PAGE_SIZE)}>${msg('Next page', { id: 'list.next' })}</button>
      </div>
    </section>`;
  }

  private renderAdd(): TemplateResult {
    const f = this.form;
    const err = (field: string) => (this.formError?.field === field ? { error: this.formError } : {});
    return html`<section aria-labelledby="add-heading">
      <h3 id="add-heading">${msg('Add a release', { id: 'releases.add' })}</h3>
      <form @submit=${(e: Event) => void this.add(e)} novalidate>
        ${textField({ id: 'product', label: msg('Product', { id: 'list.product' }), value: f.product, ...err('product'), onInput: (v) => (this.form = { ...this.form, product: v }) })}
        ${textField({ id: 'version', label: msg('Version', { id: 'releases.version' }), value: f.version, ...err('version'), onInput: (v) => (this.form = { ...this.form, version: v }) })}
        ${textField({ id: 'releaseDate', type: 'date', label: msg('Release date', { id: 'releases.date' }), value: f.releaseDate, ...err('releaseDate'), onInput: (v) => (this.form = { ...this.form, releaseDate: v }) })}
        ${textField({ id: 'checksum', label: msg('Checksum of the installer', { id: 'releases.checksum' }), hint: 'sha256:…', value: f.checksum, ...err('checksum'), onInput: (v) => (this.form = { ...this.form, checksum: v }) })}
        ${textField({ id: 'url', type: 'url', label: msg('Download address', { id: 'releases.url' }), value: f.url, ...err('url'), onInput: (v) => (this.form = { ...this.form, url: v }) })}
        <div class="actions"><button class="primary" type="submit" id="add-release" ?disabled=${this.busy}>${msg('Add the release', { id: 'releases.addSubmit' })}</button></div>
        ${this.formError && !this.formError.field ? html`<p role="alert" class="error">${errorText(this.formError)}</p>` : nothing}
        ${this.added ? html`<p role="status" class="ok">${msg(str`Release ${this.added} added.`, { id: 'releases.added' })}</p>` : nothing}
      </form>
    </section>`;
  }

  override render() {
    const admin = this.api.session$.value?.user.role === 'vendor-admin';
    return html`<h2>${msg('Releases', { id: 'releases.title' })}</h2>
      ${this.error ? html`<p role="alert" class="error">${errorText(this.error)}</p>` : nothing}
      ${!this.list
        ? html`<p role="status">${msg('Loading…', { id: 'list.loading' })}</p>`
        : this.list.releases.length === 0
          ? html`<p>${msg('No release yet.', { id: 'releases.none' })}</p>`
          : html`<table>
              <caption class="visually-hidden">${msg('Releases', { id: 'releases.title' })}</caption>
              <thead>
                <tr>
                  <th scope="col">${msg('Product', { id: 'list.product' })}</th>
                  <th scope="col">${msg('Version', { id: 'releases.version' })}</th>
                  <th scope="col">${msg('Release date', { id: 'releases.date' })}</th>
                  <th scope="col">${msg('May install', { id: 'releases.mayInstall' })}</th>
                </tr>
              </thead>
              <tbody>
                ${this.list.releases.map(
                  (r, i) => html`<tr data-release=${`${r.product}/${r.version}`}>
                    <td>${r.product}</td>
                    <td>${r.version}</td>
                    <td>${day(r.releaseDate)}</td>
                    <td>
                      <button class="show" aria-describedby=${`show-${i}`} @click=${() => void this.show(r)}>
                        ${msg(str`${formatNumber(uiLocale(), r.allowed)} of ${formatNumber(uiLocale(), r.installations)} installations`, { id: 'releases.count' })}
                      </button>
                      <span class="visually-hidden" id=${`show-${i}`}>${msg(str`Which installations may install ${r.product} ${r.version}`, { id: 'releases.showLabel' })}</span>
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      ${this.selected ? this.renderInstallations(this.selected) : nothing} ${admin ? this.renderAdd() : nothing}`;
  }
}
