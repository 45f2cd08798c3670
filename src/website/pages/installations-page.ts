import { localized, msg, str } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { BehaviorSubject, catchError, debounceTime, distinctUntilChanged, filter, from, map, merge, of, startWith, Subject, switchMap, throttleTime, type Subscription } from 'rxjs';
import { assistanceStateAt } from '../../common/backoffice/assistance.js';
import {
  INSTALLATION_SORT_KEYS,
  INSTALLATION_STATUS_FILTERS,
  type InstallationPage,
  type InstallationQuery,
  type InstallationSortKey,
  type InstallationStatusFilter,
  type InstallationSummary,
} from '../../common/backoffice/staff-api.js';
import { formatNumber } from '../../common/format/formatter.js';
import type { ErrorInfo } from '../../common/errors.js';
import { errorText, t, text, uiLocale } from '../../elements/l10n.js';
import { now$ } from '../clock.js';
import { assistanceBadge, connectionOf, licenseStateOf, pendingOf } from '../describe.js';
import { SitePage } from '../site-page.js';

const PAGE_SIZE = 50;

type Loaded = { kind: 'loading' } | { kind: 'page'; page: InstallationPage } | { kind: 'error'; error: ErrorInfo };

/** The list's state from the address's query string (page, filter, status, sort); anything unknown is left at its default. */
export function queryFromUrl(search: string): InstallationQuery {
  const p = new URLSearchParams(search);
  const q = p.get('q')?.slice(0, 100).trim();
  const status = p.get('status');
  const sort = p.get('sort');
  const page = Number(p.get('page') ?? '1');
  return {
    ...(q ? { q } : {}),
    ...(status && (INSTALLATION_STATUS_FILTERS as readonly string[]).includes(status) ? { status: status as InstallationStatusFilter } : {}),
    sort: sort && (INSTALLATION_SORT_KEYS as readonly string[]).includes(sort) ? (sort as InstallationSortKey) : 'serial',
    order: p.get('order') === 'desc' ? 'desc' : 'asc',
    offset: Number.isInteger(page) && page > 1 && page <= 20_000 ? (page - 1) * PAGE_SIZE : 0,
    limit: PAGE_SIZE,
  };
}

