import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP, type AddressInfo } from 'node:net';
import proxyAddr from 'proxy-addr';
import { CodedError } from '../common/errors.js';
import { MAX_LONG_POLL_SECONDS } from '../common/backoffice/api.js';
import type { Logger } from '../services/log/logger.js';
import { SessionStore } from './auth/sessions.js';
import { DEFAULT_THROTTLE, LoginThrottle, type ThrottleCurve } from './auth/throttle.js';
import type { BackofficeService } from './backoffice-service.js';
import { answerError, guarded } from './http/guard.js';
import { createHandlers, licenseAnswer } from './http/handlers.js';
import { HttpError } from './http/json-io.js';
import { RouteTable } from './http/route-table.js';
import { LongPollHub } from './long-poll-hub.js';
import { BackofficeMetrics } from './metrics.js';

export interface BackofficeServerOptions {
  readonly service: BackofficeService;
  /** Certificate and key: HTTPS. Without: plain HTTP, for running behind a TLS-terminating load balancer. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /**
   * Peers whose X-Forwarded-For is believed (addresses or CIDR ranges, or proxy-addr's names such as
   * `loopback`). Empty: the client address is always the peer's.
   */
  readonly trustedProxies?: readonly string[];
  readonly host?: string;
  readonly port?: number;
  readonly logger: Logger;
  readonly throttle?: Partial<ThrottleCurve>;
  readonly sessionTtlMs?: number;
  /** Long-polls held at once before new ones get 503 + Retry-After (default 20,000). */
  readonly maxLongPolls?: number;
  /** Logins (slow hashes) computed at once before new ones get 503 + Retry-After (default 16). */
  readonly maxConcurrentLogins?: number;
  /** Login attempts held for their throttle delay at once before new ones get 503 (default 1,000). */
  readonly maxHeldLogins?: number;
  /** How often the SQLite store is checked for licenses issued by other processes (default 50 ms). */
  readonly watchIntervalMs?: number;
}

export interface RunningBackofficeServer {
  readonly port: number;
  readonly url: string;
  /** Long-polls being held right now. */
  heldLongPolls(): number;
  close(): Promise<void>;
}

/** The back office's JSON API (contract: openapi.json) over HTTPS, or plain HTTP behind a load balancer. */
export async function startBackofficeServer(o: BackofficeServerOptions): Promise<RunningBackofficeServer> {
  const { service, logger } = o;
  const metrics = new BackofficeMetrics();
  const hub = new LongPollHub({
    watch: (onIssued) => service.repo.watchLicenses(onIssued, o.watchIntervalMs ?? 50),
    read: (serial) => licenseAnswer(service, serial),
    max: o.maxLongPolls ?? 20_000,
    metrics,
    logger,
  });
  const handlers = createHandlers({
    service,
    sessions: new SessionStore(service.repo, o.sessionTtlMs ?? 12 * 3_600_000),
    throttle: new LoginThrottle(service.repo, { ...DEFAULT_THROTTLE, ...o.throttle }),
    hub,
    metrics,
    logger,
    maxConcurrentLogins: o.maxConcurrentLogins ?? 16,
    maxHeldLogins: o.maxHeldLogins ?? 1_000,
  });
  const routes = new RouteTable();
  const trust = proxyAddr.compile([...(o.trustedProxies ?? [])]);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const match = routes.match(req.method ?? 'GET', req.url ?? '/');
    if (match instanceof HttpError) {
      countAs(res, 'unmatched');
      throw match;
    }
    countAs(res, match.route.operationId);
    await handlers[match.route.operationId]({ req, res, params: match.params, query: match.query, clientAddress: clientAddress(req) });
  };
  // The forwarded address only from trusted proxies, and only when it is an address at all.
  const clientAddress = (req: IncomingMessage): string => {
    const peer = req.socket.remoteAddress ?? '';
    if (!o.trustedProxies?.length) return peer;
    const forwarded = proxyAddr(req, trust);
    return isIP(forwarded) ? forwarded : peer;
  };
  const countAs = (res: ServerResponse, operation: string): void => {
    res.once('finish', () => metrics.requests.inc({ operation, status: String(res.statusCode) }));
  };
  const onRequest = guarded(handle, (res, e) => {
    answerError(res, e, logger, () => metrics.incidents.inc());
  });

  const server: Server = o.tls
    ? createHttpsServer({ cert: o.tls.cert, key: o.tls.key, minVersion: 'TLSv1.2', handshakeTimeout: 10_000 }, onRequest)
    : createHttpServer(onRequest);
  server.headersTimeout = 10_000;
  server.requestTimeout = (MAX_LONG_POLL_SECONDS + 30) * 1000;
  server.keepAliveTimeout = 65_000;
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new CodedError('backoffice.listen-failed', { port: o.port ?? 0, reason: e.code ?? e.message }, { cause: e })),
    );
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = o.host ?? '127.0.0.1';
  return {
    port,
    url: `${o.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    heldLongPolls: () => hub.held,
    close: async () => {
      hub.dispose();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}
