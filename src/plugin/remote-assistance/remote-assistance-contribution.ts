import { combineLatest, defer, map, of, type Observable } from 'rxjs';
import type { BadgeKind, LocalizedText, ResultItem } from '../../common/console-protocol.js';
import { toDisposable } from '../../common/disposable.js';
import type { Locale } from '../../common/i18n.js';
import { REMOTE_ASSISTANCE_SERVICE, type PrerequisitesView } from '../../common/remote-assistance/api.js';
import { formatTeamViewerId, type LaunchState } from '../../common/remote-assistance/model.js';
import { remoteAssistanceText } from '../../common/remote-assistance/text.js';
import type { ServiceState } from '../../common/remote-service/model.js';
import type { PluginContext } from '../../host/api/index.js';
import { ServiceControl } from '../../services/ors-control/service-control.js';
import { execFileRunner } from '../../services/teamviewer/command-runner.js';
import { discoverTeamViewer, readTeamViewerId, type DiscoveryOptions } from '../../services/teamviewer/discovery.js';
import { TeamViewerLauncher } from '../../services/teamviewer/launcher.js';
import { regExeReader } from '../../services/teamviewer/registry.js';
import { RemoteAssistanceController } from './remote-assistance-controller.js';

export const REMOTE_ASSISTANCE_NODE = 'remote-assistance';

const text = (code: string, params?: Record<string, string | number>): LocalizedText => {
  const f = (l: Locale) => remoteAssistanceText(l, code, params);
  return { en: f('en'), de: f('de') };
};

/** The one row of the Remote assistance node: allowed or not, the session's state and the TeamViewer ID. */
export function remoteAssistanceItem(view: PrerequisitesView, launch: LaunchState): ResultItem {
  const row = (kind: BadgeKind, state: LocalizedText, description: LocalizedText): ResultItem => ({
    id: REMOTE_ASSISTANCE_NODE,
    nodeType: REMOTE_ASSISTANCE_NODE,
    icon: 'support',
    cells: { name: text('remote-assistance.row.name'), state, description },
    badge: { kind, text: state },
  });
  if (launch.kind === 'running') {
    return row('ok', text('remote-assistance.state.running', { pid: launch.pid }), launch.id ? `ID ${formatTeamViewerId(launch.id)}` : text('remote-assistance.id-unknown'));
  }
  if (launch.kind === 'starting') return row('info', text('remote-assistance.state.starting'), '');
  const unmet = view.prerequisites.find((p) => !p.met);
  const description = unmet ? text(unmet.reason, unmet.params) : text(launch.kind === 'ended' ? (launch.stopped ? 'remote-assistance.state.stopped' : 'remote-assistance.state.ended') : 'remote-assistance.state.ready', launch.kind === 'ended' ? { exitCode: String(launch.exitCode ?? launch.signal ?? '') } : {});
  if (!view.allowed) return row(unmet ? 'warning' : 'info', text('remote-assistance.not-allowed-short'), description);
  return row(unmet ? 'warning' : 'ok', text('remote-assistance.allowed'), description);
}

function discoveryOptions(configuredPath: string | undefined): DiscoveryOptions {
  return {
    platform: process.platform,
    ...(configuredPath ? { configuredPath } : {}),
    env: process.env,
    ...(process.platform === 'win32' ? { registry: regExeReader(execFileRunner) } : {}),
    runner: execFileRunner,
  };
}

/**
 * Remote assistance (SPEC F4): the `remote-assistance` node under Remote Service, its row, the
 * `remoteAssistance` RPC service and the Start/Stop commands (Remote Service and Remote assistance menus).
 */
export function contributeRemoteAssistance(context: PluginContext): RemoteAssistanceController {
  const container = context.container;
  // Bound by the Remote Service area; looked up when first needed, unknown while unbound.
  const serviceState$: Observable<ServiceState | undefined> = defer(() =>
    container.isBound(ServiceControl) ? container.get<ServiceControl>(ServiceControl).state$ : of(undefined),
  );
  let configured: string | undefined;
  const launcher = new TeamViewerLauncher({ readId: (i) => readTeamViewerId(discoveryOptions(configured), i) });
  const controller = new RemoteAssistanceController({
    settings: context.settings,
    audit: context.audit,
    logger: context.logger,
    serviceState$,
    discover: (path) => {
      configured = path;
      return discoverTeamViewer(discoveryOptions(path));
    },
    launcher,
  });
  container.bind(RemoteAssistanceController).toConstantValue(controller);

  const items$: Observable<readonly ResultItem[]> = combineLatest([controller.prerequisites$(), controller.state$()]).pipe(map(([v, s]) => [remoteAssistanceItem(v, s)]));
  const open = { openProperties: { nodeId: REMOTE_ASSISTANCE_NODE, itemId: REMOTE_ASSISTANCE_NODE } };
  context.subscriptions.push(
    context.tree.registerItems(REMOTE_ASSISTANCE_NODE, items$),
    context.rpc.expose(REMOTE_ASSISTANCE_SERVICE, controller, ['prerequisites$', 'state$', 'allow', 'setTeamViewerPath', 'refresh', 'start', 'stop']),
    // Both open the panel: it shows the ID to read to the help desk, or why it could not start.
    context.commands.register('remoteAssistance.start', async () => {
      await controller.start();
      return open;
    }),
    context.commands.register('remoteAssistance.stop', async () => {
      await controller.stop();
      return null;
    }),
    context.commands.register('remoteAssistance.properties', () => open),
    toDisposable(() => void controller.dispose()),
  );
  return controller;
}
