import { inject, injectable } from 'inversify';
import { BackofficeErrorCode, type LicenseResponse } from '../../common/backoffice/api.js';
import { Backoff, sleep } from '../../common/backoff.js';
import { Clock } from '../../common/clock.js';
import { toErrorInfo } from '../../common/errors.js';
import { BackofficeError, classifyFailure } from '../../services/backoffice-client/backoffice-client.js';
import type { DaemonSession } from '../daemon-task.js';
import { UpdaterSetup, UpdaterTimings } from './updater-config.js';
import { UpdateStatus } from './update-status.js';

/** Long-polls that end before this share of their wait count as cut short (a proxy's idle timeout). */
const EARLY_SHARE = 0.8;
const EARLY_LIMIT = 3;
/** In plain-polling mode, try a long-poll again after this many polls (the proxy may have changed). */
const PROBE_AFTER_POLLS = 30;

/** What the scheduler hands on: each license the back office delivers, and a moment after every answer to send receipts. */
export interface CheckHandlers {
  delivered(license: LicenseResponse): Promise<void>;
  afterCheck(): Promise<void>;
}

/**
 * When the ORS service asks the back office for this installation's license: a long-poll with the
 * last ETag; plain polling once long-polls are seen to end early (a proxy cuts them), with a
 * long-poll probe now and then; back-off after failures (at least the server's Retry-After);
 * [Check now] ends the wait at once; refused credentials stop the loop (the connection loop waits
 * for new settings).
 */
@injectable()
export class UpdateScheduler {
  private wake?: AbortController;
  private checkNowPending = false;
  private readonly closing = new AbortController();
  private readonly backoff = new Backoff({ baseMs: 1_000, maxMs: 5 * 60_000 });
  private readonly random: () => number = Math.random;

  constructor(
    @inject(UpdaterSetup) private readonly setup: UpdaterSetup,
    @inject(UpdaterTimings) private readonly timings: UpdaterTimings,
    @inject(Clock) private readonly clock: Clock,
    @inject(UpdateStatus) private readonly status: UpdateStatus,
  ) {}

  checkNow(): void {
    this.checkNowPending = true;
    this.wake?.abort();
  }

  close(): void {
    this.closing.abort();
    this.wake?.abort();
  }

  /** Asks until `signal` aborts or the scheduler closes; throws when the back office refuses the credentials. */
  async run(session: DaemonSession, signal: AbortSignal, on: CheckHandlers): Promise<void> {
    const log = this.setup.logger;
    const pollMs = this.timings.pollMs ?? 60_000;
    let etag: string | undefined;
    let early = 0;
    let polling = false;
    let polls = 0;
    while (!signal.aborted) {
      const wake = new AbortController();
      this.wake = wake;
      const now = this.checkNowPending;
      this.checkNowPending = false;
      const both = AbortSignal.any([signal, wake.signal, this.closing.signal]);
      const wait = polling || etag === undefined || now ? 0 : this.waitSeconds();
      const t0 = this.clock.now();
      this.status.publish({ phase: 'waiting', nextCheck: wait > 0 ? this.iso(t0 + wait * 1000) : undefined });
      try {
        const answer = await session.client.currentLicense(session.serial, { ...(etag ? { etag } : {}), waitSeconds: wait, signal: both });
        this.backoff.reset();
        session.checked();
        this.status.publish({ lastCheck: this.iso() });
        etag = answer.etag;
        if (answer.kind === 'license') {
          early = 0;
          await on.delivered(answer.license);
        } else if (wait > 0 && !wake.signal.aborted) {
          early = this.clock.now() - t0 < wait * 1000 * EARLY_SHARE ? early + 1 : 0;
        }
        await on.afterCheck();
        if (!polling && early >= EARLY_LIMIT) {
          polling = true;
          polls = 0;
          log.warn({ early }, 'long-polls end early (a proxy cuts them): polling instead');
        }
        if (polling && answer.kind === 'unchanged' && !wake.signal.aborted) {
          if (++polls >= PROBE_AFTER_POLLS) {
            polling = false;
            early = 0;
            continue;
          }
          const d = Math.round(pollMs * (0.5 + this.random()));
          this.status.publish({ nextCheck: this.iso(this.clock.now() + d) });
          await sleep(d, both);
        }
      } catch (e) {
        if (signal.aborted || this.closing.signal.aborted) return;
        if (wake.signal.aborted) continue; // [Check now]
        if (e instanceof BackofficeError && e.code === BackofficeErrorCode.licenseNone) {
          etag = undefined;
          await sleep(pollMs, both);
          continue;
        }
        const cls = classifyFailure(e);
        if (cls.kind === 'auth') {
          this.status.publish({ phase: 'stopped', stoppedBy: toErrorInfo(e), nextCheck: undefined });
          throw e; // the connection loop waits for new settings
        }
        if (wait > 0 && this.clock.now() - t0 < wait * 1000 * EARLY_SHARE) early++;
        if (!polling && early >= EARLY_LIMIT) {
          polling = true;
          polls = 0;
          log.warn({ early }, 'long-polls fail early (a proxy cuts them): polling instead');
        }
        const d = this.backoff.next(cls.retryAfterMs);
        log.warn({ error: toErrorInfo(e), hop: cls.hop, retryInMs: d }, 'license check failed');
        this.status.publish({ phase: 'waiting', nextCheck: this.iso(this.clock.now() + d) });
        await sleep(d, both);
      }
    }
  }

  private waitSeconds(): number {
    return this.timings.waitSeconds ?? 55 + Math.floor(this.random() * 5);
  }

  private iso(t: number = this.clock.now()): string {
    return new Date(t).toISOString();
  }
}
