import { LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { Subscription } from 'rxjs';
import { DIRTY_CHANGE, type BrowserPluginContext, type PropertyViewElement } from '../common/browser-plugin-api.js';

/**
 * Base of the plugin's property views: takes the console's context, follows the view's service
 * streams while it is connected (again whenever the context changes), and tells the dialog frame
 * when the dirty state flips.
 */
export abstract class ServiceView extends LitElement implements PropertyViewElement {
  @property({ attribute: false }) context?: BrowserPluginContext;
  @property() nodeId?: string;
  @property() itemId?: string;
  private lastDirty = false;
  private subscriptions: Subscription[] = [];

  abstract get dirty(): boolean;
  abstract apply(): Promise<void>;

  /** Subscribes to the view's services; called with a context, the subscriptions are ended for it. */
  protected abstract follow(context: BrowserPluginContext): Subscription[];

  override connectedCallback(): void {
    super.connectedCallback();
    this.resubscribe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.endSubscriptions();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('context') && this.isConnected) this.resubscribe();
  }

  protected override updated(): void {
    if (this.dirty !== this.lastDirty) {
      this.lastDirty = this.dirty;
      this.dispatchEvent(new CustomEvent(DIRTY_CHANGE, { bubbles: true, composed: true }));
    }
  }

  private resubscribe(): void {
    this.endSubscriptions();
    if (this.context) this.subscriptions = this.follow(this.context);
  }

  private endSubscriptions(): void {
    for (const s of this.subscriptions) s.unsubscribe();
    this.subscriptions = [];
  }
}
