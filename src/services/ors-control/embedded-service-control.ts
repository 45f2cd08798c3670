import { spawn, type ChildProcess } from 'node:child_process';
import { BehaviorSubject, Subject, of, type Observable, type Subscription } from 'rxjs';
import type { ServiceState } from '../../common/remote-service/model.js';
import { Backoff } from '../../common/backoff.js';
import { defaultDaemonCommand, installCommandFor, type DaemonCommand } from './daemon-command.js';
import { daemonStatus$, endpointFileOf } from './daemon-endpoint-client.js';
import type { ServiceControl, ServiceHosting } from './service-control.js';

export interface EmbeddedServiceControlOptions {
  /** The console's data directory, handed to `ors daemon --data-dir`. */
  readonly dataDir: string;
  readonly command?: DaemonCommand;
  /** Extra arguments after `daemon --data-dir DIR` (e.g. --heartbeat-seconds). */
  readonly extraArgs?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Delays between restarts after crashes (default 0.5 s doubling to 30 s, full jitter). */
  readonly restartBackoff?: Backoff;
  /** A daemon that ran this long is considered healthy again: the back-off starts over. */
  readonly stableAfterMs?: number;
  /** How many of the daemon's last output lines are kept. */
  readonly logLines?: number;
  readonly stopTimeoutMs?: number;
  readonly endpointRetryMs?: number;
  /** The command that installs the service in the OS (default: for this machine and data folder). */
  readonly installCommand?: string;
}

/**
 * The default back-end: the console supervises `ors daemon` as its child process, restarts it
 * after a crash with back-off, keeps its last log lines and follows its status stream.
 */
export class EmbeddedServiceControl implements ServiceControl {
  readonly backend = 'embedded' as const;
  private readonly state = new BehaviorSubject<ServiceState>({ kind: 'stopped' });
  private readonly lines: string[] = [];
  private readonly lineSubject = new Subject<string>();
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private statusSub?: Subscription;
  private restartTimer?: NodeJS.Timeout;
  private wanted = false;
  private readonly backoff: Backoff;
  private readonly command: DaemonCommand;
  private startedAt = 0;

  constructor(private readonly o: EmbeddedServiceControlOptions) {
    this.backoff = o.restartBackoff ?? new Backoff({ baseMs: 500, maxMs: 30_000 });
    this.command = o.command ?? defaultDaemonCommand();
  }

  get state$(): Observable<ServiceState> {
    return this.state.asObservable();
  }

  /** The service lives and dies with this console: the notice and the command that changes that. */
  get hosting$(): Observable<ServiceHosting> {
    const installCommand = 'installCommand' in this.o ? this.o.installCommand : installCommandFor(this.o.dataDir, { command: this.command });
    return of({ backend: 'embedded', childOfConsole: true, ...(installCommand !== undefined ? { installCommand } : {}) });
  }

  /** Every output line of the daemon as it comes. */
  get log$(): Observable<string> {
    return this.lineSubject.asObservable();
  }

  /** The daemon's last output lines (its structured log, secrets already scrubbed by the daemon). */
  logs(): readonly string[] {
    return [...this.lines];
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    this.wanted = true;
    clearTimeout(this.restartTimer);
    if (this.child) return;
    this.backoff.reset();
    await this.spawnChild();
  }

  async stop(): Promise<void> {
    this.wanted = false;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) {
      if (this.state.value.kind !== 'stopped') this.state.next({ kind: 'stopped' });
      return;
    }
    this.state.next({ kind: 'stopping' });
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), this.o.stopTimeoutMs ?? 5_000);
    await this.exited;
    clearTimeout(kill);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.state.complete();
    this.lineSubject.complete();
  }

  private async spawnChild(): Promise<void> {
    this.state.next({ kind: 'starting' });
    const args = [...this.command.args, 'daemon', '--data-dir', this.o.dataDir, ...(this.o.extraArgs ?? [])];
    const child = spawn(this.command.command, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: this.o.env ?? process.env, windowsHide: true }); // ipc: the daemon ends with the console
    this.child = child;
    this.startedAt = Date.now();
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      this.onExit(child, code ?? signal);
      resolve();
    }));
    let pending = '';
    const onData = (c: Buffer): void => {
      pending += c.toString();
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const l of parts) this.keep(l);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const spawned = await new Promise<boolean>((resolve) => {
      child.once('spawn', () => resolve(true));
      child.once('error', (e) => {
        this.keep(`spawn failed: ${e.message}`);
        resolve(false);
      });
    });
    if (!spawned) return;
    this.statusSub = daemonStatus$(endpointFileOf(this.o.dataDir), { pid: () => child.pid, retryMs: this.o.endpointRetryMs ?? 200 }).subscribe((status) => {
      if (this.child !== child || this.state.value.kind === 'stopping') return;
      this.state.next(status ? { kind: 'running', ...(child.pid !== undefined ? { pid: child.pid } : {}), status } : { kind: 'starting' });
    });
  }

  private onExit(child: ChildProcess, exit: number | string | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.statusSub?.unsubscribe();
    this.statusSub = undefined;
    if (!this.wanted) {
      this.state.next({ kind: 'stopped' });
      return;
    }
    if (Date.now() - this.startedAt > (this.o.stableAfterMs ?? 30_000)) this.backoff.reset();
    const delay = this.backoff.next();
    this.keep(`ORS service exited unexpectedly (${String(exit)}); restarting in ${delay} ms`);
    this.state.next({ kind: 'crashed', exitCode: exit, restartAt: new Date(Date.now() + delay).toISOString() });
    this.restartTimer = setTimeout(() => {
      if (this.wanted && !this.child) void this.spawnChild();
    }, delay);
  }

  private keep(line: string): void {
    if (line.trim() === '') return;
    this.lines.push(line);
    const max = this.o.logLines ?? 200;
    if (this.lines.length > max) this.lines.splice(0, this.lines.length - max);
    this.lineSubject.next(line);
  }
}
