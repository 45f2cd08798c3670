import { CodedError, isCodedError, type MessageParams } from '../../common/errors.js';
import {
  BACKOFFICE_API_PREFIX,
  BackofficeErrorCode,
  MAX_LONG_POLL_SECONDS,
  type EntitlementResponse,
  type HeartbeatRequest,
  type InstallationResponse,
  type LicenseResponse,
  type ReceiptRequest,
  type ReceiptResponse,
  type ReleaseCheckResponse,
  type ReleaseListResponse,
  type SessionResponse,
} from '../../common/backoffice/api.js';
import type { AssistanceReport, AssistanceRequest, CurrentAssistanceResponse } from '../../common/backoffice/assistance.js';
import { ProxyErrorCode } from '../../common/proxy/errors.js';
import type { ProxySettings } from '../../common/proxy/settings.js';
import type { Deadlines } from '../http/deadlines.js';
import { DefaultHttpClientFactory, type HttpClient, type HttpClientFactory, type HttpResponse } from '../http/http-client.js';
import type { ProxyResolver } from '../proxy/proxy-resolver.js';
import { parseRetryAfter } from './backoff.js';

/** Client-side error codes (texts in common/messages/ors.ts). */
export const BackofficeClientErrorCode = {
  badResponse: 'ors.backoffice.bad-response',
  unexpectedStatus: 'ors.backoffice.unexpected-status',
  urlInvalid: 'ors.backoffice.url-invalid',
} as const;

/** Largest answer the client reads (a license is a few KiB; release lists stay small). */
export const MAX_BACKOFFICE_RESPONSE_BYTES = 1024 * 1024;

/** Deadlines of ordinary calls; long-polls get `wait` seconds more for the response phase. */
export const BACKOFFICE_DEADLINES: Partial<Deadlines> = { connectMs: 10_000, proxyConnectMs: 15_000, tlsMs: 10_000, responseMs: 20_000, totalMs: 30_000 };

/** An answer of the back office other than success: its own error code, the HTTP status and Retry-After. */
export class BackofficeError extends CodedError {
  constructor(
    code: string,
    params: MessageParams,
    readonly status: number,
    readonly retryAfterMs?: number,
    field?: string,
  ) {
    super(code, params, field !== undefined ? { field } : {});
  }
}

/** How a caller should react to a failure. */
export interface FailureClass {
  /**
   * auth: the credentials are refused — do not try again until they change (or after Retry-After);
   * config: a setting is wrong (proxy credentials, unknown serial) — retry only rarely;
   * transient: network, overload, server errors — retry with back-off.
   */
  readonly kind: 'auth' | 'config' | 'transient';
  readonly retryAfterMs?: number;
  /** The hop that failed, for the hint: proxy, tls, backoffice, login, serial. */
  readonly hop: string;
}

const PROXY_CONFIG = new Set<string>([ProxyErrorCode.authRequired, ProxyErrorCode.authFailed, ProxyErrorCode.authUnsupported, ProxyErrorCode.autoNotAllowed, ProxyErrorCode.ntlmInvalidChallenge]);

export function classifyFailure(e: unknown): FailureClass {
  if (e instanceof BackofficeError) {
    const retry = e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {};
    if (e.code === BackofficeErrorCode.authInvalid) return { kind: 'auth', hop: 'login' };
    if (e.code === BackofficeErrorCode.authLocked) return { kind: 'auth', hop: 'login', ...retry };
    if (e.code === BackofficeErrorCode.installationUnknown) return { kind: 'config', hop: 'serial' };
    if (e.status >= 500 || e.status === 429 || e.status === 408) return { kind: 'transient', hop: 'backoffice', ...retry };
    if (e.code === BackofficeErrorCode.tokenInvalid || e.code === BackofficeErrorCode.tokenMissing) return { kind: 'transient', hop: 'login' };
    return { kind: 'config', hop: 'backoffice' };
  }
  if (isCodedError(e)) {
    if (PROXY_CONFIG.has(e.code)) return { kind: 'config', hop: 'proxy' };
    if (e.code === ProxyErrorCode.tlsFailed || e.code === ProxyErrorCode.httpTlsFailed) return { kind: 'transient', hop: 'tls' };
    if (e.code.startsWith('proxy.')) return { kind: 'transient', hop: 'proxy' };
    if (e.code === BackofficeClientErrorCode.urlInvalid) return { kind: 'config', hop: 'backoffice' };
    return { kind: 'transient', hop: 'backoffice' };
  }
  return { kind: 'transient', hop: 'backoffice' };
}

