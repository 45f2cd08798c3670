import { combineLatest, map, type Observable } from 'rxjs';
import type { BadgeKind, LocalizedText, ResultItem } from '../../common/console-protocol.js';
import type { Locale } from '../../common/i18n.js';
import type { RemoteServiceSettings } from '../../common/remote-service/model.js';
import { REMOTE_SERVICE_SERVICE, type RemoteServiceStateView } from '../../common/remote-service/remote-service-api.js';
import { readRemoteService } from '../../common/remote-service/settings-rules.js';
import { remoteServiceError } from '../../common/remote-service/text.js';
import type { PluginContext } from '../../host/api/index.js';
import { ServiceControl } from '../../services/ors-control/service-control.js';
import { runDiagnostic } from '../../services/proxy/diagnostic.js';
import { LicenseSerial } from '../licenses/license-serial.js';
import { RemoteServiceController } from './remote-service-controller.js';

const both = (f: (l: Locale) => string): LocalizedText => ({ en: f('en'), de: f('de') });
const t = (en: string, de: string): LocalizedText => ({ en, de });

/** The Remote Service row of the result pane, derived from the settings and the service's state. */
export function remoteServiceItem(settings: RemoteServiceSettings, state: RemoteServiceStateView): ResultItem {
  const row = (kind: BadgeKind, stateText: LocalizedText, description: LocalizedText): ResultItem => ({
    id: 'remote-service',
    nodeType: 'remote-service',
    icon: 'cloud',
    cells: { name: t('Remote Service', 'Remote Service'), state: stateText, description },
    badge: { kind, text: stateText },
  });
  const purpose = t('Automatic license update and remote assistance', 'Automatische Lizenzaktualisierung und Remote-Unterstützung');
  if (!settings.enabled) return row('info', t('Disabled', 'Deaktiviert'), purpose);
  const s = state.service;
  if (s.kind === 'unknown') return row('warning', t('Service state unknown', 'Dienststatus unbekannt'), both((l) => remoteServiceError(l, s.error)));
  if (s.kind === 'stopped' || s.kind === 'crashed') return row('error', t('ORS service not running', 'ORS-Dienst läuft nicht'), t('Open the properties to start the service.', 'Öffnen Sie die Eigenschaften, um den Dienst zu starten.'));
  if (s.kind !== 'running' || !s.status) return row('info', t('Starting…', 'Wird gestartet…'), purpose);
  const c = s.status.connection;
  switch (c.kind) {
    case 'disabled':
      return row('info', t('Disabled', 'Deaktiviert'), purpose);
    case 'not-configured':
      return row('warning', t('Not configured', 'Nicht konfiguriert'), t(`Missing: ${c.missing.join(', ')}`, `Fehlt: ${c.missing.join(', ')}`));
    case 'connecting':
      return row('info', t('Connecting…', 'Verbindung wird hergestellt…'), purpose);
    case 'connected':
      return row('ok', t('Connected', 'Verbunden'), s.status.license ? t(`Serial number ${s.status.license.serial}`, `Seriennummer ${s.status.license.serial}`) : purpose);
    case 'error':
      return row('error', t('Error', 'Fehler'), both((l) => remoteServiceError(l, c.error)));
  }
}

/** The Remote Service node: its result-pane item, the `remoteService` RPC service and its commands. */
export function contributeRemoteService(context: PluginContext): RemoteServiceController {
  const container = context.container;
  // The ORS service control and the serial number are bound by their areas (ors-control, Licenses).
  const serviceControl = container.isBound(ServiceControl) ? container.get<ServiceControl>(ServiceControl) : undefined;
  const serial = container.isBound(LicenseSerial) ? container.get<LicenseSerial>(LicenseSerial) : undefined;
  const controller = new RemoteServiceController({
    settings: context.settings,
    secrets: context.secrets,
    audit: context.audit,
    progress: context.progress,
    logger: context.logger,
    ...(serviceControl ? { serviceControl } : {}),
    ...(serial ? { serial$: serial.serial$ } : {}),
    diagnostic: runDiagnostic,
  });
  container.bind(RemoteServiceController).toConstantValue(controller);

  const items$: Observable<readonly ResultItem[]> = combineLatest([context.settings.changes$, controller.state$()]).pipe(
    map(([s, state]) => [remoteServiceItem(readRemoteService(s.values), state)]),
  );
  const logFailure = (what: string) => (e: unknown) => {
    context.logger.warn({ err: e }, what);
    return null;
  };
  context.subscriptions.push(
    context.tree.registerItems('remote-service', items$),
    context.rpc.expose(REMOTE_SERVICE_SERVICE, controller, ['settings$', 'save', 'restart', 'startService', 'state$', 'testConnection', 'serial$']),
    context.commands.register('remoteService.properties', () => ({ openProperties: { nodeId: 'remote-service', itemId: 'remote-service' } })),
    context.commands.register('remoteService.restart', () => controller.restart().then(() => null, logFailure('ORS service restart failed'))),
    context.commands.register('remoteService.startService', () => controller.startService().then(() => null, logFailure('ORS service start failed'))),
  );
  return controller;
}
