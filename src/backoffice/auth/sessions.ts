import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer tokens handed out after a successful login. Kept in memory (hashed): a restarted server
 * answers 401 token-invalid and the client logs in again, which it must handle anyway on expiry.
 */
export class SessionStore {
  private readonly sessions = new Map<string, { organisationId: string; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  create(organisationId: string): { token: string; expiresAt: number } {
    this.sweep();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    this.sessions.set(this.key(token), { organisationId, expiresAt });
    return { token, expiresAt };
  }

  /** The organisation of a valid token, or undefined. */
  resolve(token: string): string | undefined {
    const k = this.key(token);
    const s = this.sessions.get(k);
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(k);
      return undefined;
    }
    return s.organisationId;
  }

  // A lookup by hash: a timing difference in Map lookup reveals nothing about a valid token.
  private key(token: string): string {
    return createHash('sha256').update(token).digest('base64');
  }

  private sweep(): void {
    if (this.sessions.size < 10_000) return;
    const now = this.now();
    for (const [k, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(k);
  }
}
