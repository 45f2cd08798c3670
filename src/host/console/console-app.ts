import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import type { Subscription } from 'rxjs';
import type { BrowserPluginContext } from '../../common/browser-plugin-api.js';
import type {
  AboutSection,
  AttentionItem,
  AuditRow,
  ConsoleLayout,
  HostService,
  LogEntry,
  NotificationInfo,
  ProgressInfo,
  ResultItem,
  TreeNodeInfo,
} from '../../common/console-protocol.js';
import type { Locale } from '../../common/i18n.js';
import type { ConnectionState } from '../../common/rpc/rpc-client.js';
import type { Remote } from '../../common/rpc/protocol.js';
import type { Observable } from 'rxjs';
import { icon } from './icons.js';
import { onCatalogueChange } from '../../elements/l10n.js';
import { currentLocale, errorText, switchLocale, text } from './l10n.js';
import { contextCommands, TOP_MENUS, topMenuEntries, topMenuLabel, type TopMenu } from './menus.js';
import type { MenuEntry } from './popup-menu.js';
import type { ResultPane } from './result-pane.js';
import type { NodeBadge, ScopeTree } from './scope-tree.js';
import { tokens } from './theme.js';
import './attention-banner.js';
import './audit-dialog.js';
import './popup-menu.js';
import './property-dialog.js';
import './result-pane.js';
import './scope-tree.js';
import './side-panels.js';
import './startup-notice.js';
import './status-bar.js';

export interface ConsoleServices {
  readonly host: Remote<HostService>;
  readonly connection$: Observable<ConnectionState>;
  /** The browser context of a plugin (for its property views). */
  pluginContext(pluginId: string): BrowserPluginContext;
}

interface OpenMenu {
  readonly kind: TopMenu | 'context';
  readonly entries: readonly MenuEntry[];
  readonly x: number;
  readonly y: number;
  readonly label: string;
  readonly returnFocus?: HTMLElement | null;
}

interface OpenDialog {
  readonly element: string;
  readonly heading: string;
  readonly pluginId: string;
  readonly nodeId: string;
  readonly itemId: string;
  readonly page?: string;
}

/** How long after the console starts a waiting item still opens the start-up notice (later ones show in the banner). */
export const NOTICE_WINDOW_MS = 30_000;

/** Badges of the scope tree: how many items wait for the administrator on each node, and the worst severity. */
export function badgesOf(items: readonly AttentionItem[]): Record<string, NodeBadge> {
  const out: Record<string, NodeBadge> = {};
  for (const a of items) {
    const b = out[a.nodeId];
    out[a.nodeId] = { count: (b?.count ?? 0) + 1, severity: b?.severity === 'error' || a.severity === 'error' ? 'error' : 'warning' };
  }
  return out;
}

/**
 * The MMC-like shell: menu bar, toolbar, what waits for the administrator (banner), scope tree with
 * badges, result pane, status bar, notifications — and the dialogs it opens (properties, About,
 * Log, Audit log, the start-up notice). The parts are their own elements; this one wires them to
 * the host's streams.
 */
