import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { Release } from '../../common/backoffice/api.js';
import type { AssistanceRequestBody } from '../../common/backoffice/assistance.js';
import {
  INSTALLATION_SORT_KEYS,
  INSTALLATION_STATUS_FILTERS,
  MAX_PAGE_SIZE,
  STAFF_NAME_PATTERN,
  type EntitlementEdit,
  type InstallationQuery,
  type StaffLoginRequest,
  type StaffSessionResponse,
  type StaffUser,
} from '../../common/backoffice/staff-api.js';
import { isCodedError } from '../../common/errors.js';
import type { Logger } from '../../services/log/logger.js';
import type { SessionStore } from '../auth/sessions.js';
import type { LoginThrottle } from '../auth/throttle.js';
import { IDENTIFIER } from '../backoffice-service.js';
import type { BackofficeMetrics } from '../metrics.js';
import { createOpenApiAjv, openapi, schemaValidator } from '../openapi.js';
import type { StaffService } from '../staff-service.js';
import type { StaffEvents } from './staff-events.js';
import { StaffAuth } from './staff-auth.js';
import { httpError, readBody, send } from './json-io.js';
import type { Handler, RequestContext } from './route-table.js';

export interface StaffHandlerDeps {
  readonly staff: StaffService;
  readonly auth: StaffAuth;
  readonly sessions: SessionStore;
  readonly throttle: LoginThrottle;
  readonly events: StaffEvents;
  readonly metrics: BackofficeMetrics;
  readonly logger: Logger;
  /** Holds a failing source's login for its throttle delay; false when the client left meanwhile. */
  readonly hold: (ms: number, res: ServerResponse) => Promise<boolean>;
}

/** The coded errors of the staff rules and the status each is answered with. */
const STATUS: Readonly<Record<string, number>> = {
  'backoffice.installation.unknown': 404,
  'backoffice.assistance.unknown': 404,
  'backoffice.release.unknown': 404,
  'backoffice.assistance.open': 409,
  'backoffice.assistance.closed': 409,
  'backoffice.release.exists': 409,
  'backoffice.staff.forbidden': 403,
  'validation.invalid': 400,
};

/** A coded error of the rules as its HTTP answer (anything else stays an incident for the guard). */
function answerOf(e: unknown): unknown {
  if (!isCodedError(e)) return e;
  const status = STATUS[e.code] ?? (e.code.startsWith('backoffice.field.') ? 400 : undefined);
  if (status === undefined) return e;
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(e.params)) if (typeof v === 'string' || typeof v === 'number') params[k] = v;
  return httpError(status, e.code, params, e.field);
}

const int = (v: string | null, field: string, min: number, max: number, fallback: number): number => {
  if (v === null) return fallback;
  if (!/^\d{1,7}$/.test(v) || Number(v) < min || Number(v) > max) throw httpError(400, 'backoffice.field.range', { field, min, max }, field);
  return Number(v);
};

function oneOf<T extends string>(v: string | null, field: string, allowed: readonly T[], fallback?: T): T | undefined {
  if (v === null) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw httpError(400, 'backoffice.field.one-of', { field, allowed: allowed.join(', ') }, field);
  return v as T;
}

