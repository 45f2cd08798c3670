import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import type { BrowserPluginContext, PropertyViewElement } from '../common/browser-plugin-api.js';

/** Base of the plugin's property views until their content lands: nothing to edit, never dirty. */
export abstract class ReadOnlyView extends LitElement implements PropertyViewElement {
  static override styles = css`
    :host {
      display: block;
      max-width: 60ch;
    }
  `;

  @property({ attribute: false }) context?: BrowserPluginContext;
  @property() nodeId?: string;
  @property() itemId?: string;

  get dirty(): boolean {
    return false;
  }

  async apply(): Promise<void> {
    // Nothing to save.
  }

  protected body(title: string, lines: readonly string[]) {
    return html`<section aria-label=${title}>${lines.map((l) => html`<p>${l}</p>`)}</section>`;
  }
}
