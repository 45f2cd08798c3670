import type { ErrorInfo } from '../errors.js';
import type { ProxyMode } from './settings.js';

/** Where the proxy candidates for a URL came from. */
export type ProxySource =
  | 'none'
  | 'manual'
  | 'loopback'
  | 'env'
  | 'windows-internet-settings'
  | 'windows-winhttp'
  | 'macos'
  | 'gnome'
  | 'kde'
  | 'pac'
  | 'default';

/** A proxy candidate as shown to people: never with a password. */
export type ProxyCandidateInfo =
  | { readonly kind: 'direct' }
  | { readonly kind: 'proxy'; readonly host: string; readonly port: number; readonly username?: string };

export type DiagnosticHopName = 'resolve' | 'tcp' | 'connect' | 'tls' | 'http';
export type DiagnosticHopStatus = 'ok' | 'failed' | 'skipped';

export interface DiagnosticHop {
  readonly hop: DiagnosticHopName;
  readonly status: DiagnosticHopStatus;
  readonly ms: number;
  /** What the hop talked to, e.g. "proxy.corp:8080". */
  readonly target?: string;
  readonly error?: ErrorInfo;
  /** Message code of what to do about a failure (catalogue text in en and de). */
  readonly hint?: string;
  readonly details?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  /** Why the hop went as it did (message codes), e.g. which proxy authentication scheme was used and why. */
  readonly notes?: readonly ErrorInfo[];
}

export interface DiagnosticReport {
  readonly url: string;
  readonly mode: ProxyMode;
  readonly source?: ProxySource;
  readonly candidates: readonly ProxyCandidateInfo[];
  readonly hops: readonly DiagnosticHop[];
  /** True only when every hop that ran is ok. */
  readonly ok: boolean;
  readonly ms: number;
}

export function describeCandidate(c: ProxyCandidateInfo): string {
  return c.kind === 'direct' ? 'DIRECT' : `${c.host.includes(':') ? `[${c.host}]` : c.host}:${c.port}`;
}
