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
  /** How often a session whose first process has exited is checked for remaining processes (POSIX). */
  readonly groupPollMs?: number;
  readonly platform?: NodeJS.Platform;
}

/** One started TeamViewer: the process we spawned and, on POSIX, the process group it leads. */
interface Session {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly installation: TeamViewerInstallation;
  leaderExit?: { code: number | null; signal: NodeJS.Signals | null };
  readonly ended: Promise<void>;
  end(): void;
}

/**
 * Starts TeamViewer as a detached process with an argument array (never a shell) and follows it:
 * not-installed / ready → starting → running (pid, ID when known) → ended (exit code). Stop ends
 * only what it started itself: on POSIX the process group the detached child leads (Linux's
 * `teamviewer` is a script whose GUI outlives it), elsewhere the process.
 */
export class TeamViewerLauncher {
  private readonly subject = new BehaviorSubject<LaunchState>({ kind: 'not-installed' });
  readonly state$: Observable<LaunchState> = this.subject.asObservable();
  private session?: Session;
  private stopping = false;

  constructor(private readonly o: LauncherOptions = {}) {}

  get state(): LaunchState {
    return this.subject.value;
  }

  /** Whether something this launcher started is still running. */
  get active(): boolean {
    return this.session !== undefined;
  }

  private get posix(): boolean {
    return (this.o.platform ?? process.platform) !== 'win32';
  }

  /** Follows discovery while nothing runs. */
  setAvailability(a: TeamViewerAvailability): void {
    if (this.active || this.subject.value.kind === 'starting') return;
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
    if (this.session) throw new CodedError('remote-assistance.already-running', { pid: this.session.pid });
    if (this.subject.value.kind === 'starting') throw new CodedError('remote-assistance.already-running', { pid: '…' });
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
        resolve(this.fail(installation, e));
        return;
      }
      child.once('error', (e) => {
        // Only a failure to start counts here; later errors end in 'exit'.
        if (this.subject.value.kind === 'starting') resolve(this.fail(installation, e));
      });
      child.once('spawn', () => {
        let end!: () => void;
        const ended = new Promise<void>((r) => (end = r));
        const session: Session = { child, pid: child.pid!, installation, ended, end };
        this.session = session;
        const state: LaunchState = { kind: 'running', installation, pid: session.pid, startedAt: new Date().toISOString(), ...(installation.id ? { id: installation.id } : {}) };
        this.subject.next(state);
        resolve(state);
        child.once('exit', (code, signal) => this.leaderExited(session, code, signal));
        void this.pollId(session);
      });
      for (const stream of [child.stdout, child.stderr]) {
        if (!stream) continue;
        createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
          const id = idFromOutputLine(line.slice(0, 512));
          if (id && this.session?.child === child) this.setId(id);
        });
      }
    });
  }

  /** Ends what this launcher started, SIGKILL after the grace period; resolves with the ended state. */
  async stop(): Promise<LaunchState> {
    const session = this.session;
    if (!session) throw new CodedError('remote-assistance.not-running');
    this.stopping = true;
    this.signal(session, 'SIGTERM');
    if (!(await this.endsWithin(session, this.o.stopGraceMs ?? 5_000))) {
      this.signal(session, 'SIGKILL');
      await this.endsWithin(session, 2_000);
    }
    return this.subject.value;
  }

  private async endsWithin(session: Session, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([session.ended.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
    clearTimeout(timer);
    return ended;
  }

  /** Ends a session still running when the console shuts down (no session outlives its console unseen). */
  async dispose(): Promise<void> {
    if (this.active) await this.stop().catch(() => undefined);
    this.subject.complete();
  }

  private signal(session: Session, sig: NodeJS.Signals): void {
    try {
      // Detached: the child leads its own process group, so -pid reaches only what it started.
      if (this.posix) process.kill(-session.pid, sig);
      else if (!session.leaderExit) session.child.kill(sig);
    } catch {
      // Already gone.
    }
  }

  private groupAlive(pid: number): boolean {
    if (!this.posix) return false;
    try {
      process.kill(-pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  private leaderExited(session: Session, code: number | null, signal: NodeJS.Signals | null): void {
    session.leaderExit = { code, signal };
    if (!this.groupAlive(session.pid)) return this.finish(session);
    // The program we started handed over to processes of its own (e.g. Linux's teamviewer script):
    // the session runs until the last of them is gone.
    const timer = setInterval(() => {
      if (this.groupAlive(session.pid)) return;
      clearInterval(timer);
      this.finish(session);
    }, this.o.groupPollMs ?? 500);
  }

  private finish(session: Session): void {
    if (this.session !== session) return;
    this.session = undefined;
    const prev = this.subject.value;
    const id = prev.kind === 'running' ? prev.id : undefined;
    const exit = session.leaderExit ?? { code: null, signal: null };
    this.subject.next({
      kind: 'ended',
      installation: session.installation,
      pid: session.pid,
      exitCode: exit.code,
      ...(exit.signal ? { signal: exit.signal } : {}),
      stopped: this.stopping,
      ...(id ? { id } : {}),
    });
    session.end();
  }

  private fail(installation: TeamViewerInstallation, e: unknown): LaunchState {
    const reason = (e as NodeJS.ErrnoException)?.code ?? (e instanceof Error ? e.message : String(e));
    const state: LaunchState = { kind: 'failed', installation, error: { code: 'remote-assistance.spawn-failed', params: { path: installation.executable, reason } } };
    this.subject.next(state);
    return state;
  }

  private setId(id: string): void {
    const s = this.subject.value;
    if (s.kind !== 'running' || s.id === id) return;
    this.subject.next({ ...s, id });
  }

  private async pollId(session: Session): Promise<void> {
    const read = this.o.readId;
    if (!read) return;
    const deadline = Date.now() + (this.o.idDeadlineMs ?? 60_000);
    while (this.session === session && Date.now() < deadline) {
      const s = this.subject.value;
      if (s.kind === 'running' && s.id) return;
      const id = await read(session.installation).catch(() => undefined);
      if (id && this.session === session) return this.setId(id);
      await new Promise((r) => setTimeout(r, this.o.idPollMs ?? 1_000).unref());
    }
  }
}
