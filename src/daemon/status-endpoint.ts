import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { Observable, Subscription } from 'rxjs';
import type { OrsStatus } from '../common/remote-service/model.js';
import { writeFileAtomic } from '../services/fs/atomic-file.js';
import type { Logger } from '../services/log/logger.js';
import { isCodedError, toErrorInfo } from '../common/errors.js';
import type { UpdateActions } from './update/license-updater.js';
import { guardRequests, requestUrl } from '../services/http/server-guard.js';
import { mkdirPrivate } from '../services/fs/shared-modes.js';
import { ASSISTANCE_REPORT_KINDS, TEAMVIEWER_ID_PATTERN, type AssistanceReport } from '../common/backoffice/assistance.js';

/** The console's answers to the help desk's remote-assistance requests (issue 14). */
export interface AssistanceActions {
  report(requestId: string, report: AssistanceReport): void;
}

/** `<data-dir>/ors/endpoint.json` (0600): where the running daemon listens and the token to show. */
export interface EndpointFile {
  readonly url: string;
  readonly token: string;
  readonly pid: number;
}

export const ENDPOINT_FILE = 'endpoint.json';
const KEEPALIVE_MS = 15_000;
const MAX_STREAMS = 32;
const MAX_ACTION_BODY = 4 * 1024;
const LICENSE_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The daemon's local status endpoint: loopback HTTP on a free port, every request needs
 * `Authorization: Bearer <token>` from the 0600 endpoint file and a loopback Host header (no DNS
 * rebinding). GET /status → OrsStatus; GET /status/stream → server-sent events, the latest status
 * on connect and every change. POST /update/check-now, /update/confirm {licenseId},
 * /update/retry {licenseId}, /update/decline {licenseId} (JSON, same token) run the license
 * update's actions; 202 when accepted.
 * POST /assistance/report {requestId, kind, reason?, teamViewerId?} carries the administrator's
 * answer to a remote-assistance request to the back office; 202 when accepted, 409 when the request
 * is not open any more.
 */
export class StatusEndpoint {
  private readonly streams = new Set<ServerResponse>();
  private latest?: OrsStatus;
  private sub?: Subscription;
  private keepalive?: NodeJS.Timeout;

  private constructor(
    private readonly server: Server,
    private readonly token: string,
    readonly file: string,
    readonly url: string,
    private readonly actions?: UpdateActions,
    private readonly assistance?: AssistanceActions,
  ) {}

  static async start(o: { dir: string; status$: Observable<OrsStatus>; logger: Logger; actions?: UpdateActions; assistance?: AssistanceActions }): Promise<StatusEndpoint> {
    await mkdirPrivate(o.dir);
    const token = randomBytes(32).toString('base64url');
    const holder: { ep?: StatusEndpoint } = {};
    const server = createServer(guardRequests(o.logger, (req, res) => holder.ep?.handle(req, res)));
    server.headersTimeout = 10_000;
    server.requestTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const ep = new StatusEndpoint(server, token, path.join(o.dir, ENDPOINT_FILE), `http://127.0.0.1:${port}`, o.actions, o.assistance);
    holder.ep = ep;
    ep.sub = o.status$.subscribe((s) => ep.push(s));
    ep.keepalive = setInterval(() => {
      for (const r of ep.streams) r.write(': keep-alive\n\n');
    }, KEEPALIVE_MS);
    ep.keepalive.unref();
    const file: EndpointFile = { url: ep.url, token, pid: process.pid };
    await writeFileAtomic(ep.file, JSON.stringify(file) + '\n', { mode: 0o600 });
    o.logger.info({ url: ep.url }, 'status endpoint listening');
    return ep;
  }

  /** Ends every stream, stops listening and removes the endpoint file if it is still ours. */
  async close(): Promise<void> {
    this.sub?.unsubscribe();
    clearInterval(this.keepalive);
    for (const r of this.streams) r.end();
    this.streams.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    try {
      const f = JSON.parse(await readFile(this.file, 'utf8')) as EndpointFile;
      if (f.pid === process.pid) await rm(this.file, { force: true });
    } catch {
      // already gone or replaced
    }
  }

  private push(s: OrsStatus): void {
    this.latest = s;
    const frame = `data: ${JSON.stringify(s)}\n\n`;
    for (const r of this.streams) r.write(frame);
  }

