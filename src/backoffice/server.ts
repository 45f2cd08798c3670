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
import { assistanceAnswer, createHandlers, holdFor, licenseAnswer } from './http/handlers.js';
import { StaffAuth } from './http/staff-auth.js';
import { StaffEvents } from './http/staff-events.js';
import { createStaffHandlers } from './http/staff-handlers.js';
import { WebsiteFiles } from './http/website.js';
import { StaffService } from './staff-service.js';
import type { ChangeRecord } from './store/repository.js';
import type { CurrentAssistanceResponse } from '../common/backoffice/assistance.js';
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
  /** The built website (dist/website); without it the website's pages answer 503. */
  readonly websiteDir?: string;
  /** How long a staff session of the website lasts (default 8 h). */
  readonly staffSessionTtlMs?: number;
}

/** An installation's requests count as contact at most this often per instance (a write each). */
const CONTACT_EVERY_MS = 30_000;

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
  const repo = service.repo;
  const metrics = new BackofficeMetrics();
  const staff = new StaffService(service);
  const delivered = (serial: string, licenseId: string): void => {
    repo.markFetched(serial, licenseId, service.isoNow()).catch((e: unknown) => logger.warn({ err: String(e), serial }, 'fetch of a license not recorded'));
  };
  const hub = new LongPollHub({
    watch: (onIssued) => repo.watchLicenses(onIssued, o.watchIntervalMs ?? 50),
    read: (serial) => licenseAnswer(service, serial),
    max: o.maxLongPolls ?? 20_000,
    metrics,
    logger,
    answered: (serial, l) => {
      const issued = Date.parse(l.body.issuedAt);
      if (Number.isFinite(issued)) metrics.wakeUpSeconds.observe(Math.max(0, Date.now() - issued) / 1000);
      delivered(serial, l.body.licenseId);
    },
  });
  // The change feed (every instance's writes): the website's live streams and the assistance long-polls.
  const changeListeners = new Set<(changes: readonly ChangeRecord[]) => void>();
  const feed = repo.watchChanges((changes) => {
    for (const l of changeListeners) l(changes);
  }, o.watchIntervalMs ?? 50);
  const assistanceHub = new LongPollHub<CurrentAssistanceResponse>({
    watch: (onChanged) => {
      const l = (changes: readonly ChangeRecord[]): void => onChanged([...new Set(changes.filter((c) => c.kind === 'assistance').map((c) => c.serial))]);
      changeListeners.add(l);
      return { dispose: () => changeListeners.delete(l) };
    },
    read: (serial) => assistanceAnswer(staff, serial),
    max: o.maxLongPolls ?? 20_000,
    metrics,
    logger,
    held: (n) => metrics.heldAssistancePolls.set(n),
  });
  const throttle = new LoginThrottle(repo, { ...DEFAULT_THROTTLE, ...o.throttle });
  const staffSessions = new SessionStore(repo, o.staffSessionTtlMs ?? 8 * 3_600_000);
  const auth = new StaffAuth(staffSessions, staff, o.tls !== undefined || (o.trustedProxies?.length ?? 0) > 0);
  const events = new StaffEvents({ auth, logger });
  const onChanges = (changes: readonly ChangeRecord[]): void => events.changed(changes);
  changeListeners.add(onChanges);
  const lastContact = new Map<string, number>();
  const contact = (serial: string): void => {
    const now = Date.now();
    if (now - (lastContact.get(serial) ?? 0) < CONTACT_EVERY_MS) return;
    lastContact.set(serial, now);
    repo.recordContact(serial, new Date(now).toISOString()).catch((e: unknown) => logger.warn({ err: String(e), serial }, 'contact not recorded'));
  };
  const website = new WebsiteFiles({ dir: o.websiteDir ?? '', auth, staff });
  const handlers = createHandlers({
    service,
    sessions: new SessionStore(repo, o.sessionTtlMs ?? 12 * 3_600_000),
    throttle,
    hub,
    metrics,
    logger,
    maxConcurrentLogins: o.maxConcurrentLogins ?? 16,
    maxHeldLogins: o.maxHeldLogins ?? 1_000,
    staff,
    staffHandlers: createStaffHandlers({ staff, auth, sessions: staffSessions, throttle, events, metrics, logger, hold: holdFor }),
    assistanceHub,
    contact,
    delivered,
  });
  const routes = new RouteTable();
  const trust = proxyAddr.compile([...(o.trustedProxies ?? [])]);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = req.url ?? '/';
    const pathname = target.split('?', 1)[0]!;
    if (target.startsWith('/') && WebsiteFiles.owns(pathname)) {
      countAs(res, 'website');
      return website.handle(req, res, pathname);
    }
    const match = routes.match(req.method ?? 'GET', target);
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
      assistanceHub.dispose();
      feed.dispose();
      events.dispose();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}
