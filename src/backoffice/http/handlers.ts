import type { ServerResponse } from 'node:http';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import {
  BackofficeErrorCode as E,
  MAX_LONG_POLL_SECONDS,
  type EntitlementResponse,
  type HeartbeatRequest,
  type InstallationResponse,
  type ReceiptRequest,
  type ReceiptResponse,
  type SessionRequest,
} from '../../common/backoffice/api.js';
import type { Logger } from '../../services/log/logger.js';
import type { SessionStore } from '../auth/sessions.js';
import type { LoginThrottle } from '../auth/throttle.js';
import { dummyVerificationHash, verifyVerificationCode } from '../auth/verification-code.js';
import { IDENTIFIER, type BackofficeService } from '../backoffice-service.js';
import type { LongPollHub, LicenseAnswer } from '../long-poll-hub.js';
import type { BackofficeMetrics } from '../metrics.js';
import { createOpenApiAjv, openapi, schemaValidator } from '../openapi.js';
import type { InstallationRecord } from '../store/repository.js';
import { httpError, parseIfNoneMatch, readBody, send } from './json-io.js';
import type { Handler, OperationId, RequestContext } from './route-table.js';
import type { AssistanceReport, CurrentAssistanceResponse } from '../../common/backoffice/assistance.js';
import type { StaffService } from '../staff-service.js';
import type { createStaffHandlers } from './staff-handlers.js';
import { isCodedError } from '../../common/errors.js';

export interface HandlerDeps {
  readonly service: BackofficeService;
  readonly sessions: SessionStore;
  readonly throttle: LoginThrottle;
  readonly hub: LongPollHub;
  readonly metrics: BackofficeMetrics;
  readonly logger: Logger;
  /** Logins (slow hashes) computed at once before new ones get 503 + Retry-After. */
  readonly maxConcurrentLogins: number;
  /** Login attempts waiting out their throttle delay at once before new ones get 503. */
  readonly maxHeldLogins: number;
  /** The website's rules and operations (issue 14). */
  readonly staff: StaffService;
  readonly staffHandlers: ReturnType<typeof createStaffHandlers>;
  /** Holds the installations' long-polls for their remote-assistance request. */
  readonly assistanceHub: LongPollHub<CurrentAssistanceResponse>;
  /** Every authenticated request of an installation counts as contact (debounced by the caller). */
  readonly contact: (serial: string) => void;
  /** The installation got this license (answered 200): it may now wait for confirmation there. */
  readonly delivered: (serial: string, licenseId: string) => void;
}

/** The installation's current request for remote assistance as the API answers it, with its ETag. */
export async function assistanceAnswer(staff: StaffService, serial: string): Promise<{ body: CurrentAssistanceResponse; etag: string }> {
  const r = await staff.currentAssistance(serial);
  return { body: { request: r ?? null }, etag: r ? `"${r.id}:${r.updatedAt}"` : '"none"' };
}

/** The current license of a serial as the API answers it, with its ETag. */
export async function licenseAnswer(service: BackofficeService, serial: string): Promise<LicenseAnswer | undefined> {
  const l = await service.repo.currentLicense(serial);
  if (!l) return undefined;
  return {
    body: { licenseId: l.licenseId, serial: l.serial, seq: l.seq, kid: l.kid, issuedAt: l.issuedAt, license: l.armoured },
    etag: `"${l.licenseId}"`,
  };
}

/** Resolves after `ms`, or early (false) when the client goes away. */
export function holdFor(ms: number, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}

