import { localized, msg, str } from '@lit/localize';
import { css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { catchError, debounceTime, filter, from, map, merge, of, startWith, Subject, switchMap, throttleTime, type Subscription } from 'rxjs';
import { assistanceMessageProblem, isOpenAssistance, MAX_ASSISTANCE_MESSAGE, type AssistanceRequest } from '../../common/backoffice/assistance.js';
import type { EntitlementEdit, EntitlementPreview, EntitlementView, InstallationDetail } from '../../common/backoffice/staff-api.js';
import type { ErrorInfo } from '../../common/errors.js';
import { announcementDetail, announcementMessage } from '../../common/license-update/announcement.js';
import { formatTeamViewerId } from '../../common/remote-assistance/model.js';
import { textField } from '../../elements/form-fields.js';
import { errorText, hasMessage, t, text } from '../../elements/l10n.js';
import { day, when } from '../../elements/time.js';
import { ApiError } from '../api.js';
import { auditDetail } from '../audit-detail.js';
import { now$ } from '../clock.js';
import { assistanceBadge, assistanceOf, connectionOf, licenseStateOf, pendingOf } from '../describe.js';
import { editOf, formOf, formProblem, labelled, newFeatureProblem, type EntitlementForm as Form } from '../entitlement-form.js';
import { SitePage } from '../site-page.js';

type Loaded = { kind: 'loading' } | { kind: 'detail'; detail: InstallationDetail } | { kind: 'not-found' } | { kind: 'error'; error: ErrorInfo };

/** A reason code from the installation in words where the catalogue has a text of its own for it, else the code itself. */
function reasonText(code: string | null): string {
  if (!code) return '';
  if (!hasMessage(code)) return code;
  const words = t(code);
  return words.includes('{') ? code : words;
}

/**
 * One installation (issue 14 item 3): its facts and connection, the license served and what waits
 * there, the entitlement with a preview in the words the customer's console will use, remote
 * assistance on request, the issued licenses, the receipts, the heartbeats and the audit trail.
 */
@localized()
@customElement('ors-installation-page')
export class InstallationPage extends SitePage {
  static override styles = [
    ...SitePage.styles,
    css`
      section {
        margin: 16px 0 24px;
      }
      .tv-id {
        font-size: 2rem;
        font-weight: 600;
        letter-spacing: 0.05em;
        font-variant-numeric: tabular-nums;
      }
      .preview {
        border-left: 4px solid var(--site-accent);
        padding: 6px 10px;
        background: var(--site-bg-alt);
      }
      .preview.warning {
        border-left-color: var(--site-warning);
      }
      textarea {
        width: min(60ch, 100%);
      }
      fieldset {
        border: 1px solid var(--site-border);
        border-radius: var(--site-radius);
        margin: 8px 0;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
        gap: 4px 16px;
      }
    `,
  ];

  @property() serial = '';
  @state() private loaded: Loaded = { kind: 'loading' };
  @state() private now = Date.now();
  @state() private form?: Form;
  @state() private baseline?: string;
  @state() private preview?: EntitlementPreview;
  @state() private fieldError?: ErrorInfo;
  @state() private featureError?: ErrorInfo;
  @state() private entitlementMessage?: { kind: 'ok' | 'error'; text: string };
  @state() private message = '';
  @state() private assistanceError?: ErrorInfo;
  @state() private busy = false;
  private readonly reload$ = new Subject<void>();
  private readonly edit$ = new Subject<EntitlementEdit>();

  protected override follow(): Subscription[] {
    const live$ = this.api.changes$().pipe(
      filter((e) => e.serials.includes(this.serial)),
      throttleTime(500, undefined, { leading: true, trailing: true }),
    );
    return [
      merge(this.reload$, live$)
        .pipe(
          startWith(undefined),
          switchMap((_, i) =>
            from(this.api.installation(this.serial)).pipe(
              map((detail): Loaded => ({ kind: 'detail', detail })),
              catchError((e: unknown) => of<Loaded>(e instanceof ApiError && e.status === 404 ? { kind: 'not-found' } : { kind: 'error', error: e as ErrorInfo })),
              i === 0 ? startWith<Loaded>({ kind: 'loading' }) : (s) => s,
            ),
          ),
        )
        .subscribe((l) => this.loadedNow(l)),
      this.edit$
        .pipe(
          debounceTime(250),
          switchMap((edit) =>
            from(this.api.previewEntitlement(this.serial, edit)).pipe(
              map((p) => ({ p })),
              catchError((e: unknown) => of({ e: e as ErrorInfo })),
            ),
          ),
        )
        .subscribe((r) => {
          if ('p' in r) {
            this.preview = r.p;
            this.fieldError = undefined;
          } else {
            this.preview = undefined;
            this.fieldError = r.e;
          }
        }),
      now$.subscribe((n) => (this.now = n)),
    ];
  }

  private loadedNow(l: Loaded): void {
    this.loaded = l;
    if (l.kind !== 'detail') return;
    // The form follows the back office while it is not being edited.
    const fresh = formOf(l.detail);
    if (!this.form || JSON.stringify(this.form) === this.baseline) {
      this.form = fresh;
      this.baseline = JSON.stringify(fresh);
      this.preview = undefined;
    }
  }

  private reset(d: InstallationDetail): void {
    this.form = undefined;
    this.fieldError = undefined;
    this.loadedNow({ kind: 'detail', detail: d });
  }

  private get dirty(): boolean {
    return !!this.form && JSON.stringify(this.form) !== this.baseline;
  }

  private change(patch: Partial<Form>): void {
    if (!this.form) return;
    this.form = { ...this.form, ...patch };
    this.entitlementMessage = undefined;
    // Checked here first: nothing wrong is sent, and the message names the field in the page's language.
    const problem = formProblem(this.form);
    if (problem) {
      this.preview = undefined;
      this.fieldError = problem;
    } else if (this.dirty) {
      this.fieldError = undefined;
      this.edit$.next(editOf(this.form));
    } else {
      this.preview = undefined;
      this.fieldError = undefined;
    }
  }

  private addFeature(f: Form): void {
    const problem = newFeatureProblem(f.newFeature, f.features);
    this.featureError = problem;
    if (!problem) this.change({ features: [...f.features, { id: f.newFeature.trim(), count: '', expiry: '' }], newFeature: '' });
  }

  private get vendorAdmin(): boolean {
    return this.api.session$.value?.user.role === 'vendor-admin';
  }

  /** The label the page shows for a field the back office or the form check names. */
  private labelOf(field: string): string | undefined {
    const labels: Record<string, string> = {
      users: msg('Users', { id: 'detail.entitlement.users' }),
      maintenanceStart: msg('Maintenance start', { id: 'detail.entitlement.maintenanceStart' }),
      maintenanceEnd: msg('Maintenance end', { id: 'detail.entitlement.maintenanceEnd' }),
      expiry: msg('License expiry', { id: 'detail.entitlement.expiry' }),
      newFeature: msg('New feature', { id: 'detail.entitlement.newFeature' }),
      message: msg('Message to the administrator', { id: 'detail.assistance.message' }),
    };
    if (field in labels) return labels[field];
    const m = /^features\.(\d+)\.(\w+)$/.exec(field);
    const feature = m ? this.form?.features[Number(m[1])] : undefined;
    if (m && feature) return m[2] === 'count' ? `${msg('Count', { id: 'detail.entitlement.featureCount' })} (${feature.id})` : feature.id;
    return undefined;
  }

  private errorOf(e: ErrorInfo): string {
    return errorText(labelled(e, (f) => this.labelOf(f)));
  }

  private async issue(): Promise<void> {
    if (!this.form || this.busy || formProblem(this.form)) return;
    this.busy = true;
    try {
      const r = await this.api.changeEntitlement(this.serial, editOf(this.form));
      this.baseline = undefined;
      this.form = undefined;
      this.preview = undefined;
      this.fieldError = undefined;
      this.entitlementMessage = {
        kind: 'ok',
        text: r.license ? msg(str`License seq ${r.license.seq} issued; the installation gets it within seconds while it is connected.`, { id: 'detail.entitlement.issued' }) : msg('Nothing changed; no license issued.', { id: 'detail.entitlement.unchanged' }),
      };
      this.reload$.next();
    } catch (e) {
      this.fieldError = e as ErrorInfo;
      this.entitlementMessage = { kind: 'error', text: this.errorOf(e as ErrorInfo) };
    } finally {
      this.busy = false;
    }
  }

  private async requestAssistance(): Promise<void> {
    if (this.busy) return;
    // The back office's own rule, checked before sending (control characters, length).
    const problem = assistanceMessageProblem(this.message);
    if (problem) {
      this.assistanceError = { code: `backoffice.field.${problem.rule}`, field: 'message', params: { field: 'message', ...('limit' in problem ? { limit: problem.limit } : {}) } };
      return;
    }
    this.busy = true;
    this.assistanceError = undefined;
    try {
      await this.api.requestAssistance(this.serial, this.message.trim());
      this.message = '';
      this.reload$.next();
    } catch (e) {
      this.assistanceError = e as ErrorInfo;
    } finally {
      this.busy = false;
    }
  }

  private async cancelAssistance(id: string): Promise<void> {
    this.busy = true;
    try {
      await this.api.cancelAssistance(this.serial, id);
      this.reload$.next();
    } catch (e) {
      this.assistanceError = e as ErrorInfo;
    } finally {
      this.busy = false;
    }
  }

  // ---- rendering ---------------------------------------------------------------------------------

  override render() {
    const l = this.loaded;
    if (l.kind === 'loading') return html`<p role="status">${msg('Loading…', { id: 'detail.loading' })}</p>`;
    if (l.kind === 'not-found')
      return html`<h2>${msg('Installation not found', { id: 'detail.notFound' })}</h2>
        <p id="not-found">${msg('There is no installation with this serial number that you may see.', { id: 'detail.notFound.text' })}</p>
        <p><a href="/">${msg('Back to the installations', { id: 'detail.back' })}</a></p>`;
    if (l.kind === 'error') return html`<p role="alert" class="error">${errorText(l.error)}</p>`;
    const d = l.detail;
    return html`<p><a href="/">${msg('Installations', { id: 'detail.up' })}</a></p>
      <h2>${msg('Installation', { id: 'detail.title' })} <span id="serial">${d.summary.serial}</span></h2>
      ${this.renderFacts(d)} ${this.renderAssistance(d)} ${this.renderEntitlement(d)} ${this.renderLicenses(d)} ${this.renderReceipts(d)} ${this.renderHeartbeats(d)}
      ${this.renderAudit(d)}`;
  }

  private renderFacts(d: InstallationDetail): TemplateResult {
    const s = d.summary;
    const c = connectionOf(s, this.now);
    const lic = licenseStateOf(s.served, this.now);
    const pending = pendingOf(s);
    return html`<section aria-labelledby="facts-heading">
      <h3 id="facts-heading">${msg('Overview', { id: 'detail.overview' })}</h3>
      <dl class="facts">
        <dt>${msg('Connection', { id: 'detail.connection' })}</dt>
        <dd id="connection" data-connected=${c.connected ? 'true' : 'false'}><span class=${c.connected ? 'ok' : 'muted'}>${text(c.text)}</span></dd>
        <dt>${msg('Product', { id: 'detail.product' })}</dt>
        <dd>${s.product}${s.productVersion ? ` ${s.productVersion}` : ''}</dd>
        <dt>${msg('Service organisation', { id: 'detail.organisation' })}</dt>
        <dd>${s.organisationId}</dd>
        <dt>${msg('Host name', { id: 'detail.hostname' })}</dt>
        <dd>${s.hostname ?? '–'}</dd>
        <dt>${msg('ORS service version', { id: 'detail.orsVersion' })}</dt>
        <dd>${s.orsVersion ?? '–'}</dd>
        <dt>${msg('License served', { id: 'detail.served' })}</dt>
        <dd id="served">
          ${s.served
            ? html`${t('website.license.served', { seq: s.served.seq })}, ${s.served.fetchedAt ? t('website.license.fetched', { at: s.served.fetchedAt }) : t('website.license.not-fetched')}`
            : t('website.license.none')}
        </dd>
        <dt>${msg('License installed', { id: 'detail.installed' })}</dt>
        <dd id="installed">${s.installed ? t('website.license.installed', { seq: s.installed.seq }) : '–'}</dd>
        <dt>${msg('Pending', { id: 'detail.pending' })}</dt>
        <dd id="pending">${pending ? html`<span class=${pending.badge}>${text(pending.text)}</span>` : t('website.pending.none')}</dd>
        <dt>${msg('License state', { id: 'detail.state' })}</dt>
        <dd id="license-state"><span class=${lic.badge}>${text(lic.text)}</span></dd>
      </dl>
    </section>`;
  }

  private renderAssistance(d: InstallationDetail): TemplateResult {
    const open = d.assistance.find((r) => isOpenAssistance(assistanceOf(r, this.now).state));
    const latest = d.assistance[0];
    return html`<section aria-labelledby="assistance-heading">
      <h3 id="assistance-heading">${msg('Remote assistance', { id: 'detail.assistance' })}</h3>
      ${latest ? this.renderRequest(latest, latest === open) : nothing}
      ${open
        ? nothing
        : html`<div class="field">
              <label for="assistance-message">${msg('Message to the administrator', { id: 'detail.assistance.message' })}</label>
              <textarea
                id="assistance-message"
                rows="3"
                maxlength=${MAX_ASSISTANCE_MESSAGE}
                .value=${this.message}
                aria-describedby="assistance-hint"
                aria-invalid=${this.assistanceError?.field === 'message' ? 'true' : 'false'}
                @input=${(e: Event) => (this.message = (e.target as HTMLTextAreaElement).value)}
              ></textarea>
              <span class="hint" id="assistance-hint"
                >${msg('The administrator sees it in the console with [Start remote assistance] and [Decline]; TeamViewer starts only on their click.', { id: 'detail.assistance.hint' })}</span
              >
            </div>
            <div class="actions">
              <button id="request-assistance" class="primary" ?disabled=${this.busy || !this.message.trim()} @click=${() => void this.requestAssistance()}>
                ${msg('Request remote assistance', { id: 'detail.assistance.request' })}
              </button>
            </div>`}
      ${this.assistanceError ? html`<p role="alert" class="error">${this.errorOf(this.assistanceError)}</p>` : nothing}
      ${d.assistance.length > 1
        ? html`<table>
            <caption>
              ${msg('Earlier requests', { id: 'detail.assistance.history' })}
            </caption>
            <thead>
              <tr>
                <th scope="col">${msg('Requested', { id: 'detail.assistance.at' })}</th>
                <th scope="col">${msg('By', { id: 'detail.assistance.by' })}</th>
                <th scope="col">${msg('State', { id: 'detail.assistance.state' })}</th>
                <th scope="col">${msg('TeamViewer ID', { id: 'detail.assistance.id' })}</th>
              </tr>
            </thead>
            <tbody>
              ${d.assistance.slice(1).map((r) => {
                const a = assistanceOf(r, this.now);
                return html`<tr>
                  <td>${when(r.createdAt)}</td>
                  <td>${r.requestedBy}</td>
                  <td><span class=${assistanceBadge(a.state)}>${text(a.text)}</span>${a.reason ? html` <span class="muted">${text(a.reason)}</span>` : nothing}</td>
                  <td>${r.teamViewerId ? formatTeamViewerId(r.teamViewerId) : '–'}</td>
                </tr>`;
              })}
            </tbody>
          </table>`
        : nothing}
    </section>`;
  }

  private renderRequest(r: AssistanceRequest, open: boolean): TemplateResult {
    const a = assistanceOf(r, this.now);
    return html`<div id="request" data-state=${a.state}>
      <p>${t('website.assistance.by', { technician: r.requestedBy, at: r.createdAt, message: r.message })}</p>
      <p>
        <span id="request-state-label">${msg('State:', { id: 'detail.assistance.stateLabel' })}</span>
        <span id="request-state" role="status" aria-labelledby="request-state-label" class=${assistanceBadge(a.state)}>${text(a.text)}</span>
        ${a.state === 'requested' || a.state === 'delivered' ? html`<span class="muted">${t('website.assistance.expires', { at: r.expiresAt })}</span>` : nothing}
      </p>
      ${a.reason ? html`<p id="request-reason">${text(a.reason)}</p>` : nothing}
      ${r.teamViewerId
        ? html`<p><span id="tv-label">${msg('TeamViewer ID', { id: 'detail.assistance.id' })}</span> <output id="tv-id" class="tv-id" aria-labelledby="tv-label">${formatTeamViewerId(r.teamViewerId)}</output></p>`
        : nothing}
      ${open && a.state !== 'started'
        ? html`<div class="actions"><button id="cancel-assistance" ?disabled=${this.busy} @click=${() => void this.cancelAssistance(r.id)}>${msg('Withdraw the request', { id: 'detail.assistance.cancel' })}</button></div>`
        : nothing}
    </div>`;
  }

  /** What a technician sees: the entitlement, read-only (only the vendor's administrators change it). */
  private renderEntitlementView(e: EntitlementView | null): TemplateResult {
    return html`<section aria-labelledby="entitlement-heading">
      <h3 id="entitlement-heading">${msg('Entitlement', { id: 'detail.entitlement' })}</h3>
      ${e
        ? html`<dl class="facts" id="entitlement">
            <dt>${msg('Users', { id: 'detail.entitlement.users' })}</dt>
            <dd id="entitlement-users">${e.users}</dd>
            <dt>${msg('Maintenance', { id: 'detail.licenses.maintenance' })}</dt>
            <dd>${day(e.maintenance.start)} – ${day(e.maintenance.end)}</dd>
            <dt>${msg('Expiry', { id: 'detail.licenses.expiry' })}</dt>
            <dd>${e.expiry === 'perpetual' ? msg('Never expires', { id: 'detail.entitlement.perpetual' }) : day(e.expiry)}</dd>
            <dt>${msg('Features', { id: 'detail.licenses.features' })}</dt>
            <dd>${e.features.map((f) => f.id + (f.count !== undefined ? ` (${f.count})` : '')).join(', ') || '–'}</dd>
          </dl>`
        : html`<p>–</p>`}
      <p class="hint">${msg('Only the vendor’s administrators change the entitlement.', { id: 'detail.entitlement.readOnly' })}</p>
    </section>`;
  }

  private renderEntitlement(d: InstallationDetail): TemplateResult {
    if (!this.vendorAdmin) return this.renderEntitlementView(d.entitlement);
    const f = this.form ?? formOf(d);
    const err = (field: string): ErrorInfo | undefined => (this.fieldError?.field === field ? labelled(this.fieldError, (x) => this.labelOf(x)) : undefined);
    const p = this.preview;
    return html`<section aria-labelledby="entitlement-heading">
      <h3 id="entitlement-heading">${msg('Entitlement', { id: 'detail.entitlement' })}</h3>
      <div class="grid">
        ${textField({ id: 'users', type: 'number', inputmode: 'numeric', label: msg('Users', { id: 'detail.entitlement.users' }), value: f.users, ...(err('users') ? { error: err('users')! } : {}), onInput: (v) => this.change({ users: v }) })}
        ${textField({ id: 'maintenanceStart', type: 'date', label: msg('Maintenance start', { id: 'detail.entitlement.maintenanceStart' }), value: f.maintenanceStart, ...(err('maintenanceStart') ? { error: err('maintenanceStart')! } : {}), onInput: (v) => this.change({ maintenanceStart: v }) })}
        ${textField({ id: 'maintenanceEnd', type: 'date', label: msg('Maintenance end', { id: 'detail.entitlement.maintenanceEnd' }), value: f.maintenanceEnd, ...(err('maintenanceEnd') ? { error: err('maintenanceEnd')! } : {}), onInput: (v) => this.change({ maintenanceEnd: v }) })}
        <div>
          <div>
            <input type="checkbox" id="perpetual" .checked=${f.perpetual} @change=${(e: Event) => this.change({ perpetual: (e.target as HTMLInputElement).checked })} />
            <label for="perpetual">${msg('Never expires', { id: 'detail.entitlement.perpetual' })}</label>
          </div>
          ${f.perpetual ? nothing : textField({ id: 'expiry', type: 'date', label: msg('License expiry', { id: 'detail.entitlement.expiry' }), value: f.expiry, ...(err('expiry') ? { error: err('expiry')! } : {}), onInput: (v) => this.change({ expiry: v }) })}
        </div>
      </div>
      <fieldset>
        <legend>${msg('Optional features', { id: 'detail.entitlement.features' })}</legend>
        ${f.features.map(
          (x, i) => html`<div class="actions" data-feature=${x.id}>
            <span id=${`feature-${i}`}>${x.id}</span>
            <label for=${`feature-${i}-count`}>${msg('Count', { id: 'detail.entitlement.featureCount' })}</label>
            <input id=${`feature-${i}-count`} type="number" inputmode="numeric" .value=${x.count} aria-describedby=${`feature-${i}`} @input=${(e: Event) => this.change({ features: f.features.map((y, j) => (j === i ? { ...y, count: (e.target as HTMLInputElement).value } : y)) })} />
            <button aria-describedby=${`feature-${i}`} @click=${() => this.change({ features: f.features.filter((_, j) => j !== i) })}>${msg('Remove', { id: 'detail.entitlement.removeFeature' })}</button>
          </div>`,
        )}
        <div class="actions">
          <label for="new-feature">${msg('New feature', { id: 'detail.entitlement.newFeature' })}</label>
          <input
            id="new-feature"
            .value=${f.newFeature}
            aria-invalid=${this.featureError ? 'true' : 'false'}
            aria-describedby=${this.featureError ? 'new-feature-error' : nothing}
            @input=${(e: Event) => {
              this.featureError = undefined;
              if (this.form) this.form = { ...this.form, newFeature: (e.target as HTMLInputElement).value };
            }}
          />
          <button id="add-feature" ?disabled=${!f.newFeature.trim()} @click=${() => this.addFeature(f)}>${msg('Add', { id: 'detail.entitlement.addFeature' })}</button>
        </div>
        ${this.featureError ? html`<p class="error" id="new-feature-error">${this.errorOf(this.featureError)}</p>` : nothing}
        ${this.fieldError && this.fieldError.field?.startsWith('features') ? html`<p class="error">${this.errorOf(this.fieldError)}</p>` : nothing}
      </fieldset>
      <div id="preview" role="status" aria-live="polite">${p && this.dirty ? this.renderPreview(p) : nothing}</div>
      <div class="actions">
        <button id="issue" class="primary" ?disabled=${!this.dirty || this.busy || !!this.fieldError} @click=${() => void this.issue()}>${msg('Issue the new license', { id: 'detail.entitlement.issue' })}</button>
        <button id="reset" ?disabled=${!this.dirty || this.busy} @click=${() => this.reset(d)}>
          ${msg('Reset', { id: 'detail.entitlement.reset' })}
        </button>
      </div>
      ${this.entitlementMessage ? html`<p id="entitlement-message" role=${this.entitlementMessage.kind === 'error' ? 'alert' : 'status'} class=${this.entitlementMessage.kind === 'error' ? 'error' : 'ok'}>${this.entitlementMessage.text}</p>` : nothing}
    </section>`;
  }

  /** The announcement the customer's console will show, from the one rule in common/license-update. */
  private renderPreview(p: EntitlementPreview): TemplateResult {
    const event = { id: 'preview', time: '', licenseId: '', serial: p.serial, seq: 0, kind: p.kind, changes: p.changes };
    const detail = announcementDetail(event);
    return html`<div class=${`preview ${p.kind === 'awaiting-confirmation' ? 'warning' : ''}`}>
      <p><strong>${msg('The customer’s console will announce:', { id: 'detail.preview' })}</strong></p>
      <p id="announcement">${text(announcementMessage(event))}</p>
      ${detail ? html`<p class="muted">${text(detail)}</p>` : nothing}
    </div>`;
  }

  private renderLicenses(d: InstallationDetail): TemplateResult {
    return html`<section aria-labelledby="licenses-heading">
      <h3 id="licenses-heading">${msg('Issued licenses', { id: 'detail.licenses' })}</h3>
      ${d.licenses.length === 0
        ? html`<p>${t('website.license.none')}</p>`
        : html`<table aria-labelledby="licenses-heading">
            <thead>
              <tr>
                <th scope="col">seq</th>
                <th scope="col">${msg('Issued', { id: 'detail.licenses.issued' })}</th>
                <th scope="col">${msg('Fetched', { id: 'detail.licenses.fetched' })}</th>
                <th scope="col">${msg('Users', { id: 'detail.entitlement.users' })}</th>
                <th scope="col">${msg('Maintenance', { id: 'detail.licenses.maintenance' })}</th>
                <th scope="col">${msg('Expiry', { id: 'detail.licenses.expiry' })}</th>
                <th scope="col">${msg('Features', { id: 'detail.licenses.features' })}</th>
              </tr>
            </thead>
            <tbody>
              ${d.licenses.map(
                (l) => html`<tr data-seq=${l.seq}>
                  <td>${l.seq}</td>
                  <td>${when(l.issuedAt)}</td>
                  <td>${when(l.fetchedAt ?? undefined)}</td>
                  <td>${l.payload.users}</td>
                  <td>${day(l.payload.maintenance.start)} – ${day(l.payload.maintenance.end)}</td>
                  <td>${day(l.payload.expiry)}</td>
                  <td>${l.payload.features.map((f) => f.id + (f.count !== undefined ? ` (${f.count})` : '')).join(', ') || '–'}</td>
                </tr>`,
              )}
            </tbody>
          </table>`}
    </section>`;
  }

  private renderReceipts(d: InstallationDetail): TemplateResult {
    return html`<section aria-labelledby="receipts-heading">
      <h3 id="receipts-heading">${msg('Receipts from the installation', { id: 'detail.receipts' })}</h3>
      ${d.receipts.length === 0
        ? html`<p>${msg('No receipt yet.', { id: 'detail.receipts.none' })}</p>`
        : html`<ol id="receipts">
            ${d.receipts.map(
              (r) => html`<li data-kind=${r.kind} data-seq=${r.seq}>
                ${when(r.receivedAt)}: <strong>${t(`website.receipt.${r.kind}`)}</strong> (seq ${r.seq})${r.reason ? html` — ${reasonText(r.reason)}` : nothing}
              </li>`,
            )}
          </ol>`}
    </section>`;
  }

  private renderHeartbeats(d: InstallationDetail): TemplateResult {
    return html`<section aria-labelledby="heartbeats-heading">
      <h3 id="heartbeats-heading">${msg('Heartbeats', { id: 'detail.heartbeats' })}</h3>
      ${d.heartbeats.length === 0
        ? html`<p>${msg('No heartbeat yet.', { id: 'detail.heartbeats.none' })}</p>`
        : html`<table aria-labelledby="heartbeats-heading">
            <thead>
              <tr>
                <th scope="col">${msg('Time', { id: 'detail.heartbeats.at' })}</th>
                <th scope="col">${msg('ORS service version', { id: 'detail.orsVersion' })}</th>
                <th scope="col">${msg('Host name', { id: 'detail.hostname' })}</th>
              </tr>
            </thead>
            <tbody>
              ${d.heartbeats.map((h) => html`<tr><td>${when(h.at)}</td><td>${h.orsVersion ?? '–'}</td><td>${h.hostname ?? '–'}</td></tr>`)}
            </tbody>
          </table>`}
    </section>`;
  }

  private renderAudit(d: InstallationDetail): TemplateResult {
    return html`<section aria-labelledby="audit-heading">
      <h3 id="audit-heading">${msg('Audit trail', { id: 'detail.audit' })}</h3>
      ${d.audit.length === 0
        ? html`<p>–</p>`
        : html`<ol id="audit">
            ${d.audit.map(
              (a) => html`<li>
                ${when(a.at)}: ${a.actor} ${hasMessage(`website.audit.${a.action}`) ? t(`website.audit.${a.action}`) : a.action}
                ${auditDetail(a.detail)}
              </li>`,
            )}
          </ol>`}
    </section>`;
  }
}
