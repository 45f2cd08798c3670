import { inject, injectable } from 'inversify';
import { BehaviorSubject, combineLatest, distinctUntilChanged, firstValueFrom, map, shareReplay, startWith, timeout, type Observable, type Subscription } from 'rxjs';
import { CodedError } from '../../common/errors.js';
import type { PrerequisitesView, RemoteAssistanceService, RemoteAssistanceSettings } from '../../common/remote-assistance/api.js';
import type { LaunchState, TeamViewerAvailability } from '../../common/remote-assistance/model.js';
import { allMet, prerequisitesOf } from '../../common/remote-assistance/prerequisites.js';
import { validateTeamViewerPath } from '../../common/remote-assistance/settings.js';
import type { RemoteServiceSettings, ServiceState } from '../../common/remote-service/model.js';
import { AuditLog, HostLogger, PluginSettings, type SettingsSnapshot } from '../../host/api/index.js';
import { ServiceControl } from '../../services/ors-control/service-control.js';
import { TeamViewerLauncher } from '../../services/teamviewer/launcher.js';
import { TeamViewerDiscovery } from '../../services/teamviewer/teamviewer-discovery.js';
import { proxyHandOff } from '../../services/teamviewer/proxy-hand-off.js';

const ACTOR = 'console';

export function remoteServiceOf(values: Record<string, unknown>): RemoteServiceSettings | undefined {
  const v = values['remoteService'];
  return v && typeof v === 'object' ? (v as RemoteServiceSettings) : undefined;
}

export function teamViewerPathOf(values: Record<string, unknown>): string {
  const v = values['remoteAssistance'] as RemoteAssistanceSettings | undefined;
  return v?.teamViewerPath ?? '';
}

/**
 * Remote assistance (SPEC F4): prerequisites as one derivation of settings, the ORS connection and
 * TeamViewer's availability; [Allow] refused unless they all hold; Start/Stop only when the
 * administrator asks, refused when not allowed, audited.
 */
@injectable()
export class RemoteAssistanceController implements RemoteAssistanceService {
  private readonly teamViewer = new BehaviorSubject<TeamViewerAvailability>({ kind: 'checking' });
  private readonly settings$: Observable<SettingsSnapshot<Record<string, unknown>>>;
  private readonly view$: Observable<PrerequisitesView>;
  private readonly subscriptions: Subscription[] = [];
  private discovery: Promise<TeamViewerAvailability> | undefined;

  private readonly d: { settings: PluginSettings; audit: AuditLog; logger: HostLogger; discovery: TeamViewerDiscovery; launcher: TeamViewerLauncher };

