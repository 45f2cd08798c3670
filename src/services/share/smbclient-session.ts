import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CodedError } from '../../common/errors.js';
import { isIpv6 } from '../../common/unc.js';
import type { ShareCredentials, ShareLocation } from './share-client.js';
import type { RemoteFolderOps } from './install-steps.js';
import { type ShareCheck, shareError } from './share-errors.js';
import { authFileContent, commandError, connectError, quoteArg, type StatusContext } from './smbclient-output.js';

export interface SmbclientSessionOptions {
  readonly binary: string;
  readonly location: ShareLocation;
  readonly credentials: ShareCredentials;
  /** Deadline for everything done on this session, from spawning to quitting. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Names the whole call in timeout/cancel messages ("install", "test", …). */
  readonly operation: string;
}

/**
 * smbclient reads stdin with select() + fgets(): a second line already in its stdio buffer waits until
 * more bytes arrive on the pipe. So while a command runs we "kick" with empty lines (no-ops for
 * smbclient), which release the buffered `pwd` as soon as the command is done.
 */
/** `pwd` is local to smbclient and prints this at the start of a line: it marks the end of the previous command's output. */
const SENTINEL = /^Current directory is \\\\.*$/m;

interface Pending {
  resolve(output: string): void;
  reject(e: CodedError): void;
}

/**
 * One smbclient process, connected once and driven command by command over stdin, with `-E` so all of
 * its messages arrive unbuffered on stderr. Each command is followed by `pwd`; the output up to the
 * `pwd` line belongs to that command alone and is scanned for NT_STATUS codes (exit codes tell nothing).
 * The credentials live in a 0600 auth file in a private folder that `close()` removes.
 */
export class SmbclientSession implements RemoteFolderOps {
  private child!: ChildProcess;
  private buffer = '';
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: CodedError | undefined;
  private exited!: Promise<void>;
  private timer: NodeJS.Timeout | undefined;
  private onAbort: (() => void) | undefined;
  private localCounter = 0;
  readonly port: number;

  private constructor(
    private readonly options: SmbclientSessionOptions,
    private readonly dir: string,
  ) {
    this.port = options.location.port ?? 445;
  }

  /** Spawns smbclient and resolves once it is logged on and connected to the share. */
  static async open(options: SmbclientSessionOptions): Promise<SmbclientSession> {
    const { credentials } = options;
    // The auth file is line-based and smbclient drops leading blanks of a value: such secrets cannot pass.
    if (/[\r\n]/.test(credentials.username + credentials.password + (credentials.domain ?? '')) || /^\s/.test(credentials.password)) {
      throw new CodedError('share.invalid-credentials', { field: 'password' }, { field: 'password' });
    }
    if (options.signal?.aborted) throw shareError('share.cancelled', { host: options.location.host, operation: options.operation });
    const dir = await mkdtemp(path.join(tmpdir(), 'ors-smb-')); // 0700
    const session = new SmbclientSession(options, dir);
    try {
      await session.start();
      return session;
    } catch (e) {
      await session.close();
      throw e;
    }
  }

  private context(extra: Partial<StatusContext> = {}): StatusContext {
    const { host, share, folder } = this.options.location;
    return { host, port: this.port, share, folder, operation: this.options.operation, username: this.options.credentials.username, ...extra };
  }

