import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { startOrs, tempDir, type Started } from './processes.js';

export interface RunningBackoffice {
  /** `https://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** PEM of the local CA the server certificate chains to. */
  readonly caPem: string;
  readonly orgId: string;
  /** The demo verification code (a secret: do not print it in test output). */
  readonly code: string;
  readonly serial: string;
  readonly dataDir: string;
  /** Key id and PEM of the back office's license signing key (trust it in verifiers). */
  readonly kid: string;
  readonly publicKeyPem: string;
  readonly process: Started;
  /** Stops the server (SIGTERM, then SIGKILL) and removes the data dir unless it was given. */
  stop(): Promise<void>;
}

export interface StartBackofficeOptions {
  /** Reuse a data dir (kept on stop); default: a fresh temp dir, removed on stop. */
  readonly dataDir?: string;
  readonly port?: number;
  readonly extraArgs?: readonly string[];
}

/** Starts a real `ors backoffice serve --demo` child process on a free port with its own data dir. */
export async function startBackoffice(options: StartBackofficeOptions = {}): Promise<RunningBackoffice> {
  const temp = options.dataDir ? undefined : await tempDir('ors-backoffice-');
  const dataDir = options.dataDir ?? temp!.dir;
  let proc: Started;
  try {
    proc = await startOrs(
      ['backoffice', 'serve', '--demo', '--port', String(options.port ?? 0), '--data-dir', dataDir, ...(options.extraArgs ?? [])],
      { waitFor: /Back office listening on (https:\/\/127\.0\.0\.1:(\d+))/, env: { ...process.env, LC_ALL: 'C', ORS_LOG_LEVEL: 'warn' }, timeoutMs: 60_000 },
    );
  } catch (e) {
    await temp?.cleanup();
    throw e;
  }
  const out = proc.output();
  const pick = (re: RegExp): string => {
    const m = re.exec(out);
    if (!m) throw new Error(`backoffice output lacks ${re}`);
    return m[1]!;
  };
  const caPath = pick(/CA certificate \(trust this\): (\S+)/);
  const pubPath = pick(/License signing key \S+, public key: (\S+)/);
  return {
    url: proc.match[1]!,
    port: Number(proc.match[2]),
    caPem: await readFile(caPath, 'utf8'),
    orgId: pick(/Demo service organisation ID: (\S+)/),
    code: pick(/Demo verification code: (\S+)/),
    serial: pick(/Demo serial number: (\S+)/),
    dataDir,
    kid: pick(/License signing key (\S+),/),
    publicKeyPem: await readFile(pubPath, 'utf8'),
    process: proc,
    stop: async () => {
      await proc.stop();
      await temp?.cleanup();
    },
  };
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** Parsed JSON body, or undefined for an empty body. */
  readonly body: unknown;
}

/** One request to the back office (HTTPS trusting its CA, or plain HTTP); raw body allowed for hostile-input tests. */
export function apiRequest(
  bo: { readonly url: string; readonly caPem?: string },
  method: string,
  path: string,
  options: { token?: string; json?: unknown; raw?: string | Buffer; headers?: Record<string, string>; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ApiResponse> {
  const payload = options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  const headers: Record<string, string> = {
    ...(payload !== undefined && options.raw === undefined ? { 'Content-Type': 'application/json' } : {}),
    ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const url = new URL(path, bo.url);
    const req = (url.protocol === 'http:' ? httpRequest : httpsRequest)(
      url,
      { method, headers, ...(bo.caPem ? { ca: bo.caPem } : {}), timeout: options.timeoutMs ?? 10_000, agent: false, ...(options.signal ? { signal: options.signal } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${options.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Logs in with the demo organisation; returns the bearer token. */
export async function login(bo: RunningBackoffice): Promise<string> {
  const r = await apiRequest(bo, 'POST', '/v1/sessions', { json: { organisationId: bo.orgId, verificationCode: bo.code } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
  return (r.body as { token: string }).token;
}

/** The value of one unlabelled metric of the back office's /metrics (0 when absent). */
export async function metric(bo: { readonly url: string; readonly caPem?: string }, name: string): Promise<number> {
  const r = await apiRequest(bo, 'GET', '/metrics');
  if (r.status !== 200) throw new Error(`/metrics answered ${r.status}`);
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(r.text);
  return m ? Number(m[1]) : 0;
}

/**
 * Resolves once the back office holds at least `count` long-polls (its held-polls gauge): the
 * condition a wake-up test waits for instead of a sleep.
 */
export async function waitForHeldPolls(bo: { readonly url: string; readonly caPem?: string }, count: number, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await metric(bo, 'backoffice_long_polls_held')) < count) {
    if (Date.now() > until) throw new Error(`the back office did not hold ${count} long-polls within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