export interface BackofficeClientOptions {
  /** `https://host[:port]` of the back office (a path prefix is kept). */
  readonly baseUrl: string;
  readonly organisationId: string;
  readonly verificationCode: string;
  readonly proxy: ProxySettings;
  readonly caPem?: string;
  readonly httpFactory?: HttpClientFactory;
  readonly resolver?: ProxyResolver;
  readonly env?: NodeJS.ProcessEnv;
  readonly deadlines?: Partial<Deadlines>;
  readonly maxResponseBytes?: number;
  readonly now?: () => number;
}

export type LicenseAnswer =
  | { readonly kind: 'unchanged'; readonly etag: string }
  | { readonly kind: 'license'; readonly etag: string; readonly license: LicenseResponse };

export type AssistanceAnswer =
  | { readonly kind: 'unchanged'; readonly etag: string }
  | { readonly kind: 'request'; readonly etag: string; readonly request: AssistanceRequest | null };

export interface LicenseQuery {
  /** The ETag of the license the caller has; the back office answers 304 while it is current. */
  readonly etag?: string;
  /** Long-poll: hold the request up to this many seconds (clamped to 60) for a new license. */
  readonly waitSeconds?: number;
  readonly signal?: AbortSignal;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function check<T>(data: unknown, ok: (v: Record<string, unknown>) => boolean, what: string): T {
  if (!isObj(data) || !ok(data)) throw new CodedError(BackofficeClientErrorCode.badResponse, { what });
  return data as T;
}

/**
 * The typed client of the back-office API (src/backoffice/openapi.json) on the shared HTTP client
 * (proxy, NTLM, deadlines, typed errors). Logs in lazily and once more when the token is refused;
 * a refused login is thrown, never retried here. Retries are the caller's (see Backoff).
 */
export class BackofficeClient {
  private readonly api: HttpClient;
  private poll?: HttpClient;
  private readonly base: string;
  private session?: SessionResponse;
  private loggingIn?: Promise<SessionResponse>;
  private readonly now: () => number;
  /** Login requests sent (for tests and diagnostics). */
  logins = 0;

  constructor(private readonly o: BackofficeClientOptions) {
    let url: URL;
    try {
      url = new URL(o.baseUrl);
    } catch {
      throw new CodedError(BackofficeClientErrorCode.urlInvalid, { url: o.baseUrl }, { field: 'backofficeUrl' });
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
      throw new CodedError(BackofficeClientErrorCode.urlInvalid, { url: url.origin }, { field: 'backofficeUrl' });
    }
    this.base = url.origin + url.pathname.replace(/\/+$/, '') + BACKOFFICE_API_PREFIX;
    this.now = o.now ?? Date.now;
    this.api = this.createHttp(o.deadlines ?? BACKOFFICE_DEADLINES);
  }

  get loggedIn(): boolean {
    return this.session !== undefined;
  }

  /** POST /v1/sessions. Throws BackofficeError auth.invalid-credentials / auth.locked (with Retry-After). */
  async login(signal?: AbortSignal): Promise<SessionResponse> {
    if (!this.loggingIn) {
      this.loggingIn = (async () => {
        this.logins++;
        const res = await this.api.request({
          url: `${this.base}/sessions`,
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          data: { organisationId: this.o.organisationId, verificationCode: this.o.verificationCode },
          ...(signal ? { signal } : {}),
        });
        if (res.status !== 200) throw this.toError(res);
        const s = check<SessionResponse>(res.data, (v) => typeof v['token'] === 'string' && typeof v['expiresAt'] === 'string', 'session');
        this.session = s;
        return s;
      })().finally(() => (this.loggingIn = undefined));
    }
    return this.loggingIn;
  }

  /** PUT /v1/installations/{serial}: registers or heartbeats the installation. */
  async heartbeat(serial: string, body: HeartbeatRequest, signal?: AbortSignal): Promise<InstallationResponse> {
    const res = await this.authorized(this.api, { url: this.installation(serial), method: 'PUT', data: body, json: true, signal });
    if (res.status !== 200) throw this.toError(res);
    return check<InstallationResponse>(res.data, (v) => typeof v['serial'] === 'string', 'installation');
  }

