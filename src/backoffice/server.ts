import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { CodedError, isCodedError, type ErrorInfo } from '../common/errors.js';
import {
  BackofficeErrorCode as E,
  MAX_LONG_POLL_SECONDS,
  MAX_REQUEST_BODY_BYTES,
  type HeartbeatRequest,
  type InstallationResponse,
  type LicenseResponse,
  type ReceiptRequest,
  type ReceiptResponse,
  type SessionRequest,
  type EntitlementResponse,
} from '../common/backoffice/api.js';
import type { Logger } from '../services/log/logger.js';
import { LoginLockout } from './auth/lockout.js';
import { SessionStore } from './auth/sessions.js';
import { dummyVerificationHash, verifyVerificationCode } from './auth/verification-code.js';
import { IDENTIFIER, type BackofficeService } from './backoffice-service.js';
import { createOpenApiAjv, fieldOfAjvError, openapi, schemaValidator } from './openapi.js';
import type { Disposable, InstallationRecord } from './store/repository.js';

export interface BackofficeServerOptions {
  readonly service: BackofficeService;
  readonly tls: { readonly cert: string; readonly key: string };
  readonly host?: string;
  readonly port?: number;
  readonly logger: Logger;
  /** Failed logins before a lockout (default 5). */
  readonly maxFailures?: number;
  /** Lockout duration (default 15 min). */
  readonly lockoutMs?: number;
  /** Base of the growing delay added to failed logins (default 250 ms). */
  readonly backoffBaseMs?: number;
  readonly sessionTtlMs?: number;
  /** Long-polls held at once before new ones get 503 + Retry-After (default 20,000). */
  readonly maxLongPolls?: number;
  /** Logins (slow hashes) computed at once before new ones get 503 + Retry-After (default 16). */
  readonly maxConcurrentLogins?: number;
  /** How often the store is checked for licenses issued by other processes (default 50 ms). */
  readonly watchIntervalMs?: number;
}

export interface RunningBackofficeServer {
  readonly port: number;
  readonly url: string;
  /** Long-polls being held right now. */
  heldLongPolls(): number;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly info: ErrorInfo,
    readonly headers: Record<string, string> = {},
  ) {
    super(info.code);
  }
}

const err = (status: number, code: string, params: Record<string, string | number> = {}, field?: string, headers?: Record<string, string>) =>
  new HttpError(status, { code, ...(Object.keys(params).length ? { params } : {}), ...(field !== undefined ? { field } : {}) }, headers);

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'Cache-Control': 'no-store',
    ...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) }),
    ...headers,
  });
  res.end(text);
}

/** Reads at most MAX_REQUEST_BODY_BYTES of JSON; too large, wrong type and bad JSON are 4xx. */
function readJson(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return Promise.reject(err(415, E.unsupportedMediaType));
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_REQUEST_BODY_BYTES) return Promise.reject(err(413, E.tooLarge, { limit: MAX_REQUEST_BODY_BYTES }));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BODY_BYTES) {
        req.removeAllListeners('data');
        req.pause();
        reject(err(413, E.tooLarge, { limit: MAX_REQUEST_BODY_BYTES }));
        return;
      }
      chunks.push(c);
    });
    req.once('error', () => reject(err(400, E.invalidRequest, { reason: 'body not received' })));
    req.once('end', () => {
      try {
        resolve(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks))));
      } catch {
        reject(err(400, E.badJson));
      }
    });
  });
}

function parseIfNoneMatch(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .slice(0, 1024)
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''));
}

interface LicenseAnswer {
  readonly body: LicenseResponse;
  readonly etag: string;
}

const ROUTE = /^\/v1\/installations\/([^/]+)(?:\/(license|entitlement|receipts|releases)(?:\/([^/]+))?)?$/;

