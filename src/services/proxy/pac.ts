import * as http from 'node:http';
import * as https from 'node:https';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CodedError } from '../../common/errors.js';
import { ProxyErrorCode } from '../../common/proxy/errors.js';

export const PAC_MAX_BYTES = 1024 * 1024;

export interface PacScript {
  readonly url: string;
  readonly text: string;
  readonly etag?: string;
}

/**
 * Loads PAC scripts directly (never through a proxy): http, https and file only, at most 1 MB, with a
 * deadline; remembers each script with its ETag and revalidates with If-None-Match. A script that
 * cannot be reloaded is served from the cache when one is there (`stale: true`).
 */
export class PacFetcher {
  private readonly cache = new Map<string, PacScript>();

  constructor(private readonly options: { timeoutMs?: number; maxBytes?: number; ca?: string } = {}) {}

  async fetch(pacUrl: string): Promise<PacScript & { stale?: boolean }> {
    let url: URL;
    try {
      url = new URL(pacUrl);
    } catch {
      throw new CodedError(ProxyErrorCode.pacUrlInvalid, { url: pacUrl });
    }
    const maxBytes = this.options.maxBytes ?? PAC_MAX_BYTES;
    if (url.protocol === 'file:') {
      const file = fileURLToPath(url);
      const s = await stat(file).catch((e: NodeJS.ErrnoException) => {
        throw new CodedError(ProxyErrorCode.pacFetchFailed, { url: pacUrl, reason: e.code ?? e.message });
      });
      if (s.size > maxBytes) throw new CodedError(ProxyErrorCode.pacTooLarge, { url: pacUrl, limit: maxBytes });
      return { url: pacUrl, text: await readFile(file, 'utf8') };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CodedError(ProxyErrorCode.pacUrlInvalid, { url: pacUrl });
    const cached = this.cache.get(pacUrl);
    try {
      const got = await this.get(url, cached?.etag, maxBytes);
      if (got === 'not-modified' && cached) return cached;
      if (got === 'not-modified') throw new CodedError(ProxyErrorCode.pacFetchFailed, { url: pacUrl, reason: 'HTTP 304 without a cached script' });
      const script: PacScript = { url: pacUrl, text: got.text, ...(got.etag ? { etag: got.etag } : {}) };
      this.cache.set(pacUrl, script);
      return script;
    } catch (e) {
      if (cached && !(e instanceof CodedError && e.code === ProxyErrorCode.pacTooLarge)) return { ...cached, stale: true };
      throw e;
    }
  }

  private get(url: URL, etag: string | undefined, maxBytes: number): Promise<{ text: string; etag?: string } | 'not-modified'> {
    const timeoutMs = this.options.timeoutMs ?? 5_000;
    const pacUrl = url.href;
    return new Promise((resolve, reject) => {
      const lib = url.protocol === 'https:' ? https : http;
      const fail = (reason: string): void => reject(new CodedError(ProxyErrorCode.pacFetchFailed, { url: pacUrl, reason }));
      const req = lib.request(
        url,
        {
          method: 'GET',
          agent: false,
          headers: etag ? { 'If-None-Match': etag } : {},
          ...(this.options.ca ? { ca: this.options.ca } : {}),
        },
        (res) => {
          if (res.statusCode === 304) {
            res.resume();
            clearTimeout(timer);
            resolve('not-modified');
            return;
          }
          if (res.statusCode !== 200) {
            res.resume();
            clearTimeout(timer);
            fail(`HTTP ${res.statusCode}`);
            return;
          }
          if (Number(res.headers['content-length'] ?? 0) > maxBytes) {
            req.destroy();
            clearTimeout(timer);
            reject(new CodedError(ProxyErrorCode.pacTooLarge, { url: pacUrl, limit: maxBytes }));
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > maxBytes) {
              req.destroy();
              clearTimeout(timer);
              reject(new CodedError(ProxyErrorCode.pacTooLarge, { url: pacUrl, limit: maxBytes }));
              return;
            }
            chunks.push(c);
          });
          res.on('end', () => {
            clearTimeout(timer);
            const tag = res.headers.etag;
            resolve({ text: Buffer.concat(chunks).toString('utf8'), ...(tag ? { etag: tag } : {}) });
          });
          res.on('error', (e) => fail(e.message));
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        fail(`no answer within ${timeoutMs / 1000} s`);
      }, timeoutMs);
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        fail(e.code ?? e.message);
      });
      req.end();
    });
  }
}

