import equal from 'fast-deep-equal';
import { inject, injectable } from 'inversify';
import { concatMap, distinctUntilChanged, filter, map, type Observable } from 'rxjs';
import type { AboutSection, AttentionItem, BadgeKind, LocalizedText, ResultItem, Severity } from '../../common/console-protocol.js';
import { toDisposable, type Disposable } from '../../common/disposable.js';
import type { MessageParams } from '../../common/errors.js';
import { LICENSES_SERVICE, type LicensesStatus } from '../../common/license-server/licenses-api.js';
import { stateBadge, stateMessage } from '../../common/license/describe.js';
import { AboutRegistry, AttentionRegistry, CommandRegistry, HostLogger, Notifications, RpcRegistry, TreeRegistry } from '../../host/api/index.js';
import type { PluginContribution } from '../plugin-contribution.js';
import { LicensesController } from './licenses-controller.js';

/** Result-pane rows: one per served license, or one row saying why there is none. */
export function resultItems(s: LicensesStatus): ResultItem[] {
  if (s.licenses.length) {
    return s.licenses.map((l) => ({
      id: `license-${l.serial}`,
      nodeType: 'licenses',
      icon: 'key',
      cells: {
        name: `${l.product} ${l.serial}`,
        state: stateMessage(l.state),
        description: { code: 'licenses.row.description', params: { start: l.maintenance.start, end: l.maintenance.end, users: l.users } },
      },
      badge: { kind: stateBadge(l.state), text: stateMessage(l.state) },
    }));
  }
  const row = (kind: BadgeKind, state: LocalizedText, description: LocalizedText): ResultItem => ({
    id: 'licenses',
    nodeType: 'licenses',
    icon: 'key',
    cells: { name: { code: 'licenses.row.name' }, state, description },
    badge: { kind, text: state },
  });
  const server = s.server;
  if (server.kind === 'not-configured') return [row('info', { code: 'licenses.row.not-configured' }, { code: 'licenses.row.select' })];
  if (server.kind === 'checking') return [row('info', { code: 'licenses.row.checking' }, '')];
  if (server.kind === 'unreachable') return [row('error', { code: 'licenses.row.unreachable' }, server.error)];
  const problem = s.problems[0];
  return [row(problem ? 'error' : 'warning', stateMessage(problem ? { kind: 'invalid', code: problem.error.code, params: problem.error.params ?? {} } : { kind: 'none' }), problem ? problem.file : '')];
}

/** The About box's License section (the manual's "Info" field): serial, expiry, maintenance period. */
export function aboutSection(s: LicensesStatus): AboutSection {
  const l = s.licenses[0];
  const none = stateMessage({ kind: 'none' });
  return {
    id: 'licenses',
    title: { code: 'licenses.about.title' },
    rows: [
      { label: { code: 'licenses.about.serial' }, value: l ? l.serial : none },
      { label: { code: 'licenses.about.expiry' }, value: l ? { code: 'license.expiry', params: { expiry: l.expiry } } : none },
      { label: { code: 'licenses.about.maintenance' }, value: l ? { code: 'licenses.period', params: { start: l.maintenance.start, end: l.maintenance.end } } : none },
    ],
  };
}

interface Warning {
  readonly key: string;
  readonly severity: Severity;
  readonly code: string;
  readonly params: MessageParams;
}

/** SPEC F7: a notice when the license or maintenance ends within 30 days, an error once expired. */
export function warningsOf(s: LicensesStatus): Warning[] {
  const out: Warning[] = [];
  for (const l of s.licenses) {
    const st = l.state;
    if (st.kind === 'valid' || st.kind === 'none' || st.kind === 'invalid') continue;
    const { kind, ...rest } = st;
    const severity: Severity = kind === 'expired' || kind === 'in-grace' ? 'error' : 'warning';
    out.push({ key: `licenses.f7.${l.serial}`, severity, code: `licenses.warn.${kind}`, params: { serial: l.serial, ...(rest as MessageParams) } });
  }
  return out;
}

/** License states that wait for the administrator (issue 13): an expiry within 30 days, in grace, expired. */
const EXPIRY_STATES = new Set(['expires-soon', 'in-grace', 'expired']);