/** The query string that gives this state back (defaults left out). */
export function urlOfQuery(q: InstallationQuery): string {
  const p = new URLSearchParams();
  if (q.q) p.set('q', q.q);
  if (q.status) p.set('status', q.status);
  if (q.sort !== 'serial') p.set('sort', q.sort);
  if (q.order !== 'asc') p.set('order', q.order);
  if (q.offset > 0) p.set('page', String(Math.floor(q.offset / PAGE_SIZE) + 1));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/**
 * The installations (issue 14 item 2): serial, product, organisation, connected now / last seen,
 * the license served and its seq, what waits there, expiry and maintenance warnings, an open
 * request for remote assistance. Sorted, filtered and paged by the back office (usable at 10,000
 * installations); rows follow the back office's change events and the clock.
 */
@localized()
@customElement('ors-installations-page')
export class InstallationsPage extends SitePage {
  @state() private loaded: Loaded = { kind: 'loading' };
  // Page, filter and sort live in the address, so Back and reload give them back.
  @state() private query: InstallationQuery = queryFromUrl(location.search);
  @state() private search = this.query.q ?? '';
  @state() private now = Date.now();
  private readonly query$ = new BehaviorSubject<InstallationQuery>(this.query);
  private readonly search$ = new Subject<string>();
  private readonly refresh$ = new Subject<void>();
  private marked = false;

  protected override follow(): Subscription[] {
    const visible = (): ReadonlySet<string> => new Set(this.loaded.kind === 'page' ? this.loaded.page.items.map((i) => i.serial) : []);
    // A change to a row on screen, or any change while the page is not full (a new installation may belong here).
    const live$ = this.api.changes$().pipe(
      filter((e) => {
        const v = visible();
        const full = this.loaded.kind === 'page' && this.loaded.page.items.length >= this.query.limit;
        return e.serials.some((s) => v.has(s)) || (!full && e.serials.length > 0);
      }),
      throttleTime(1_000, undefined, { leading: true, trailing: true }),
    );
    return [
      this.search$.pipe(debounceTime(300), map((s) => s.trim()), distinctUntilChanged()).subscribe((q) => this.setQuery({ q, offset: 0 })),
      merge(this.query$.pipe(map((q) => ({ q, quiet: false }))), merge(this.refresh$, live$).pipe(map(() => ({ q: this.query$.value, quiet: true }))))
        .pipe(
          switchMap(({ q, quiet }) =>
            from(this.api.installations(q)).pipe(
              map((page): Loaded => ({ kind: 'page', page })),
              catchError((error: ErrorInfo) => of<Loaded>({ kind: 'error', error })),
              quiet ? (s) => s : startWith<Loaded>({ kind: 'loading' }),
            ),
          ),
        )
        .subscribe((l) => {
          // Keep the rows on screen while the next page loads.
          if (l.kind === 'loading' && this.loaded.kind === 'page') return;
          this.loaded = l;
        }),
      now$.subscribe((n) => (this.now = n)),
    ];
  }

  protected override updated(): void {
    if (!this.marked && this.loaded.kind === 'page') {
      this.marked = true;
      performance.mark('ors:list-interactive');
    }
  }

  private setQuery(patch: { readonly [K in keyof InstallationQuery]?: InstallationQuery[K] | undefined }): void {
    const next = { ...this.query, ...patch } as { -readonly [K in keyof InstallationQuery]: InstallationQuery[K] };
    if (!next.q) delete next.q;
    if (!next.status) delete next.status;
    this.query = next;
    const url = `${location.pathname}${urlOfQuery(next)}`;
    if (url !== `${location.pathname}${location.search}`) history.replaceState(history.state, '', url);
    this.query$.next(next);
  }

  private sortBy(key: InstallationSortKey): void {
    const order = this.query.sort === key && this.query.order === 'asc' ? 'desc' : 'asc';
    this.setQuery({ sort: key, order, offset: 0 });
  }

  private header(key: InstallationSortKey | undefined, label: string): TemplateResult {
    if (!key) return html`<th scope="col">${label}</th>`;
    const sorted = this.query.sort === key;
    const aria = sorted ? (this.query.order === 'asc' ? 'ascending' : 'descending') : 'none';
    return html`<th scope="col" aria-sort=${aria}>
      <button class="sort" data-sort=${key} @click=${() => this.sortBy(key)}>${label}${sorted ? html`<span aria-hidden="true">${this.query.order === 'asc' ? ' ▲' : ' ▼'}</span>` : nothing}</button>
    </th>`;
  }

  private row(i: InstallationSummary): TemplateResult {
    const c = connectionOf(i, this.now);
    const lic = licenseStateOf(i.served, this.now);
    const pending = pendingOf(i);
    const ra = i.assistance ? assistanceStateAt(i.assistance, this.now) : undefined;
    return html`<tr data-serial=${i.serial}>
      <th scope="row"><a href=${`/installations/${encodeURIComponent(i.serial)}`}>${i.serial}</a></th>
      <td>${i.product}</td>
      <td>${i.organisationId}</td>
      <td class="connection" data-connected=${c.connected ? 'true' : 'false'}><span class=${c.connected ? 'ok' : 'muted'}>${text(c.text)}</span></td>
      <td class="license">
        ${i.served ? t('website.license.served', { seq: i.served.seq }) : t('website.license.none')}
        ${i.installed && i.installed.seq !== i.served?.seq ? html`<br /><span class="muted">${t('website.license.installed', { seq: i.installed.seq })}</span>` : nothing}
      </td>
      <td class="pending">${pending ? html`<span class=${pending.badge}>${text(pending.text)}</span>` : html`<span class="muted">–</span>`}</td>
      <td class="state"><span class=${lic.badge === 'ok' ? 'ok' : lic.badge}>${text(lic.text)}</span></td>
      <td class="assistance">${ra ? html`<span class=${assistanceBadge(ra)}>${t(`backoffice.assistance.state.${ra}`)}</span>` : nothing}</td>
    </tr>`;
  }

  private renderTable(page: InstallationPage): TemplateResult {
    const first = page.total === 0 ? 0 : page.offset + 1;
    const last = page.offset + page.items.length;
    const l = uiLocale();
    return html`<table aria-describedby="range">
        <caption class="visually-hidden">${msg('Installations', { id: 'list.caption' })}</caption>
        <thead>
          <tr>
            ${this.header('serial', msg('Serial number', { id: 'list.serial' }))} ${this.header('product', msg('Product', { id: 'list.product' }))}
            ${this.header('organisation', msg('Service organisation', { id: 'list.organisation' }))} ${this.header('contact', msg('Connection', { id: 'list.connection' }))}
            ${this.header('seq', msg('License served', { id: 'list.license' }))} ${this.header('pending', msg('Pending', { id: 'list.pending' }))}
            ${this.header('expiry', msg('License state', { id: 'list.state' }))} ${this.header(undefined, msg('Remote assistance', { id: 'list.assistance' }))}
          </tr>
        </thead>
        <tbody>
          ${page.items.map((i) => this.row(i))}
        </tbody>
      </table>
      ${page.items.length === 0 ? html`<p>${msg('No installation matches.', { id: 'list.empty' })}</p>` : nothing}
      <div class="actions">
        <span id="range" role="status">${msg(str`Installations ${formatNumber(l, first)}–${formatNumber(l, last)} of ${formatNumber(l, page.total)}`, { id: 'list.range' })}</span>
        <button id="previous" ?disabled=${page.offset === 0} @click=${() => this.setQuery({ offset: Math.max(0, page.offset - this.query.limit) })}>${msg('Previous page', { id: 'list.previous' })}</button>
        <button id="next" ?disabled=${last >= page.total} @click=${() => this.setQuery({ offset: page.offset + this.query.limit })}>${msg('Next page', { id: 'list.next' })}</button>
      </div>`;
  }

  override render() {
    const statusLabel: Record<InstallationStatusFilter, string> = {
      connected: msg('Connected now', { id: 'list.status.connected' }),
      disconnected: msg('Not connected', { id: 'list.status.disconnected' }),
      pending: msg('Something pending', { id: 'list.status.pending' }),
      warning: msg('Expiry or maintenance warning', { id: 'list.status.warning' }),
    };
    return html`<h2>${msg('Installations', { id: 'list.title' })}</h2>
      <div class="actions" role="search">
        <label for="filter">${msg('Filter', { id: 'list.filter' })}</label>
        <input
          id="filter"
          type="search"
          .value=${this.search}
          aria-describedby="filter-hint"
          @input=${(e: Event) => {
            this.search = (e.target as HTMLInputElement).value;
            this.search$.next(this.search);
          }}
        />
        <span class="hint" id="filter-hint">${msg('Serial number, host name, product or organisation', { id: 'list.filterHint' })}</span>
        <label for="status">${msg('Show', { id: 'list.show' })}</label>
        <select
          id="status"
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value as InstallationStatusFilter | '';
            this.setQuery({ status: v || undefined, offset: 0 });
          }}
        >
          <option value="" ?selected=${!this.query.status}>${msg('All', { id: 'list.status.all' })}</option>
          ${(Object.keys(statusLabel) as InstallationStatusFilter[]).map((k) => html`<option value=${k} ?selected=${this.query.status === k}>${statusLabel[k]}</option>`)}
        </select>
      </div>
      ${this.loaded.kind === 'loading'
        ? html`<p role="status">${msg('Loading…', { id: 'list.loading' })}</p>`
        : this.loaded.kind === 'error'
          ? html`<p role="alert" class="error">${errorText(this.loaded.error)}</p>`
          : this.renderTable(this.loaded.page)}`;
  }
}
