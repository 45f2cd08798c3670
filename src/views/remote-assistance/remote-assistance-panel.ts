import { formStyles } from '../form-styles.js';
import { ServiceView } from '../service-view.js';
import { css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import type { Subscription } from 'rxjs';
import { CodedError, type ErrorInfo } from '../../common/errors.js';
import { REMOTE_ASSISTANCE_SERVICE, type PrerequisitesView, type RemoteAssistanceService } from '../../common/remote-assistance/api.js';
import { formatTeamViewerId, type LaunchState } from '../../common/remote-assistance/model.js';
import { teamViewerPrerequisite, type Prerequisite } from '../../common/remote-assistance/prerequisites.js';
import { validateTeamViewerPath } from '../../common/remote-assistance/settings.js';
import { errorText, t } from '../../elements/l10n.js';
import type { Remote } from '../../common/rpc/protocol.js';

/** Asks the console to switch the dialog to another node's properties (the fix links). */
export const OPEN_PROPERTIES = 'open-properties';

/** Where each fix command leads: the node whose property dialog fixes it. */
const FIX_NODES: Readonly<Record<string, string>> = { 'remoteService.properties': 'remote-service' };

/**
 * Remote Service → Remote assistance (SPEC F4): the prerequisites, each met or not with a link to
 * fix it; the QuickSupport path and [Allow remote assistance], saved by the dialog's OK/Apply (no
 * second [Save]); Start/Stop; the TeamViewer ID in large type with a copy button; the state; and
 * what to tell the help desk. Rules live in common/ and the plugin.
 */
@localized()
@customElement('ors-remote-assistance-panel')
export class RemoteAssistancePanel extends ServiceView {
  static override styles = [
    formStyles,
    css`
    :host {
      display: block;
      max-width: 68ch;
    }
    ul.prereqs {
      list-style: none;
      padding: 0;
      margin: 0 0 12px;
    }
    ul.prereqs li {
      display: grid;
      grid-template-columns: 1.5em 1fr;
      gap: 2px 6px;
      margin: 6px 0;
    }
    .mark {
      font-weight: bold;
    }
    .met .mark {
      color: var(--ors-ok, #146c2e);
    }
    .unmet .mark,
    .error {
      color: var(--ors-error, #b3261e);
    }
    .reason,
    .hint {
      grid-column: 2;
      color: var(--ors-fg-muted, #555);
      font-size: 0.9em;
    }
    button.link {
      background: none;
      border: none;
      padding: 0;
      color: var(--ors-link, #0b57d0);
      text-decoration: underline;
      cursor: pointer;
      font: inherit;
    }
    .actions {
      display: flex;
      gap: 8px;
      flex-wrap: wrap;
      margin: 8px 0;
      align-items: center;
    }
    .id-box {
      display: flex;
      gap: 12px;
      align-items: center;
      margin: 8px 0;
    }
    .tv-id {
      font-size: 2rem;
      font-weight: 600;
      letter-spacing: 0.05em;
      font-variant-numeric: tabular-nums;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 2px 12px;
    }
    dd {
      margin: 0;
      font-family: var(--ors-mono, monospace);
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
  `,
  ];

  @state() private view?: PrerequisitesView;
  @state() private launch?: LaunchState;
  @state() private allow = false;
  @state() private path = '';
  @state() private pathError?: ErrorInfo;
  /** What [Look for TeamViewer again] found at a path typed but not saved yet. */
  @state() private pathCheck?: { path: string; found: Prerequisite };
  @state() private message?: { kind: 'ok' | 'error'; text: string };
  @state() private busy = false;
  @state() private copied = false;

  private get service(): Remote<RemoteAssistanceService> | undefined {
    return this.context?.service<RemoteAssistanceService>(REMOTE_ASSISTANCE_SERVICE);
  }

  get dirty(): boolean {
    return !!this.view && (this.allow !== this.view.allowed || this.path.trim() !== this.view.teamViewerPath);
  }

  protected override follow(): Subscription[] {
    const service = this.service;
    if (!service) return [];
    return [
      service.prerequisites$().subscribe({
        next: (v) => {
          const wasDirty = this.dirty;
          const first = !this.view;
          this.view = v;
          // A newer version saved elsewhere replaces the form only while nothing is being edited.
          if (first || !wasDirty) {
            this.allow = v.allowed;
            this.path = v.teamViewerPath;
          }
        },
      }),
      service.state$().subscribe({ next: (s) => (this.launch = s) }),
    ];
  }

  /** The dialog's OK/Apply: the QuickSupport path first, then the permission. */
  async apply(): Promise<void> {
    const service = this.service;
    const view = this.view;
    if (!service || !view || !this.dirty) return;
    const invalid = validateTeamViewerPath(this.path);
    if (invalid) {
      this.pathError = invalid;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#tv-path')?.focus());
      throw new CodedError(invalid.code, invalid.params ?? {}, { field: 'teamViewerPath' });
    }
    this.busy = true;
    this.message = undefined;
    // What this save sends; a box ticked or a path typed while it is on its way is a newer edit and stays.
    const sent = { allow: this.allow, path: this.path.trim() };
    try {
      let v = view;
      if (sent.path !== v.teamViewerPath) v = await service.setTeamViewerPath(sent.path, v.settingsVersion);
      if (sent.allow !== v.allowed) v = await service.allow(sent.allow, v.settingsVersion);
      this.view = v;
      if (this.allow === sent.allow) this.allow = v.allowed;
      if (this.path.trim() === sent.path) this.path = v.teamViewerPath;
      this.pathCheck = undefined;
      this.message = { kind: 'ok', text: msg('Saved.', { id: 'remote-assistance.ui.saved' }) };
    } catch (e) {
      const info = e as ErrorInfo;
      if (info.field === 'teamViewerPath') this.pathError = info;
      this.message = { kind: 'error', text: errorText(info) };
      throw e;
    } finally {
      this.busy = false;
    }
  }

  /** [Look for TeamViewer again]: at the typed path when it is not saved yet (nothing saved), else as saved. */
  private async lookAgain(service: Remote<RemoteAssistanceService>): Promise<void> {
    const typed = this.path.trim();
    if (!this.view || typed === this.view.teamViewerPath) {
      this.pathCheck = undefined;
      this.view = await service.refresh();
      return;
    }
    const invalid = validateTeamViewerPath(this.path);
    if (invalid) {
      this.pathError = invalid;
      return;
    }
    this.pathCheck = { path: typed, found: teamViewerPrerequisite(await service.check(typed)) };
  }

  private async run(action: 'start' | 'stop' | 'refresh'): Promise<void> {
    const service = this.service;
    if (!service) return;
    this.busy = true;
    this.message = undefined;
    try {
      if (action === 'refresh') await this.lookAgain(service);
      else await service[action]();
    } catch (e) {
      this.message = { kind: 'error', text: errorText(e as ErrorInfo) };
    } finally {
      this.busy = false;
    }
  }

  private async copyId(id: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(id);
      this.copied = true;
    } catch {
      // No clipboard permission: select the ID so Ctrl+C copies it.
      const el = this.renderRoot.querySelector('#tv-id');
      if (el) window.getSelection()?.selectAllChildren(el);
      this.copied = false;
    }
  }

  private fix(command: string): void {
    if (command === 'remoteAssistance.properties') {
      // Already here: the fix is the path field below.
      this.renderRoot.querySelector<HTMLElement>('#tv-path')?.focus();
      return;
    }
    const nodeId = FIX_NODES[command];
    if (nodeId) this.dispatchEvent(new CustomEvent(OPEN_PROPERTIES, { bubbles: true, composed: true, detail: { nodeId, itemId: nodeId } }));
  }

  // ---- rendering ---------------------------------------------------------------------------------

  override render() {
    if (!this.view) return html`<p role="status">${msg('Loading…', { id: 'remote-assistance.ui.loading' })}</p>`;
    return html`${this.renderPrerequisites(this.view)} ${this.renderAllow(this.view)} ${this.renderSession(this.view)}
      ${this.message ? html`<p role="alert" class=${this.message.kind === 'error' ? 'error' : ''} id="message">${this.message.text}</p>` : nothing}`;
  }

  private renderPrerequisite(p: Prerequisite): TemplateResult {
    return html`<li data-prereq=${p.id} class=${p.met ? 'met' : 'unmet'}>
      <span class="mark" aria-hidden="true">${p.met ? '✓' : '✗'}</span>
      <span
        ><span class="visually-hidden">${p.met ? msg('Met:', { id: 'remote-assistance.ui.met' }) : msg('Not met:', { id: 'remote-assistance.ui.unmet' })} </span
        >${t(`remote-assistance.prereq-title.${p.id}`)}</span
      >
      <span class="reason">${t(p.reason, p.params)}
        ${p.fix ? html` <button class="link" data-fix=${p.fix} @click=${() => this.fix(p.fix!)}>${p.fix === 'remoteAssistance.properties' ? msg('Enter the QuickSupport path below', { id: 'remote-assistance.ui.fix.path' }) : msg('Open Remote Service settings…', { id: 'remote-assistance.ui.fix.remoteService' })}</button>` : nothing}</span
      >
    </li>`;
  }

  private renderPrerequisites(v: PrerequisitesView): TemplateResult {
    return html`<section aria-labelledby="prereq-heading">
      <h3 id="prereq-heading">${msg('Prerequisites', { id: 'remote-assistance.ui.prerequisites' })}</h3>
      <ul class="prereqs">
        ${v.prerequisites.map((p) => this.renderPrerequisite(p))}
      </ul>
      <div class="field">
        <label for="tv-path">${msg('TeamViewer QuickSupport program or folder (optional)', { id: 'remote-assistance.ui.path' })}</label>
        <input
          id="tv-path"
          type="text"
          spellcheck="false"
          autocomplete="off"
          .value=${this.path}
          aria-invalid=${this.pathError ? 'true' : 'false'}
          aria-describedby=${this.pathError ? 'tv-path-error' : 'tv-path-hint'}
          @input=${(e: Event) => {
            this.path = (e.target as HTMLInputElement).value;
            this.pathError = undefined;
            this.pathCheck = undefined;
          }}
        />
        <span class="hint" id="tv-path-hint">${msg('Empty: the installed TeamViewer is used.', { id: 'remote-assistance.ui.pathHint' })}</span>
        ${this.pathError ? html`<span class="error" id="tv-path-error">${errorText(this.pathError)}</span>` : nothing}
        <span id="tv-path-check" role="status" class=${this.pathCheck?.found.met ? 'hint' : 'hint error'}
          >${this.pathCheck
            ? html`${t(this.pathCheck.found.reason, this.pathCheck.found.params)}
              ${msg('Not saved yet: OK or Apply uses this path.', { id: 'remote-assistance.ui.checkUnsaved' })}`
            : nothing}</span
        >
      </div>
      <div class="actions">
        <button id="refresh" ?disabled=${this.busy} @click=${() => void this.run('refresh')}>${msg('Look for TeamViewer again', { id: 'remote-assistance.ui.refresh' })}</button>
      </div>
    </section>`;
  }

  private renderAllow(v: PrerequisitesView): TemplateResult {
    // Unticking is always possible; ticking only once every prerequisite holds.
    const disabled = !v.allMet && !this.allow;
    return html`<section aria-labelledby="allow-heading">
      <h3 id="allow-heading">${msg('Permission', { id: 'remote-assistance.ui.permission' })}</h3>
      <div>
        <input type="checkbox" id="allow" .checked=${this.allow} ?disabled=${disabled} aria-describedby="allow-hint" @change=${(e: Event) => (this.allow = (e.target as HTMLInputElement).checked)} />
        <label for="allow">${msg('Allow remote assistance', { id: 'remote-assistance.ui.allow' })}</label>
      </div>
      <p class="hint" id="allow-hint">
        ${v.allMet
          ? msg('The help desk can connect only after you start remote assistance here.', { id: 'remote-assistance.ui.allowHint' })
          : msg('Available once every prerequisite above is met.', { id: 'remote-assistance.ui.allowBlocked' })}
      </p>
    </section>`;
  }

  private stateText(s: LaunchState | undefined): string {
    if (!s) return '…';
    switch (s.kind) {
      case 'not-installed':
      case 'ready':
      case 'starting':
        return t(`remote-assistance.state.${s.kind}`);
      case 'running':
        return t('remote-assistance.state.running', { pid: s.pid });
      case 'ended':
        return s.stopped ? t('remote-assistance.state.stopped') : t('remote-assistance.state.ended', { exitCode: String(s.exitCode ?? s.signal ?? '') });
      case 'failed':
        return `${t('remote-assistance.state.failed')}: ${errorText(s.error)}`;
    }
  }

  private renderSession(v: PrerequisitesView): TemplateResult {
    const s = this.launch;
    const running = s?.kind === 'running';
    const id = s && (s.kind === 'running' || s.kind === 'ended') ? s.id : undefined;
    const canStart = v.allowed && v.allMet && !running && s?.kind !== 'starting';
    return html`<section aria-labelledby="session-heading">
      <h3 id="session-heading">${msg('Remote assistance session', { id: 'remote-assistance.ui.session' })}</h3>
      <p><span id="state-label">${msg('State:', { id: 'remote-assistance.ui.state' })}</span> <span id="state" role="status" aria-labelledby="state-label">${this.stateText(s)}</span></p>
      <div class="actions">
        <button id="start" ?disabled=${!canStart || this.busy} @click=${() => void this.run('start')}>${msg('Start remote assistance', { id: 'remote-assistance.ui.start' })}</button>
        <button id="stop" ?disabled=${!running || this.busy} @click=${() => void this.run('stop')}>${msg('Stop', { id: 'remote-assistance.ui.stop' })}</button>
      </div>
      ${!v.allowed ? html`<p class="hint">${t('remote-assistance.not-allowed')}</p>` : nothing}
      ${running || id
        ? html`<div class="id-box">
              <span id="id-label">${msg('TeamViewer ID', { id: 'remote-assistance.ui.id' })}</span>
              <output id="tv-id" class="tv-id" aria-labelledby="id-label">${id ? formatTeamViewerId(id) : '–'}</output>
              ${id
                ? html`<button id="copy" aria-label=${msg('Copy TeamViewer ID', { id: 'remote-assistance.ui.copyLabel' })} @click=${() => void this.copyId(id)}>${msg('Copy', { id: 'remote-assistance.ui.copy' })}</button>`
                : nothing}
              <span role="status" class="hint">${this.copied ? msg('Copied.', { id: 'remote-assistance.ui.copied' }) : ''}</span>
            </div>
            <p id="helpdesk">${id ? t('remote-assistance.helpdesk', { id: formatTeamViewerId(id) }) : t('remote-assistance.helpdesk-no-id')}</p>`
        : nothing}
      ${this.renderProxy(v)}
    </section>`;
  }

  private renderProxy(v: PrerequisitesView): TemplateResult | typeof nothing {
    const p = v.proxy;
    if (p.kind === 'none') return nothing;
    if (p.kind === 'command-line') return html`<p class="hint">${t('remote-assistance.proxy.command-line')}</p>`;
    return html`<div id="proxy-values">
      <p>${t('remote-assistance.proxy.dialog')}</p>
      <dl>
        <dt>${t('remote-assistance.proxy.host')}</dt>
        <dd id="proxy-host">${p.host}</dd>
        <dt>${t('remote-assistance.proxy.port')}</dt>
        <dd id="proxy-port">${p.port}</dd>
        ${p.username
          ? html`<dt>${t('remote-assistance.proxy.username')}</dt>
              <dd id="proxy-user">${p.username}</dd>`
          : nothing}
      </dl>
      ${p.passwordRequired ? html`<p class="hint">${t('remote-assistance.proxy.password')}</p>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-remote-assistance-panel': RemoteAssistancePanel;
  }
}