  private authorised(req: IncomingMessage): boolean {
    const host = req.headers.host ?? '';
    if (host !== new URL(this.url).host) return false;
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!m) return false;
    const a = Buffer.from(m[1]!);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void | Promise<void> {
    const json = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (!this.authorised(req)) return json(401, { error: { code: 'ors.endpoint.unauthorised' } });
    const url = requestUrl(req, this.url);
    if (req.method === 'POST' && url.pathname.startsWith('/update/')) return this.action(req, url.pathname, json);
    if (req.method === 'POST' && url.pathname === '/assistance/report') return this.assistanceReport(req, json);
    if (req.method !== 'GET') return json(405, { error: { code: 'ors.endpoint.method-not-allowed' } });
    if (url.pathname === '/status') return json(200, this.latest ?? null);
    if (url.pathname === '/status/stream') {
      if (this.streams.size >= MAX_STREAMS) return json(503, { error: { code: 'ors.endpoint.busy' } });
      req.socket.setTimeout(0);
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.flushHeaders();
      this.streams.add(res);
      if (this.latest) res.write(`data: ${JSON.stringify(this.latest)}\n\n`);
      res.once('close', () => this.streams.delete(res));
      return;
    }
    json(404, { error: { code: 'ors.endpoint.not-found' } });
  }

  private async assistanceReport(req: IncomingMessage, json: (status: number, body: unknown) => void): Promise<void> {
    if (!this.assistance) return json(404, { error: { code: 'ors.endpoint.not-found' } });
    const parsed = assistanceReportOf(await readBody(req));
    if ('field' in parsed) return json(400, { error: { code: 'validation.invalid', params: { field: parsed.field, reason: 'see the endpoint' }, field: parsed.field } });
    try {
      this.assistance.report(parsed.requestId, parsed.report);
      json(202, { accepted: true });
    } catch (e) {
      json(isCodedError(e) ? 409 : 503, { error: toErrorInfo(e) });
    }
  }

  private async action(req: IncomingMessage, pathname: string, json: (status: number, body: unknown) => void): Promise<void> {
    const a = this.actions;
    const name = pathname.slice('/update/'.length);
    if (!a || !['check-now', 'confirm', 'retry', 'decline'].includes(name)) return json(404, { error: { code: 'ors.endpoint.not-found' } });
    let licenseId = '';
    if (name !== 'check-now') {
      const body = await readBody(req);
      const id = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['licenseId'] : undefined;
      if (typeof id !== 'string' || !LICENSE_ID.test(id)) return json(400, { error: { code: 'validation.invalid', params: { field: 'licenseId', reason: 'a license id' }, field: 'licenseId' } });
      licenseId = id;
    }
    try {
      if (name === 'check-now') a.checkNow();
      else if (name === 'confirm') await a.confirm(licenseId);
      else if (name === 'decline') await a.decline(licenseId);
      else await a.retry(licenseId);
      json(202, { accepted: true });
    } catch (e) {
      json(isCodedError(e) && e.code === 'ors.update.not-pending' ? 409 : 503, { error: toErrorInfo(e) });
    }
  }
}

const REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;
const REASON = /^[a-z0-9.-]{1,100}$/;

/** The body of POST /assistance/report, or the field that is wrong. */
function assistanceReportOf(body: unknown): { requestId: string; report: AssistanceReport } | { field: string } {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const { requestId, kind, reason, teamViewerId } = b;
  if (typeof requestId !== 'string' || !REQUEST_ID.test(requestId)) return { field: 'requestId' };
  if (typeof kind !== 'string' || !(ASSISTANCE_REPORT_KINDS as readonly string[]).includes(kind)) return { field: 'kind' };
  if (reason !== undefined && (typeof reason !== 'string' || !REASON.test(reason))) return { field: 'reason' };
  if (teamViewerId !== undefined && (typeof teamViewerId !== 'string' || !TEAMVIEWER_ID_PATTERN.test(teamViewerId))) return { field: 'teamViewerId' };
  return {
    requestId,
    report: { kind: kind as AssistanceReport['kind'], ...(typeof reason === 'string' ? { reason } : {}), ...(typeof teamViewerId === 'string' ? { teamViewerId } : {}) },
  };
}

/** A small JSON body, or undefined when it is missing, too large or not JSON. */
function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_ACTION_BODY) {
        req.removeAllListeners('data');
        resolve(undefined);
        return;
      }
      chunks.push(c);
    });
    req.once('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(undefined);
      }
    });
    req.once('error', () => resolve(undefined));
  });
}
