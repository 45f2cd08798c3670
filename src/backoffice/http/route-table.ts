import type { IncomingMessage, ServerResponse } from 'node:http';
import FindMyWay from 'find-my-way';
import { BackofficeErrorCode as E } from '../../common/backoffice/api.js';
import { httpError, type HttpError } from './json-io.js';

/**
 * Every route the back office answers, as method + OpenAPI path template + operationId. This table
 * and src/backoffice/openapi.json describe the same set (test/node/backoffice-routes.test.ts).
 */
export const ROUTES = [
  { method: 'GET', path: '/v1/health', operationId: 'health' },
  { method: 'GET', path: '/v1/health/ready', operationId: 'ready' },
  { method: 'GET', path: '/metrics', operationId: 'metrics' },
  { method: 'POST', path: '/v1/sessions', operationId: 'createSession' },
  { method: 'PUT', path: '/v1/installations/{serial}', operationId: 'heartbeat' },
  { method: 'GET', path: '/v1/installations/{serial}/license', operationId: 'getLicense' },
  { method: 'GET', path: '/v1/installations/{serial}/entitlement', operationId: 'getEntitlement' },
  { method: 'POST', path: '/v1/installations/{serial}/receipts', operationId: 'postReceipt' },
  { method: 'GET', path: '/v1/installations/{serial}/releases', operationId: 'listReleases' },
  { method: 'GET', path: '/v1/installations/{serial}/releases/{version}', operationId: 'checkRelease' },
  { method: 'GET', path: '/v1/installations/{serial}/assistance', operationId: 'getAssistance' },
  { method: 'POST', path: '/v1/installations/{serial}/assistance/{id}/reports', operationId: 'reportAssistance' },
  // The remote-service website (issue 14): staff session in a cookie, Origin + CSRF on state changes.
  { method: 'POST', path: '/v1/staff/sessions', operationId: 'staffLogin' },
  { method: 'GET', path: '/v1/staff/session', operationId: 'staffSession' },
  { method: 'DELETE', path: '/v1/staff/session', operationId: 'staffLogout' },
  { method: 'GET', path: '/v1/staff/installations', operationId: 'staffListInstallations' },
  { method: 'GET', path: '/v1/staff/installations/{serial}', operationId: 'staffInstallation' },
  { method: 'POST', path: '/v1/staff/installations/{serial}/entitlement/preview', operationId: 'staffPreviewEntitlement' },
  { method: 'PUT', path: '/v1/staff/installations/{serial}/entitlement', operationId: 'staffChangeEntitlement' },
  { method: 'POST', path: '/v1/staff/installations/{serial}/assistance', operationId: 'staffRequestAssistance' },
  { method: 'POST', path: '/v1/staff/installations/{serial}/assistance/{id}/cancel', operationId: 'staffCancelAssistance' },
  { method: 'GET', path: '/v1/staff/releases', operationId: 'staffReleases' },
  { method: 'POST', path: '/v1/staff/releases', operationId: 'staffAddRelease' },
  { method: 'GET', path: '/v1/staff/releases/{product}/{version}/installations', operationId: 'staffReleaseInstallations' },
  { method: 'GET', path: '/v1/staff/events', operationId: 'staffEvents' },
] as const;

export type Route = (typeof ROUTES)[number];
export type OperationId = Route['operationId'];

/** What a handler gets: the exchange, the decoded path parameters, the query, the client's address. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The client's address: the peer, or X-Forwarded-For when the peer is a trusted proxy. */
  readonly clientAddress: string;
}

export type Handler = (ctx: RequestContext) => Promise<void>;

export interface Match {
  readonly route: Route;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
}

/** The longest path parameter accepted (serials and versions are at most 64 characters). */
const MAX_PARAM = 128;

/**
 * Matches request targets against ROUTES with find-my-way (fastify's router): percent-decoding of
 * parameters, malformed encodings and over-long parameters reported instead of thrown.
 */
export class RouteTable {
  private readonly router = FindMyWay({ maxParamLength: MAX_PARAM, onBadUrl: () => undefined, onMaxParamLength: () => undefined });
  private readonly methods = [...new Set(ROUTES.map((r) => r.method))];

  constructor() {
    for (const route of ROUTES) this.router.on(route.method, route.path.replace(/\{(\w+)\}/g, ':$1'), () => undefined, route);
  }

  /** The route of a request target, or the HttpError to answer (400 bad target, 404, 405 with Allow). */
  match(method: string, target: string): Match | HttpError {
    if (!target.startsWith('/')) return httpError(400, E.invalidRequest, { field: 'target', reason: 'not an origin-form request target' }, 'target');
    const hit = this.find(method, target);
    if (hit === 'bad') return httpError(400, E.invalidRequest, { field: 'target', reason: 'bad percent-encoding or a parameter too long' }, 'target');
    if (hit) return hit;
    const allowed = this.methods.filter((m) => m !== method && this.find(m, target));
    if (allowed.length) return httpError(405, E.methodNotAllowed, { method: method.slice(0, 16) }, undefined, { Allow: allowed.join(', ') });
    return httpError(404, E.notFound);
  }

  private find(method: string, target: string): Match | 'bad' | undefined {
    const found = this.router.find(method as FindMyWay.HTTPMethod, target);
    if (!found) return undefined;
    if (!found.store) return 'bad'; // onBadUrl / onMaxParamLength
    const q = target.indexOf('?');
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(found.params)) if (v !== undefined) params[k] = v;
    return { route: found.store as Route, params, query: new URLSearchParams(q < 0 ? '' : target.slice(q + 1)) };
  }
}