  constructor(
    @inject(PluginSettings) settings: PluginSettings,
    @inject(AuditLog) audit: AuditLog,
    @inject(HostLogger) logger: HostLogger,
    @inject(ServiceControl) control: ServiceControl,
    @inject(TeamViewerDiscovery) discovery: TeamViewerDiscovery,
    @inject(TeamViewerLauncher) launcher: TeamViewerLauncher,
  ) {
    const d = (this.d = { settings, audit, logger, discovery, launcher });
    this.settings$ = d.settings.changes$.pipe(startWith(d.settings.get()), distinctUntilChanged((a, b) => a.version === b.version));
    this.view$ = combineLatest([this.settings$, control.state$.pipe(startWith(undefined)), this.teamViewer]).pipe(
      map(([s, service, tv]) => this.viewOf(s, service, tv)),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    this.subscriptions.push(
      // Look again whenever the configured path changes.
      this.settings$.pipe(map((s) => teamViewerPathOf(s.values)), distinctUntilChanged()).subscribe(() => void this.rediscover()),
      this.teamViewer.subscribe((a) => d.launcher.setAvailability(a)),
    );
  }

  private viewOf(s: SettingsSnapshot<Record<string, unknown>>, service: ServiceState | undefined, teamViewer: TeamViewerAvailability): PrerequisitesView {
    const rs = remoteServiceOf(s.values);
    const prerequisites = prerequisitesOf(rs, service, teamViewer);
    return {
      prerequisites,
      allMet: allMet(prerequisites),
      allowed: rs?.allowRemoteAssistance === true,
      settingsVersion: s.version,
      teamViewer,
      teamViewerPath: teamViewerPathOf(s.values),
      proxy: proxyHandOff(teamViewer.kind === 'available' ? teamViewer.installation : undefined, rs?.proxy),
    };
  }

  private rediscover(): Promise<TeamViewerAvailability> {
    // One discovery at a time; the latest settings win.
    const run = (this.discovery ?? Promise.resolve()).then(async () => {
      const path = teamViewerPathOf(this.d.settings.get().values);
      const found = await this.d.discovery.discover(path || undefined).catch((e: unknown): TeamViewerAvailability => {
        this.d.logger.warn({ err: e }, 'TeamViewer discovery failed');
        return { kind: 'not-found', platform: process.platform };
      });
      this.teamViewer.next(found);
      return found;
    });
    this.discovery = run;
    return run;
  }

  /** The current view; the ORS state counts as unknown if its control has not reported within 2 s. */
  private current(): Promise<PrerequisitesView> {
    return firstValueFrom(this.view$.pipe(timeout({ first: 2_000 })));
  }

  prerequisites$(): Observable<PrerequisitesView> {
    return this.view$;
  }

  state$(): Observable<LaunchState> {
    return this.d.launcher.state$;
  }

  async refresh(): Promise<PrerequisitesView> {
    await this.rediscover();
    return this.current();
  }

  async allow(allowed: boolean, expectedVersion: number): Promise<PrerequisitesView> {
    if (typeof allowed !== 'boolean' || !Number.isInteger(expectedVersion)) throw new CodedError('validation.invalid', { field: 'allowRemoteAssistance', reason: 'boolean, version' }, { field: 'allowRemoteAssistance' });
    const view = await this.current();
    if (allowed) this.requireAllMet(view);
    const rs = remoteServiceOf(this.d.settings.get().values);
    if (rs || allowed) {
      await this.d.settings.update({ remoteService: { ...rs, allowRemoteAssistance: allowed } }, expectedVersion, ACTOR);
      await this.d.audit.record({ actor: ACTOR, action: allowed ? 'remote-assistance.allow' : 'remote-assistance.disallow', target: 'remoteService.allowRemoteAssistance', nodeId: 'remote-assistance' });
    }
    // Taking the permission back ends the session this console started.
    if (!allowed && this.d.launcher.active) await this.stop();
    return this.current();
  }

  async check(path: string): Promise<TeamViewerAvailability> {
    if (typeof path !== 'string') throw new CodedError('remote-assistance.path-invalid', { path: String(path) }, { field: 'teamViewerPath' });
    const invalid = validateTeamViewerPath(path);
    if (invalid) throw new CodedError(invalid.code, invalid.params ?? {}, { field: 'teamViewerPath' });
    return this.d.discovery.discover(path.trim() || undefined);
  }

  async setTeamViewerPath(path: string, expectedVersion: number): Promise<PrerequisitesView> {
    if (typeof path !== 'string') throw new CodedError('remote-assistance.path-invalid', { path: String(path) }, { field: 'teamViewerPath' });
    const invalid = validateTeamViewerPath(path);
    if (invalid) throw new CodedError(invalid.code, invalid.params ?? {}, { field: 'teamViewerPath' });
    const trimmed = path.trim();
    await this.d.settings.update({ remoteAssistance: trimmed ? { teamViewerPath: trimmed } : {} }, expectedVersion, ACTOR);
    await this.rediscover();
    return this.current();
  }

  async start(): Promise<LaunchState> {
    const view = await this.current();
    if (!view.allowed) throw new CodedError('remote-assistance.not-allowed');
    this.requireAllMet(view);
    if (view.teamViewer.kind !== 'available') throw new CodedError('remote-assistance.not-installed');
    const installation = view.teamViewer.installation;
    const args = view.proxy.kind === 'command-line' ? view.proxy.args : [];
    const state = await this.d.launcher.start(installation, args);
    await this.d.audit.record({
      actor: ACTOR,
      action: 'remote-assistance.start',
      nodeId: 'remote-assistance',
      target: installation.executable,
      changes: [{ key: 'state', from: 'ready', to: state.kind === 'running' ? `running (pid ${state.pid})` : state.kind }],
    });
    this.d.logger.info({ executable: installation.executable, state: state.kind, pid: state.kind === 'running' ? state.pid : undefined }, 'remote assistance started');
    if (state.kind === 'failed') throw new CodedError(state.error.code, state.error.params ?? {});
    return state;
  }

  async stop(): Promise<LaunchState> {
    const before = this.d.launcher.state;
    const state = await this.d.launcher.stop();
    await this.d.audit.record({
      actor: ACTOR,
      action: 'remote-assistance.stop',
      nodeId: 'remote-assistance',
      target: before.kind === 'running' ? before.installation.executable : 'teamviewer',
      changes: [{ key: 'state', from: before.kind === 'running' ? `running (pid ${before.pid})` : before.kind, to: state.kind }],
    });
    this.d.logger.info({ pid: before.kind === 'running' ? before.pid : undefined }, 'remote assistance stopped');
    return state;
  }

  private requireAllMet(view: PrerequisitesView): void {
    if (view.allMet) return;
    const unmet = view.prerequisites.filter((p) => !p.met).map((p) => p.id);
    throw new CodedError('remote-assistance.prerequisites-unmet', { unmet: unmet.join(', ') });
  }

  async dispose(): Promise<void> {
    for (const s of this.subscriptions) s.unsubscribe();
    await this.d.launcher.dispose();
    this.teamViewer.complete();
  }
}