/**
 * What waits for the administrator about the licenses: the banner and the Licenses node's badge (an
 * expired license also at console start) — for the served ones, and for a file the server no longer
 * serves because its license expired past its grace days (else the console would only say "no license").
 */
export function attentionOf(s: LicensesStatus): AttentionItem[] {
  const open = [{ id: 'open', title: { code: 'license-update.action.open' }, command: 'licenses.properties' }];
  const served = warningsOf(s)
    .filter((w) => EXPIRY_STATES.has(w.code.slice('licenses.warn.'.length)))
    .map(
      (w): AttentionItem => ({
        id: w.key,
        nodeId: 'licenses',
        severity: w.severity === 'error' ? 'error' : 'warning',
        message: { code: w.code, params: w.params },
        actions: open,
        ...(w.severity === 'error' ? { notice: true } : {}),
      }),
    );
  const expiredFiles = s.problems
    .filter((p) => p.error.code === 'license.expired')
    .map(
      (p): AttentionItem => ({
        id: `licenses.expired-file.${p.file}`,
        nodeId: 'licenses',
        severity: 'error',
        message: { code: 'licenses.warn.expired-file', params: { file: p.file, expiry: String(p.error.params?.['expiry'] ?? '') } },
        actions: open,
        notice: true,
      }),
    );
  return [...served, ...expiredFiles];
}

/** The Licenses node: its items, dialog service, About section, F7 warnings. */
@injectable()
export class LicensesContribution implements PluginContribution {
  constructor(
    @inject(LicensesController) private readonly controller: LicensesController,
    @inject(Notifications) private readonly notifications: Notifications,
    @inject(TreeRegistry) private readonly tree: TreeRegistry,
    @inject(AboutRegistry) private readonly about: AboutRegistry,
    @inject(AttentionRegistry) private readonly attention: AttentionRegistry,
    @inject(RpcRegistry) private readonly rpc: RpcRegistry,
    @inject(CommandRegistry) private readonly commands: CommandRegistry,
    @inject(HostLogger) private readonly logger: HostLogger,
  ) {}

  contribute(): Disposable[] {
    const controller = this.controller;
    const items$: Observable<readonly ResultItem[]> = controller.status.pipe(map(resultItems));
    const about$ = controller.status.pipe(map(aboutSection));
    const open = (page?: unknown) => ({ openProperties: { nodeId: 'licenses', itemId: 'licenses', ...(page === 'update' || page === 'server' ? { page } : {}) } });
    return [
      this.warnings(),
      this.attention.register(controller.status.pipe(map(attentionOf), distinctUntilChanged<AttentionItem[]>(equal))),
      toDisposable(() => controller.dispose()),
      this.tree.registerItems('licenses', items$),
      this.about.register(about$),
      this.rpc.expose(LICENSES_SERVICE, controller, ['status$', 'selection$', 'select', 'test', 'installFile']),
      this.commands.register('licenses.properties', open),
      this.commands.register('licenses.selectServer', () => open('server')),
    ];
  }

  /**
   * Notifications carry a key, so a repeated warning replaces the earlier one; a warning that no
   * longer applies is dismissed.
   */
  private warnings(): Disposable {
    const shown = new Map<string, string>();
    const sub = this.controller.status
      .pipe(
        filter((s) => s.server.kind === 'reachable' || s.server.kind === 'not-configured'),
        map(warningsOf),
        distinctUntilChanged<Warning[]>(equal),
        concatMap(async (list) => {
          for (const w of list) {
            const info = await this.notifications.notify({
              key: w.key,
              severity: w.severity,
              nodeId: 'licenses',
              message: { code: w.code, params: w.params },
              actions: [{ id: 'open', title: { code: 'license-update.action.open' }, command: 'licenses.properties' }],
            });
            shown.set(w.key, info.id);
          }
          for (const [key, id] of [...shown]) {
            if (list.some((w) => w.key === key)) continue;
            shown.delete(key);
            await this.notifications.dismiss(id).catch(() => undefined);
          }
        }),
      )
      .subscribe({ error: (e: unknown) => this.logger.error({ err: e }, 'license warnings stopped') });
    return toDisposable(() => sub.unsubscribe());
  }
}
