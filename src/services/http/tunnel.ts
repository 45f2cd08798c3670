import * as net from 'node:net';
import * as tls from 'node:tls';
import { CodedError, isCodedError, type ErrorInfo } from '../../common/errors.js';
import { ProxyErrorCode } from '../../common/proxy/errors.js';
import type { ProxyEndpoint } from '../proxy/candidates.js';
import { createAuthenticateMessage, createNegotiateMessage, parseChallengeMessage } from './ntlm.js';
import type { Deadlines, TunnelStats } from './deadlines.js';
import { defaultNegotiator, type IdentityResult, type NegotiateIdentity, type Negotiator } from './negotiate.js';
import { parseServiceName, servicePrincipal } from './negotiate-gss.js';

const ignore = (): void => undefined;

export type AuthScheme = 'none' | 'basic' | 'ntlm' | 'negotiate';

/** Runs `work` under a deadline and an abort signal; when either fires, `cleanup` (destroy the socket) runs first. */
export function guarded<T>(
  work: Promise<T>,
  ms: number,
  signal: AbortSignal | undefined,
  onTimeout: () => Error,
  onAbort: () => Error,
  cleanup: () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (): void => {
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    };
    const abort = (): void => {
      if (done) return;
      finish();
      cleanup();
      reject(onAbort());
    };
    const timer = setTimeout(() => {
      if (done) return;
      finish();
      cleanup();
      reject(onTimeout());
    }, ms);
    if (signal?.aborted) return abort();
    signal?.addEventListener('abort', abort, { once: true });
    work.then(
      (v) => {
        if (done) return;
        finish();
        resolve(v);
      },
      (e: unknown) => {
        if (done) return;
        finish();
        reject(e);
      },
    );
  });
}

export interface TcpErrors {
  readonly refused: () => CodedError;
  readonly timeout: () => CodedError;
  readonly unreachable: (reason: string) => CodedError;
}

export function proxyName(p: { host: string; port: number }): string {
  return `${p.host.includes(':') ? `[${p.host}]` : p.host}:${p.port}`;
}

export function proxyTcpErrors(proxy: { host: string; port: number }, deadlines: Deadlines): TcpErrors {
  const name = proxyName(proxy);
  return {
    refused: () => new CodedError(ProxyErrorCode.refused, { proxy: name }),
    timeout: () => new CodedError(ProxyErrorCode.connectTimeout, { proxy: name, seconds: deadlines.connectMs / 1000, phase: 'tcp' }),
    unreachable: (reason) => new CodedError(ProxyErrorCode.unreachable, { proxy: name, reason }),
  };
}

export function originTcpErrors(host: string, deadlines: Deadlines): TcpErrors {
  return {
    refused: () => new CodedError(ProxyErrorCode.httpRefused, { host }),
    timeout: () => new CodedError(ProxyErrorCode.httpTimeout, { host, seconds: deadlines.connectMs / 1000, phase: 'connect' }),
    unreachable: (reason) => new CodedError(ProxyErrorCode.httpUnreachable, { host, reason }),
  };
}

export const abortedError = (host: string): CodedError => new CodedError(ProxyErrorCode.httpAborted, { host });

export function tcpConnect(host: string, port: number, ms: number, signal: AbortSignal | undefined, errors: TcpErrors, stats?: TunnelStats): Promise<net.Socket> {
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  if (stats) stats.tcpConnects++;
  const work = new Promise<net.Socket>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      socket.destroy();
      reject(e.code === 'ECONNREFUSED' ? errors.refused() : errors.unreachable(e.code ?? e.message));
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      // Errors between phases surface as 'close' to whoever reads next; never as an uncaught 'error'.
      socket.on('error', ignore);
      resolve(socket);
    });
  });
  return guarded(work, ms, signal, errors.timeout, () => abortedError(host), () => socket.destroy());
}

export interface ProxyResponse {
  readonly status: number;
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** False when the proxy will close the connection after this answer. */
  readonly reusable: boolean;
}

