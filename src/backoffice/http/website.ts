import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { pipeline } from 'node:stream';
import type { StaffService } from '../staff-service.js';
import type { StaffAuth } from './staff-auth.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** The pages of the website (single-page app): each answered with index.html, the app shows the page. */
const PAGES = [/^\/$/, /^\/releases$/, /^\/installations\/[^/]+$/];

/** Strict CSP: only this origin's scripts and styles, fetch and server-sent events to itself, no framing. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

export interface WebsiteOptions {
  /** The built website (dist/website: index.html, website.js, chunks). */
  readonly dir: string;
  readonly auth: StaffAuth;
  readonly staff: StaffService;
}

/**
 * Serves the remote-service website (issue 14) beside the API: the app for every page, its bundles
 * under /static/. An installation's page of another organisation is answered 404 like its API
 * (the app then says "not found"), so a page address tells nothing the API would not.
 */
export class WebsiteFiles {
  private index?: Promise<string | undefined>;

  constructor(private readonly o: WebsiteOptions) {}

  /** Whether a target is the website's (anything that is not the API). */
  static owns(pathname: string): boolean {
    return !pathname.startsWith('/v1/') && pathname !== '/v1' && pathname !== '/metrics';
  }

  async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed');
      return;
    }
    if (pathname.startsWith('/static/')) return this.file(req, res, pathname.slice('/static/'.length));
    let status = PAGES.some((p) => p.test(pathname)) ? 200 : 404;
    const serial = /^\/installations\/([^/]+)$/.exec(pathname)?.[1];
    if (serial !== undefined && status === 200) {
      const session = await this.o.auth.session(req);
      if (session && !(await this.o.staff.mayView(session.user, safeDecode(serial)))) status = 404;
    }
    const html = await (this.index ??= readFile(path.join(this.o.dir, 'index.html'), 'utf8').catch(() => undefined));
    if (html === undefined) {
      this.index = undefined;
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('The website is not built (npm run build). / Die Website ist nicht gebaut (npm run build).');
      return;
    }
    res.writeHead(status, { 'Content-Type': TYPES['.html']!, 'Content-Length': String(Buffer.byteLength(html)), 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : html);
  }

  private async file(req: IncomingMessage, res: ServerResponse, rel: string): Promise<void> {
    const root = path.resolve(this.o.dir);
    const file = path.resolve(root, safeDecode(rel));
    const info = file.startsWith(root + path.sep) && path.basename(file) !== 'index.html' ? await stat(file).catch(() => undefined) : undefined;
    // Source maps (the sources behind the bundle) only for staff that is logged in.
    const hidden = path.extname(file) === '.map' && !(await this.o.auth.session(req));
    if (hidden || !info?.isFile() || !(path.extname(file) in TYPES)) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)]!, 'Content-Length': String(info.size), 'Cache-Control': 'no-cache' });
    if (req.method === 'HEAD') return void res.end();
    // A file that vanishes after stat ends the response, not the server.
    pipeline(createReadStream(file), res, () => undefined);
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '\u0000';
  }
}