  async entitlement(serial: string, signal?: AbortSignal): Promise<EntitlementResponse> {
    const res = await this.authorized(this.api, { url: `${this.installation(serial)}/entitlement`, signal });
    if (res.status !== 200) throw this.toError(res);
    return check<EntitlementResponse>(res.data, (v) => typeof v['expiry'] === 'string' && isObj(v['maintenance']) && Array.isArray(v['features']), 'entitlement');
  }

  /** GET …/license, conditional on `etag` and, with `waitSeconds`, held by the server until a new one is issued. */
  async currentLicense(serial: string, q: LicenseQuery = {}): Promise<LicenseAnswer> {
    const wait = q.waitSeconds !== undefined ? Math.max(0, Math.min(MAX_LONG_POLL_SECONDS, Math.floor(q.waitSeconds))) : 0;
    const http = wait > 0 ? this.pollClient() : this.api;
    const res = await this.authorized(http, {
      url: `${this.installation(serial)}/license${wait > 0 ? `?wait=${wait}` : ''}`,
      headers: q.etag ? { 'If-None-Match': q.etag } : {},
      signal: q.signal,
    });
    const etag = res.headers['etag'] ?? '';
    if (res.status === 304) return { kind: 'unchanged', etag: etag || q.etag || '' };
    if (res.status !== 200) throw this.toError(res);
    const license = check<LicenseResponse>(
      res.data,
      (v) => typeof v['licenseId'] === 'string' && typeof v['seq'] === 'number' && typeof v['license'] === 'string',
      'license',
    );
    return { kind: 'license', etag: etag || `"${license.licenseId}"`, license };
  }

  /**
   * GET …/assistance: the installation's current remote-assistance request (null: none), conditional
   * on `etag` and, with `waitSeconds`, held until it changes — the same long-poll as the license's.
   */
  async assistance(serial: string, q: LicenseQuery = {}): Promise<AssistanceAnswer> {
    const wait = q.waitSeconds !== undefined ? Math.max(0, Math.min(MAX_LONG_POLL_SECONDS, Math.floor(q.waitSeconds))) : 0;
    const http = wait > 0 ? this.pollClient() : this.api;
    const res = await this.authorized(http, {
      url: `${this.installation(serial)}/assistance${wait > 0 ? `?wait=${wait}` : ''}`,
      headers: q.etag ? { 'If-None-Match': q.etag } : {},
      signal: q.signal,
    });
    const etag = res.headers['etag'] ?? '';
    if (res.status === 304) return { kind: 'unchanged', etag: etag || q.etag || '' };
    if (res.status !== 200) throw this.toError(res);
    const body = check<CurrentAssistanceResponse>(res.data, (v) => v['request'] === null || (isObj(v['request']) && typeof v['request']['id'] === 'string' && typeof v['request']['state'] === 'string'), 'assistance');
    return { kind: 'request', etag, request: body.request };
  }

  /** POST …/assistance/{id}/reports: what became of a request at this installation. */
  async reportAssistance(serial: string, requestId: string, report: AssistanceReport, signal?: AbortSignal): Promise<AssistanceRequest> {
    const res = await this.authorized(this.api, { url: `${this.installation(serial)}/assistance/${encodeURIComponent(requestId)}/reports`, method: 'POST', data: report, json: true, signal });
    if (res.status !== 200) throw this.toError(res);
    return check<AssistanceRequest>(res.data, (v) => typeof v['id'] === 'string' && typeof v['state'] === 'string', 'assistance');
  }

  async sendReceipt(serial: string, receipt: ReceiptRequest, signal?: AbortSignal): Promise<ReceiptResponse> {
    const res = await this.authorized(this.api, { url: `${this.installation(serial)}/receipts`, method: 'POST', data: receipt, json: true, signal });
    if (res.status !== 200 && res.status !== 201) throw this.toError(res);
    return check<ReceiptResponse>(res.data, (v) => typeof v['id'] === 'number', 'receipt');
  }

