import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { Subscription } from 'rxjs';
import { onCatalogueChange } from '../elements/l10n.js';
import type { WebsiteApi } from './api.js';
import { siteStyles } from './styles.js';

/**
 * A page of the website: gets the API from the shell, follows its streams while connected (one
 * subscription list, dropped on disconnect) and re-renders on a language switch.
 */
export abstract class SitePage extends LitElement {
  static override styles = [siteStyles];

  @property({ attribute: false }) api!: WebsiteApi;
  private subscriptions: Subscription[] = [];
  private offCatalogue?: () => void;

  /** The subscriptions this page holds while it is shown. */
  protected follow(): Subscription[] {
    return [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.offCatalogue = onCatalogueChange(() => this.requestUpdate());
    this.subscriptions = this.follow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offCatalogue?.();
    for (const s of this.subscriptions) s.unsubscribe();
    this.subscriptions = [];
  }

  /** Moves to another page of the site (history entry + router). */
  protected navigate(path: string): void {
    this.dispatchEvent(new CustomEvent('site-navigate', { bubbles: true, composed: true, detail: { path } }));
  }
}
