import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CSRF_HEADER, STAFF_COOKIE, type StaffUser } from '../../common/backoffice/staff-api.js';
import type { SessionStore } from '../auth/sessions.js';
import type { StaffService } from '../staff-service.js';
import { httpError } from './json-io.js';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The staff session of a request: who, and the token (for logout and the CSRF token). */
export interface StaffRequestSession {
  readonly user: StaffUser;
  readonly token: string;
}

/**
 * The website's sessions (issue 14): an HttpOnly, SameSite=Strict cookie holding a random token
 * (stored only as its hash, shared by every instance), and for every state change both this site's
 * `Origin` and a CSRF token in a header. The CSRF token is derived from the session token by a
 * one-way hash: any instance can check it without storing it, and a page of another origin can
 * neither read the cookie nor compute it.
 */
export class StaffAuth {
  constructor(
    private readonly sessions: SessionStore,
    private readonly staff: StaffService,
    /** Served over HTTPS (directly or behind a TLS-terminating load balancer): the cookie is Secure. */
    private readonly secure: boolean,
  ) {}

  static csrfOf(token: string): string {
    return createHash('sha256').update(`ors-staff-csrf:${token}`).digest('base64url');
  }

  cookie(token: string, maxAgeSeconds: number): string {
    return `${STAFF_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${this.secure ? '; Secure' : ''}`;
  }

  clearCookie(): string {
    return `${STAFF_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${this.secure ? '; Secure' : ''}`;
  }

  /** The session the request's cookie names, if it is valid and its account still exists. */
  session(req: IncomingMessage): Promise<StaffRequestSession | undefined> {
    return this.sessionOf(cookieOf(req.headers.cookie, STAFF_COOKIE));
  }

  /** The session of a token, if it is valid and its account still exists. */
  async sessionOf(token: string | undefined): Promise<StaffRequestSession | undefined> {
    if (!token || !TOKEN.test(token)) return undefined;
    const subject = await this.sessions.resolve(token);
    if (subject?.kind !== 'staff') return undefined;
    const user = await this.staff.user(subject.id);
    return user && { user, token };
  }

  async require(req: IncomingMessage): Promise<StaffRequestSession> {
    const s = await this.session(req);
    if (!s) throw httpError(401, 'backoffice.staff.session-missing');
    return s;
  }

  /**
   * A state change must come from this site: its Origin names the host the request was sent to, with
   * the scheme the site is served with — https when it serves TLS itself or sits behind a
   * TLS-terminating load balancer (trusted proxies), http only for a plain local server.
   */
  checkOrigin(req: IncomingMessage): void {
    const origin = req.headers.origin;
    const host = req.headers.host;
    let ok = false;
    try {
      const u = origin ? new URL(origin) : undefined;
      ok = !!u && !!host && u.protocol === (this.secure ? 'https:' : 'http:') && u.host === host.toLowerCase();
    } catch {
      ok = false;
    }
    if (!ok) throw httpError(403, 'backoffice.staff.origin');
  }

  /** A state change of a session: this site's Origin and the session's CSRF token. */
  async requireChange(req: IncomingMessage): Promise<StaffRequestSession> {
    this.checkOrigin(req);
    const s = await this.require(req);
    const sent = Buffer.from(String(req.headers[CSRF_HEADER] ?? ''));
    const expected = Buffer.from(StaffAuth.csrfOf(s.token));
    if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) throw httpError(403, 'backoffice.staff.csrf');
    return s;
  }
}

export function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').slice(0, 8192).split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}
