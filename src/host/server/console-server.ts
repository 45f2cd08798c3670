import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { RpcServerConnection, type RpcServerOptions, type ServiceLookup } from '../../common/rpc/rpc-server.js';
import { decodePath, guardRequests, guardUpgrades, requestUrl } from '../../services/http/server-guard.js';
import { auditSession, sessionLabel } from './audit-context.js';

export interface ConsoleServerOptions {
  readonly host?: string;
  readonly port: number;
  /** Folder with index.html and the console's bundles. */
  readonly staticDir: string;
  /** Extra static roots, URL prefix → folder (plugins' browser bundles). */
  readonly mounts?: ReadonlyMap<string, string>;
  readonly services: ServiceLookup;
  readonly guard?: RpcServerOptions['guard'];
  readonly logger: Logger;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/**
 * The console's HTTP and WebSocket endpoint. Loopback only by default; a per-start access token
 * (in the printed URL) is traded for an HttpOnly, SameSite=Strict session cookie; everything
 * without that session gets 401; the WebSocket upgrade also checks Origin and Host.
 */
export class ConsoleServer {
  readonly token = randomBytes(32).toString('base64url');
  private readonly sessions = new Map<string, number>();
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  private port = 0;

  constructor(private readonly options: ConsoleServerOptions) {
    // One guard around every request and upgrade: a bad target is a 400, the unexpected a 500 with
    // an incident id in the log; no request ends the console.
    this.server = createServer(guardRequests(options.logger, (req, res) => this.handle(req, res)));
    this.server.on(
      'upgrade',
      guardUpgrades(options.logger, (req, socket, head) => {
        if (!this.allowedHost(req) || req.url !== '/rpc' || !this.hasSession(req) || !this.allowedOrigin(req)) {
          socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
          return;
        }
        const session = parseCookies(req.headers.cookie)[this.cookieName] ?? '';
        this.wss.handleUpgrade(req, socket, head, (ws) => this.connect(ws, sessionLabel(session)));
      }),
    );
  }

  get url(): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${this.port}/`;
  }

  /** The URL to print: opening it starts a session. */
  get loginUrl(): string {
    return `${this.url}?token=${this.token}`;
  }

  get cookieName(): string {
    return `ors_session_${this.port}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
  }

  private connect(ws: WebSocket, session: string): void {
    const conn = new RpcServerConnection(
      this.options.services,
      { send: (t) => ws.send(t), bufferedAmount: () => ws.bufferedAmount },
      { ...(this.options.guard ? { guard: this.options.guard } : {}) },
    );
    // What a call changes is audited with the session it came from.
    ws.on('message', (data) =>
      void auditSession.run({ session }, () => conn.receive(String(data))).catch((e: unknown) => this.options.logger.warn({ err: String(e) }, 'rpc message failed')),
    );
    ws.on('close', () => conn.close());
    ws.on('error', () => conn.close());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res, this.port);
    if (!this.allowedHost(req)) return end(res, 421, 'Misdirected request');
    if (req.method !== 'GET' && req.method !== 'HEAD') return end(res, 405, 'Method not allowed');
    const url = requestUrl(req);
    const token = url.searchParams.get('token');
    if (token !== null) {
      if (!safeEqual(token, this.token)) return end(res, 401, 'Unauthorized: the access token is not valid for this console start.');
      const id = randomBytes(32).toString('base64url');
      this.sessions.set(id, Date.now() + SESSION_TTL_MS);
      res.setHeader('Set-Cookie', `${this.cookieName}=${id}; HttpOnly; SameSite=Strict; Path=/`);
      url.searchParams.delete('token');
      res.setHeader('Location', url.pathname + url.search);
      return end(res, 303, '');
    }
    if (!this.hasSession(req)) {
      return end(res, 401, 'Unauthorized: open the console with the URL printed by "ors console". / Nicht angemeldet: Öffnen Sie die Konsole mit der von "ors console" ausgegebenen URL.');
    }
    await this.serveStatic(url.pathname, res);
  }

  private async serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    let root = this.options.staticDir;
    let rel = pathname === '/' ? 'index.html' : pathname.replace(/^\/static\//, '');
    for (const [prefix, dir] of this.options.mounts ?? []) {
      if (pathname.startsWith(prefix)) {
        root = dir;
        rel = pathname.slice(prefix.length);
      }
    }
    if (pathname !== '/' && root === this.options.staticDir && !pathname.startsWith('/static/')) return end(res, 404, 'Not found');
    const file = path.resolve(root, decodePath(rel));
    if (!file.startsWith(path.resolve(root) + path.sep)) return end(res, 404, 'Not found');
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return end(res, 404, 'Not found');
    res.statusCode = 200;
    res.setHeader('Content-Type', TYPES[path.extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', info.size);
    res.setHeader('Cache-Control', 'no-store');
    // A file that vanishes after stat ends the response, not the process.
    pipeline(createReadStream(file), res, () => undefined);
  }

  private hasSession(req: IncomingMessage): boolean {
    const id = parseCookies(req.headers.cookie)[this.cookieName];
    const expires = id ? this.sessions.get(id) : undefined;
    if (!id || expires === undefined) return false;
    if (expires < Date.now()) {
      this.sessions.delete(id);
      return false;
    }
    return true;
  }

  /** Refuses other Host headers, so a rebinding DNS name cannot reach the console. */
  private allowedHost(req: IncomingMessage): boolean {
    const host = req.headers.host;
    const names = ['127.0.0.1', 'localhost', '[::1]', ...(this.options.host ? [this.options.host] : [])];
    return host !== undefined && names.some((n) => host === `${n}:${this.port}`);
  }

  private allowedOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    return origin !== undefined && [`http://127.0.0.1:${this.port}`, `http://localhost:${this.port}`, `http://[::1]:${this.port}`].includes(origin);
  }
}

function setSecurityHeaders(res: ServerResponse, port: number): void {
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
}

function end(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  if (text) res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(text);
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
