import * as net from 'node:net';
import * as tls from 'node:tls';
import { CodedError } from '../../common/errors.js';
import { ProxyErrorCode } from '../../common/proxy/errors.js';
import type { ProxyEndpoint } from '../proxy/candidates.js';
import { createAuthenticateMessage, createNegotiateMessage, parseChallengeMessage } from './ntlm.js';
import type { Deadlines, TunnelStats } from './deadlines.js';

const ignore = (): void => undefined;

export type AuthScheme = 'none' | 'basic' | 'ntlm';

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

function ntlmToken(res: ProxyResponse): Buffer | undefined {
  const values = [...(res.headers.get('proxy-authenticate') ?? []), ...(res.headers.get('www-authenticate') ?? [])];
  const v = values.map((x) => /^NTLM\s+(\S+)/i.exec(x.trim())?.[1]).find(Boolean);
  return v ? Buffer.from(v, 'base64') : undefined;
}

/** Basic credentials are UTF-8 (RFC 7617 charset="UTF-8"); a user name holding `:` cannot be sent in Basic. */
export function basicAuthorization(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

export interface TunnelOptions {
  readonly proxy: ProxyEndpoint;
  readonly targetHost: string;
  readonly targetPort: number;
  readonly deadlines: Deadlines;
  readonly signal?: AbortSignal;
  /** The scheme each proxy wanted last time, so later connections authenticate on the first CONNECT. */
  readonly authCache?: Map<string, AuthScheme>;
  readonly stats?: TunnelStats;
}

export interface Tunnel {
  readonly socket: net.Socket;
  readonly scheme: AuthScheme;
  readonly offered: readonly string[];
  /** CONNECT requests this tunnel took. */
  readonly connects: number;
}

/**
 * Opens a CONNECT tunnel through an HTTP proxy: learns the scheme from a 407 (or a non-compliant 401),
 * authenticates with Basic or NTLMv2 (Type 1 → 2 → 3 on one socket), and fails with typed errors that
 * carry the offered schemes. The whole CONNECT phase has one deadline; when it fires the socket is destroyed.
 */
export async function openTunnel(o: TunnelOptions): Promise<Tunnel> {
  const { proxy, deadlines, stats } = o;
  const name = proxyName(proxy);
  const key = name;
  const creds = proxy.credentials;
  const targetHostHeader = `${o.targetHost.includes(':') ? `[${o.targetHost}]` : o.targetHost}:${o.targetPort}`;
  let socket = await tcpConnect(proxy.host, proxy.port, deadlines.connectMs, o.signal, proxyTcpErrors(proxy, deadlines), stats);
  let connects = 0;
  let offered: string[] = [];

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
    offered = offeredSchemes(first);
    const token = ntlmToken(first);
    let challenge;
    try {
      if (!token) throw new Error('no NTLM challenge');
      challenge = parseChallengeMessage(token);
    } catch (e) {
      throw new CodedError(ProxyErrorCode.ntlmInvalidChallenge, { proxy: name }, { cause: e });
    }
    if (!first.reusable || socket.destroyed) throw new CodedError(ProxyErrorCode.authFailed, { proxy: name, scheme: 'NTLM', schemes: offered.join(', ') });
    const type3 = createAuthenticateMessage({ username: creds!.username, password: creds!.password, domain: creds!.domain, challenge });
    return send('NTLM ' + type3.toString('base64'));
  };

  const work = (async (): Promise<Tunnel> => {
    let scheme: AuthScheme = creds ? (o.authCache?.get(key) ?? 'none') : 'none';
    let res = scheme === 'ntlm' ? await ntlm() : await send(scheme === 'basic' ? basicAuthorization(creds!.username, creds!.password) : undefined);
    if ((res.status === 407 || res.status === 401) && scheme === 'none') {
      offered = offeredSchemes(res);
      if (!creds) throw new CodedError(ProxyErrorCode.authRequired, { proxy: name, schemes: offered.join(', ') || 'none' });
      const lower = offered.map((s) => s.toLowerCase());
      // NTLM keeps the password off the wire; Basic only when it is all the proxy offers.
      scheme = lower.includes('ntlm') ? 'ntlm' : lower.includes('basic') ? 'basic' : 'none';
      if (scheme === 'none') throw new CodedError(ProxyErrorCode.authUnsupported, { proxy: name, schemes: offered.join(', ') });
      await reconnectIfNeeded(res);
      res = scheme === 'ntlm' ? await ntlm() : await send(basicAuthorization(creds.username, creds.password));
    }
    if (res.status === 407 || res.status === 401) {
      offered = offeredSchemes(res).length ? offeredSchemes(res) : offered;
      o.authCache?.delete(key);
      throw new CodedError(ProxyErrorCode.authFailed, { proxy: name, scheme: scheme === 'ntlm' ? 'NTLM' : 'Basic', schemes: offered.join(', ') });
    }
    if (res.status !== 200) throw new CodedError(ProxyErrorCode.connectFailed, { proxy: name, target: targetHostHeader, status: res.status });
    if (scheme !== 'none') o.authCache?.set(key, scheme);
    if (stats) stats.tunnels++;
    return { socket, scheme, offered, connects };
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
    () => socket.destroy(),
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