const MAX_HEAD = 64 * 1024;

/** Reads one HTTP response head (and a Content-Length body, which is discarded) from the socket. */
export function readProxyResponse(socket: net.Socket): Promise<ProxyResponse> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let head: { status: number; headers: Map<string, string[]>; bodyStart: number; bodyLength: number; chunked: boolean } | undefined;
    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onError);
      socket.off('close', onEnd);
    };
    const onEnd = (): void => {
      cleanup();
      reject(new Error('the proxy closed the connection'));
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      if (!head) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) {
          if (buf.length > MAX_HEAD) onError(new Error('proxy answer head too large'));
          return;
        }
        const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
        const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
        if (!m) return onError(new Error('the proxy did not answer with HTTP'));
        const headers = new Map<string, string[]>();
        for (const line of lines.slice(1)) {
          const i = line.indexOf(':');
          if (i <= 0) continue;
          const k = line.slice(0, i).trim().toLowerCase();
          headers.set(k, [...(headers.get(k) ?? []), line.slice(i + 1).trim()]);
        }
        const status = Number(m[1]);
        const chunked = /chunked/i.test((headers.get('transfer-encoding') ?? []).join(','));
        const bodyLength = status === 200 ? 0 : Number(headers.get('content-length')?.[0] ?? 0) || 0;
        head = { status, headers, bodyStart: end + 4, bodyLength, chunked };
      }
      if (buf.length < head.bodyStart + head.bodyLength) return;
      cleanup();
      socket.pause();
      const rest = buf.subarray(head.bodyStart + head.bodyLength);
      if (rest.length) socket.unshift(rest);
      const connection = [...(head.headers.get('connection') ?? []), ...(head.headers.get('proxy-connection') ?? [])].join(',');
      const reusable = !/close/i.test(connection) && !head.chunked && (head.status === 200 || head.headers.has('content-length'));
      resolve({ status: head.status, headers: head.headers, reusable });
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', onError);
    socket.resume();
  });
}

/** Schemes offered in Proxy-Authenticate (or WWW-Authenticate, for proxies that wrongly answer 401). */
export function offeredSchemes(res: ProxyResponse): string[] {
  const values = [...(res.headers.get('proxy-authenticate') ?? []), ...(res.status === 401 ? (res.headers.get('www-authenticate') ?? []) : [])];
  const schemes = values.map((v) => v.trim().split(/\s+/)[0] ?? '').filter(Boolean);
  return [...new Set(schemes)];
}

function schemeToken(res: ProxyResponse, scheme: 'NTLM' | 'Negotiate'): string | undefined {
  const values = [...(res.headers.get('proxy-authenticate') ?? []), ...(res.status === 401 ? (res.headers.get('www-authenticate') ?? []) : [])];
  const re = new RegExp(`^${scheme}\\s+(\\S+)`, 'i');
  return values.map((x) => re.exec(x.trim())?.[1]).find(Boolean);
}

