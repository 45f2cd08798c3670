import { concatMap, distinctUntilChanged, filter, map, type Observable } from 'rxjs';
import type { AboutSection, BadgeKind, LocalizedText, ResultItem, Severity } from '../../common/console-protocol.js';
import { toDisposable } from '../../common/disposable.js';
import type { MessageParams } from '../../common/errors.js';
import type { Locale } from '../../common/i18n.js';
import { LICENSES_SERVICE, type LicensesStatus, type ServedLicenseView } from '../../common/license-server/licenses-api.js';
import { licensesError, licensesText } from '../../common/license-server/text.js';
import { describeState } from '../../common/license/describe.js';
import type { LicenseState } from '../../common/license/validity.js';
import type { PluginContext } from '../../host/api/index.js';
import { LicenseSerial } from './license-serial.js';
import { LicensesController } from './licenses-service.js';

const both = (f: (l: Locale) => string): LocalizedText => ({ en: f('en'), de: f('de') });

export function badgeOf(state: LicenseState): BadgeKind {
  switch (state.kind) {
    case 'valid':
      return 'ok';
    case 'expires-soon':
    case 'maintenance-ends-soon':
    case 'maintenance-ended':
      return 'warning';
    default:
      return 'error';
  }
}

function expiryText(l: ServedLicenseView): LocalizedText {
  return l.expiry === 'perpetual' ? both((loc) => licensesText(loc, 'license.perpetual')) : l.expiry;
}

/** Result-pane rows: one per served license, or one row saying why there is none. */
export function resultItems(s: LicensesStatus): ResultItem[] {
  if (s.licenses.length) {
    return s.licenses.map((l) => ({
      id: `license-${l.serial}`,
      nodeType: 'licenses',
      icon: 'key',
      cells: {
        name: `${l.product} ${l.serial}`,
        state: both((loc) => describeState(loc, l.state)),
        description: both((loc) =>
          loc === 'de'
            ? `Wartung ${l.maintenance.start} – ${l.maintenance.end}; ${l.users} Benutzer`
            : `Maintenance ${l.maintenance.start} – ${l.maintenance.end}; ${l.users} users`,
        ),
      },
      badge: { kind: badgeOf(l.state), text: both((loc) => describeState(loc, l.state)) },
    }));
  }
  const row = (kind: BadgeKind, state: LocalizedText, description: LocalizedText): ResultItem => ({
    id: 'licenses',
    nodeType: 'licenses',
    icon: 'key',
    cells: { name: { en: 'Licenses', de: 'Lizenzen' }, state, description },
    badge: { kind, text: state },
  });
  const server = s.server;
  if (server.kind === 'not-configured') {
    return [row('info', { en: 'Not configured', de: 'Nicht konfiguriert' }, { en: 'Select the license server', de: 'Lizenzserver auswählen' })];
  }
  if (server.kind === 'checking') return [row('info', { en: 'Checking…', de: 'Wird geprüft…' }, '')];
  if (server.kind === 'unreachable') {
    return [row('error', { en: 'Unreachable', de: 'Nicht erreichbar' }, both((loc) => licensesError(loc, server.error)))];
  }
  const problem = s.problems[0];
  return [
    row(
      problem ? 'error' : 'warning',
      both((loc) => describeState(loc, problem ? { kind: 'invalid', code: problem.error.code, params: problem.error.params ?? {} } : { kind: 'none' })),
      problem ? problem.file : '',
    ),
  ];
}

export function aboutSection(s: LicensesStatus): AboutSection {
  const l = s.licenses[0];
  const none = both((loc) => describeState(loc, { kind: 'none' }));
  return {
    id: 'licenses',
    title: { en: 'License', de: 'Lizenz' },
    rows: [
      { label: { en: 'Serial number', de: 'Seriennummer' }, value: l ? l.serial : none },
      { label: { en: 'License expiry', de: 'Lizenzablauf' }, value: l ? expiryText(l) : none },
      { label: { en: 'Maintenance period', de: 'Wartungszeitraum' }, value: l ? `${l.maintenance.start} – ${l.maintenance.end}` : none },
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

/** The Licenses node: its items, dialog service, About section, F7 warnings and the serial number. */
export function contributeLicenses(context: PluginContext): LicensesController {
  const controller = new LicensesController({ settings: context.settings, secrets: context.secrets, dataDir: context.dataDir, logger: context.logger });
  context.container.bind(LicenseSerial).toConstantValue({ serial$: controller.serial$ });
  context.container.bind(LicensesController).toConstantValue(controller);

  const items$: Observable<readonly ResultItem[]> = controller.status.pipe(map(resultItems));
  const about$ = controller.status.pipe(map(aboutSection));

  // Notifications carry a key, so a repeated warning replaces the earlier one; a warning that no
  // longer applies is dismissed.
  const shown = new Map<string, string>();
  const warnings = controller.status
    .pipe(
      filter((s) => s.server.kind === 'reachable' || s.server.kind === 'not-configured'),
      map(warningsOf),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
      concatMap(async (list) => {
        for (const w of list) {
          const info = await context.notifications.notify({
            key: w.key,
            severity: w.severity,
            nodeId: 'licenses',
            message: both((loc) => licensesText(loc, w.code, w.params)),
            actions: [{ id: 'open', title: { en: 'Licenses…', de: 'Lizenzen…' }, command: 'licenses.properties' }],
          });
          shown.set(w.key, info.id);
        }
        for (const [key, id] of [...shown]) {
          if (list.some((w) => w.key === key)) continue;
          shown.delete(key);
          await context.notifications.dismiss(id).catch(() => undefined);
        }
      }),
    )
    .subscribe({ error: (e: unknown) => context.logger.error({ err: e }, 'license warnings stopped') });

  context.subscriptions.push(
    toDisposable(() => warnings.unsubscribe()),
    toDisposable(() => controller.dispose()),
    context.tree.registerItems('licenses', items$),
    context.about.register(about$),
    context.rpc.expose(LICENSES_SERVICE, controller, ['status$', 'selection$', 'select', 'test', 'installFile']),
    context.commands.register('licenses.properties', () => ({ openProperties: { nodeId: 'licenses', itemId: 'licenses' } })),
    context.commands.register('licenses.selectServer', () => ({ openProperties: { nodeId: 'licenses', itemId: 'licenses' } })),
  );
  return controller;
}