/** The back office's HTTPS JSON API (contract: openapi.json). */
export async function startBackofficeServer(o: BackofficeServerOptions): Promise<RunningBackofficeServer> {
  const { service, logger } = o;
  const repo = service.repo;
  const lockout = new LoginLockout({
    maxFailures: o.maxFailures ?? 5,
    lockoutMs: o.lockoutMs ?? 15 * 60_000,
    backoffBaseMs: o.backoffBaseMs ?? 250,
  });
  const sessionTtlMs = o.sessionTtlMs ?? 12 * 3_600_000;
  const sessions = new SessionStore(sessionTtlMs);
  const maxLongPolls = o.maxLongPolls ?? 20_000;
  const maxLogins = o.maxConcurrentLogins ?? 16;
  let loginsInFlight = 0;

  const ajv = createOpenApiAjv();
  const bodySchema = (path: string, method: string): ValidateFunction => {
    const schema = openapi.paths[path]?.[method]?.requestBody?.content['application/json']?.schema;
    if (!schema) throw new Error(`openapi.json: no request body for ${method} ${path}`);
    return schemaValidator(ajv, schema);
  };
  const validators = {
    session: bodySchema('/v1/sessions', 'post'),
    heartbeat: bodySchema('/v1/installations/{serial}', 'put'),
    receipt: bodySchema('/v1/installations/{serial}/receipts', 'post'),
  };
  const body = async <T>(req: IncomingMessage, v: ValidateFunction): Promise<T> => {
    const value = await readJson(req);
    if (!v(value)) {
      const e = v.errors![0]!;
      const field = fieldOfAjvError(e);
      throw err(400, E.invalidRequest, { field, reason: e.message ?? 'invalid' }, field);
    }
    return value as T;
  };

  // Long-poll waiters per serial; woken by the store's license watch (any process's writes). The
  // new license is read once per serial and handed to every waiter of that serial.
  type Wake = (current: LicenseAnswer | undefined) => void;
  const waiters = new Map<string, Set<Wake>>();
  let held = 0;
  const watch: Disposable = repo.watchLicenses((serials) => {
    for (const s of serials) {
      const set = waiters.get(s);
      if (!set) continue;
      waiters.delete(s);
      void licenseBody(s).then(
        (l) => {
          for (const wake of set) wake(l);
        },
        (e: unknown) => {
          logger.error({ err: e instanceof Error ? e.message : String(e) }, 'reading a new license failed');
          for (const wake of set) wake(undefined);
        },
      );
    }
  }, o.watchIntervalMs ?? 50);

  const authenticate = (req: IncomingMessage): string => {
    const h = req.headers.authorization;
    if (!h) throw err(401, E.tokenMissing);
    const m = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(h);
    const org = m ? sessions.resolve(m[1]!) : undefined;
    if (!org) throw err(401, E.tokenInvalid);
    return org;
  };

  const installationOf = async (org: string, serial: string): Promise<InstallationRecord> => {
    const inst = await repo.getInstallation(serial);
    // Another organisation's installation is "unknown": no hint that the serial exists.
    if (!inst || inst.organisationId !== org) throw err(404, E.installationUnknown, { serial });
    return inst;
  };

  const login = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const b = await body<SessionRequest>(req, validators.session);
    const key = `${b.organisationId}\u0000${req.socket.remoteAddress ?? ''}`;
    const locked = lockout.lockedFor(key);
    if (locked > 0) throw err(429, E.authLocked, { seconds: Math.ceil(locked / 1000) }, undefined, { 'Retry-After': String(Math.ceil(locked / 1000)) });
    if (loginsInFlight >= maxLogins) throw err(503, E.overloaded, {}, undefined, { 'Retry-After': '1' });
    loginsInFlight++;
    let ok: boolean;
    try {
      const org = await repo.getOrganisation(b.organisationId);
      // Unknown organisations cost the same slow hash, so timing does not reveal which IDs exist.
      ok = await verifyVerificationCode(b.verificationCode, org?.codeHash ?? (await dummyVerificationHash()));
      ok = ok && org !== undefined;
    } finally {
      loginsInFlight--;
    }
    if (!ok) {
      const { delayMs, lockedMs } = lockout.fail(key);
      logger.warn({ organisationId: b.organisationId, remote: req.socket.remoteAddress, locked: lockedMs > 0 }, 'failed login');
      await new Promise((r) => setTimeout(r, delayMs));
      throw err(401, E.authInvalid);
    }
    lockout.succeed(key);
    const s = sessions.create(b.organisationId);
    send(res, 200, { token: s.token, organisationId: b.organisationId, expiresAt: new Date(s.expiresAt).toISOString() });
  };

  const licenseBody = async (serial: string): Promise<LicenseAnswer | undefined> => {
    const l = await repo.currentLicense(serial);
    if (!l) return undefined;
    return {
      body: { licenseId: l.licenseId, serial: l.serial, seq: l.seq, kid: l.kid, issuedAt: l.issuedAt, license: l.armoured },
      etag: `"${l.licenseId}"`,
    };
  };

  const getLicense = async (req: IncomingMessage, res: ServerResponse, url: URL, serial: string): Promise<void> => {
    const waitParam = url.searchParams.get('wait');
    let wait = 0;
    if (waitParam !== null) {
      if (!/^\d{1,6}$/.test(waitParam)) throw err(400, E.invalidRequest, { field: 'wait', reason: 'whole seconds 0–60' }, 'wait');
      wait = Math.min(Number(waitParam), MAX_LONG_POLL_SECONDS);
    }
    const tags = parseIfNoneMatch(req.headers['if-none-match']);
    const currentId = await repo.currentLicenseId(serial);
    if (!currentId) throw err(404, E.licenseNone, { serial });
    const etag = `"${currentId}"`;
    const unchanged = tags.includes(etag) || tags.includes('*');
    if (!unchanged) {
      const l = await licenseBody(serial);
      if (!l) throw err(404, E.licenseNone, { serial });
      send(res, 200, l.body, { ETag: l.etag });
      return;
    }
    if (wait === 0) {
      send(res, 304, undefined, { ETag: etag });
      return;
    }
    if (held >= maxLongPolls) throw err(503, E.overloaded, {}, undefined, { 'Retry-After': '30' });
    held++;
    await new Promise<void>((resolve) => {
      let set = waiters.get(serial);
      if (!set) waiters.set(serial, (set = new Set()));
      const finish = (): void => {
        clearTimeout(timer);
        res.off('close', finish);
        waiters.get(serial)?.delete(wake);
        if (waiters.get(serial)?.size === 0) waiters.delete(serial);
        held--;
        resolve();
      };
      const wake: Wake = (l) => {
        finish();
        if (l && l.etag !== etag) send(res, 200, l.body, { ETag: l.etag });
        else send(res, 304, undefined, { ETag: etag });
      };
      const timer = setTimeout(() => {
        finish();
        send(res, 304, undefined, { ETag: etag });
      }, wait * 1000);
      set.add(wake);
      res.once('close', finish); // client gave up: free the slot
    });
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://backoffice.invalid');
    const method = req.method ?? 'GET';
    const allow = (methods: string): void => {
      if (!methods.split(', ').includes(method)) throw err(405, E.methodNotAllowed, { method: method.slice(0, 16) }, undefined, { Allow: methods });
    };
    if (url.pathname === '/v1/health') {
      allow('GET');
      send(res, 200, { status: 'ok', kid: service.kid });
      return;
    }
    if (url.pathname === '/v1/sessions') {
      allow('POST');
      await login(req, res);
      return;
    }
    const m = ROUTE.exec(url.pathname);
    if (!m) throw err(404, E.notFound);
    let serial: string;
    let version: string | undefined;
    try {
      serial = decodeURIComponent(m[1]!);
      version = m[3] === undefined ? undefined : decodeURIComponent(m[3]);
    } catch {
      throw err(400, E.invalidRequest, { field: 'serial', reason: 'bad percent-encoding' }, 'serial');
    }
    const sub = m[2];
    if (version !== undefined && sub !== 'releases') throw err(404, E.notFound);
    allow(sub === undefined ? 'PUT' : sub === 'receipts' ? 'POST' : 'GET');
    const org = authenticate(req);
    if (!IDENTIFIER.test(serial)) throw err(400, E.invalidRequest, { field: 'serial', reason: 'not a serial number' }, 'serial');
    if (version !== undefined && !IDENTIFIER.test(version)) throw err(400, E.invalidRequest, { field: 'version', reason: 'not a version' }, 'version');
    const inst = await installationOf(org, serial);
    switch (sub) {
      case undefined: {
        const b = await body<HeartbeatRequest>(req, validators.heartbeat);
        const updated = await repo.heartbeat(serial, {
          productVersion: b.productVersion ?? inst.productVersion,
          orsVersion: b.orsVersion ?? inst.orsVersion,
          hostname: b.hostname ?? inst.hostname,
          lastSeenAt: service.isoNow(),
        });
        if (!updated) throw err(404, E.installationUnknown, { serial });
        send(res, 200, updated satisfies InstallationResponse);
        return;
      }
      case 'license':
        await getLicense(req, res, url, serial);
        return;
      case 'entitlement': {
        const e = await repo.getEntitlement(serial);
        if (!e) throw err(404, E.licenseNone, { serial });
        const out: EntitlementResponse = {
          serial,
          maintenance: { start: e.maintenanceStart, end: e.maintenanceEnd },
          expiry: e.expiry,
          users: e.users,
          features: e.features,
          graceDays: e.graceDays,
          updatedAt: e.updatedAt,
        };
        send(res, 200, out);
        return;
      }
      case 'receipts': {
        const b = await body<ReceiptRequest>(req, validators.receipt);
        const r = await repo.addReceipt({
          serial,
          licenseId: b.licenseId,
          seq: b.seq,
          kind: b.kind,
          reason: b.reason ?? null,
          detail: b.detail ?? null,
          receivedAt: service.isoNow(),
        });
        logger.info({ serial, licenseId: r.licenseId, seq: r.seq, kind: r.kind }, 'receipt');
        const out: ReceiptResponse = { id: r.id, serial, licenseId: r.licenseId, seq: r.seq, kind: r.kind, reason: r.reason, receivedAt: r.receivedAt };
        send(res, 201, out);
        return;
      }
      case 'releases':
        if (version === undefined) send(res, 200, await service.listReleases(serial, inst.product));
        else send(res, 200, await service.checkRelease(serial, inst.product, version));
        return;
    }
  };

  const fail = (res: ServerResponse, e: unknown): void => {
    if (e instanceof HttpError) {
      // A body we stopped reading: answer, then close rather than drain it.
      send(res, e.status, { error: e.info }, e.status === 413 ? { ...e.headers, Connection: 'close' } : e.headers);
      return;
    }
    if (isCodedError(e) && e.code === 'backoffice.release.unknown') {
      send(res, 404, { error: e.toInfo() });
      return;
    }
    logger.error({ err: e instanceof Error ? { message: e.message, code: (e as CodedError).code } : String(e) }, 'request failed');
    send(res, 500, { error: { code: E.internal } });
  };

  const server: Server = createServer(
    { cert: o.tls.cert, key: o.tls.key, minVersion: 'TLSv1.2', handshakeTimeout: 10_000 },
    (req, res) => {
      const started = performance.now();
      res.once('finish', () => {
        if (logger.isLevelEnabled('debug'))
          logger.debug({ method: req.method, path: (req.url ?? '').split('?')[0]!.slice(0, 200), status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request');
      });
      route(req, res).catch((e: unknown) => fail(res, e));
    },
  );
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
    url: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    heldLongPolls: () => held,
    close: async () => {
      watch.dispose();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}