/** Basic credentials are UTF-8 (RFC 7617 charset="UTF-8"); a user name holding `:` cannot be sent in Basic. */
export function basicAuthorization(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

export const SCHEME_LABEL: Readonly<Record<AuthScheme, string>> = { none: 'none', basic: 'Basic', ntlm: 'NTLM', negotiate: 'Negotiate' };

/** SPNEGO rounds on one CONNECT socket before giving up (Kerberos needs one; some proxies ask for a second). */
export const MAX_NEGOTIATE_ROUNDS = 4;

export interface TunnelOptions {
  readonly proxy: ProxyEndpoint;
  readonly targetHost: string;
  readonly targetPort: number;
  readonly deadlines: Deadlines;
  readonly signal?: AbortSignal;
  /** The scheme each proxy wanted last time, so later connections authenticate on the first CONNECT. */
  readonly authCache?: Map<string, AuthScheme>;
  readonly stats?: TunnelStats;
  /** Kerberos for Negotiate (default: the process's negotiator, which loads the library on first use). */
  readonly negotiator?: Negotiator;
}

export interface Tunnel {
  readonly socket: net.Socket;
  readonly scheme: AuthScheme;
  readonly offered: readonly string[];
  /** CONNECT requests this tunnel took. */
  readonly connects: number;
  /** Why this scheme was used (message codes; a skipped Negotiate carries its reason as the second entry). */
  readonly why: readonly ErrorInfo[];
  /** The Kerberos identity, when Negotiate was used. */
  readonly principal?: string;
}

/**
 * Opens a CONNECT tunnel through an HTTP proxy: learns the schemes from a 407 (or a non-compliant 401),
 * picks Negotiate when a Kerberos identity is available, else NTLMv2, else Basic, authenticates on the
 * same kept-alive socket (NTLM Type 1 → 2 → 3; SPNEGO tokens while the proxy answers with one, bounded),
 * and fails with typed errors that carry the offered schemes. The whole CONNECT phase, kinit included,
 * has one deadline; when it fires, or after any failure, the socket is destroyed.
 */
export async function openTunnel(o: TunnelOptions): Promise<Tunnel> {
  const { proxy, deadlines, stats } = o;
  const name = proxyName(proxy);
  const key = name;
  const creds = proxy.credentials && proxy.credentials.username ? proxy.credentials : undefined;
  const negotiator = o.negotiator ?? defaultNegotiator();
  const ac = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, ac.signal]) : ac.signal;
  const targetHostHeader = `${o.targetHost.includes(':') ? `[${o.targetHost}]` : o.targetHost}:${o.targetPort}`;
  let socket = await tcpConnect(proxy.host, proxy.port, deadlines.connectMs, o.signal, proxyTcpErrors(proxy, deadlines), stats);
  let connects = 0;
  let offered: string[] = [];
  let identity: NegotiateIdentity | undefined;

  const send = async (authorization: string | undefined): Promise<ProxyResponse> => {
    connects++;
    if (stats) stats.connectRequests++;
    const lines = [`CONNECT ${targetHostHeader} HTTP/1.1`, `Host: ${targetHostHeader}`, 'Proxy-Connection: Keep-Alive'];
    if (authorization) lines.push(`Proxy-Authorization: ${authorization}`);
    const answer = readProxyResponse(socket);
    socket.write(lines.join('\r\n') + '\r\n\r\n');
    return answer;
  };
  const reconnectIfNeeded = async (res: ProxyResponse): Promise<void> => {
    if (res.reusable && !socket.destroyed) return;
    socket.destroy();
    socket = await tcpConnect(proxy.host, proxy.port, deadlines.connectMs, o.signal, proxyTcpErrors(proxy, deadlines), stats);
  };
  const ntlm = async (): Promise<ProxyResponse> => {
    if (stats) stats.ntlmHandshakes++;
    const first = await send('NTLM ' + createNegotiateMessage().toString('base64'));
    if (first.status !== 407 && first.status !== 401) return first;
    if (offered.length === 0) offered = offeredSchemes(first);
    const token = schemeToken(first, 'NTLM');
    let challenge;
    try {
      if (!token) throw new Error('no NTLM challenge');
      challenge = parseChallengeMessage(Buffer.from(token, 'base64'));
    } catch (e) {
      throw new CodedError(ProxyErrorCode.ntlmInvalidChallenge, { proxy: name }, { cause: e });
    }
    if (!first.reusable || socket.destroyed) throw new CodedError(ProxyErrorCode.authFailed, { proxy: name, scheme: 'NTLM', schemes: offered.join(', ') });
    const type3 = createAuthenticateMessage({ username: creds!.username, password: creds!.password, domain: creds!.domain, challenge });
    return send('NTLM ' + type3.toString('base64'));
  };
  const started = Date.now();
  // kinit gets what is left of the CONNECT deadline, a little less, so its own "KDC unreachable" wins the race.
  const identityFor = (force: boolean): Promise<IdentityResult> =>
    negotiator.identity({ proxy: name, ...(creds ? { credentials: creds } : {}), ms: Math.max(250, deadlines.proxyConnectMs - (Date.now() - started) - 250), signal, ...(force ? { force } : {}) });
  const negotiate = async (id: NegotiateIdentity, renewed = false): Promise<ProxyResponse> => {
    if (stats) stats.negotiateHandshakes++;
    const target = parseServiceName(proxy.kerberosServiceName, proxy.host);
    let ctx;
    let token;
    try {
      ctx = await negotiator.context(id, target, name);
      token = await ctx.step('');
    } catch (e) {
      // A ticket that expired in the cache (a suspended computer): fetch a new one once.
      if (!renewed && id.renewable && isCodedError(e) && e.code === ProxyErrorCode.kerberosTicketExpired) {
        const again = await identityFor(true);
        if ('identity' in again) {
          identity = again.identity;
          return negotiate(again.identity, true);
        }
      }
      throw e;
    }
    for (let round = 1; ; round++) {
      const res = await send('Negotiate ' + token);
      if (res.status !== 407 && res.status !== 401) return res;
      // A plain 407 is the proxy's final no; a token continues the handshake on this socket, a bounded number of times.
      const server = schemeToken(res, 'Negotiate');
      if (!server || round >= MAX_NEGOTIATE_ROUNDS || !res.reusable || socket.destroyed) return res;
      token = await ctx.step(server);
    }
  };
  const authenticate = (scheme: AuthScheme): Promise<ProxyResponse> =>
    scheme === 'ntlm' ? ntlm() : scheme === 'negotiate' ? negotiate(identity!) : send(scheme === 'basic' ? basicAuthorization(creds!.username, creds!.password) : undefined);

  /** Negotiate when a Kerberos identity is available, else NTLMv2 (the password stays off the wire), else Basic. */
  const choose = async (): Promise<{ scheme: AuthScheme; why: ErrorInfo[] }> => {
    const lower = offered.map((s) => s.toLowerCase());
    let skipped: CodedError | undefined;
    if (lower.includes('negotiate')) {
      const reason = await negotiator.unavailable();
      if (reason !== undefined) skipped = new CodedError(ProxyErrorCode.negotiateUnavailable, { proxy: name, reason });
      else {
        const r = await identityFor(false);
        if ('identity' in r) {
          identity = r.identity;
          const service = servicePrincipal(parseServiceName(proxy.kerberosServiceName, proxy.host));
          return { scheme: 'negotiate', why: [{ code: 'proxy.auth-why.kerberos', params: { principal: r.identity.principal, service } }] };
        }
        skipped = r.none;
      }
    }
    const scheme: AuthScheme = creds && lower.includes('ntlm') ? 'ntlm' : creds && lower.includes('basic') ? 'basic' : 'none';
    if (scheme === 'none') {
      const negotiateOnly = skipped && !lower.some((s) => s === 'ntlm' || s === 'basic');
      if (negotiateOnly) throw skipped!;
      if (!creds) throw new CodedError(ProxyErrorCode.authRequired, { proxy: name, schemes: offered.join(', ') || 'none' });
      throw new CodedError(ProxyErrorCode.authUnsupported, { proxy: name, schemes: offered.join(', ') });
    }
    const why: ErrorInfo[] = skipped ? [{ code: 'proxy.auth-why.negotiate-skipped', params: { scheme: SCHEME_LABEL[scheme] } }, skipped.toInfo()] : [{ code: `proxy.auth-why.${scheme}` }];
    return { scheme, why };
  };

  const work = (async (): Promise<Tunnel> => {
    const cached = o.authCache?.get(key);
    let scheme: AuthScheme = cached && (creds || cached === 'negotiate') ? cached : 'none';
    let why: ErrorInfo[] = [];
    if (scheme === 'negotiate') {
      const r = await identityFor(false);
      if ('identity' in r) identity = r.identity;
      else scheme = 'none';
    }
    if (scheme !== 'none') why = [{ code: 'proxy.auth-why.cached', params: { scheme: SCHEME_LABEL[scheme] } }];
    let res = await authenticate(scheme);
    if ((res.status === 407 || res.status === 401) && scheme === 'none') {
      offered = offeredSchemes(res);
      ({ scheme, why } = await choose());
      await reconnectIfNeeded(res);
      res = await authenticate(scheme);
    }
    if (res.status === 407 || res.status === 401) {
      offered = offeredSchemes(res).length ? offeredSchemes(res) : offered;
      o.authCache?.delete(key);
      throw new CodedError(ProxyErrorCode.authFailed, { proxy: name, scheme: SCHEME_LABEL[scheme], schemes: offered.join(', ') });
    }
    if (res.status !== 200) throw new CodedError(ProxyErrorCode.connectFailed, { proxy: name, target: targetHostHeader, status: res.status });
    if (scheme !== 'none') o.authCache?.set(key, scheme);
    else why = [{ code: 'proxy.auth-why.none' }];
    if (stats) stats.tunnels++;
    return { socket, scheme, offered, connects, why, ...(scheme === 'negotiate' && identity ? { principal: identity.principal } : {}) };
  })().catch((e: unknown) => {
    socket.destroy();
    if (e instanceof CodedError) throw e;
    throw new CodedError(ProxyErrorCode.unreachable, { proxy: name, reason: e instanceof Error ? e.message : String(e) }, { cause: e });
  });
  return guarded(
    work,
    deadlines.proxyConnectMs,
    o.signal,
    () => new CodedError(ProxyErrorCode.connectTimeout, { proxy: name, seconds: deadlines.proxyConnectMs / 1000, phase: 'CONNECT' }),
    () => abortedError(o.targetHost),
    () => {
      socket.destroy();
      ac.abort();
    },
  );
}