  private async start(): Promise<void> {
    const { location, timeoutMs, signal } = this.options;
    const auth = path.join(this.dir, 'auth');
    await writeFile(auth, authFileContent(this.options.credentials), { mode: 0o600, flag: 'wx' });
    const host = isIpv6(location.host) ? `[${location.host}]` : location.host;
    const args = [`//${host}/${location.share}`, '-p', String(this.port), '-A', auth, '-E', '-t', String(Math.max(1, Math.ceil(timeoutMs / 1000)))];
    this.timer = setTimeout(
      () => this.fail(shareError('share.timeout', { host: location.host, operation: this.options.operation, seconds: Math.ceil(timeoutMs / 1000) })),
      timeoutMs,
    );
    if (signal) {
      this.onAbort = () => this.fail(shareError('share.cancelled', { host: location.host, operation: this.options.operation }));
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
    this.child = spawn(this.options.binary, args, { cwd: this.dir, env: { ...process.env, LC_ALL: 'C' }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.once('close', () => resolve()));
    const onData = (chunk: Buffer): void => {
      this.buffer += chunk.toString('utf8');
      this.drain();
    };
    this.child.stdout!.on('data', onData);
    this.child.stderr!.on('data', onData);
    this.child.stdin!.on('error', () => undefined); // EPIPE when smbclient quit early; 'close' reports why
    this.child.once('error', (e: NodeJS.ErrnoException) => {
      this.fail(
        e.code === 'ENOENT'
          ? shareError('share.smbclient-missing', { binary: this.options.binary })
          : shareError('share.failed', { operation: this.options.operation, status: e.code ?? e.message }),
      );
    });
    this.child.once('close', (code, sig) => {
      const output = this.buffer;
      this.fail(
        this.connected
          ? (commandError(output, this.context()) ??
              shareError('share.connection-lost', { host: location.host, operation: this.options.operation, status: `exit ${code ?? sig}` }))
          : connectError(output, this.context(), code ?? sig),
      );
    });
    await this.command('');
    this.connected = true;
  }

  private connected = false;

  private drain(): void {
    const m = SENTINEL.exec(this.buffer);
    if (!m || !this.pending) return;
    const output = this.buffer.slice(0, m.index);
    this.buffer = this.buffer.slice(m.index + m[0].length).replace(/^\r?\n/, '');
    const p = this.pending;
    this.pending = undefined;
    p.resolve(output);
  }

  private fail(e: CodedError): void {
    if (!this.failure) this.failure = e;
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    const p = this.pending;
    this.pending = undefined;
    p?.reject(this.failure);
  }

  /** Runs one smbclient command and returns its output (serialised; one command at a time). */
  command(line: string): Promise<string> {
    const run = (): Promise<string> =>
      new Promise<string>((resolve, reject) => {
        if (this.failure) return reject(this.failure);
        let kicks = 0;
        let kicker: NodeJS.Timeout | undefined;
        const kick = (): void => {
          if (this.pending !== pending || !this.child.stdin!.writable) return;
          this.child.stdin!.write('\n');
          kicks++;
          kicker = setTimeout(kick, kicks < 50 ? 1 : kicks < 200 ? 5 : 25);
        };
        const pending: Pending = {
          resolve: (out) => (clearTimeout(kicker), resolve(out)),
          reject: (e) => (clearTimeout(kicker), reject(e)),
        };
        this.pending = pending;
        this.child.stdin!.write(line ? `${line}\npwd\n` : 'pwd\n');
        kicker = setTimeout(kick, 1);
        this.drain();
      });
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs a command and throws the typed error its output shows. */
  async checked(line: string, remotePath: string, check?: ShareCheck): Promise<string> {
    const output = await this.command(line);
    const e = commandError(output, this.context({ path: remotePath }), check);
    if (e) throw e;
    return output;
  }

  private localFile(): string {
    return path.join(this.dir, `f${++this.localCounter}`);
  }

  async put(data: Uint8Array, name: string): Promise<void> {
    const local = this.localFile();
    await writeFile(local, data, { mode: 0o600 });
    try {
      await this.checked(`put ${quoteArg(local)} ${quoteArg(name)}`, name, 'write');
    } finally {
      await rm(local, { force: true });
    }
  }

  async get(name: string, maxBytes = Number.MAX_SAFE_INTEGER): Promise<Uint8Array> {
    const local = this.localFile();
    try {
      await this.checked(`get ${quoteArg(name)} ${quoteArg(local)}`, name);
      const size = (await stat(local)).size;
      if (size > maxBytes) throw shareError('share.too-large', { name, limit: maxBytes });
      return new Uint8Array(await readFile(local));
    } finally {
      await rm(local, { force: true });
    }
  }

  async hardlink(existing: string, link: string): Promise<void> {
    await this.checked(`hardlink ${quoteArg(existing)} ${quoteArg(link)}`, existing);
  }

  async rename(from: string, to: string): Promise<void> {
    await this.checked(`rename ${quoteArg(from)} ${quoteArg(to)} -f`, to);
  }

  async del(name: string): Promise<void> {
    await this.checked(`del ${quoteArg(name)}`, name);
  }

  async cd(folder: string): Promise<void> {
    if (!folder) return;
    const remote = folder.split('/').join('\\');
    const output = await this.command(`cd ${quoteArg(remote)}`);
    const e = commandError(output, this.context({ path: folder }), 'folder');
    if (e?.code === 'share.no-such-file') throw shareError('share.no-such-folder', { folder, share: this.options.location.share, check: 'folder' });
    if (e) throw e;
  }

  /** Creates a sub-folder of the current one; an existing one is fine. */
  async mkdirIfMissing(name: string): Promise<void> {
    const output = await this.command(`mkdir ${quoteArg(name)}`);
    if (/NT_STATUS_OBJECT_NAME_COLLISION/.test(output)) return;
    const e = commandError(output, this.context({ path: name }), 'write');
    if (e) throw e;
  }

  async ls(): Promise<string> {
    return this.checked('ls', this.options.location.folder);
  }

  /** Quits smbclient (killing it if it lingers) and removes the private folder with the auth file. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    if (this.onAbort) this.options.signal?.removeEventListener('abort', this.onAbort);
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.failure ??= shareError('share.cancelled', { host: this.options.location.host, operation: this.options.operation });
      this.child.stdin!.end('quit\n');
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 2_000);
      await this.exited;
      clearTimeout(killer);
    } else if (this.child) {
      await this.exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
