import { inject, injectable } from 'inversify';
import type { Observable } from 'rxjs';
import { toErrorInfo } from '../../common/errors.js';
import type { ConnectionState, UpdateState } from '../../common/remote-service/model.js';
import type { DaemonSession, DaemonTask } from '../daemon-task.js';
import { InstallPipeline } from './install-pipeline.js';
import type { JournalEntry, JournalStep } from './update-journal.js';
import { UpdateScheduler } from './update-scheduler.js';
import { UpdateStatus } from './update-status.js';
import { UpdaterSetup } from './updater-config.js';

/** What the local endpoint's POST actions call (SPEC F5: [Check now], [Install anyway], [Keep current license], [Retry]). */
export interface UpdateActions {
  checkNow(): void;
  /** Installs a license that waits for confirmation; throws `ors.update.not-pending` otherwise. */
  confirm(licenseId: string): Promise<void>;
  /** Tries a manual-pending or failed license again; throws `ors.update.not-pending` otherwise. */
  retry(licenseId: string): Promise<void>;
  /** [Keep current license]: declines a license that waits for confirmation (a `declined` receipt; not asked for again); throws `ors.update.not-pending` otherwise. */
  decline(licenseId: string): Promise<void>;
}

/**
 * The automatic license update (SPEC F5) inside the ORS service: a DaemonTask in which the
 * scheduler asks the back office for this installation's license and the install pipeline takes
 * each new one from verification to receipt. Pipeline work (deliveries, resumed work, receipts,
 * the administrator's actions) runs one at a time.
 */
@injectable()
export class LicenseUpdater implements UpdateActions {
  readonly task: DaemonTask = { name: 'license-update', run: (session, signal) => this.run(session, signal) };
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @inject(UpdaterSetup) private readonly setup: UpdaterSetup,
    @inject(UpdateScheduler) private readonly scheduler: UpdateScheduler,
    @inject(InstallPipeline) private readonly pipeline: InstallPipeline,
    @inject(UpdateStatus) private readonly status: UpdateStatus,
  ) {}

  get state$(): Observable<UpdateState> {
    return this.status.state$;
  }

  stateNow(): UpdateState {
    return this.status.value;
  }

  /** Opens the journal and removes temporary files of killed writes. */
  init(): Promise<void> {
    return this.pipeline.open();
  }

  close(): void {
    this.scheduler.close();
    this.pipeline.close();
  }

  checkNow(): void {
    this.scheduler.checkNow();
  }

  async confirm(licenseId: string): Promise<void> {
    await this.act(licenseId, ['awaiting-confirmation'], { step: 'confirmed', confirmed: true });
  }

  async retry(licenseId: string): Promise<void> {
    await this.act(licenseId, ['manual-pending', 'failed'], { step: 'downloaded' });
  }

  async decline(licenseId: string): Promise<void> {
    await this.exclusive(() => this.pipeline.decline(licenseId));
    this.setup.logger.info({ licenseId, step: 'declined' }, 'license update action');
    // The receipt goes out now if connected (else with the next session's).
    void this.exclusive(() => this.pipeline.continue(licenseId)).catch((err: unknown) =>
      this.setup.logger.warn({ licenseId, error: toErrorInfo(err) }, 'license update action failed'),
    );
  }

  /** The update state as the status shows it: stopped while the back office refuses the credentials. */
  static view(u: UpdateState, connection: ConnectionState): UpdateState {
    if (connection.kind === 'error' && connection.hop === 'login' && connection.nextCheck === undefined) {
      return { ...u, phase: 'stopped', stoppedBy: connection.error };
    }
    if (connection.kind !== 'connected' && connection.kind !== 'error' && u.phase !== 'idle') {
      const { stoppedBy: _s, nextCheck: _n, ...rest } = u;
      return { ...rest, phase: 'idle' };
    }
    return u;
  }

  private async act(licenseId: string, from: readonly JournalStep[], change: Partial<JournalEntry>): Promise<void> {
    const next = await this.pipeline.reopen(licenseId, from, change);
    this.setup.logger.info({ licenseId, step: next.step }, 'license update action');
    void this.exclusive(() => this.pipeline.continue(licenseId)).catch((err: unknown) =>
      this.setup.logger.warn({ licenseId, error: toErrorInfo(err) }, 'license update action failed'),
    );
  }

  private async run(session: DaemonSession, signal: AbortSignal): Promise<void> {
    this.pipeline.use(session);
    this.status.publish({ phase: 'waiting', stoppedBy: undefined });
    try {
      // After a restart: finish what a kill interrupted, then send the receipts not yet acknowledged.
      await this.exclusive(async () => {
        await this.pipeline.resume(signal);
        await this.pipeline.flushReceipts(session, signal);
      });
      await this.scheduler.run(session, signal, {
        delivered: (license) => this.exclusive(() => this.pipeline.delivered(license, signal)),
        afterCheck: () => this.exclusive(() => this.pipeline.flushReceipts(session, signal)),
      });
    } finally {
      this.pipeline.release(session);
      if (this.status.value.phase !== 'stopped') this.status.publish({ phase: 'idle', nextCheck: undefined });
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
