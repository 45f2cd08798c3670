import { injectable } from 'inversify';
import { promises as fs } from 'node:fs';
import { CodedError } from '../../common/errors.js';
import { formatUnc, validateShareFileName } from '../../common/unc.js';
import type { ShareCallOptions, ShareClient, ShareCredentials, ShareEntry, ShareLocation } from './share-client.js';
import { installAtomically, type RemoteFolderOps } from './install-steps.js';
import { SHARING_VIOLATION_RETRY, type RetryPolicy } from './retry.js';
import { type ShareCheck, shareError } from './share-errors.js';

/** The few file-system calls the UNC client needs; `node:fs` on Windows, a fake in tests. */
export interface UncFs {
  readFile(path: string): Promise<Uint8Array>;
  /** Writes and flushes a new file (fails if it exists). */
  writeNewFile(path: string, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, link: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readdir(path: string): Promise<{ name: string; size: number; isFile: boolean }[]>;
  /** Resolves for a folder, rejects otherwise. */
  statDir(path: string): Promise<void>;
  /** Creates a folder; an existing one is fine. */
  mkdir(path: string): Promise<void>;
}

export const nodeUncFs: UncFs = {
  readFile: async (p) => new Uint8Array(await fs.readFile(p)),
  mkdir: async (p) => void (await fs.mkdir(p, { recursive: true })),
  writeNewFile: async (p, data) => {
    const h = await fs.open(p, 'wx');
    try {
      await h.writeFile(data);
      await h.sync();
    } finally {
      await h.close();
    }
  },
  rename: (a, b) => fs.rename(a, b), // MoveFileEx with MOVEFILE_REPLACE_EXISTING on Windows
  link: (a, b) => fs.link(a, b),
  unlink: (p) => fs.unlink(p),
  readdir: async (p) => {
    const entries = await fs.readdir(p, { withFileTypes: true });
    return Promise.all(
      entries.map(async (e) => ({ name: e.name, isFile: e.isFile(), size: e.isFile() ? (await fs.stat(`${p}\\${e.name}`)).size : 0 })),
    );
  },
  statDir: async (p) => {
    if (!(await fs.stat(p)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  },
};

/** The UNC path of the share root, the license folder, or a file in it; Windows reaches SMB only on port 445. */
export function uncPathOf(location: ShareLocation, name?: string): string {
  if (location.port !== undefined && location.port !== 445) {
    throw new CodedError('share.port-unsupported', { port: location.port, field: 'port' }, { field: 'port' });
  }
  const folder = formatUnc(location);
  return name === undefined ? folder : `${folder}\\${validateShareFileName(name)}`;
}

/**
 * Maps a Node fs error on a UNC path to a share error. libuv turns most Windows network errors into
 * ENOENT (bad net name/path) or EACCES/EPERM; ERROR_SHARING_VIOLATION arrives as EBUSY.
 */
export function uncError(e: unknown, location: ShareLocation, step: { operation: string; path: string; check?: ShareCheck; notFound?: 'share' | 'folder' | 'file' }): CodedError {
  if (e instanceof CodedError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
  const { host, share, folder } = location;
  const tag: Record<string, string> = step.check ? { check: step.check } : {};
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      if (step.notFound === 'share') return shareError('share.no-such-share', { host, share, status: code, check: 'share' });
      if (step.notFound === 'folder') return shareError('share.no-such-folder', { share, folder, status: code, check: 'folder' });
      return shareError('share.no-such-file', { name: step.path, status: code, ...tag });
    case 'EACCES':
    case 'EPERM':
      return shareError('share.access-denied', { host, share, path: step.path, status: code, ...tag });
    case 'EBUSY':
      return shareError('share.sharing-violation', { path: step.path, status: code, attempts: 1, ...tag });
    case 'ENOSPC':
    case 'EDQUOT':
      return shareError('share.disk-full', { share, status: code, ...tag });
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'EHOSTDOWN':
      return shareError('share.host-unreachable', { host, port: 445, status: code, check: 'host' });
    default:
      return shareError('share.failed', { operation: step.operation, status: code, ...tag });
  }
}

/** Resolves or rejects with `p`, or rejects with share.timeout / share.cancelled first (the fs call itself cannot be stopped). */
function bounded<T>(p: Promise<T>, location: ShareLocation, operation: string, deadline: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const ms = Math.max(0, deadline - Date.now());
    const timer = setTimeout(() => reject(shareError('share.timeout', { host: location.host, operation, seconds: Math.ceil(ms / 1000) })), ms);
    const onAbort = () => reject(shareError('share.cancelled', { host: location.host, operation }));
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

export interface UncShareClientOptions {
  readonly fs?: UncFs;
  readonly defaultTimeoutMs?: number;
  readonly retry?: RetryPolicy;
}

/**
 * ShareClient for Windows: the OS's own SMB client through UNC paths. The service account's
 * Windows credentials apply; the `credentials` argument is not used (Windows keeps one logon per
 * server and user, managed outside this process).
 */
@injectable()
export class UncShareClient implements ShareClient {
  private readonly fs: UncFs;
  private readonly defaultTimeoutMs: number;
  private readonly retry: RetryPolicy;

  constructor(options: UncShareClientOptions = {}) {
    this.fs = options.fs ?? nodeUncFs;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
    this.retry = options.retry ?? SHARING_VIOLATION_RETRY;
  }

  private ops(location: ShareLocation, operation: string, options: ShareCallOptions): RemoteFolderOps & { deadline: number } {
    const deadline = Date.now() + (options.timeoutMs ?? this.defaultTimeoutMs);
    const call = <T>(p: () => Promise<T>, path: string, check?: ShareCheck): Promise<T> =>
      bounded(
        p().catch((e: unknown) => {
          throw uncError(e, location, { operation, path, ...(check ? { check } : {}) });
        }),
        location,
        operation,
        deadline,
        options.signal,
      );
    const at = (name: string) => uncPathOf(location, name);
    return {
      deadline,
      put: (data, name) => call(() => this.fs.writeNewFile(at(name), data), name, 'write'),
      get: (name) => call(() => this.fs.readFile(at(name)), name),
      hardlink: (a, b) => call(() => this.fs.link(at(a), at(b)), a),
      rename: (a, b) => call(() => this.fs.rename(at(a), at(b)), b),
      del: (name) => call(() => this.fs.unlink(at(name)), name),
    };
  }

  /** Share (root reachable), folder, write; host and logon failures surface on the first step. */
  async test(location: ShareLocation, _credentials: ShareCredentials, options: ShareCallOptions = {}): Promise<void> {
    const ops = this.ops(location, 'test', options);
    const root = uncPathOf({ ...location, folder: '' });
    const step = (p: Promise<void>, path: string, notFound: 'share' | 'folder') =>
      bounded(
        p.catch((e: unknown) => {
          throw uncError(e, location, { operation: 'test', path, notFound, check: notFound });
        }),
        location,
        'test',
        ops.deadline,
        options.signal,
      );
    await step(this.fs.statDir(root), root, 'share');
    await step(this.fs.statDir(uncPathOf(location)), location.folder, 'folder');
    const probe = `.ors-write-test-${Date.now().toString(36)}`;
    await ops.put(new TextEncoder().encode('ORS write test\n'), probe);
    await ops.del(probe);
  }

  async list(location: ShareLocation, _credentials: ShareCredentials, options: ShareCallOptions = {}): Promise<ShareEntry[]> {
    const deadline = Date.now() + (options.timeoutMs ?? this.defaultTimeoutMs);
    const dir = uncPathOf(location);
    const entries = await bounded(
      this.fs.readdir(dir).catch((e: unknown) => {
        throw uncError(e, location, { operation: 'list', path: location.folder, notFound: 'folder' });
      }),
      location,
      'list',
      deadline,
      options.signal,
    );
    return entries.filter((e) => e.isFile).map(({ name, size }) => ({ name, size }));
  }

  read(location: ShareLocation, _credentials: ShareCredentials, name: string, options: ShareCallOptions = {}): Promise<Uint8Array> {
    return this.ops(location, 'read', options).get(name);
  }

  async install(location: ShareLocation, _credentials: ShareCredentials, name: string, data: Uint8Array, options: ShareCallOptions = {}): Promise<string> {
    if (options.createFolder) await this.fs.mkdir(uncPathOf(location)).catch((e: unknown) => {
      throw uncError(e, location, { operation: 'install', path: location.folder, check: 'write' });
    });
    return installAtomically(this.ops(location, 'install', options), name, data, {
      retry: this.retry,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  async remove(location: ShareLocation, _credentials: ShareCredentials, name: string, options: ShareCallOptions = {}): Promise<void> {
    validateShareFileName(name);
    await this.ops(location, 'remove', options).del(name);
  }
}
