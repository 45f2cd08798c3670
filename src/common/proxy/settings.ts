import type { ErrorInfo } from '../errors.js';

export type ProxyMode = 'none' | 'auto' | 'manual';
export const PROXY_MODES: readonly ProxyMode[] = ['none', 'auto', 'manual'];

/** The proxy part of the Remote Service settings. The password is write-only: absent when read back. */
export interface ProxySettings {
  readonly mode: ProxyMode;
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly domain: string;
  readonly password?: string;
  /** The proxy's Kerberos service name (e.g. `HTTP/proxy.corp.example.com`) when it differs from its host name. */
  readonly kerberosServiceName?: string;
}

/** What a connection is for; auto-detect serves only some of them (SPEC F3, F4). */
export type ConnectionPurpose = 'license-update' | 'software-download' | 'remote-assistance';

export const NO_PROXY_SETTINGS: ProxySettings = { mode: 'none', host: '', port: 0, username: '', domain: '' };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(host: string): boolean {
  return IPV4.test(host);
}

/** A loose but safe IPv6 literal check (hex groups, one `::`, optional embedded IPv4). */
export function isIpv6(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (!h.includes(':') || !/^[0-9a-f:.]+$/i.test(h)) return false;
  if ((h.match(/::/g) ?? []).length > 1) return false;
  const groups = h.split(':');
  const last = groups[groups.length - 1] ?? '';
  const v4 = last.includes('.');
  if (v4 && !isIpv4(last)) return false;
  const hexGroups = v4 ? groups.slice(0, -1) : groups;
  if (hexGroups.some((g) => g.length > 4)) return false;
  const count = hexGroups.filter((g) => g !== '').length + (v4 ? 2 : 0);
  return h.includes('::') ? count < 8 : count === 8;
}

export function isHostName(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  const labels = host.replace(/\.$/, '').split('.');
  if (labels.every((l) => /^\d+$/.test(l))) return false; // all-numeric but not a valid IPv4
  return labels.every((l) => LABEL.test(l));
}

/** Proxy host: a host name, an IPv4 or an IPv6 address; no scheme, port, path or credentials. */
export function validateProxyHost(host: string, field = 'proxy.host'): ErrorInfo | undefined {
  const h = host.trim();
  if (h === '') return { code: 'validation.required', params: { field }, field };
  if (isIpv4(h) || isIpv6(h) || isHostName(h)) return undefined;
  return { code: 'proxy.host-invalid', params: { host: h }, field };
}

export function validateProxyPort(port: unknown, field = 'proxy.port'): ErrorInfo | undefined {
  const n = typeof port === 'string' && /^\d+$/.test(port.trim()) ? Number(port) : port;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535) return undefined;
  return { code: 'proxy.port-invalid', params: { port: String(port) }, field };
}

/** A proxy's Kerberos service name as entered: `HTTP/host`, `HTTP@host` or just `host` (then `HTTP`); no realm. */
export function parseKerberosServiceName(value: string): { service: string; host: string } | undefined {
  const v = value.trim();
  const m = /^([A-Za-z][\w-]*)[/@]([^/@\s]+)$/.exec(v);
  if (m) return isHostName(m[2]!) || isIpv4(m[2]!) ? { service: m[1]!, host: m[2]!.toLowerCase() } : undefined;
  return isHostName(v) ? { service: 'HTTP', host: v.toLowerCase() } : undefined;
}

export function validateKerberosServiceName(value: string | undefined, field = 'proxy.kerberosServiceName'): ErrorInfo | undefined {
  if (value === undefined || value.trim() === '' || parseKerberosServiceName(value)) return undefined;
  return { code: 'proxy.kerberos-service-invalid', params: { value: value.trim() }, field };
}

/** Auto-detect serves license update and software downloads only; remote assistance needs a known proxy. */
export function isProxyModeAllowed(purpose: ConnectionPurpose, mode: ProxyMode): boolean {
  return !(purpose === 'remote-assistance' && mode === 'auto');
}

/** The same rule as `isProxyModeAllowed`, as the error shown at the field (settings) or thrown (connections). */
export function checkProxyModeFor(purpose: ConnectionPurpose, mode: ProxyMode, field = 'proxy.mode'): ErrorInfo | undefined {
  return isProxyModeAllowed(purpose, mode) ? undefined : { code: 'proxy.auto-not-allowed', params: { purpose }, field };
}

/** Settings validation of the remote-assistance feature switch against the proxy mode (SPEC F3 item 2). */
export function validateRemoteAssistance(enabled: boolean, mode: ProxyMode, field = 'remoteAssistance'): ErrorInfo | undefined {
  return enabled ? checkProxyModeFor('remote-assistance', mode, field) : undefined;
}

/** Every error of a proxy settings object, each at its field; empty when valid. */
export function validateProxySettings(s: ProxySettings): ErrorInfo[] {
  const errors: ErrorInfo[] = [];
  if (!PROXY_MODES.includes(s.mode)) {
    errors.push({ code: 'validation.invalid', params: { field: 'proxy.mode', reason: String(s.mode) }, field: 'proxy.mode' });
    return errors;
  }
  if (s.mode !== 'manual') return errors;
  const host = validateProxyHost(s.host);
  if (host) errors.push(host);
  const port = validateProxyPort(s.port);
  if (port) errors.push(port);
  if (s.domain.trim() !== '' && s.username.trim() === '') {
    errors.push({ code: 'validation.required', params: { field: 'proxy.username' }, field: 'proxy.username' });
  }
  if (/[\\/@]/.test(s.domain)) errors.push({ code: 'proxy.domain-invalid', params: { domain: s.domain }, field: 'proxy.domain' });
  const spn = validateKerberosServiceName(s.kerberosServiceName);
  if (spn) errors.push(spn);
  return errors;
}
