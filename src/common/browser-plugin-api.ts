import type { Remote } from './rpc/protocol.js';
import type { Locale } from './i18n.js';

/** What a plugin's browser entry receives from the console: `activate(context)`. */
export interface BrowserPluginContext {
  readonly pluginId: string;
  /** Typed proxy of a service the plugin exposed on the Node side (`context.rpc.expose(name, …)`). */
  service<T>(name: string): Remote<T>;
  /** Typed proxy of a host service (e.g. `host`). */
  hostService<T>(name: string): Remote<T>;
  /** Adds the plugin's @lit/localize templates for a language. */
  addTemplates(locale: Locale, templates: Readonly<Record<string, unknown>>): void;
}

export interface BrowserPluginModule {
  activate(context: BrowserPluginContext): void | Promise<void>;
}

/**
 * The contract of a property view element (the content of a property dialog). The console creates
 * the element named in the manifest, sets `context`, `nodeId` and `itemId`, listens for
 * `dirty-change`, and calls `apply()` on OK/Apply. `apply()` rejects with a CodedError; an error
 * with a `field` is shown by the view at that field.
 */
export interface PropertyViewElement extends HTMLElement {
  context?: BrowserPluginContext;
  nodeId?: string;
  itemId?: string;
  /** The page (tab) to open on, when the console was asked for one. */
  page?: string;
  readonly dirty: boolean;
  apply(): Promise<void>;
}

export const DIRTY_CHANGE = 'dirty-change';
