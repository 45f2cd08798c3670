import { BehaviorSubject, type Observable } from 'rxjs';
import { Backoff, sleep } from '../../common/backoff.js';
import { applyAssistanceReport, assistanceStateAt, type AssistanceReport, type AssistanceRequest } from '../../common/backoffice/assistance.js';
import { CodedError, toErrorInfo } from '../../common/errors.js';
import { refusalFromSettings } from '../../common/remote-assistance/requests.js';
import type { RemoteServiceSettings } from '../../common/remote-service/model.js';
import { BackofficeError } from '../../services/backoffice-client/backoffice-client.js';
import type { Logger } from '../../services/log/logger.js';
import type { DaemonSession, DaemonTask } from '../daemon-task.js';

/** How long each long-poll for a request is held (the back office clamps to 60 s). */
const WAIT_SECONDS = 55;
/** A long-poll answered "unchanged" sooner than this was cut (by a proxy): poll at this pace instead. */
const EARLY_MS = 5_000;
const POLL_MS = 30_000;

export interface AssistanceChannelOptions {
  readonly logger: Logger;
  /** The saved Remote Service settings now (whether remote assistance is allowed here). */
  readonly settings: () => RemoteServiceSettings | undefined;
  readonly now?: () => number;
  readonly backoff?: Backoff;
}

interface Outgoing {
  readonly requestId: string;
  readonly report: AssistanceReport;
}

/**
 * The remote-assistance request channel of the ORS service (issue 14): a long-poll beside the
 * license's on the connection the service already holds (no inbound port at the customer). A new
 * request is refused at once when the saved settings do not allow remote assistance (the technician
 * sees why), otherwise acknowledged as delivered and published in the status for the console, which
 * shows the administrator [Start remote assistance] / [Decline]. The console's answers come back
 * through `report` and are sent on, again after a reconnect.
 */
export class AssistanceChannel {
  private readonly current = new BehaviorSubject<AssistanceRequest | undefined>(undefined);
  private readonly outbox: Outgoing[] = [];
  private session?: DaemonSession;
  private sending?: Promise<void>;
  private readonly now: () => number;
  private readonly backoff: Backoff;
  private readonly sendBackoff = new Backoff({ baseMs: 1_000, maxMs: 60_000 });
  private readonly closing = new AbortController();

  readonly task: DaemonTask = { name: 'assistance', run: (session, signal) => this.run(session, signal) };

  constructor(private readonly o: AssistanceChannelOptions) {
    this.now = o.now ?? Date.now;
    this.backoff = o.backoff ?? new Backoff({ baseMs: 1_000, maxMs: 60_000 });
  }

  /** The installation's current request as last seen (with this side's answers applied at once). */
  get request$(): Observable<AssistanceRequest | undefined> {
    return this.current.asObservable();
  }

  /**
   * The console's answer to a request (declined, started with the TeamViewer ID, ended, failed,
   * not-allowed). Refused when it is not the current request or the request is past that point.
   */
  report(requestId: string, report: AssistanceReport): void {
    const cur = this.current.value;
    if (!cur || cur.id !== requestId) throw new CodedError('remote-assistance.request.unknown', { id: requestId.slice(0, 64) });
    const next = applyAssistanceReport(assistanceStateAt(cur, this.now()), report.kind);
    if (next === 'refused') throw new CodedError('remote-assistance.request.closed', { state: { code: `backoffice.assistance.state.${assistanceStateAt(cur, this.now())}` } });
    this.current.next({
      ...cur,
      state: next,
      updatedAt: new Date(this.now()).toISOString(),
      ...(report.teamViewerId ? { teamViewerId: report.teamViewerId } : {}),
      ...(report.reason ? { reason: report.reason } : {}),
    });
    this.outbox.push({ requestId, report });
    this.o.logger.info({ request: requestId, report: report.kind }, 'remote assistance: answer to the help desk');
    void this.flush();
  }

  /** Stops sending (the service is stopping); what was not sent is lost with the process. */
  close(): void {
    this.closing.abort();
    this.current.complete();
  }

  private async run(session: DaemonSession, signal: AbortSignal): Promise<void> {
    this.session = session;
    let etag: string | undefined;
    try {
      await this.flush();
      while (!signal.aborted) {
        const t0 = this.now();
        try {
          const a = await session.client.assistance(session.serial, { ...(etag ? { etag } : {}), waitSeconds: etag ? WAIT_SECONDS : 0, signal });
          this.backoff.reset();
          etag = a.etag || undefined;
          if (a.kind === 'request') this.received(a.request);
          else if (this.now() - t0 < EARLY_MS) await sleep(POLL_MS, signal);
        } catch (e) {
          if (signal.aborted) break;
          // This channel's trouble never ends the connection (the license update runs on); it tries again.
          const ms = this.backoff.next(e instanceof BackofficeError ? e.retryAfterMs : undefined);
          this.o.logger.warn({ error: toErrorInfo(e), retryInMs: ms }, 'remote assistance: asking the back office for requests failed');
          await sleep(ms, signal);
        }
      }
    } finally {
      if (this.session === session) this.session = undefined;
    }
  }

  private received(request: AssistanceRequest | null): void {
    const before = this.current.value;
    this.current.next(request ?? undefined);
    if (!request || before?.id === request.id && before.state === request.state) return;
    if (assistanceStateAt(request, this.now()) !== 'requested') return;
    const refusal = refusalFromSettings(this.o.settings());
    this.o.logger.info({ request: request.id, by: request.requestedBy, refusal: refusal ?? null }, 'remote assistance requested by the help desk');
    this.report(request.id, refusal ? { kind: 'not-allowed', reason: refusal } : { kind: 'delivered' });
  }

  /** Sends what waits, in order; a transient failure leaves it for the next try or the next connection. */
  private flush(): Promise<void> {
    // Cleared in a .finally (always after the assignment): an async body that finds nothing to send
    // completes synchronously, and clearing inside it would run before `sending` is set — leaving a
    // settled promise there for good and every later answer unsent.
    if (!this.sending) {
      const p = this.drain().finally(() => {
        if (this.sending !== p) return;
        this.sending = undefined;
        // An answer queued after the loop's last look goes out now, not with the next connection.
        if (this.outbox.length && this.session && !this.closing.signal.aborted) void this.flush();
      });
      this.sending = p;
    }
    return this.sending;
  }

  private async drain(): Promise<void> {
    while (this.outbox.length && this.session) {
      const session = this.session;
      const next = this.outbox[0]!;
      try {
        const stored = await session.client.reportAssistance(session.serial, next.requestId, next.report, this.closing.signal);
        this.outbox.shift();
        this.sendBackoff.reset();
        if (this.current.value?.id === stored.id) this.current.next(stored);
      } catch (e) {
        if (e instanceof BackofficeError && e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 408 && e.status !== 429) {
          // Refused for good (the request was withdrawn or expired meanwhile): the long-poll brings its state.
          this.outbox.shift();
          this.o.logger.warn({ request: next.requestId, report: next.report.kind, error: toErrorInfo(e) }, 'remote assistance: answer refused by the back office');
          continue;
        }
        this.o.logger.warn({ request: next.requestId, error: toErrorInfo(e) }, 'remote assistance: answer not sent; sent again later');
        if (!(await sleep(this.sendBackoff.next(), this.closing.signal)) || this.session !== session) return;
      }
    }
  }
}
