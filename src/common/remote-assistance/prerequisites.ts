import type { MessageParams } from '../errors.js';
import { checkProxyModeFor, validateProxyHost, validateProxyPort } from '../proxy/settings.js';
import type { RemoteServiceSettings, ServiceState } from '../remote-service/model.js';
import type { TeamViewerAvailability } from './model.js';
import { fieldsMessage } from '../remote-service/feedback.js';

/** The commands that fix an unmet prerequisite (the view shows them as links). */
export const FIX_COMMANDS = {
  remoteService: 'remoteService.properties',
  remoteAssistance: 'remoteAssistance.properties',
} as const;

export type PrerequisiteId = 'license-update' | 'feature' | 'teamviewer' | 'proxy';

export interface Prerequisite {
  readonly id: PrerequisiteId;
  readonly met: boolean;
  /** Message code `remote-assistance.prereq.*` saying why (met or not). */
  readonly reason: string;
  readonly params?: MessageParams;
  /** Command id of the place where it is fixed; absent when met. */
  readonly fix?: string;
}

/**
 * SPEC F4: automatic license update configured and connected; the remote-assistance feature on and
 * TeamViewer available on this machine; the proxy manual (complete) or explicitly none.
 * `service` is undefined when no service control is bound: the connection is then unknown (unmet).
 */
export function prerequisitesOf(
  settings: RemoteServiceSettings | undefined,
  service: ServiceState | undefined,
  teamviewer: TeamViewerAvailability,
): Prerequisite[] {
  return [licenseUpdate(settings, service), feature(settings), teamViewerPrerequisite(teamviewer), proxy(settings)];
}

export function allMet(list: readonly Prerequisite[]): boolean {
  return list.length > 0 && list.every((p) => p.met);
}

const R = 'remote-assistance.prereq.';

function unmet(id: PrerequisiteId, reason: string, fix: string, params?: MessageParams): Prerequisite {
  return { id, met: false, reason: R + reason, fix, ...(params ? { params } : {}) };
}

function licenseUpdate(settings: RemoteServiceSettings | undefined, service: ServiceState | undefined): Prerequisite {
  const fix = FIX_COMMANDS.remoteService;
  if (!settings?.enabled) return unmet('license-update', 'update-disabled', fix);
  if (!service) return unmet('license-update', 'connection-unknown', fix);
  switch (service.kind) {
    case 'stopped':
    case 'stopping':
    case 'crashed':
      return unmet('license-update', 'service-not-running', fix);
    case 'starting':
      return unmet('license-update', 'service-starting', fix);
    case 'unknown':
      return unmet('license-update', 'connection-unknown', fix);
    case 'running':
      break;
  }
  const c = service.status?.connection;
  if (!c) return unmet('license-update', 'service-starting', fix);
  switch (c.kind) {
    case 'connected':
      return { id: 'license-update', met: true, reason: R + 'connected', params: { since: c.since } };
    case 'disabled':
      return unmet('license-update', 'update-disabled', fix);
    case 'not-configured':
      return unmet('license-update', 'not-configured', fix, { missing: fieldsMessage(c.missing) });
    case 'connecting':
      return unmet('license-update', 'connecting', fix);
    case 'error':
      return unmet('license-update', 'connection-error', fix, { error: c.error, hop: c.hop ?? '' });
  }
}

function feature(settings: RemoteServiceSettings | undefined): Prerequisite {
  if (settings?.remoteAssistanceFeature) return { id: 'feature', met: true, reason: R + 'feature-on' };
  return unmet('feature', 'feature-off', FIX_COMMANDS.remoteService);
}

/** The TeamViewer prerequisite for what discovery found (also the panel's check of a path not saved yet). */
export function teamViewerPrerequisite(a: TeamViewerAvailability): Prerequisite {
  const fix = FIX_COMMANDS.remoteAssistance;
  if (a.kind === 'checking') return unmet('teamviewer', 'teamviewer-checking', fix);
  if (a.kind === 'not-found') {
    return a.configuredPath !== undefined
      ? unmet('teamviewer', 'teamviewer-configured-missing', fix, { path: a.configuredPath })
      : unmet('teamviewer', 'teamviewer-missing', fix, { platform: a.platform });
  }
  const i = a.installation;
  return {
    id: 'teamviewer',
    met: true,
    // An unknown version is left out, not shown as a placeholder.
    reason: R + (i.kind === 'quicksupport' ? 'teamviewer-quicksupport' : 'teamviewer-full') + (i.version ? '' : '-unversioned'),
    params: { path: i.executable, ...(i.version ? { version: i.version } : {}) },
  };
}

function proxy(settings: RemoteServiceSettings | undefined): Prerequisite {
  const fix = FIX_COMMANDS.remoteService;
  const p = settings?.proxy ?? { mode: 'none' as const };
  // The same rule the Remote Service dialog applies to the feature switch (common/proxy).
  if (checkProxyModeFor('remote-assistance', p.mode)) return unmet('proxy', 'proxy-auto', fix);
  if (p.mode === 'none') return { id: 'proxy', met: true, reason: R + 'proxy-none' };
  if (validateProxyHost(p.host ?? '') || validateProxyPort(p.port)) return unmet('proxy', 'proxy-incomplete', fix);
  return { id: 'proxy', met: true, reason: R + 'proxy-manual', params: { host: p.host ?? '', port: p.port ?? 0 } };
}
