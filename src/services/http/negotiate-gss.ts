import { CodedError } from '../../common/errors.js';
import { ProxyErrorCode } from '../../common/proxy/errors.js';
import { parseKerberosServiceName } from '../../common/proxy/settings.js';
import type { ProxyCredentials } from '../proxy/candidates.js';

/**
 * The part of the npm `kerberos` package (GSSAPI on Linux and macOS, SSPI on Windows) this product
 * uses. The package is an optional dependency built from source; it is loaded only when a proxy
 * offers Negotiate, and where it cannot load, Negotiate is reported as unavailable.
 */
export interface GssModule {
  initializeClient(service: string, options: Readonly<Record<string, unknown>>): Promise<GssClient>;
  readonly GSS_MECH_OID_SPNEGO: number;
}

export interface GssClient {
  /** One SPNEGO step: the proxy's base64 token in ('' first), ours out. */
  step(challenge: string): Promise<string>;
  readonly contextComplete: boolean;
}

export type GssLoader = () => Promise<GssModule>;

/** Loads `kerberos` at run time; the name is a variable so neither tsc nor the bundler needs it present. */
export const loadKerberosModule: GssLoader = async () => {
  const name = 'kerberos';
  const m = (await import(name)) as { default?: GssModule } & Partial<GssModule>;
  const mod = (m.default ?? m) as GssModule;
  if (typeof mod.initializeClient !== 'function') throw new Error('the kerberos module has no initializeClient');
  return mod;
};

/** The proxy's service name as the user may enter it: `HTTP/host`, `HTTP@host` or just `host`. */
export interface ServiceName {
  readonly service: string;
  readonly host: string;
}

/** Parses an optional Kerberos service name setting; the default is `HTTP` at the proxy's host name. */
export function parseServiceName(value: string | undefined, proxyHost: string): ServiceName {
  const v = (value ?? '').trim();
  if (v === '') return { service: 'HTTP', host: proxyHost.toLowerCase() };
  const parsed = parseKerberosServiceName(v);
  if (!parsed) throw new CodedError(ProxyErrorCode.kerberosServiceInvalid, { value: v }, { field: 'proxy.kerberosServiceName' });
  return parsed;
}

/** As shown to people and in the KDC's terms: `HTTP/host`. */
export function servicePrincipal(s: ServiceName): string {
  return `${s.service}/${s.host}`;
}

/** What `initializeClient` wants as the target: GSSAPI takes a host-based `HTTP@host`, SSPI an SPN `HTTP/host`. */
export function gssTarget(platform: NodeJS.Platform, s: ServiceName): string {
  return platform === 'win32' ? `${s.service}/${s.host}` : `${s.service}@${s.host}`;
}

/**
 * The options of `initializeClient`. On Windows SSPI takes explicit credentials as `user`, `domain`
 * and `password` (the package's typings say `pass`, its C++ reads `password`), or none for the
 * signed-in account (Local System: the computer account). Elsewhere the credentials are in the
 * ticket cache, and `principal` picks the identity in it.
 */
export function clientOptions(platform: NodeJS.Platform, mechOid: number, creds: ProxyCredentials | undefined, principal: string | undefined): Record<string, unknown> {
  const options: Record<string, unknown> = { mechOID: mechOid };
  if (platform === 'win32') {
    if (creds && creds.username) {
      const at = creds.username.indexOf('@');
      // user@REALM is an UPN: SSPI takes it whole with an empty domain.
      options['user'] = creds.username;
      options['domain'] = at > 0 ? '' : creds.domain;
      options['password'] = creds.password;
    }
    return options;
  }
  if (principal) options['principal'] = principal;
  return options;
}

/** Maps a GSSAPI/SSPI failure message of one SPNEGO step to a typed error that says what to check. */
export function gssError(e: unknown, ctx: { proxy: string; service: string; principal: string; realm: string }): CodedError {
  const text = e instanceof Error ? e.message : String(e);
  const c = { cause: e };
  if (/Server .*not found in Kerberos database|Server not found in Kerberos database|SEC_E_TARGET_UNKNOWN|target principal name is incorrect/i.test(text))
    return new CodedError(ProxyErrorCode.kerberosServiceUnknown, { proxy: ctx.proxy, service: ctx.service }, c);
  if (/expired/i.test(text) && !/password/i.test(text)) return new CodedError(ProxyErrorCode.kerberosTicketExpired, { proxy: ctx.proxy, principal: ctx.principal }, c);
  if (/Clock skew|SEC_E_TIME_SKEW/i.test(text)) return new CodedError(ProxyErrorCode.kerberosClockSkew, { proxy: ctx.proxy, principal: ctx.principal }, c);
  if (/Cannot contact any KDC|SEC_E_NO_AUTHENTICATING_AUTHORITY/i.test(text))
    return new CodedError(ProxyErrorCode.kerberosKdcUnreachable, { proxy: ctx.proxy, realm: ctx.realm, reason: firstLine(text) }, c);
  if (/No credentials were supplied|No Kerberos credentials available|No credentials cache found|Can't find client principal|SEC_E_NO_CREDENTIALS/i.test(text))
    return new CodedError(ProxyErrorCode.kerberosNoTicket, { proxy: ctx.proxy }, c);
  if (/SEC_E_LOGON_DENIED/i.test(text)) return new CodedError(ProxyErrorCode.kerberosPasswordWrong, { proxy: ctx.proxy, principal: ctx.principal }, c);
  return new CodedError(ProxyErrorCode.kerberosFailed, { proxy: ctx.proxy, reason: firstLine(text) }, c);
}

export function firstLine(text: string): string {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find(Boolean) ?? '';
  return line.length > 200 ? line.slice(0, 200) + '…' : line;
}
