import { createHash, randomBytes } from 'node:crypto';
import type { BackofficeRepository, SessionSubject } from '../store/repository.js';

/**
 * Bearer tokens handed out after a successful login. Stored in the database as a SHA-256 of the
 * token, so any instance resolves a token another one issued, and a restart logs nobody out.
 */
export class SessionStore {
  private lastSweep = 0;

  constructor(
    private readonly repo: BackofficeRepository,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async create(subject: SessionSubject): Promise<{ token: string; expiresAt: number }> {
    const now = this.now();
    if (now - this.lastSweep > 60_000) {
      this.lastSweep = now;
      await this.repo.deleteExpiredSessions(now);
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + this.ttlMs;
    await this.repo.createSession({ tokenHash: tokenHash(token), subject, expiresAt });
    return { token, expiresAt };
  }

  /** Ends the session of a token (logout), on every instance at once. */
  end(token: string): Promise<void> {
    return this.repo.deleteSession(tokenHash(token));
  }

  get ttl(): number {
    return this.ttlMs;
  }

  /** The subject of a valid token, or undefined. */
  resolve(token: string): Promise<SessionSubject | undefined> {
    return this.repo.resolveSession(tokenHash(token), this.now());
  }
}

// Looked up by hash: the database never holds a usable token, and an index look-up timing reveals
// nothing about a valid one.
const tokenHash = (token: string): string => createHash('sha256').update(token).digest('base64');