export interface TlsOptions {
  readonly host: string;
  readonly servername?: string;
  /** Extra trusted roots for the origin (TLS-inspecting proxies); added to the system's roots. */
  readonly ca?: string;
  readonly ms: number;
  readonly signal?: AbortSignal;
  readonly viaProxy: boolean;
  readonly stats?: TunnelStats;
}

export function trustedRoots(ca: string | undefined): string[] | undefined {
  return ca ? [...tls.rootCertificates, ca] : undefined;
}

/** Upgrades a connected socket to TLS with the origin's name checked; never with checks switched off. */
export function tlsUpgrade(socket: net.Socket, o: TlsOptions): Promise<tls.TLSSocket> {
  const servername = o.servername ?? (net.isIP(o.host) ? undefined : o.host);
  const roots = trustedRoots(o.ca);
  const secure = tls.connect({
    socket,
    ...(servername ? { servername } : {}),
    ...(roots ? { ca: roots } : {}),
    ALPNProtocols: ['http/1.1'],
    rejectUnauthorized: true,
  });
  if (o.stats) o.stats.tlsHandshakes++;
  const fail = (reason: string): CodedError =>
    new CodedError(o.viaProxy ? ProxyErrorCode.tlsFailed : ProxyErrorCode.httpTlsFailed, { host: o.host, reason });
  const work = new Promise<tls.TLSSocket>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      secure.destroy();
      socket.destroy();
      reject(fail(e.code ?? e.message));
    };
    secure.once('error', onError);
    secure.once('secureConnect', () => {
      secure.off('error', onError);
      secure.on('error', ignore);
      resolve(secure);
    });
  });
  return guarded(
    work,
    o.ms,
    o.signal,
    () => new CodedError(ProxyErrorCode.httpTimeout, { host: o.host, seconds: o.ms / 1000, phase: 'TLS' }),
    () => abortedError(o.host),
    () => {
      secure.destroy();
      socket.destroy();
    },
  );
}
