import { request } from 'node:http';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Observable } from 'rxjs';
import type { ErrorInfo } from '../../common/errors.js';
import type { OrsStatus } from '../../common/remote-service/model.js';
import type { AssistanceReport } from '../../common/backoffice/assistance.js';

/** What `ors daemon` writes to `<data-dir>/ors/endpoint.json` (mode 0600). */
export interface DaemonEndpoint {
  readonly url: string;
  readonly token: string;
  readonly pid: number;
}

export function endpointFileOf(dataDir: string): string {
  return path.join(dataDir, 'ors', 'endpoint.json');
}

export async function readEndpointFile(file: string): Promise<DaemonEndpoint | undefined> {
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as Partial<DaemonEndpoint>;
    if (typeof v.url !== 'string' || typeof v.token !== 'string' || typeof v.pid !== 'number') return undefined;
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(v.url)) return undefined; // loopback only: the token goes nowhere else
    return v as DaemonEndpoint;
  } catch {
    return undefined;
  }
}

const MAX_FRAME = 256 * 1024;

export interface EndpointClientOptions {
  /** Delay between reconnection attempts (the daemon may be restarting). */
  readonly retryMs?: number;
  /** Only accept an endpoint of this process (the child just started). */
  readonly pid?: () => number | undefined;
  /** Deadline for connecting and receiving the response headers. */
  readonly connectTimeoutMs?: number;
}

/** GET /status once. */
export async function fetchDaemonStatus(file: string, timeoutMs = 3_000): Promise<OrsStatus | undefined> {
  const ep = await readEndpointFile(file);
  if (!ep) return undefined;
  return new Promise((resolve) => {
    const req = request(`${ep.url}/status`, { headers: { Authorization: `Bearer ${ep.token}` }, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
        if (body.length > MAX_FRAME) req.destroy();
      });
      res.on('end', () => {
        try {
          resolve(res.statusCode === 200 ? ((JSON.parse(body) as OrsStatus | null) ?? undefined) : undefined);
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** The license update's actions on the daemon's endpoint (issue 7). */
export type UpdateAction = 'check-now' | 'confirm' | 'retry' | 'decline';

/** accepted: the daemon runs it (watch the status for the outcome); otherwise why not (daemon-unreachable, not-pending…). */
export type UpdateActionResult = { readonly accepted: true } | { readonly accepted: false; readonly error: ErrorInfo };

/** POST /update/<action> with the endpoint's token; never throws. */
export function postUpdateAction(file: string, action: UpdateAction, licenseId?: string, timeoutMs = 5_000): Promise<UpdateActionResult> {
  return postToDaemon(file, `/update/${action}`, action === 'check-now' ? '' : JSON.stringify({ licenseId }), timeoutMs);
}

/** POST /assistance/report: the administrator's answer to a help desk's remote-assistance request (issue 14); never throws. */
export function postAssistanceReport(file: string, requestId: string, report: AssistanceReport, timeoutMs = 5_000): Promise<UpdateActionResult> {
  return postToDaemon(file, '/assistance/report', JSON.stringify({ requestId, ...report }), timeoutMs);
}

/** POST a JSON body to the daemon's endpoint with its token: 202 is accepted, anything else the daemon's error. */
async function postToDaemon(file: string, pathname: string, body: string, timeoutMs: number): Promise<UpdateActionResult> {
  const ep = await readEndpointFile(file);
  if (!ep) return { accepted: false, error: { code: 'ors.update.daemon-unreachable' } };
  return new Promise((resolve) => {
    const req = request(
      `${ep.url}${pathname}`,
      { method: 'POST', headers: { Authorization: `Bearer ${ep.token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }, timeout: timeoutMs },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
          if (text.length > MAX_FRAME) req.destroy();
        });
        res.on('end', () => {
          if (res.statusCode === 202) return resolve({ accepted: true });
          try {
            const e = (JSON.parse(text) as { error?: ErrorInfo }).error;
            resolve({ accepted: false, error: e && typeof e.code === 'string' ? e : { code: 'ors.update.daemon-unreachable' } });
          } catch {
            resolve({ accepted: false, error: { code: 'ors.update.daemon-unreachable' } });
          }
        });
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ accepted: false, error: { code: 'ors.update.daemon-unreachable' } }));
    req.end(body);
  });
}

/** [Check now]: the daemon asks the back office at once. */
export const updateCheckNow = (file: string): Promise<UpdateActionResult> => postUpdateAction(file, 'check-now');
/** [Install anyway]: installs a license that takes something away. */
export const updateConfirm = (file: string, licenseId: string): Promise<UpdateActionResult> => postUpdateAction(file, 'confirm', licenseId);
/** [Retry]: tries a manual-pending or failed license again. */
export const updateRetry = (file: string, licenseId: string): Promise<UpdateActionResult> => postUpdateAction(file, 'retry', licenseId);
/** [Keep current license]: declines a license that waits for confirmation. */
export const updateDecline = (file: string, licenseId: string): Promise<UpdateActionResult> => postUpdateAction(file, 'decline', licenseId);

/**
 * The daemon's status stream (server-sent events): emits every status the daemon publishes and
 * `undefined` while it cannot be reached; reconnects (re-reading the endpoint file, whose port and
 * token change on every start) until unsubscribed.
 */
export function daemonStatus$(file: string, o: EndpointClientOptions = {}): Observable<OrsStatus | undefined> {
  const retryMs = o.retryMs ?? 500;
  return new Observable<OrsStatus | undefined>((subscriber) => {
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    let current: ReturnType<typeof request> | undefined;
    let reachable: boolean | undefined;
    const down = (): void => {
      if (reachable !== false) subscriber.next(undefined);
      reachable = false;
    };
    const again = (): void => {
      current = undefined;
      if (closed) return;
      down();
      timer = setTimeout(connect, retryMs);
    };
    const connect = async (): Promise<void> => {
      if (closed) return;
      const ep = await readEndpointFile(file);
      const wanted = o.pid?.();
      if (closed) return;
      if (!ep || (wanted !== undefined && ep.pid !== wanted)) return again();
      const req = request(`${ep.url}/status/stream`, { headers: { Authorization: `Bearer ${ep.token}`, Accept: 'text/event-stream' } });
      current = req;
      const headerTimer = setTimeout(() => req.destroy(), o.connectTimeoutMs ?? 3_000);
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        clearTimeout(headerTimer);
        again();
      };
      req.on('response', (res) => {
        clearTimeout(headerTimer);
        if (res.statusCode !== 200) {
          res.resume();
          res.on('end', finish);
          return;
        }
        res.setEncoding('utf8');
        let buf = '';
        res.on('data', (chunk: string) => {
          buf += chunk;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const data = frame
              .split('\n')
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trimStart())
              .join('\n');
            if (!data) continue;
            try {
              reachable = true;
              subscriber.next(JSON.parse(data) as OrsStatus);
            } catch {
              req.destroy();
            }
          }
          if (buf.length > MAX_FRAME) req.destroy();
        });
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      });
      req.on('error', finish);
      req.end();
    };
    void connect();
    return () => {
      closed = true;
      clearTimeout(timer);
      current?.destroy();
    };
  });
}