/** The handler of every operation in the route table. */
export function createHandlers(d: HandlerDeps): Record<OperationId, Handler> {
  const { service, logger, metrics } = d;
  const repo = service.repo;
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
  let loginsInFlight = 0;
  let loginsHeld = 0;

  /** The organisation of the bearer token, and the installation named by the path (404 if it is not theirs). */
  const installation = async (ctx: RequestContext): Promise<{ serial: string; inst: InstallationRecord }> => {
    const h = ctx.req.headers.authorization;
    if (!h) throw httpError(401, E.tokenMissing);
    const m = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(h);
    const subject = m ? await d.sessions.resolve(m[1]!) : undefined;
    if (subject?.kind !== 'organisation') throw httpError(401, E.tokenInvalid);
    const serial = ctx.params['serial']!;
    if (!IDENTIFIER.test(serial)) throw httpError(400, E.invalidRequest, { field: 'serial', reason: 'not a serial number' }, 'serial');
    const inst = await repo.getInstallation(serial);
    // Another organisation's installation is "unknown": no hint that the serial exists.
    if (!inst || inst.organisationId !== subject.id) throw httpError(404, E.installationUnknown, { serial });
    d.contact(serial);
    return { serial, inst };
  };

  const createSession: Handler = async (ctx) => {
    const b = await readBody<SessionRequest>(ctx.req, validators.session);
    const address = ctx.clientAddress;
    const { waitMs, failures } = await d.throttle.holdFor(b.organisationId, address);
    if (waitMs > 0) {
      // Held, never refused: a source with recent failures waits before its code is checked.
      if (loginsHeld >= d.maxHeldLogins) throw httpError(503, E.overloaded, {}, undefined, { 'Retry-After': String(Math.ceil(waitMs / 1000)) });
      loginsHeld++;
      metrics.heldLogins.set(loginsHeld);
      let stillThere: boolean;
      try {
        stillThere = await holdFor(waitMs, ctx.res);
      } finally {
        loginsHeld--;
        metrics.heldLogins.set(loginsHeld);
      }
      if (!stillThere) return;
    }
    if (loginsInFlight >= d.maxConcurrentLogins) throw httpError(503, E.overloaded, {}, undefined, { 'Retry-After': '1' });
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
      const now = await d.throttle.failed(b.organisationId, address);
      metrics.loginsFailed.inc();
      logger.warn({ organisationId: b.organisationId, remote: address, failures: now }, 'failed login');
      throw httpError(401, E.authInvalid);
    }
    if (failures > 0) await d.throttle.succeeded(b.organisationId, address);
    const s = await d.sessions.create({ kind: 'organisation', id: b.organisationId });
    send(ctx.res, 200, { token: s.token, organisationId: b.organisationId, expiresAt: new Date(s.expiresAt).toISOString() });
  };

  const getLicense: Handler = async (ctx) => {
    const { serial } = await installation(ctx);
    const waitParam = ctx.query.get('wait');
    let wait = 0;
    if (waitParam !== null) {
      if (!/^\d{1,6}$/.test(waitParam)) throw httpError(400, E.invalidRequest, { field: 'wait', reason: 'whole seconds 0–60' }, 'wait');
      wait = Math.min(Number(waitParam), MAX_LONG_POLL_SECONDS);
    }
    const tags = parseIfNoneMatch(ctx.req.headers['if-none-match']);
    const currentId = await repo.currentLicenseId(serial);
    if (!currentId) throw httpError(404, E.licenseNone, { serial });
    const etag = `"${currentId}"`;
    if (!(tags.includes(etag) || tags.includes('*'))) {
      const l = await licenseAnswer(service, serial);
      if (!l) throw httpError(404, E.licenseNone, { serial });
      send(ctx.res, 200, l.body, { ETag: l.etag });
      d.delivered(serial, l.body.licenseId);
      return;
    }
    if (wait === 0) {
      send(ctx.res, 304, undefined, { ETag: etag });
      return;
    }
    if (!d.hub.hold(serial, etag, wait * 1000, ctx.res)) throw httpError(503, E.overloaded, {}, undefined, { 'Retry-After': '30' });
  };

  const assistanceValidator = bodySchema('/v1/installations/{serial}/assistance/{id}/reports', 'post');

  /** GET …/assistance: the license's long-poll, for the installation's remote-assistance request. */
  const getAssistance: Handler = async (ctx) => {
    const { serial } = await installation(ctx);
    const waitParam = ctx.query.get('wait');
    let wait = 0;
    if (waitParam !== null) {
      if (!/^\d{1,6}$/.test(waitParam)) throw httpError(400, E.invalidRequest, { field: 'wait', reason: 'whole seconds 0–60' }, 'wait');
      wait = Math.min(Number(waitParam), MAX_LONG_POLL_SECONDS);
    }
    const tags = parseIfNoneMatch(ctx.req.headers['if-none-match']);
    const a = await assistanceAnswer(d.staff, serial);
    if (!tags.includes(a.etag)) return send(ctx.res, 200, a.body, { ETag: a.etag });
    if (wait === 0) return send(ctx.res, 304, undefined, { ETag: a.etag });
    if (!d.assistanceHub.hold(serial, a.etag, wait * 1000, ctx.res)) throw httpError(503, E.overloaded, {}, undefined, { 'Retry-After': '30' });
  };

  const reportAssistance: Handler = async (ctx) => {
    const { serial, inst } = await installation(ctx);
    const b = await readBody<AssistanceReport>(ctx.req, assistanceValidator);
    try {
      send(ctx.res, 200, await d.staff.reportAssistance(serial, inst.organisationId, ctx.params['id']!, b));
    } catch (e) {
      if (isCodedError(e) && e.code === 'backoffice.assistance.unknown') throw httpError(404, e.code, { id: ctx.params['id']!.slice(0, 64) });
      if (isCodedError(e) && e.code === 'backoffice.assistance.closed') throw httpError(409, e.code);
      throw e;
    }
  };

  return {
    ...d.staffHandlers,
    getAssistance,
    reportAssistance,
    health: async (ctx) => send(ctx.res, 200, { status: 'ok', kid: service.kid }),
    ready: async (ctx) => {
      const h = await repo.health();
      const ready = h.reachable && h.migrationsCurrent && h.watching;
      metrics.storeUp.set(ready ? 1 : 0);
      const body = { status: ready ? 'ready' : 'not-ready', database: h.reachable, migrations: h.migrationsCurrent, notifications: h.watching };
      send(ctx.res, ready ? 200 : 503, body, ready ? {} : { 'Retry-After': '5' });
    },
    metrics: async (ctx) => {
      const text = await metrics.registry.metrics();
      if (ctx.res.headersSent || ctx.res.destroyed) return;
      ctx.res.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store', 'Content-Length': String(Buffer.byteLength(text)) });
      ctx.res.end(text);
    },
    createSession,
    heartbeat: async (ctx) => {
      const { serial, inst } = await installation(ctx);
      const b = await readBody<HeartbeatRequest>(ctx.req, validators.heartbeat);
      const updated = await repo.heartbeat(serial, {
        productVersion: b.productVersion ?? inst.productVersion,
        orsVersion: b.orsVersion ?? inst.orsVersion,
        hostname: b.hostname ?? inst.hostname,
        lastSeenAt: service.isoNow(),
      });
      if (!updated) throw httpError(404, E.installationUnknown, { serial });
      send(ctx.res, 200, updated satisfies InstallationResponse);
    },
    getLicense,
    getEntitlement: async (ctx) => {
      const { serial } = await installation(ctx);
      const e = await repo.getEntitlement(serial);
      if (!e) throw httpError(404, E.licenseNone, { serial });
      const out: EntitlementResponse = {
        serial,
        maintenance: { start: e.maintenanceStart, end: e.maintenanceEnd },
        expiry: e.expiry,
        users: e.users,
        features: e.features,
        graceDays: e.graceDays,
        updatedAt: e.updatedAt,
      };
      send(ctx.res, 200, out);
    },
    postReceipt: async (ctx) => {
      const { serial } = await installation(ctx);
      const b = await readBody<ReceiptRequest>(ctx.req, validators.receipt);
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
      send(ctx.res, 201, out);
    },
    listReleases: async (ctx) => {
      const { serial, inst } = await installation(ctx);
      send(ctx.res, 200, await service.listReleases(serial, inst.product));
    },
    checkRelease: async (ctx) => {
      const { serial, inst } = await installation(ctx);
      const version = ctx.params['version']!;
      if (!IDENTIFIER.test(version)) throw httpError(400, E.invalidRequest, { field: 'version', reason: 'not a version' }, 'version');
      send(ctx.res, 200, await service.checkRelease(serial, inst.product, version));
    },
  };
}