// The worker runs plain JavaScript (no TypeScript loader needed) and gets the module URLs from here.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let find;
const ready = (async () => {
  const { QuickJS } = await import(workerData.quickjsUrl);
  const { createPacResolver } = await import(workerData.pacResolverUrl);
  const qjs = await QuickJS.create({ wasm: workerData.wasm });
  find = createPacResolver(qjs, workerData.script);
})();
parentPort.on('message', async ({ id, url }) => {
  try {
    await ready;
    parentPort.postMessage({ id, result: String(await find(url)) });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  }
});
`;

let wasmModule: Promise<WebAssembly.Module> | undefined;
function quickjsWasm(): Promise<WebAssembly.Module> {
  wasmModule ??= readFile(fileURLToPath(import.meta.resolve('quickjs-wasi/quickjs.wasm'))).then((b) => WebAssembly.compile(b));
  return wasmModule;
}

/**
 * Evaluates a PAC script with pac-resolver (QuickJS sandbox) inside a worker thread, so that a script
 * that never returns (`while(true){}`) cannot freeze the service: past the deadline the worker is
 * terminated and the next call starts a fresh one.
 */
export class PacEvaluator {
  private worker: Worker | undefined;
  private script: string | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (s: string) => void; reject: (e: Error) => void }>();

  constructor(private readonly timeoutMs = 3_000) {}

  async findProxyForUrl(script: string, url: string): Promise<string> {
    const worker = await this.workerFor(script);
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.stop();
        reject(new CodedError(ProxyErrorCode.pacTimeout, { seconds: this.timeoutMs / 1000 }));
      }, this.timeoutMs);
      this.pending.set(id, {
        resolve: (s) => {
          clearTimeout(timer);
          resolve(s);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      worker.postMessage({ id, url });
    });
  }

  /** Ends the worker (and fails calls still waiting). */
  stop(): void {
    const w = this.worker;
    this.worker = undefined;
    this.script = undefined;
    for (const p of this.pending.values()) p.reject(new CodedError(ProxyErrorCode.pacInvalid, { reason: 'evaluation stopped' }));
    this.pending.clear();
    if (w) void w.terminate();
  }

  private async workerFor(script: string): Promise<Worker> {
    if (this.worker && this.script === script) return this.worker;
    this.stop();
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        script,
        wasm: await quickjsWasm(),
        quickjsUrl: import.meta.resolve('quickjs-wasi'),
        pacResolverUrl: import.meta.resolve('pac-resolver'),
      },
      resourceLimits: { maxOldGenerationSizeMb: 64 },
    });
    worker.unref();
    worker.on('message', (m: { id: number; result?: string; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error !== undefined) p.reject(new CodedError(ProxyErrorCode.pacInvalid, { reason: m.error }));
      else p.resolve(m.result ?? '');
    });
    worker.on('error', (e) => {
      for (const p of this.pending.values()) p.reject(new CodedError(ProxyErrorCode.pacInvalid, { reason: e.message }));
      this.pending.clear();
      if (this.worker === worker) this.worker = undefined;
    });
    this.worker = worker;
    this.script = script;
    return worker;
  }
}

/** "PROXY a:1; HTTPS b:2; SOCKS c:3; DIRECT" → ordered entries this product can use (SOCKS is skipped). */
export function parsePacResult(result: string): ({ kind: 'direct' } | { kind: 'proxy'; host: string; port: number })[] {
  const out: ({ kind: 'direct' } | { kind: 'proxy'; host: string; port: number })[] = [];
  for (const part of result.split(';')) {
    const [type, target] = part.trim().split(/\s+/, 2);
    const t = (type ?? '').toUpperCase();
    if (t === 'DIRECT') out.push({ kind: 'direct' });
    else if ((t === 'PROXY' || t === 'HTTP') && target) {
      const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(target) ?? /^([^:]+)(?::(\d+))?$/.exec(target);
      if (m) out.push({ kind: 'proxy', host: m[1]!, port: m[2] ? Number(m[2]) : 80 });
    }
  }
  return out;
}