/** The website's operations (issue 14), each behind its session (and Origin + CSRF for changes). */
export function createStaffHandlers(d: StaffHandlerDeps) {
  const { staff, auth } = d;
  const ajv = createOpenApiAjv();
  const body = (path: string, method: string): ValidateFunction => schemaValidator(ajv, openapi.paths[path]![method]!.requestBody!.content['application/json']!.schema);
  const v = {
    login: body('/v1/staff/sessions', 'post'),
    edit: body('/v1/staff/installations/{serial}/entitlement', 'put'),
    assistance: body('/v1/staff/installations/{serial}/assistance', 'post'),
    release: body('/v1/staff/releases', 'post'),
  };
  let loginsInFlight = 0;

  const serialOf = (ctx: RequestContext): string => {
    const serial = ctx.params['serial']!;
    if (!IDENTIFIER.test(serial)) throw httpError(400, 'backoffice.field.serial', { field: 'serial' }, 'serial');
    return serial;
  };

  /** Runs a rule of the staff service, its coded refusals answered with their status. */
  const rule = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw answerOf(e);
    }
  };

  const sessionAnswer = (user: StaffUser, token: string, expiresAt?: number): StaffSessionResponse => ({
    user,
    csrfToken: StaffAuth.csrfOf(token),
    ...(expiresAt !== undefined ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
  });

  const staffLogin: Handler = async (ctx) => {
    auth.checkOrigin(ctx.req);
    const b = await readBody<StaffLoginRequest>(ctx.req, v.login);
    // The installation login's throttle, keyed by the login name (never a lockout).
    const key = `staff:${b.name}`;
    const { waitMs, failures } = await d.throttle.holdFor(key, ctx.clientAddress);
    if (waitMs > 0 && !(await d.hold(waitMs, ctx.res))) return;
    if (loginsInFlight >= 16) throw httpError(503, 'backoffice.overloaded', {}, undefined, { 'Retry-After': '1' });
    loginsInFlight++;
    let user: StaffUser | undefined;
    try {
      user = await staff.authenticate(b.name, b.password);
    } finally {
      loginsInFlight--;
    }
    if (!user) {
      const now = await d.throttle.failed(key, ctx.clientAddress);
      d.metrics.loginsFailed.inc();
      // The typed name only when it is an account: a password typed into the name field stays out of the log.
      const known = STAFF_NAME_PATTERN.test(b.name) && (await staff.user(b.name)) !== undefined;
      d.logger.warn({ staff: known ? b.name : `sha256:${createHash('sha256').update(b.name).digest('hex').slice(0, 12)}`, remote: ctx.clientAddress, failures: now }, 'failed staff login');
      throw httpError(401, 'backoffice.staff.invalid-credentials');
    }
    if (failures > 0) await d.throttle.succeeded(key, ctx.clientAddress);
    const s = await d.sessions.create({ kind: 'staff', id: user.name });
    await staff.audit({ actorKind: 'staff', actor: user.name, organisationId: user.organisationId, serial: null, action: 'staff.login', detail: { from: ctx.clientAddress } });
    send(ctx.res, 200, sessionAnswer(user, s.token, s.expiresAt), { 'Set-Cookie': auth.cookie(s.token, Math.ceil(d.sessions.ttl / 1000)) });
  };

  const listQuery = (q: URLSearchParams): InstallationQuery => {
    const text = q.get('q');
    if (text !== null && text.length > 100) throw httpError(400, 'backoffice.field.max-length', { field: 'q', limit: 100 }, 'q');
    const organisation = q.get('organisation');
    if (organisation !== null && !IDENTIFIER.test(organisation)) throw httpError(400, 'backoffice.field.identifier', { field: 'organisation' }, 'organisation');
    const status = oneOf(q.get('status'), 'status', INSTALLATION_STATUS_FILTERS);
    return {
      ...(text ? { q: text } : {}),
      ...(organisation ? { organisation } : {}),
      ...(status ? { status } : {}),
      sort: oneOf(q.get('sort'), 'sort', INSTALLATION_SORT_KEYS, 'serial')!,
      order: oneOf(q.get('order'), 'order', ['asc', 'desc'] as const, 'asc')!,
      offset: int(q.get('offset'), 'offset', 0, 1_000_000, 0),
      limit: int(q.get('limit'), 'limit', 1, MAX_PAGE_SIZE, 50),
    };
  };

  return {
    staffLogin,
    staffSession: async (ctx) => {
      const s = await auth.require(ctx.req);
      send(ctx.res, 200, sessionAnswer(s.user, s.token));
    },
    staffLogout: async (ctx) => {
      const s = await auth.requireChange(ctx.req);
      await d.sessions.end(s.token);
      d.events.endSession(s.token);
      await staff.audit({ actorKind: 'staff', actor: s.user.name, organisationId: s.user.organisationId, serial: null, action: 'staff.logout', detail: {} });
      send(ctx.res, 204, undefined, { 'Set-Cookie': auth.clearCookie() });
    },
    staffListInstallations: async (ctx) => {
      const s = await auth.require(ctx.req);
      send(ctx.res, 200, await rule(() => staff.list(s.user, listQuery(ctx.query))));
    },
    staffInstallation: async (ctx) => {
      const s = await auth.require(ctx.req);
      send(ctx.res, 200, await rule(() => staff.detail(s.user, serialOf(ctx))));
    },
    staffPreviewEntitlement: async (ctx) => {
      const s = await auth.requireChange(ctx.req);
      const edit = await readBody<EntitlementEdit>(ctx.req, v.edit);
      send(ctx.res, 200, await rule(() => staff.preview(s.user, serialOf(ctx), edit)));
    },
    staffChangeEntitlement: async (ctx) => {
      const s = await auth.requireChange(ctx.req);
      const edit = await readBody<EntitlementEdit>(ctx.req, v.edit);
      send(ctx.res, 200, await rule(() => staff.changeEntitlement(s.user, serialOf(ctx), edit)));
    },
    staffRequestAssistance: async (ctx) => {
      const s = await auth.requireChange(ctx.req);
      const b = await readBody<AssistanceRequestBody>(ctx.req, v.assistance);
      send(ctx.res, 201, await rule(() => staff.requestAssistance(s.user, serialOf(ctx), b.message)));
    },
    staffCancelAssistance: async (ctx) => {
      const s = await auth.requireChange(ctx.req);
      send(ctx.res, 200, await rule(() => staff.cancelAssistance(s.user, serialOf(ctx), ctx.params['id']!)));
    },
    staffReleases: async (ctx) => {
      const s = await auth.require(ctx.req);
      send(ctx.res, 200, await rule(() => staff.releases(s.user)));
    },
    staffAddRelease: async (ctx) => {
      const s = await auth.requireChange(ctx.req);
      const r = await readBody<Release>(ctx.req, v.release);
      send(ctx.res, 201, await rule(() => staff.addRelease(s.user, r)));
    },
    staffReleaseInstallations: async (ctx) => {
      const s = await auth.require(ctx.req);
      const offset = int(ctx.query.get('offset'), 'offset', 0, 1_000_000, 0);
      const limit = int(ctx.query.get('limit'), 'limit', 1, MAX_PAGE_SIZE, 50);
      send(ctx.res, 200, await rule(() => staff.releaseInstallations(s.user, ctx.params['product']!, ctx.params['version']!, offset, limit)));
    },
    staffEvents: async (ctx) => {
      const s = await auth.require(ctx.req);
      if (!d.events.open(ctx.req, ctx.res, s)) throw httpError(503, 'backoffice.overloaded', {}, undefined, { 'Retry-After': '5' });
    },
  } satisfies Record<string, Handler>;
}

