import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import type { PrerequisitesView } from '../../common/remote-assistance/api.js';
import type { Prerequisite } from '../../common/remote-assistance/prerequisites.js';
import { FormSection } from '../../elements/form-section.js';
import { t } from '../../elements/l10n.js';
import type { FormState } from './form-model.js';

/** Asks the dialog to show where an unmet prerequisite is fixed (another tab, or another node's dialog). */
export const FIX_PREREQUISITE = 'fix-prerequisite';

/**
 * The manual's first steps: [Enable], [Remote Assistance] (the feature), and — the procedure
 * "Fernunterstützung zulassen" — [Allow remote assistance] with its prerequisites inline, each met
 * or not with a link to fix it. Allowing is the same setting as in the Remote assistance node: the
 * checkbox can be ticked only once every prerequisite holds (the plugin refuses it otherwise).
 */
@localized()
@customElement('ors-rs-general')
export class GeneralSection extends FormSection<FormState> {
  /** Whether the saved settings have loaded (Enable stays greyed until then). */
  @property({ type: Boolean }) loaded = false;
  /** The remote-assistance prerequisites as the plugin derives them (undefined while loading). */
  @property({ attribute: false }) prerequisites?: PrerequisitesView;

  override render(): TemplateResult {
    const inactive = !this.loaded || !this.form.enabled;
    return html`${this.checkbox('enabled', 'enabled', msg('Enable', { id: 'remote.enable' }), {
        disabled: !this.loaded,
        hint: msg('While this is off there is no connection to the remote-service back office.', { id: 'remote.enable.hint' }),
      })}
      ${this.checkbox('remoteAssistanceFeature', 'remoteAssistanceFeature', msg('Remote Assistance', { id: 'remote.ra' }), {
        disabled: inactive,
        hint: msg('To allow remote assistance, first configure the proxy server manually, then use Allow remote assistance.', { id: 'remote.ra.hint' }),
      })}
      ${this.renderAllow(inactive)}`;
  }

  private renderAllow(inactive: boolean): TemplateResult {
    const p = this.prerequisites;
    const allowed = this.form.allowRemoteAssistance;
    // Unticking is always possible; ticking only once every prerequisite holds (as saved and connected).
    const blocked = !p?.allMet && !allowed;
    return html`<fieldset id="allow-remote-assistance" ?disabled=${inactive}>
      <legend>${msg('Remote assistance', { id: 'remote.allow.legend' })}</legend>
      ${this.checkbox('allowRemoteAssistance', 'allowRemoteAssistance', msg('Allow remote assistance', { id: 'remote.allow' }), {
        disabled: blocked,
        hint: p?.allMet
          ? msg('The help desk can connect only after you start remote assistance on the Remote Service node.', { id: 'remote.allow.hint' })
          : msg('Available once every prerequisite below is met; changes elsewhere in this dialog count once saved.', { id: 'remote.allow.blocked' }),
      })}
      ${p
        ? html`<ul class="prereqs" aria-label=${msg('Prerequisites for remote assistance', { id: 'remote.allow.prerequisites' })}>
            ${p.prerequisites.map((x) => this.renderPrerequisite(x))}
          </ul>`
        : html`<p class="hint">${msg('Loading the prerequisites…', { id: 'remote.allow.loading' })}</p>`}
    </fieldset>`;
  }

  private renderPrerequisite(p: Prerequisite): TemplateResult {
    return html`<li data-prereq=${p.id} class=${p.met ? 'met' : 'unmet'}>
      <span class="mark" aria-hidden="true">${p.met ? '✓' : '✗'}</span>
      <span
        ><span class="visually-hidden">${p.met ? msg('Met:', { id: 'remote.allow.met' }) : msg('Not met:', { id: 'remote.allow.unmet' })} </span>${t(`remote-assistance.prereq-title.${p.id}`)}
        <span class="hint">— ${t(p.reason, p.params)}</span>
        ${p.fix
          ? html`<button type="button" class="link" data-fix=${p.id} @click=${() => this.dispatchEvent(new CustomEvent(FIX_PREREQUISITE, { detail: p, bubbles: true, composed: true }))}>
              ${msg('Fix…', { id: 'remote.allow.fix' })}
            </button>`
          : nothing}</span
      >
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-rs-general': GeneralSection;
  }
}
