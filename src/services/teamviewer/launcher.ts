import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { BehaviorSubject, type Observable } from 'rxjs';
import { CodedError } from '../../common/errors.js';
import type { LaunchState, TeamViewerAvailability, TeamViewerInstallation } from '../../common/remote-assistance/model.js';
import { idFromOutputLine } from './linux-info.js';

export type SpawnFunction = (file: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface LauncherOptions {
  /** Injected for tests that record the argv; the real `child_process.spawn` otherwise. */
  readonly spawn?: SpawnFunction;
  /** Reads the TeamViewer ID while it runs (registry / `teamviewer info`), until found or the deadline. */
  readonly readId?: (installation: TeamViewerInstallation) => Promise<string | undefined>;
  readonly idPollMs?: number;
  readonly idDeadlineMs?: number;
  /** How long Stop waits after SIGTERM before it kills. */
  readonly stopGraceMs?: number;
  readonly platform?: NodeJS.Platform;
}

/**
 * Starts TeamViewer as a detached process with an argument array (never a shell) and follows it:
 * not-installed / ready → starting → running (pid, ID when known) → ended (exit code). Stop ends
 * only the process (group) it started itself.
 */
export class TeamViewerLauncher {
  private readonly subject = new BehaviorSubject<LaunchState>({ kind: 'not-installed' });
  readonly state$: Observable<LaunchState> = this.subject.asObservable();
  private child?: ChildProcess;
  private stopping = false;
  private exited?: Promise<void>;

  constructor(private readonly o: LauncherOptions = {}) {}

  get state(): LaunchState {
    return this.subject.value;
  }

  /** Whether a process this launcher started is alive. */
  get active(): boolean {
    return this.child !== undefined;
  }

  /** Follows discovery while nothing runs. */
  setAvailability(a: TeamViewerAvailability): void {
    if (this.active) return;
    const s = this.subject.value;
    if (a.kind === 'available') {
      // Keep the last session's end (or failure) visible; only its installation is refreshed.
      if (s.kind === 'ended' || s.kind === 'failed') this.subject.next({ ...s, installation: a.installation });
      else this.subject.next({ kind: 'ready', installation: a.installation });
    } else if (a.kind === 'not-found') {
      this.subject.next({ kind: 'not-installed' });
    }
  }

  /** Starts TeamViewer; resolves once it runs (with its pid) or failed to start. */
  start(installation: TeamViewerInstallation, args: readonly string[] = []): Promise<LaunchState> {
    if (this.child?.pid !== undefined) throw new CodedError('remote-assistance.already-running', { pid: this.child.pid });
    this.subject.next({ kind: 'starting', installation });
    this.stopping = false;
    const spawn = this.o.spawn ?? (nodeSpawn as SpawnFunction);
    return new Promise<LaunchState>((resolve) => {
      let child: ChildProcess;
      try {
        child = spawn(installation.executable, [...args], {
          shell: false,
          detached: true,
          windowsHide: false,
          cwd: path.dirname(installation.executable),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      } catch (e) {
        const state = this.fail(installation, e);
        resolve(state);
        return;
      }
      this.child = child;
      let done!: () => void;
      this.exited = new Promise((r) => (done = r));
      child.once('error', (e) => {
        if (child.pid === undefined || this.subject.value.kind === 'starting') {
          this.child = undefined;
          done();
          resolve(this.fail(installation, e));
        }
      });
      child.once('spawn', () => {
        const state: LaunchState = { kind: 'running', installation, pid: child.pid!, startedAt: new Date().toISOString(), ...(installation.id ? { id: installation.id } : {}) };
        this.subject.next(state);
        resolve(state);
        void this.pollId(child, installation);
      });
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = undefined;
        const prev = this.subject.value;
        const id = prev.kind === 'running' ? prev.id : undefined;
        this.subject.next({
          kind: 'ended',
          installation,
          ...(child.pid !== undefined ? { pid: child.pid } : {}),
          exitCode: code,
          ...(signal ? { signal } : {}),
          stopped: this.stopping,
          ...(id ? { id } : {}),
        });
        done();
      });
      for (const stream of [child.stdout, child.stderr]) {
        if (!stream) continue;
        createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
          const id = idFromOutputLine(line.slice(0, 512));
          if (id) this.setId(child, id);
        });
      }
    });
  }

  /** Ends the process this launcher started (its process group on POSIX), SIGKILL after the grace period. */
  async stop(): Promise<LaunchState> {
    const child = this.child;
    if (!child || child.pid === undefined) throw new CodedError('remote-assistance.not-running');
    this.stopping = true;
    const pid = child.pid;
    const posix = (this.o.platform ?? process.platform) !== 'win32';
    const signal = (sig: NodeJS.Signals): void => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        // Detached: the child leads its own process group, so -pid reaches only what it started.
        if (posix) process.kill(-pid, sig);
        else child.kill(sig);
      } catch {
        child.kill(sig);
      }
    };
    signal('SIGTERM');
    const grace = this.o.stopGraceMs ?? 5_000;
    const timedOut = await Promise.race([this.exited!.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), grace).unref())]);
    if (timedOut) {
      signal('SIGKILL');
      await Promise.race([this.exited!, new Promise((r) => setTimeout(r, 2_000).unref())]);
    }
    return this.subject.value;
  }

  /** Ends a session still running when the console shuts down (no session outlives its console unseen). */
  async dispose(): Promise<void> {
    if (this.active) await this.stop().catch(() => undefined);
    this.subject.complete();
  }

  private fail(installation: TeamViewerInstallation, e: unknown): LaunchState {
    const reason = (e as NodeJS.ErrnoException)?.code ?? (e instanceof Error ? e.message : String(e));
    const state: LaunchState = { kind: 'failed', installation, error: { code: 'remote-assistance.spawn-failed', params: { path: installation.executable, reason } } };
    this.subject.next(state);
    return state;
  }

  private setId(child: ChildProcess, id: string): void {
    const s = this.subject.value;
    if (this.child !== child || s.kind !== 'running' || s.id === id) return;
    this.subject.next({ ...s, id });
  }

  private async pollId(child: ChildProcess, installation: TeamViewerInstallation): Promise<void> {
    const read = this.o.readId;
    if (!read) return;
    const deadline = Date.now() + (this.o.idDeadlineMs ?? 60_000);
    while (this.child === child && Date.now() < deadline) {
      const s = this.subject.value;
      if (s.kind === 'running' && s.id) return;
      const id = await read(installation).catch(() => undefined);
      if (id) return this.setId(child, id);
      await new Promise((r) => setTimeout(r, this.o.idPollMs ?? 1_000).unref());
    }
  }
}
