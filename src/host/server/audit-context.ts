import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import { Subject, type Observable } from 'rxjs';
import type { AuditEntry } from '../../common/settings/snapshot.js';
import type { AuditLog } from '../../common/settings/stores.js';

/** The console session a call runs for (set around every RPC message of that session's WebSocket). */
export const auditSession = new AsyncLocalStorage<{ readonly session: string }>();

/** A short, stable label of a console session: never the session's cookie value itself. */
export function sessionLabel(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex').slice(0, 8);
}

function osUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

/**
 * The audit log as the console's stores and plugins write to it: every entry gets who made it —
 * the operating-system user of the console and the console session the call came from — and
 * `recorded$` tells the audit view that there is more to read.
 */
export class ContextualAudit implements AuditLog {
  private readonly recorded = new Subject<void>();
  private readonly user = osUser();

  constructor(private readonly trail: AuditLog) {}

  get recorded$(): Observable<void> {
    return this.recorded.asObservable();
  }

  async record(entry: AuditEntry): Promise<void> {
    const session = auditSession.getStore()?.session;
    await this.trail.record({ ...entry, ...(entry.user === undefined && this.user ? { user: this.user } : {}), ...(entry.session === undefined && session ? { session } : {}) });
    this.recorded.next();
  }

  read(limit?: number): Promise<readonly (AuditEntry & { time: string })[]> {
    return this.trail.read(limit);
  }
}
