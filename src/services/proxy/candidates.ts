import type { ProxyCandidateInfo, ProxySource } from '../../common/proxy/diagnostic.js';
import type { ErrorInfo } from '../../common/errors.js';

export interface ProxyCredentials {
  readonly username: string;
  readonly password: string;
  /** Set for NTLM with a domain; empty otherwise. */
  readonly domain: string;
}

export interface ProxyEndpoint {
  readonly kind: 'proxy';
  readonly host: string;
  readonly port: number;
  readonly credentials?: ProxyCredentials;
  /** The proxy's Kerberos service name when it differs from `HTTP/<host>` (Negotiate). */
  readonly kerberosServiceName?: string;
}

export type ProxyCandidate = { readonly kind: 'direct' } | ProxyEndpoint;

export const DIRECT: ProxyCandidate = { kind: 'direct' };

/** The ordered candidates for one URL and the source that produced them. */
export interface ProxyResolution {
  readonly source: ProxySource;
  readonly candidates: readonly ProxyCandidate[];
  /** Where a PAC script came from, if one was used. */
  readonly pacUrl?: string;
  /** A problem met while resolving (e.g. PAC server down) that made the resolver fall back. */
  readonly problem?: ErrorInfo;
}

export function candidateKey(c: ProxyCandidate): string {
  return c.kind === 'direct' ? 'DIRECT' : `${c.host}:${c.port}`;
}

export function toCandidateInfo(c: ProxyCandidate): ProxyCandidateInfo {
  if (c.kind === 'direct') return { kind: 'direct' };
  return { kind: 'proxy', host: c.host, port: c.port, ...(c.credentials ? { username: c.credentials.username } : {}) };
}

/**
 * Parses a proxy URL such as `http://us%40er:p%3Ass@proxy:3128` (environment variables, OS settings).
 * Credentials are percent-decoded (RFC 3986 userinfo); a DOMAIN\user name is split into domain and user.
 */
export function parseProxyUrl(value: string): ProxyEndpoint | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `http://${v}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' || url.hostname === '') return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : 80;
  if (!url.username && !url.password) return { kind: 'proxy', host, port };
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const rawUser = decode(url.username);
  const slash = rawUser.indexOf('\\');
  const domain = slash > 0 ? rawUser.slice(0, slash) : '';
  const username = slash > 0 ? rawUser.slice(slash + 1) : rawUser;
  return { kind: 'proxy', host, port, credentials: { username, password: decode(url.password), domain } };
}
