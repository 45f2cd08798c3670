import { BehaviorSubject, switchMap, type Observable } from 'rxjs';
import type { ServiceState } from '../../common/remote-service/model.js';
import type { ServiceControl, ServiceControlBackend, ServiceHosting } from './service-control.js';

export interface AutoServiceControlOptions {
  /** Which back-end runs the service now: the OS service manager where it is installed there, else the console. */
  readonly detect: () => Promise<ServiceControlBackend>;
  readonly create: (backend: ServiceControlBackend) => ServiceControl;
  readonly initial: ServiceControlBackend;
  /** How often installation in the OS is looked for (default 3 s; a file check on Linux). */
  readonly detectMs?: number;
}

/**
 * The 'auto' setting: follows where the ORS service is installed while the console runs. When
 * `ors service install` registers it with the OS, the console's child is stopped and the OS
 * back-end takes over; when it is uninstalled, the console runs it as its child again. The state
 * and the hosting follow the current back-end.
 */
export class AutoServiceControl implements ServiceControl {
  private readonly current: BehaviorSubject<ServiceControl>;
  private timer?: NodeJS.Timeout;
  private stoppedByUser = false;
  private disposed = false;
  private switching: Promise<void> = Promise.resolve();

  constructor(private readonly o: AutoServiceControlOptions) {
    this.current = new BehaviorSubject(o.create(o.initial));
    this.schedule();
  }

  get backend(): ServiceControlBackend {
    return this.current.value.backend;
  }

  get state$(): Observable<ServiceState> {
    return this.current.pipe(switchMap((c) => c.state$));
  }

  get hosting$(): Observable<ServiceHosting> {
    return this.current.pipe(switchMap((c) => c.hosting$));
  }

  async start(): Promise<void> {
    this.stoppedByUser = false;
    await this.switching;
    await this.current.value.start();
  }

  async stop(): Promise<void> {
    this.stoppedByUser = true;
    await this.switching;
    await this.current.value.stop();
  }

  async restart(): Promise<void> {
    this.stoppedByUser = false;
    await this.switching;
    await this.current.value.restart();
  }

  /** Looks once for a change of back-end and switches (the timer calls this; tests may too). */
  check(): Promise<void> {
    this.switching = this.switching.then(async () => {
      if (this.disposed) return;
      const backend = await this.o.detect().catch(() => this.backend);
      if (backend === this.backend || this.disposed) return;
      const previous = this.current.value;
      const next = this.o.create(backend);
      // The console's child goes before the OS service is watched, so two never serve the same data folder for long.
      await previous.dispose();
      this.current.next(next);
      if (backend === 'embedded' && !this.stoppedByUser) await next.start().catch(() => undefined);
    });
    return this.switching;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.timer);
    await this.switching;
    await this.current.value.dispose();
    this.current.complete();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      void this.check().finally(() => {
        if (!this.disposed) this.schedule();
      });
    }, this.o.detectMs ?? 3_000);
    this.timer.unref();
  }
}
