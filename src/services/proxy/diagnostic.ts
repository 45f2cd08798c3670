import * as http from 'node:http';
import { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import type { TLSSocket, PeerCertificate, DetailedPeerCertificate } from 'node:tls';
import { CodedError, isCodedError, toErrorInfo, type ErrorInfo } from '../../common/errors.js';
import { ProxyErrorCode } from '../../common/proxy/errors.js';
import type { ProxySettings } from '../../common/proxy/settings.js';
import type { DiagnosticHop, DiagnosticHopName, DiagnosticReport } from '../../common/proxy/diagnostic.js';
import { describeCandidate } from '../../common/proxy/diagnostic.js';
import { toCandidateInfo, type ProxyCandidate, type ProxyResolution } from './candidates.js';
import { DefaultProxyResolver, effectivePort, type ProxyResolver } from './proxy-resolver.js';
import { injectable } from 'inversify';
import { withDefaults, type Deadlines } from '../http/deadlines.js';
import type { Negotiator } from '../http/negotiate.js';
import { guarded, openTunnel, originTcpErrors, proxyTcpErrors, tcpConnect, tlsUpgrade } from '../http/tunnel.js';

export interface DiagnosticOptions {
  readonly url: string;
  readonly proxy: ProxySettings;
  readonly caPem?: string;
  readonly deadlines?: Partial<Deadlines>;
  readonly env?: NodeJS.ProcessEnv;
  readonly resolver?: ProxyResolver;
  readonly signal?: AbortSignal;
  /** Kerberos for Negotiate proxies (default: the process's). */
  readonly negotiator?: Negotiator;
}

export const ConnectionDiagnostic = Symbol('ConnectionDiagnostic');
export interface ConnectionDiagnostic {
  run(options: DiagnosticOptions): Promise<DiagnosticReport>;
}

@injectable()
export class DefaultConnectionDiagnostic implements ConnectionDiagnostic {
  run(options: DiagnosticOptions): Promise<DiagnosticReport> {
    return runDiagnostic(options);
  }
}

const HINTS: Readonly<Record<string, string>> = {
  [ProxyErrorCode.refused]: 'proxy.hint.check-proxy-address',
  [ProxyErrorCode.unreachable]: 'proxy.hint.check-proxy-address',
  [ProxyErrorCode.connectTimeout]: 'proxy.hint.check-proxy-address',
  [ProxyErrorCode.authRequired]: 'proxy.hint.enter-credentials',
  [ProxyErrorCode.authFailed]: 'proxy.hint.check-credentials',
  [ProxyErrorCode.authUnsupported]: 'proxy.hint.check-credentials',
  [ProxyErrorCode.ntlmInvalidChallenge]: 'proxy.hint.check-credentials',
  [ProxyErrorCode.connectFailed]: 'proxy.hint.proxy-blocks-target',
  [ProxyErrorCode.tlsFailed]: 'proxy.hint.custom-ca',
  [ProxyErrorCode.httpTlsFailed]: 'proxy.hint.custom-ca',
  [ProxyErrorCode.pacFetchFailed]: 'proxy.hint.check-pac',
  [ProxyErrorCode.pacTimeout]: 'proxy.hint.check-pac',
  [ProxyErrorCode.pacInvalid]: 'proxy.hint.check-pac',
  [ProxyErrorCode.pacTooLarge]: 'proxy.hint.check-pac',
  [ProxyErrorCode.pacUrlInvalid]: 'proxy.hint.check-pac',
  [ProxyErrorCode.httpRefused]: 'proxy.hint.check-target',
  [ProxyErrorCode.httpUnreachable]: 'proxy.hint.check-network',
  [ProxyErrorCode.httpStatus]: 'proxy.hint.check-target',
  [ProxyErrorCode.httpTimeout]: 'proxy.hint.retry-later',
};

function certName(c: PeerCertificate | undefined, key: 'subject' | 'issuer'): string {
  const n = c?.[key];
  return n ? String(n.CN ?? n.O ?? JSON.stringify(n)) : '';
}

/** True when the chain's root is one of the custom CA bundle's certificates (the system roots would not do). */
function customCaNeeded(peer: DetailedPeerCertificate, caPem: string | undefined): boolean {
  if (!caPem) return false;
  let top = peer;
  const seen = new Set<string>();
  while (top.issuerCertificate && top.issuerCertificate !== top && !seen.has(top.fingerprint256)) {
    seen.add(top.fingerprint256);
    top = top.issuerCertificate;
  }
  const bundle = caPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return bundle.some((pem) => {
    try {
      return new X509Certificate(pem).fingerprint256 === top.fingerprint256;
    } catch {
      return false;
    }
  });
}

function httpProbe(socket: Socket, url: URL, ms: number, signal: AbortSignal | undefined): Promise<number> {
  const work = new Promise<number>((resolve, reject) => {
    const req = http.request({
      createConnection: () => socket,
      method: 'GET',
      path: url.pathname + url.search,
      headers: { Host: url.host, Connection: 'close', 'User-Agent': 'ors-diagnose' },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (e) => reject(new CodedError(ProxyErrorCode.httpFailed, { host: url.host, reason: e.message })));
    req.end();
  });
  return guarded(
    work,
    ms,
    signal,
    () => new CodedError(ProxyErrorCode.httpTimeout, { host: url.host, seconds: ms / 1000, phase: 'response' }),
    () => new CodedError(ProxyErrorCode.httpAborted, { host: url.host }),
    () => socket.destroy(),
  );
}

/**
 * Walks resolution → TCP → CONNECT (with the auth scheme used) → TLS → HTTP for one URL and reports
 * each hop: ok/failed/skipped, time, error code and hint. Never includes a secret. Every hop has its
 * own deadline, and the whole walk ends within `totalMs`.
 */
export async function runDiagnostic(o: DiagnosticOptions): Promise<DiagnosticReport> {
  const started = Date.now();
  const d = withDefaults(o.deadlines);
  const url = new URL(o.url);
  const hops: DiagnosticHop[] = [];
  const ac = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, ac.signal]) : ac.signal;
  const totalTimer = setTimeout(() => ac.abort(), d.totalMs);
  const resolver = o.resolver ?? new DefaultProxyResolver({ settings: o.proxy, ...(o.env ? { env: o.env } : {}) });
  let resolution: ProxyResolution | undefined;
  let socket: Socket | undefined;

  const hop = async <T>(name: DiagnosticHopName, target: string | undefined, fn: () => Promise<{ value: T; details?: DiagnosticHop['details']; notes?: DiagnosticHop['notes'] }>): Promise<T | undefined> => {
    const t0 = Date.now();
    try {
      const { value, details, notes } = await fn();
      hops.push({ hop: name, status: 'ok', ms: Date.now() - t0, ...(target ? { target } : {}), ...(details ? { details } : {}), ...(notes?.length ? { notes } : {}) });
      return value;
    } catch (e) {
      const error: ErrorInfo = isCodedError(e) ? e.toInfo() : toErrorInfo(e);
      const hint = HINTS[error.code];
      hops.push({ hop: name, status: 'failed', ms: Date.now() - t0, ...(target ? { target } : {}), error, ...(hint ? { hint } : {}) });
      return undefined;
    }
  };
  const skip = (name: DiagnosticHopName): void => {
    hops.push({ hop: name, status: 'skipped', ms: 0 });
  };

  try {
    await hop('resolve', undefined, async () => {
      const r = await resolver.resolve(url);
      resolution = r;
      const details = { source: r.source, candidates: r.candidates.map((c) => describeCandidate(toCandidateInfo(c))), ...(r.pacUrl ? { pacUrl: r.pacUrl } : {}) };
      if (r.problem) throw new CodedError(r.problem.code, r.problem.params ?? {});
      return { value: r, details };
    });
    // A PAC failure falls back to DIRECT: the resolve hop is failed, the walk goes on over DIRECT.
    const resolved = resolution as ProxyResolution | undefined;
    const candidates: readonly ProxyCandidate[] = resolved?.candidates ?? [{ kind: 'direct' }];
    let candidate = candidates[0] ?? { kind: 'direct' };
    if (candidate.kind === 'proxy' && !candidate.credentials && o.proxy.username) {
      // Auto-detected proxies carry no credentials: the configured ones apply (as in http-client.ts).
      candidate = { ...candidate, credentials: { username: o.proxy.username, password: o.proxy.password ?? '', domain: o.proxy.domain } };
    }
    const port = effectivePort(url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (candidate.kind === 'proxy') {
      const proxy = candidate;
      const name = describeCandidate(toCandidateInfo(proxy));
      const tcpOk = await hop('tcp', name, async () => {
        const s = await tcpConnect(proxy.host, proxy.port, d.connectMs, signal, proxyTcpErrors(proxy, d));
        s.destroy();
        return { value: true };
      });
      if (tcpOk) {
        socket = await hop('connect', `${host}:${port}`, async () => {
          const t = await openTunnel({ proxy, targetHost: host, targetPort: port, deadlines: d, signal, ...(o.negotiator ? { negotiator: o.negotiator } : {}) });
          return { value: t.socket, details: { scheme: t.scheme, offered: t.offered, connects: t.connects, ...(t.principal ? { principal: t.principal } : {}) }, notes: t.why };
        });
      } else skip('connect');
    } else {
      socket = await hop('tcp', `${host}:${port}`, async () => ({ value: await tcpConnect(host, port, d.connectMs, signal, originTcpErrors(host, d)) }));
      skip('connect');
    }
    if (socket && url.protocol === 'https:') {
      const plain = socket;
      socket = await hop('tls', host, async () => {
        const s: TLSSocket = await tlsUpgrade(plain, { host, ...(o.caPem ? { ca: o.caPem } : {}), ms: d.tlsMs, signal, viaProxy: candidate.kind === 'proxy' });
        const peer = s.getPeerCertificate(true);
        return {
          value: s,
          details: {
            subject: certName(peer, 'subject'),
            issuer: certName(peer, 'issuer'),
            validFrom: peer.valid_from,
            validTo: peer.valid_to,
            protocol: s.getProtocol() ?? '',
            customCaNeeded: customCaNeeded(peer, o.caPem),
          },
        };
      });
    } else if (url.protocol === 'https:') skip('tls');
    if (socket) {
      const s = socket;
      await hop('http', url.origin, async () => {
        const status = await httpProbe(s, url, d.responseMs, signal);
        if (status >= 500) throw new CodedError(ProxyErrorCode.httpStatus, { host: url.host, status });
        return { value: status, details: { status } };
      });
    } else skip('http');
  } finally {
    clearTimeout(totalTimer);
    socket?.destroy();
    if (!o.resolver) resolver.dispose();
  }
  return {
    url: url.href,
    mode: o.proxy.mode,
    ...(resolution ? { source: resolution.source } : {}),
    candidates: (resolution?.candidates ?? []).map(toCandidateInfo),
    hops,
    ok: hops.every((h) => h.status !== 'failed') && hops.some((h) => h.hop === 'http' && h.status === 'ok'),
    ms: Date.now() - started,
  };
}
