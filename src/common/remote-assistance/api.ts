import type { Observable } from 'rxjs';
import type { LaunchState, ProxyHandOff, TeamViewerAvailability } from './model.js';
import type { Prerequisite } from './prerequisites.js';

/** Name under which the plugin exposes RemoteAssistanceService over RPC. */
export const REMOTE_ASSISTANCE_SERVICE = 'remoteAssistance';

export type { RemoteAssistanceSettings } from '../settings/plugin-settings.js';

export interface PrerequisitesView {
  readonly prerequisites: readonly Prerequisite[];
  readonly allMet: boolean;
  /** [Allow remote assistance] as saved. */
  readonly allowed: boolean;
  /** Settings version the view was derived from (for allow(…, expectedVersion)). */
  readonly settingsVersion: number;
  readonly teamViewer: TeamViewerAvailability;
  readonly teamViewerPath: string;
  /** What to enter in TeamViewer's proxy dialog (or what we pass on its command line). */
  readonly proxy: ProxyHandOff;
}

/** RPC surface of remote assistance (SPEC F4). Start and Stop happen only on the administrator's action. */
export interface RemoteAssistanceService {
  prerequisites$(): Observable<PrerequisitesView>;
  state$(): Observable<LaunchState>;
  /** Saves [Allow remote assistance]; allowing is refused unless every prerequisite holds. Audited. */
  allow(allowed: boolean, expectedVersion: number): Promise<PrerequisitesView>;
  /** Saves the configured QuickSupport path ('' clears it) and looks for TeamViewer again. Audited. */
  setTeamViewerPath(path: string, expectedVersion: number): Promise<PrerequisitesView>;
  /** Looks for TeamViewer again (e.g. after installing it). */
  refresh(): Promise<PrerequisitesView>;
  /** Looks for TeamViewer at a path typed but not saved yet; saves nothing. */
  check(path: string): Promise<TeamViewerAvailability>;
  /** Starts TeamViewer; refused unless allowed and every prerequisite holds. Audited. */
  start(): Promise<LaunchState>;
  /** Ends the TeamViewer process this console started, and nothing else. Audited. */
  stop(): Promise<LaunchState>;
}
