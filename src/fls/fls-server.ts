import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodedError } from '../common/errors.js';
import type { FlsStatus, SeatGrant } from '../common/license/fls-api.js';
import type { Logger } from '../services/log/logger.js';
import { guardRequests, requestUrl, type GuardLogger } from '../services/http/server-guard.js';
import type { LicenseVerifier } from '../services/license/signer.js';
import { LicenseWatcher } from './license-watcher.js';
import { SeatPool } from './seat-pool.js';

export interface FlsOptions {
  readonly folder: string;
  readonly verifier: LicenseVerifier;
  /** 0 = any free port. */
  readonly port?: number;
  readonly heartbeatTimeoutMs?: number;
  readonly rescanMs?: number;
  readonly logger?: Logger;
}

export interface RunningFls {
  readonly port: number;
  readonly url: string;
  readonly watcher: LicenseWatcher;
  close(): Promise<void>;
}

const MAX_BODY = 4096;
const STATUS: Record<string, number> = { 'fls.no-seat-free': 409, 'fls.unknown-seat': 404, 'fls.no-license': 404, 'fls.bad-request': 400, 'fls.not-found': 404 };

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new CodedError('fls.bad-request', { reason: 'body too large' });
    chunks.push(chunk);
  }
  try {
    const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new CodedError('fls.bad-request', { reason: 'body must be a JSON object' });
}

function stringField(body: Record<string, unknown>, field: string, required: boolean): string | undefined {
  const v = body[field];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > 200) throw new CodedError('fls.bad-request', { reason: `${field} must be a non-empty string` }, { field });
  return v;
}

/** The reference floating license server: serves the best valid license per serial from its folder. */
export async function startFls(options: FlsOptions): Promise<RunningFls> {
  const { logger } = options;
  const watcher = new LicenseWatcher(options.folder, options.verifier, { ...(options.rescanMs ? { rescanMs: options.rescanMs } : {}) });
  const seats = new SeatPool(options.heartbeatTimeoutMs ?? 60_000);
  let scannedAt = new Date();
  let lastReport = '';
  const sub = watcher.scan$.subscribe((scan) => {
    scannedAt = new Date();
    const report = JSON.stringify([scan.served.map((l) => [l.file, l.sha256]), scan.problems]);
    if (report !== lastReport) {
      lastReport = report;
      for (const l of scan.served) logger?.info({ file: l.file, serial: l.payload.serial, seq: l.payload.seq, users: l.payload.users }, 'serving license');
      for (const p of scan.problems) logger?.warn({ file: p.file, code: p.error.code, params: p.error.params }, 'license file ignored');
    }
  });
  await watcher.start();

  const servedFor = (serial: string | undefined) => {
    const served = watcher.current.served;
    const l = serial === undefined ? (served.length === 1 ? served[0] : undefined) : served.find((s) => s.payload.serial === serial);
    if (!l) throw new CodedError('fls.no-license', { serial: serial ?? '' });
    return l;
  };

  const status = (): FlsStatus => ({
    product: 'ors-fls',
    version: 1,
    licenses: watcher.current.served.map((l) => ({ file: l.file, kid: l.kid, sha256: l.sha256, payload: l.payload, seatsInUse: seats.inUse(l.payload.serial) })),
    problems: watcher.current.problems,
    scannedAt: scannedAt.toISOString(),
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    try {
      const url = requestUrl(req, 'http://127.0.0.1');
      const route = `${req.method} ${url.pathname}`;
      switch (route) {
        case 'GET /status':
          return send(200, status());
        case 'POST /seats/checkout': {
          const body = await readJson(req);
          const l = servedFor(stringField(body, 'serial', false));
          const seat = seats.checkout(l.payload.serial, stringField(body, 'client', true)!, l.payload.users);
          const grant: SeatGrant = { seatId: seat.seatId, serial: seat.serial, heartbeatTimeoutMs: seats.heartbeatTimeoutMs };
          return send(200, grant);
        }
        case 'POST /seats/heartbeat': {
          const seat = seats.heartbeat(stringField(await readJson(req), 'seatId', true)!);
          return send(200, { seatId: seat.seatId, serial: seat.serial, heartbeatTimeoutMs: seats.heartbeatTimeoutMs });
        }
        case 'POST /seats/release':
          seats.release(stringField(await readJson(req), 'seatId', true)!);
          return send(200, { released: true });
        default:
          throw new CodedError('fls.not-found', { path: url.pathname });
      }
    } catch (e) {
      if (e instanceof CodedError) return send(STATUS[e.code] ?? 400, e.toInfo());
      throw e; // the guard answers 500 with an incident id in the log
    }
  };

    const guardLog: GuardLogger = logger ?? { error: (o, m) => process.stderr.write(`${m} ${JSON.stringify(o)}\n`) };
  const server: Server = createServer(guardRequests(guardLog, handle));
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    watcher,
    close: async () => {
      sub.unsubscribe();
      watcher.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
