/**
 * The website's only way to the back office: its public API (src/backoffice/openapi.json, the
 * /v1/staff/… operations), same origin, the session in an HttpOnly cookie the page never sees, the
 * CSRF token (from the login answer) in a header on every state change.
 */
import { BehaviorSubject, Observable, share } from 'rxjs';
import type { Release } from '../common/backoffice/api.js';
import type { AssistanceRequest } from '../common/backoffice/assistance.js';
import {
  CSRF_HEADER,
  type ChangeEvent,
  type EntitlementChangeResponse,
  type EntitlementEdit,
  type EntitlementPreview,
  type InstallationDetail,
  type InstallationPage,
  type InstallationQuery,
  type ReleaseInstallations,
  type StaffReleaseList,
  type StaffSessionResponse,
} from '../common/backoffice/staff-api.js';
import { CodedError, type ErrorInfo } from '../common/errors.js';

const BASE = '/v1/staff';

/** An answer other than success, with the API's error (its code is shown through the catalogue). */
export class ApiError extends CodedError {
  constructor(
    readonly status: number,
    info: ErrorInfo,
  ) {
    super(info.code, info.params ?? {}, info.field !== undefined ? { field: info.field } : {});
  }
}

export class WebsiteApi {
  /** The logged-in session (undefined: logged out or expired). */
  readonly session$ = new BehaviorSubject<StaffSessionResponse | undefined>(undefined);
  private events?: Observable<ChangeEvent>;

  constructor(private readonly fetchFn: typeof fetch = (...a) => globalThis.fetch(...a)) {}

  get csrf(): string {
    return this.session$.value?.csrfToken ?? '';
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET') headers[CSRF_HEADER] = this.csrf;
    let res: Response;
    try {
      res = await this.fetchFn(path, { method, headers, credentials: 'same-origin', cache: 'no-store', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch {
      throw new ApiError(0, { code: 'website.offline' });
    }
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (res.ok) return data as T;
    const info = (data as { error?: ErrorInfo } | undefined)?.error;
    const error = new ApiError(res.status, info && typeof info.code === 'string' ? info : { code: 'website.unexpected-status', params: { status: res.status } });
    // A session that ended (expired, logged out elsewhere) shows the login again.
    if (res.status === 401 && path !== `${BASE}/sessions`) this.session$.next(undefined);
    throw error;
  }

  /** The session of this browser, if it has one (after a reload). */
  async resume(): Promise<StaffSessionResponse | undefined> {
    try {
      const s = await this.call<StaffSessionResponse>('GET', `${BASE}/session`);
      this.session$.next(s);
      return s;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return undefined;
      throw e;
    }
  }

  async login(name: string, password: string): Promise<StaffSessionResponse> {
    const s = await this.call<StaffSessionResponse>('POST', `${BASE}/sessions`, { name, password });
    this.session$.next(s);
    return s;
  }

  async logout(): Promise<void> {
    try {
      await this.call<void>('DELETE', `${BASE}/session`);
    } finally {
      this.session$.next(undefined);
    }
  }

  installations(q: InstallationQuery): Promise<InstallationPage> {
    const p = new URLSearchParams({ sort: q.sort, order: q.order, offset: String(q.offset), limit: String(q.limit) });
    if (q.q) p.set('q', q.q);
    if (q.status) p.set('status', q.status);
    if (q.organisation) p.set('organisation', q.organisation);
    return this.call('GET', `${BASE}/installations?${p}`);
  }

  installation(serial: string): Promise<InstallationDetail> {
    return this.call('GET', `${BASE}/installations/${encodeURIComponent(serial)}`);
  }

  previewEntitlement(serial: string, edit: EntitlementEdit): Promise<EntitlementPreview> {
    return this.call('POST', `${BASE}/installations/${encodeURIComponent(serial)}/entitlement/preview`, edit);
  }

  changeEntitlement(serial: string, edit: EntitlementEdit): Promise<EntitlementChangeResponse> {
    return this.call('PUT', `${BASE}/installations/${encodeURIComponent(serial)}/entitlement`, edit);
  }

  requestAssistance(serial: string, message: string): Promise<AssistanceRequest> {
    return this.call('POST', `${BASE}/installations/${encodeURIComponent(serial)}/assistance`, { message });
  }

  cancelAssistance(serial: string, id: string): Promise<AssistanceRequest> {
    return this.call('POST', `${BASE}/installations/${encodeURIComponent(serial)}/assistance/${encodeURIComponent(id)}/cancel`, {});
  }

  releases(): Promise<StaffReleaseList> {
    return this.call('GET', `${BASE}/releases`);
  }

  addRelease(r: Release): Promise<Release> {
    return this.call('POST', `${BASE}/releases`, r);
  }

  releaseInstallations(product: string, version: string, offset: number, limit: number): Promise<ReleaseInstallations> {
    return this.call('GET', `${BASE}/releases/${encodeURIComponent(product)}/${encodeURIComponent(version)}/installations?offset=${offset}&limit=${limit}`);
  }

  /**
   * Which installations changed, as the back office sees it on any of its instances (server-sent
   * events); one connection shared by every page, reconnected by the browser.
   */
  changes$(): Observable<ChangeEvent> {
    this.events ??= new Observable<ChangeEvent>((subscriber) => {
      const source = new EventSource(`${BASE}/events`);
      source.addEventListener('change', (e) => {
        try {
          subscriber.next(JSON.parse((e as MessageEvent<string>).data) as ChangeEvent);
        } catch {
          // a damaged frame is skipped; the next one carries the state again
        }
      });
      source.onerror = () => {
        // Closed for good (the session ended): ask whether we are still logged in.
        if (source.readyState === EventSource.CLOSED) void this.resume().catch(() => undefined);
      };
      return () => source.close();
    }).pipe(share());
    return this.events;
  }
}
