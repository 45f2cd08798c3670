import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../services/log/logger.js';
import type { ChangeRecord } from '../store/repository.js';
import type { StaffAuth, StaffRequestSession } from './staff-auth.js';

const KEEPALIVE_MS = 15_000;
/**
 * How often an idle stream checks that its session still exists (expiry, a removed account). A logout
 * on this instance ends its streams at once; every change is only written after its session was
 * checked again, so a logout or removal on another instance (or by the vendor CLI) ends it at the
 * next change at the latest.
 */
const RECHECK_MS = 60_000;

interface Client {
  readonly res: ServerResponse;
  readonly session: StaffRequestSession;
  readonly pending: Set<string>;
  flush?: NodeJS.Timeout;
}

export interface StaffEventsOptions {
  readonly auth: StaffAuth;
  readonly logger: Logger;
  /** Streams held at once before new ones get 503 (default 1,000). */
  readonly max?: number;
  /** Changes of one client are sent together this long after the first (default 200 ms). */
  readonly coalesceMs?: number;
}

/**
 * The website's live view (GET /v1/staff/events, server-sent events): every change the store's
 * change feed reports — written on any instance, by the vendor CLI too — goes to the streams of the
 * accounts that may see the installation (a technician the own organisation's), coalesced per
 * stream, as `event: change` with `{serials}`. A stream ends with its session: at once on a logout of
 * this instance, before the next change it would get when the session ended elsewhere.
 */
export class StaffEvents {
  private readonly clients = new Set<Client>();
  private readonly keepalive: NodeJS.Timeout;
  private readonly recheck: NodeJS.Timeout;

  constructor(private readonly o: StaffEventsOptions) {
    this.keepalive = setInterval(() => {
      for (const c of this.clients) c.res.write(': keep-alive\n\n');
    }, KEEPALIVE_MS);
    this.keepalive.unref();
    this.recheck = setInterval(() => void this.checkSessions(), RECHECK_MS);
    this.recheck.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Starts a stream for this session; false when too many are open. */
  open(req: IncomingMessage, res: ServerResponse, session: StaffRequestSession): boolean {
    if (this.clients.size >= (this.o.max ?? 1_000)) return false;
    req.socket.setTimeout(0);
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 2000\n\n');
    const client: Client = { res, session, pending: new Set() };
    this.clients.add(client);
    res.once('close', () => this.drop(client));
    return true;
  }

  /** Fed by the store's change feed. */
  changed(changes: readonly ChangeRecord[]): void {
    for (const c of this.clients) {
      const u = c.session.user;
      for (const ch of changes) if (u.role === 'vendor-admin' || ch.organisationId === u.organisationId) c.pending.add(ch.serial);
      if (c.pending.size && !c.flush) c.flush = setTimeout(() => void this.flush(c), this.o.coalesceMs ?? 200);
    }
  }

  private async flush(c: Client): Promise<void> {
    c.flush = undefined;
    if (!this.clients.has(c) || !c.pending.size) return;
    const serials = [...c.pending];
    c.pending.clear();
    // Nothing more for a session that ended meanwhile (logout or removal on any instance).
    if (!(await this.stillValid(c))) return this.end(c);
    if (this.clients.has(c)) c.res.write(`event: change\ndata: ${JSON.stringify({ serials })}\n\n`);
  }

  /** Ends this session's streams at once (its logout on this instance). */
  endSession(token: string): void {
    for (const c of [...this.clients]) if (c.session.token === token) this.end(c);
  }

  /** A database hiccup keeps the stream; only a session that is gone ends it. */
  private async stillValid(c: Client): Promise<boolean> {
    return !!(await this.o.auth.sessionOf(c.session.token).catch(() => c.session));
  }

  private end(c: Client): void {
    this.drop(c);
    c.res.end();
  }

  private async checkSessions(): Promise<void> {
    for (const c of [...this.clients]) if (this.clients.has(c) && !(await this.stillValid(c))) this.end(c);
  }

  private drop(c: Client): void {
    clearTimeout(c.flush);
    this.clients.delete(c);
  }

  dispose(): void {
    clearInterval(this.keepalive);
    clearInterval(this.recheck);
    for (const c of this.clients) {
      clearTimeout(c.flush);
      c.res.end();
    }
    this.clients.clear();
  }
}