@localized()
@customElement('ors-console')
export class ConsoleApp extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: grid;
        grid-template-rows: auto auto auto 1fr auto;
        height: 100vh;
        background: var(--ors-bg);
      }
      [role='menubar'] {
        list-style: none;
        display: flex;
        gap: 2px;
        padding: 2px 4px;
        border-bottom: 1px solid var(--ors-border);
        background: var(--ors-bg-alt);
        margin: 0;
      }
      [role='menubar'] button {
        border: none;
        background: transparent;
        padding: 3px 10px;
      }
      [role='menubar'] button[aria-expanded='true'] {
        background: var(--ors-selected);
      }
      [role='toolbar'] {
        display: flex;
        gap: 4px;
        padding: 4px;
        border-bottom: 1px solid var(--ors-border);
      }
      [role='toolbar'] button {
        display: inline-flex;
        align-items: center;
        gap: 4px;
      }
      main {
        display: grid;
        grid-template-columns: minmax(200px, 26%) 1fr auto;
        min-height: 0;
      }
      ors-scope-tree {
        border-right: 1px solid var(--ors-border);
      }
    `,
  ];

  @property({ attribute: false }) services?: ConsoleServices;
  @state() private layout?: ConsoleLayout;
  @state() private selectedId = '';
  @state() private items: readonly ResultItem[] = [];
  @state() private notifications: readonly NotificationInfo[] = [];
  @state() private progress: readonly ProgressInfo[] = [];
  @state() private about: readonly AboutSection[] = [];
  @state() private attention: readonly AttentionItem[] = [];
  @state() private logs: readonly LogEntry[] = [];
  @state() private audit?: readonly AuditRow[];
  @state() private connection: ConnectionState = 'connecting';
  @state() private menu?: OpenMenu;
  @state() private dialog?: OpenDialog;
  @state() private info?: 'about' | 'log' | 'audit';
  @state() private notice?: readonly AttentionItem[];
  @state() private showNotifications = false;
  @state() private status = '';
  @query('ors-scope-tree') private tree?: ScopeTree;
  @query('ors-result-pane') private resultPane?: ResultPane;
  private readonly subs: Subscription[] = [];
  private itemsSub?: Subscription;
  /** The Log's and the Audit log's subscription: it lives exactly as long as the dialog is open. */
  private infoSub?: Subscription;
  private offCatalogue?: () => void;
  private readonly started = performance.now();
  private readonly startedAt = Date.now();
  private noticeShown = false;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onGlobalKey);
    this.offCatalogue = onCatalogueChange(() => this.requestUpdate());
    const s = this.services;
    if (!s) return;
    this.subs.push(
      s.connection$.subscribe((c) => {
        const reconnected = c === 'open' && this.connection !== 'open' && this.layout !== undefined;
        this.connection = c;
        if (reconnected) void this.refresh();
      }),
      s.host.notifications$().subscribe((n) => {
        this.notifications = n;
        if (this.showNotifications) this.markShownRead();
      }),
      s.host.progress$().subscribe((p) => (this.progress = p)),
      s.host.about$().subscribe((a) => (this.about = a)),
      s.host.attention$().subscribe((a) => this.onAttention(a)),
    );
    void this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onGlobalKey);
    this.offCatalogue?.();
    for (const s of this.subs.splice(0)) s.unsubscribe();
    this.itemsSub?.unsubscribe();
    this.closeInfoStream();
  }

  get selectedNode(): TreeNodeInfo | undefined {
    return this.layout?.nodes.find((n) => n.id === this.selectedId);
  }

  /** The start-up notice: what must not be missed at console start (an expired license, a license to confirm), once per start. */
  private onAttention(items: readonly AttentionItem[]): void {
    this.attention = items;
    // What waited already when the console started; what begins later is news for the banner.
    const notice = items.filter((a) => a.notice && (a.since === undefined || Date.parse(a.since) <= this.startedAt));
    if (!this.noticeShown && notice.length && performance.now() - this.started < NOTICE_WINDOW_MS) {
      this.noticeShown = true;
      this.notice = notice;
    }
  }

  override render() {
    const node = this.selectedNode;
    const unread = this.notifications.filter((n) => !n.read).length;
    return html`
      <ul role="menubar" aria-label=${msg('Menu bar', { id: 'menu.bar' })} @keydown=${this.onMenubarKey}>
        ${TOP_MENUS.map(
          (m, i) => html`<li role="none">
            <button
              role="menuitem"
              aria-haspopup="true"
              aria-expanded=${this.menu?.kind === m ? 'true' : 'false'}
              tabindex=${i === 0 ? 0 : -1}
              data-menu=${m}
              @click=${(e: Event) => this.openTopMenu(m, e.currentTarget as HTMLElement)}
            >
              ${topMenuLabel(m)}
            </button>
          </li>`,
        )}
      </ul>
      <div role="toolbar" aria-label=${msg('Toolbar', { id: 'toolbar.label' })}>
        <button @click=${() => this.refresh()} title=${msg('Refresh (F5)', { id: 'toolbar.refresh.tip' })}>
          ${icon('refresh')}${msg('Refresh', { id: 'toolbar.refresh' })}
        </button>
        <button ?disabled=${!this.canOpenProperties()} @click=${() => this.openProperties()} title=${msg('Properties (Alt+Enter)', { id: 'toolbar.properties.tip' })}>
          ${icon('properties')}${msg('Properties', { id: 'toolbar.properties' })}
        </button>
      </div>
      <ors-attention-banner .items=${this.attention} .nodes=${this.layout?.nodes ?? []} @notification-action=${this.onAction}></ors-attention-banner>
      <main>
        <ors-scope-tree
          .nodes=${this.layout?.nodes ?? []}
          .selectedId=${this.selectedId}
          .badges=${badgesOf(this.attention)}
          @node-select=${(e: CustomEvent<{ id: string }>) => this.selectNode(e.detail.id)}
          @node-activate=${(e: CustomEvent<{ id: string }>) => this.openProperties(e.detail.id)}
          @node-context-menu=${(e: CustomEvent<{ id: string; x: number; y: number }>) => this.openContextMenu(e.detail.id, undefined, e.detail.x, e.detail.y)}
        ></ors-scope-tree>
        <ors-result-pane
          aria-label=${msg('Result pane', { id: 'result.label' })}
          .node=${node}
          .items=${this.items}
          @item-activate=${(e: CustomEvent<{ item: ResultItem }>) => this.openProperties(this.selectedId, e.detail.item)}
          @item-context-menu=${(e: CustomEvent<{ item: ResultItem; x: number; y: number }>) =>
            this.openContextMenu(this.selectedId, e.detail.item, e.detail.x, e.detail.y)}
        ></ors-result-pane>
        ${this.showNotifications
          ? html`<ors-notification-list
              .notifications=${this.notifications}
              @notification-dismiss=${(e: CustomEvent<{ id: string }>) => this.services?.host.dismissNotification(e.detail.id)}
              @notification-action=${this.onAction}
            ></ors-notification-list>`
          : nothing}
      </main>
      <ors-status-bar
        .connection=${this.connection}
        .progress=${this.progress}
        .status=${this.status}
        .unread=${unread}
        .listOpen=${this.showNotifications}
        @progress-cancel=${(e: CustomEvent<string>) => this.services?.host.cancelProgress(e.detail)}
        @notifications-toggle=${() => this.toggleNotifications()}
      ></ors-status-bar>
      ${this.renderOverlays()}
    `;
  }

  private renderOverlays() {
    return html`${this.menu
      ? html`<ors-popup-menu
          .entries=${this.menu.entries}
          .label=${this.menu.label}
          .x=${this.menu.x}
          .y=${this.menu.y}
          @menu-choose=${(e: CustomEvent<{ id: string }>) => this.chooseMenu(e.detail.id)}
          @menu-close=${() => this.closeMenu()}
          @menu-move=${(e: CustomEvent<{ dir: number }>) => this.moveTopMenu(e.detail.dir)}
        ></ors-popup-menu>`
      : nothing}
    ${this.dialog
      ? html`<ors-property-dialog
          .heading=${this.dialog.heading}
          .element=${this.dialog.element}
          .context=${this.services?.pluginContext(this.dialog.pluginId)}
          .nodeId=${this.dialog.nodeId}
          .itemId=${this.dialog.itemId}
          .page=${this.dialog.page ?? ''}
          @dialog-close=${() => (this.dialog = undefined)}
          @open-properties=${(e: CustomEvent<{ nodeId: string; itemId?: string; page?: string }>) => this.switchDialog(e.detail.nodeId, e.detail.itemId, e.detail.page)}
        ></ors-property-dialog>`
      : nothing}
    ${this.info === 'about' || this.info === 'log'
      ? html`<ors-info-dialog
          .heading=${this.info === 'about' ? msg('About', { id: 'help.about.title' }) : msg('Log', { id: 'view.log.title' })}
          .hostVersion=${this.layout?.hostVersion ?? ''}
          .sections=${this.info === 'about' ? this.about : undefined}
          .logs=${this.info === 'log' ? this.logs : undefined}
          @dialog-close=${() => this.closeInfo()}
        ></ors-info-dialog>`
      : nothing}
    ${this.info === 'audit' ? html`<ors-audit-dialog .rows=${this.audit} .nodes=${this.layout?.nodes ?? []} @dialog-close=${() => this.closeInfo()}></ors-audit-dialog>` : nothing}
    ${this.notice && !this.dialog
      ? html`<ors-startup-notice .items=${this.notice} @notification-action=${this.onAction} @notice-close=${() => this.closeNotice()}></ors-startup-notice>`
      : nothing}`;
  }

  override updated(): void {
    if (this.layout && !performance.getEntriesByName('ors:tree-interactive').length && this.tree?.shadowRoot?.querySelector('[role="treeitem"]')) {
      performance.mark('ors:tree-interactive');
    }
  }

  async refresh(): Promise<void> {
    if (!this.services) return;
    try {
      this.layout = await this.services.host.layout();
      if (!this.layout.nodes.some((n) => n.id === this.selectedId)) this.selectNode(this.layout.nodes[0]?.id ?? '');
      else this.selectNode(this.selectedId, true);
    } catch (e) {
      this.status = errorText(e);
    }
  }

  private selectNode(id: string, force = false): void {
    if (id === this.selectedId && !force) return;
    this.selectedId = id;
    this.items = [];
    this.itemsSub?.unsubscribe();
    const node = this.selectedNode;
    if (!id || !this.services || node?.fault) return;
    this.itemsSub = this.services.host.items$(id).subscribe({
      next: (items) => (this.items = items),
      error: (e: unknown) => (this.status = errorText(e)),
    });
  }

  private canOpenProperties(nodeId = this.selectedId): boolean {
    const node = this.layout?.nodes.find((n) => n.id === nodeId);
    return !!node && this.layout!.views.some((v) => v.nodeType === node.nodeType);
  }

  /** The default verb: the property dialog of a node or of one of its items, on a page when asked for. */
  openProperties(nodeId = this.selectedId, item: ResultItem | undefined = this.resultPane?.selectedItem, page?: string): void {
    const node = this.layout?.nodes.find((n) => n.id === nodeId);
    if (!node) return;
    const nodeType = item?.nodeType ?? node.nodeType;
    const view = this.layout!.views.find((v) => v.nodeType === nodeType);
    if (!view) {
      this.status = msg('This item has no properties.', { id: 'status.noProperties' });
      return;
    }
    this.dialog = { element: view.element, heading: text(view.title), pluginId: node.pluginId, nodeId: node.id, itemId: item?.id ?? '', ...(page ? { page } : {}) };
  }

  /** A view asked for another node's properties (e.g. Remote Service → Licenses → Select license server). */
  private switchDialog(nodeId: string, itemId?: string, page?: string): void {
    this.dialog = undefined;
    void this.updateComplete.then(() => {
      this.selectNode(nodeId);
      this.openProperties(nodeId, itemId ? this.items.find((i) => i.id === itemId) : undefined, page);
    });
  }

  private readonly onAction = (e: CustomEvent<{ command: string; args: unknown[] }>): void => {
    void this.runCommand(e.detail.command, e.detail.args);
  };

  private async runCommand(id: string, args: readonly unknown[] = []): Promise<void> {
    try {
      const result = await this.services?.host.executeCommand(id, args);
      if (result?.openProperties) {
        const { nodeId, itemId, page } = result.openProperties;
        if (nodeId !== this.selectedId) this.selectNode(nodeId);
        this.openProperties(nodeId, this.items.find((i) => i.id === itemId), page);
      }
    } catch (e) {
      this.status = errorText(e);
    }
  }

  private toggleNotifications(): void {
    this.showNotifications = !this.showNotifications;
    if (this.showNotifications) this.markShownRead();
  }

  /** What the open notification list shows counts as read. */
  private markShownRead(): void {
    const unread = this.notifications.filter((n) => !n.read).map((n) => n.id);
    if (unread.length) void this.services?.host.markNotificationsRead(unread).catch(() => undefined);
  }

  private closeNotice(): void {
    this.notice = undefined;
    this.tree?.focus();
  }

  private openTopMenu(m: TopMenu, button: HTMLElement): void {
    if (this.menu?.kind === m) return this.closeMenu();
    const r = button.getBoundingClientRect();
    const entries = topMenuEntries(m, {
      canOpenProperties: this.canOpenProperties(),
      locale: currentLocale(),
      showNotifications: this.showNotifications,
      commands: contextCommands(this.layout, this.selectedNode?.nodeType, this.items),
    });
    this.menu = { kind: m, entries, x: r.left, y: r.bottom, label: topMenuLabel(m), returnFocus: button };
  }

  private moveTopMenu(dir: number): void {
    if (!this.menu || this.menu.kind === 'context') return;
    const i = TOP_MENUS.indexOf(this.menu.kind);
    const next = TOP_MENUS[(i + dir + TOP_MENUS.length) % TOP_MENUS.length]!;
    const button = this.renderRoot.querySelector<HTMLElement>(`[data-menu="${next}"]`);
    this.menu = undefined;
    if (button) void this.updateComplete.then(() => this.openTopMenu(next, button));
  }

  private openContextMenu(nodeId: string, item: ResultItem | undefined, x: number, y: number): void {
    if (nodeId !== this.selectedId) this.selectNode(nodeId);
    const node = this.layout?.nodes.find((n) => n.id === nodeId);
    // A node's menu asks its items for their state (the Remote Service row says whether the service runs).
    const entries: MenuEntry[] = [
      ...contextCommands(this.layout, item?.nodeType ?? node?.nodeType, item ? [item] : this.items),
      { id: 'properties', label: msg('Properties', { id: 'toolbar.properties' }), disabled: !this.canOpenProperties(nodeId) },
    ];
    this.menu = { kind: 'context', entries, x, y, label: text(node?.label), returnFocus: document.activeElement as HTMLElement | null };
  }

  private closeMenu(): void {
    const back = this.menu?.returnFocus;
    this.menu = undefined;
    if (back) void this.updateComplete.then(() => (back.shadowRoot ? this.tree?.focus() : back.focus()));
  }

  private chooseMenu(id: string): void {
    const back = this.menu?.returnFocus;
    this.menu = undefined;
    if (id === 'properties') this.openProperties();
    else if (id === 'refresh') void this.refresh();
    else if (id.startsWith('locale:')) void switchLocale(id.slice(7) as Locale);
    else if (id === 'notifications') this.toggleNotifications();
    else if (id === 'about') this.info = 'about';
    else if (id === 'log') this.openLog();
    else if (id === 'audit') this.openAudit();
    else if (id.startsWith('command:')) void this.runCommand(id.slice(8));
    if (back && !this.dialog && !this.info) void this.updateComplete.then(() => back.focus());
  }

  private openLog(): void {
    this.closeInfoStream();
    this.infoSub = this.services?.host.logs$().subscribe((l) => (this.logs = l));
    this.info = 'log';
  }

  private openAudit(): void {
    this.closeInfoStream();
    this.infoSub = this.services?.host.audit$().subscribe((rows) => (this.audit = rows));
    this.info = 'audit';
  }

  private closeInfoStream(): void {
    this.infoSub?.unsubscribe();
    this.infoSub = undefined;
    this.logs = [];
    this.audit = undefined;
  }

  /** How many log subscriptions this console holds (one while the Log dialog is open, none otherwise). */
  get openLogStreams(): number {
    return this.info === 'log' && this.infoSub && !this.infoSub.closed ? 1 : 0;
  }

  private closeInfo(): void {
    this.closeInfoStream();
    this.info = undefined;
    this.tree?.focus();
  }

  private onMenubarKey(e: KeyboardEvent): void {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLElement>('[role="menubar"] [role="menuitem"]')];
    const i = buttons.indexOf(e.target as HTMLElement);
    if (i < 0) return;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const next = buttons[(i + (e.key === 'ArrowRight' ? 1 : -1) + buttons.length) % buttons.length]!;
      buttons.forEach((b) => (b.tabIndex = b === next ? 0 : -1));
      next.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'Enter' || e.key === ' ') {
      this.openTopMenu(TOP_MENUS[i]!, buttons[i]!);
    } else return;
    e.preventDefault();
  }

  private readonly onGlobalKey = (e: KeyboardEvent): void => {
    if (this.dialog || this.info || this.notice) return;
    if (e.key === 'F5') {
      e.preventDefault();
      void this.refresh();
    } else if (e.key === 'Enter' && e.altKey) {
      e.preventDefault();
      this.openProperties();
    } else if (e.key === 'F10' && !e.shiftKey) {
      e.preventDefault();
      this.renderRoot.querySelector<HTMLElement>('[role="menubar"] [tabindex="0"]')?.focus();
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-console': ConsoleApp;
  }
}