  async releases(serial: string, signal?: AbortSignal): Promise<ReleaseListResponse> {
    const res = await this.authorized(this.api, { url: `${this.installation(serial)}/releases`, signal });
    if (res.status !== 200) throw this.toError(res);
    return check<ReleaseListResponse>(res.data, (v) => Array.isArray(v['releases']), 'releases');
  }

  async release(serial: string, version: string, signal?: AbortSignal): Promise<ReleaseCheckResponse> {
    const res = await this.authorized(this.api, { url: `${this.installation(serial)}/releases/${encodeURIComponent(version)}`, signal });
    if (res.status !== 200) throw this.toError(res);
    return check<ReleaseCheckResponse>(res.data, (v) => typeof v['allowed'] === 'boolean' && isObj(v['release']), 'release');
  }

  close(): void {
    this.api.close();
    this.poll?.close();
  }

  private createHttp(deadlines: Partial<Deadlines>): HttpClient {
    const factory = this.o.httpFactory ?? new DefaultHttpClientFactory();
    return factory.create({
      purpose: 'license-update',
      proxy: this.o.proxy,
      deadlines,
      maxResponseBytes: this.o.maxResponseBytes ?? MAX_BACKOFFICE_RESPONSE_BYTES,
      ...(this.o.caPem ? { caPem: this.o.caPem } : {}),
      ...(this.o.resolver ? { resolver: this.o.resolver } : {}),
      ...(this.o.env ? { env: this.o.env } : {}),
    });
  }

  private pollClient(): HttpClient {
    const d = { ...BACKOFFICE_DEADLINES, ...this.o.deadlines };
    this.poll ??= this.createHttp({ ...d, responseMs: (d.responseMs ?? 20_000) + MAX_LONG_POLL_SECONDS * 1000, totalMs: (d.totalMs ?? 30_000) + MAX_LONG_POLL_SECONDS * 1000 });
    return this.poll;
  }

  private installation(serial: string): string {
    return `${this.base}/installations/${encodeURIComponent(serial)}`;
  }

  /** Sends with the bearer token; logs in first when needed and once more when the token is refused. */
  private async authorized(
    http: HttpClient,
    r: { url: string; method?: 'GET' | 'PUT' | 'POST'; data?: unknown; json?: boolean; headers?: Record<string, string>; signal?: AbortSignal | undefined },
  ): Promise<HttpResponse<unknown>> {
    const send = async (token: string): Promise<HttpResponse<unknown>> =>
      http.request({
        url: r.url,
        method: r.method ?? 'GET',
        headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, ...(r.json ? { 'Content-Type': 'application/json' } : {}), ...r.headers },
        ...(r.data !== undefined ? { data: r.data } : {}),
        ...(r.signal ? { signal: r.signal } : {}),
      });
    const expired = this.session && Date.parse(this.session.expiresAt) <= this.now() + 5_000;
    const session = !this.session || expired ? await this.login(r.signal) : this.session;
    const res = await send(session.token);
    if (res.status !== 401) return res;
    const code = this.errorCode(res);
    if (code !== BackofficeErrorCode.tokenInvalid && code !== BackofficeErrorCode.tokenMissing) return res;
    this.session = undefined;
    return send((await this.login(r.signal)).token);
  }

  private errorCode(res: HttpResponse<unknown>): string | undefined {
    const e = isObj(res.data) ? res.data['error'] : undefined;
    return isObj(e) && typeof e['code'] === 'string' ? e['code'] : undefined;
  }

  private toError(res: HttpResponse<unknown>): BackofficeError {
    const retryAfter = parseRetryAfter(res.headers['retry-after'], this.now());
    const e = isObj(res.data) ? res.data['error'] : undefined;
    if (isObj(e) && typeof e['code'] === 'string' && /^backoffice\.[a-z.-]{1,80}$/.test(e['code'])) {
      const params: Record<string, string | number> = {};
      if (isObj(e['params'])) {
        for (const [k, v] of Object.entries(e['params'])) if (typeof v === 'string' || typeof v === 'number') params[k] = typeof v === 'string' ? v.slice(0, 200) : v;
      }
      return new BackofficeError(e['code'], params, res.status, retryAfter, typeof e['field'] === 'string' ? e['field'] : undefined);
    }
    return new BackofficeError(BackofficeClientErrorCode.unexpectedStatus, { status: res.status }, res.status, retryAfter);
  }
}
