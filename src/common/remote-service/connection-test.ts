/**
 * [Test connection] (SPEC F3): the path the ORS service takes, walked with the dialog's values —
 * proxy resolution → proxy (TCP) → CONNECT (+ authentication) → TLS → HTTP → back-office login →
 * serial number known → license retrievable. The report, what each hop checked in words, and when
 * a report no longer describes what the dialog shows. Isomorphic: used by the plugin and the view.
 */
import type { ErrorInfo, Message } from '../errors.js';
import { describeCandidate, type DiagnosticHop, type DiagnosticHopName, type DiagnosticReport } from '../proxy/diagnostic.js';
import type { ConnectionState } from './model.js';

export type ConnectionTestHopName = DiagnosticHopName | 'login' | 'serial' | 'license';

/** The order of the hops; a report lists every one of them (not reached = skipped). */
export const CONNECTION_TEST_HOPS: readonly ConnectionTestHopName[] = ['resolve', 'tcp', 'connect', 'tls', 'http', 'login', 'serial', 'license'];

export interface ConnectionTestHop extends Omit<DiagnosticHop, 'hop'> {
  readonly hop: ConnectionTestHopName;
}

/** How the ORS service reaches the back office with these settings. */
export type ConnectionRoute =
  | { readonly kind: 'proxy'; readonly proxy: string }
  /** No proxy configured (mode 'none'). */
  | { readonly kind: 'direct' }
  /** A proxy is configured, but this address bypasses it (loopback, or a no-proxy/bypass rule). */
  | { readonly kind: 'bypass' };

export interface ConnectionTestReport extends Omit<DiagnosticReport, 'hops'> {
  readonly hops: readonly ConnectionTestHop[];
  readonly route: ConnectionRoute;
  /** When the test ran (ISO), to compare with what Feedback reports later. */
  readonly testedAt: string;
}

/** The route the resolution chose: a proxy, direct by setting, or direct although a proxy is set. */
export function routeOf(r: Pick<DiagnosticReport, 'mode' | 'candidates'>): ConnectionRoute {
  const first = r.candidates[0];
  if (first?.kind === 'proxy') return { kind: 'proxy', proxy: describeCandidate(first) };
  return r.mode === 'none' ? { kind: 'direct' } : { kind: 'bypass' };
}

/** True only when every hop ran and is ok: a report that stopped early is never green. */
export function reportPassed(hops: readonly ConnectionTestHop[]): boolean {
  return hops.every((h) => h.status !== 'failed') && hops.some((h) => h.hop === 'license' && h.status === 'ok');
}

/** The first hop that failed, if any. */
export function failedHop(r: ConnectionTestReport): ConnectionTestHop | undefined {
  return r.hops.find((h) => h.status === 'failed');
}

/** Proxy authentication schemes by their names (names, the same in every language). */
const SCHEME_NAMES: Readonly<Record<string, string>> = { basic: 'Basic', ntlm: 'NTLMv2', negotiate: 'Negotiate (Kerberos)' };
const schemeName = (scheme: string): string => SCHEME_NAMES[scheme] ?? scheme;

const detail = (h: ConnectionTestHop, key: string): string | undefined => {
  const v = h.details?.[key];
  return v === undefined ? undefined : Array.isArray(v) ? v.join(', ') : String(v);
};

/** What a hop checked, in words (catalogue codes `connection-test.checked.*`). */
export function hopChecked(h: ConnectionTestHop, r: ConnectionTestReport): Message {
  const target = h.target ?? '';
  const route = r.route;
  switch (h.hop) {
    case 'resolve':
      if (route.kind === 'bypass') return { code: 'connection-test.checked.resolve-bypass' };
      if (route.kind === 'direct') return { code: 'connection-test.checked.resolve-none' };
      return r.mode === 'manual'
        ? { code: 'connection-test.checked.resolve-manual', params: { proxy: route.proxy } }
        : { code: 'connection-test.checked.resolve-auto', params: { proxy: route.proxy, source: detail(h, 'source') ?? '' } };
    case 'tcp':
      if (route.kind === 'proxy') return { code: 'connection-test.checked.tcp-proxy', params: { target } };
      return { code: route.kind === 'bypass' ? 'connection-test.checked.tcp-bypass' : 'connection-test.checked.tcp-direct', params: { target } };
    case 'connect': {
      if (h.status === 'skipped' && route.kind !== 'proxy') return { code: route.kind === 'bypass' ? 'connection-test.checked.connect-bypass' : 'connection-test.checked.connect-none' };
      const scheme = detail(h, 'scheme');
      return scheme && scheme !== 'none'
        ? { code: 'connection-test.checked.connect-auth', params: { target, scheme: schemeName(scheme) } }
        : { code: 'connection-test.checked.connect', params: { target } };
    }
    case 'tls':
      return h.status === 'ok'
        ? { code: 'connection-test.checked.tls', params: { host: target, subject: detail(h, 'subject') ?? '', issuer: detail(h, 'issuer') ?? '', protocol: detail(h, 'protocol') ?? '' } }
        : { code: 'connection-test.checked.tls-pending', params: { host: target } };
    case 'http':
      return h.status === 'ok' ? { code: 'connection-test.checked.http', params: { target, status: detail(h, 'status') ?? '' } } : { code: 'connection-test.checked.http-pending', params: { target } };
    case 'login':
      return { code: 'connection-test.checked.login', params: { organisation: target } };
    case 'serial':
      return target ? { code: 'connection-test.checked.serial', params: { serial: target } } : { code: 'connection-test.checked.serial-none' };
    case 'license':
      return h.status === 'ok' && detail(h, 'issuedAt')
        ? { code: 'connection-test.checked.license', params: { serial: target, issuedAt: detail(h, 'issuedAt') ?? '' } }
        : { code: 'connection-test.checked.license-pending', params: { serial: target } };
  }
}

/**
 * The proxy authentication of a tunnel that was opened: the schemes the proxy offered, the one used,
 * and why that one (the diagnostic's notes: e.g. Negotiate skipped and the Kerberos reason).
 */
export function hopAuthentication(h: ConnectionTestHop): { readonly summary: Message; readonly why: readonly ErrorInfo[] } | undefined {
  if (h.hop !== 'connect' || h.status !== 'ok' || !h.details) return undefined;
  const scheme = detail(h, 'scheme') ?? 'none';
  const offered = detail(h, 'offered') ?? '';
  return {
    summary: offered && scheme !== 'none' ? { code: 'connection-test.auth', params: { offered, scheme: schemeName(scheme) } } : { code: 'connection-test.auth-none-offered' },
    why: h.notes ?? [],
  };
}

/**
 * Why a report on screen no longer describes the dialog: a setting changed since the test, or the
 * ORS service reported a failure after it (a green report never stands next to a red Feedback).
 */
export type ReportStaleness = 'settings-changed' | 'feedback-failed' | undefined;

export function reportStaleness(r: ConnectionTestReport, settingsChanged: boolean, connection: ConnectionState | undefined): ReportStaleness {
  if (settingsChanged) return 'settings-changed';
  // Any error Feedback shows contradicts a passed test; a failed test stays as it is.
  if (r.ok && connection?.kind === 'error') return 'feedback-failed';
  return undefined;
}
