import { readOrsAccount, readSelection } from '../common/settings/read-settings.js';
import { createHash } from 'node:crypto';
import type { ProxySettings } from '../common/proxy/settings.js';
import { type LicenseServerSelection, type OrsAccount } from '../common/license-server/selection.js';
import { SECRET_NAMES, type RemoteServiceProxy, type RemoteServiceSettings } from '../common/remote-service/model.js';

/** The secrets the daemon uses, read from the secrets store. */
export interface DaemonSecrets {
  readonly verificationCode?: string | undefined;
  readonly proxyPassword?: string | undefined;
  readonly orsAccountPassword?: string | undefined;
}

export interface ReadyConfig {
  readonly kind: 'ready';
  readonly backofficeUrl: string;
  readonly organisationId: string;
  readonly verificationCode: string;
  readonly proxy: ProxySettings;
  readonly caFile?: string;
  readonly selection?: LicenseServerSelection;
  /** The ORS service account and its password: the license update writes to a remote license folder with them. */
  readonly account?: OrsAccount;
  readonly orsAccountPassword?: string;
}

export type DaemonConfig = { readonly kind: 'disabled' } | { readonly kind: 'not-configured'; readonly missing: readonly string[] } | ReadyConfig;

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

function proxyOf(p: Partial<RemoteServiceProxy> | undefined, password: string | undefined, missing: string[]): ProxySettings {
  const mode = p?.mode === 'auto' || p?.mode === 'manual' ? p.mode : 'none';
  const auth = p?.authenticate === true || (p?.authenticate === undefined && str(p?.username) !== '');
  const username = auth ? str(p?.username) : '';
  if (mode === 'manual') {
    if (str(p?.host) === '') missing.push('proxy.host');
    if (typeof p?.port !== 'number') missing.push('proxy.port');
  }
  if (mode !== 'none' && auth) {
    if (username === '') missing.push('proxy.username');
    if (!password) missing.push(SECRET_NAMES.proxyPassword);
  }
  return {
    mode,
    host: str(p?.host),
    port: typeof p?.port === 'number' ? p.port : 0,
    username,
    domain: auth ? str(p?.domain) : '',
    ...(auth && password ? { password } : {}),
    ...(str(p?.kerberosServiceName) ? { kerberosServiceName: str(p?.kerberosServiceName) } : {}),
  };
}

/** What the daemon should do with these settings: nothing (disabled), report what is missing, or connect. */
export function resolveDaemonConfig(values: Readonly<Record<string, unknown>>, secrets: DaemonSecrets): DaemonConfig {
  const rs = (values['remoteService'] ?? {}) as Partial<RemoteServiceSettings>;
  if (rs.enabled !== true) return { kind: 'disabled' };
  const missing: string[] = [];
  const organisationId = str(rs.organisationId);
  const backofficeUrl = str(rs.backofficeUrl);
  if (backofficeUrl === '') missing.push('backofficeUrl');
  if (organisationId === '') missing.push('organisationId');
  if (!secrets.verificationCode) missing.push(SECRET_NAMES.verificationCode);
  const proxy = proxyOf(rs.proxy, secrets.proxyPassword, missing);
  if (missing.length) return { kind: 'not-configured', missing };
  const selection = readSelection(values);
  return {
    kind: 'ready',
    backofficeUrl,
    organisationId,
    verificationCode: secrets.verificationCode!,
    proxy,
    ...(str(rs.caFile) ? { caFile: str(rs.caFile) } : {}),
    ...(selection ? { selection } : {}),
    account: readOrsAccount(values),
    ...(secrets.orsAccountPassword ? { orsAccountPassword: secrets.orsAccountPassword } : {}),
  };
}

/** Changes when the secrets change, without keeping them readable. */
export function secretsFingerprint(s: DaemonSecrets): string {
  return createHash('sha256').update(JSON.stringify([s.verificationCode ?? null, s.proxyPassword ?? null, s.orsAccountPassword ?? null])).digest('hex');
}
