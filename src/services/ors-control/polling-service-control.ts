import { BehaviorSubject, Observable, type Subscription } from 'rxjs';
import { toErrorInfo } from '../../common/errors.js';
import type { OrsStatus, ServiceState } from '../../common/remote-service/model.js';
import { daemonStatus$, endpointFileOf } from './daemon-endpoint-client.js';

/** The OS's view of the service, before the daemon's own status is added. */
export type OsServiceState = Exclude<ServiceState, { kind: 'running' }> | { readonly kind: 'running'; readonly pid?: number };

/**
 * Shared part of the OS-managed back-ends (systemd, Windows SCM): polls the OS state and adds the
 * daemon's OrsStatus from its endpoint stream while the service runs.
 */
export abstract class PollingServiceControl {
  private readonly state = new BehaviorSubject<ServiceState>({ kind: 'stopped' });
  private os: OsServiceState = { kind: 'stopped' };
  private status?: OrsStatus;
  private timer?: NodeJS.Timeout;
  private statusSub?: Subscription;
  private watching = 0;

  constructor(
    private readonly dataDir: string,
    private readonly pollMs: number,
  ) {}

  /** The OS state plus the daemon's status; polls only while someone watches. */
  get state$(): Observable<ServiceState> {
    return new Observable<ServiceState>((subscriber) => {
      const sub = this.state.subscribe(subscriber);
      if (this.watching++ === 0) this.begin();
      return () => {
        sub.unsubscribe();
        if (--this.watching === 0) this.end();
      };
    });
  }

  protected abstract query(): Promise<OsServiceState>;

  /** Reads the OS state now and publishes it. */
  async refresh(): Promise<ServiceState> {
    try {
      this.os = await this.query();
    } catch (e) {
      this.os = { kind: 'unknown', error: toErrorInfo(e) };
    }
    this.publish();
    return this.state.value;
  }

  async dispose(): Promise<void> {
    clearTimeout(this.timer);
    this.statusSub?.unsubscribe();
    this.state.complete();
  }

  private begin(): void {
    const tick = async (): Promise<void> => {
      await this.refresh();
      if (this.watching > 0) this.timer = setTimeout(() => void tick(), this.pollMs);
    };
    void tick();
    this.statusSub = daemonStatus$(endpointFileOf(this.dataDir), { retryMs: this.pollMs }).subscribe((s) => {
      this.status = s;
      this.publish();
    });
  }

  private end(): void {
    clearTimeout(this.timer);
    this.statusSub?.unsubscribe();
    this.statusSub = undefined;
  }

  private publish(): void {
    const os = this.os;
    const next: ServiceState =
      os.kind === 'running' ? { ...os, ...(this.status && (os.pid === undefined || this.status.pid === os.pid) ? { status: this.status } : {}) } : os;
    if (JSON.stringify(next) !== JSON.stringify(this.state.value)) this.state.next(next);
  }
}
