import equal from 'fast-deep-equal';
import { inject, injectable } from 'inversify';
import { concatMap, distinctUntilChanged, filter, firstValueFrom, map, shareReplay, timeout, type Observable, type Subscription } from 'rxjs';
import { assistanceStateAt, type AssistanceReport, type AssistanceRequest } from '../../common/backoffice/assistance.js';
import { Clock } from '../../common/clock.js';
import type { NotificationAction } from '../../common/console-protocol.js';
import { CodedError, isCodedError, toErrorInfo, type MessageParams } from '../../common/errors.js';
import type { LaunchState } from '../../common/remote-assistance/model.js';
import { formatTeamViewerId } from '../../common/remote-assistance/model.js';
import { assistanceRefusal } from '../../common/remote-assistance/requests.js';
import type { ServiceState } from '../../common/remote-service/model.js';
import { AuditLog, HostLogger, Notifications, type NotifyOptions } from '../../host/api/index.js';
import { ServiceControl } from '../../services/ors-control/service-control.js';
import { RemoteAssistanceController } from './remote-assistance-controller.js';

/** Carries the administrator's answers to the ORS service, which sends them to the back office. */
export interface AssistanceReports {
  report(requestId: string, report: AssistanceReport): Promise<void>;
}
export const AssistanceReports = Symbol('AssistanceReports');

export const ACCEPT_REQUEST_COMMAND = 'remoteAssistance.acceptRequest';
export const DECLINE_REQUEST_COMMAND = 'remoteAssistance.declineRequest';
const STOP_COMMAND = 'remoteAssistance.stop';
const REMOTE_SERVICE_NODE = 'remote-service';
const CONSOLE = 'console';
const HELP_DESK = 'help-desk';

const requestOf = (s: ServiceState | undefined): AssistanceRequest | undefined => (s?.kind === 'running' ? s.status?.assistance : undefined);

/**
 * The help desk's requests for remote assistance in the console (issue 14). A request the ORS
 * service received shows as a notice on the Remote Service node with [Start remote assistance] and
 * [Decline] — only when remote assistance is allowed here and every prerequisite holds; otherwise
 * the refusal goes back with its reason (the technician sees why) and the administrator is told.
 * Nothing starts TeamViewer but the administrator's click; the TeamViewer ID, the end of the session,
 * a decline or a timeout go back to the help desk; every step is in the audit log.
 */
@injectable()
export class AssistanceRequests {
  private readonly request$: Observable<AssistanceRequest | undefined>;
  private readonly subscriptions: Subscription[] = [];
  /** Requests this console has shown or answered (a request is handled once per console start). */
  private readonly handled = new Set<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The request whose TeamViewer session this console runs. */
  private session?: { readonly request: AssistanceRequest; id?: string; sub?: Subscription };
  private queue: Promise<void> = Promise.resolve();

  constructor(
    @inject(ServiceControl) control: ServiceControl,
    @inject(RemoteAssistanceController) private readonly controller: RemoteAssistanceController,
    @inject(AssistanceReports) private readonly reports: AssistanceReports,
    @inject(Notifications) private readonly notifications: Notifications,
    @inject(AuditLog) private readonly audit: AuditLog,
    @inject(HostLogger) private readonly logger: HostLogger,
    @inject(Clock) private readonly clock: Clock,
  ) {
    this.request$ = control.state$.pipe(map(requestOf), distinctUntilChanged(equal), shareReplay({ bufferSize: 1, refCount: false }));
    this.subscriptions.push(
      this.request$
        .pipe(
          filter((r): r is AssistanceRequest => r !== undefined),
          concatMap((r) => (this.queue = this.seen(r).catch((e: unknown) => this.logger.warn({ err: e, request: r.id }, 'remote assistance request not handled')))),
        )
        .subscribe(),
    );
  }

  /** Resolves once every request seen so far has been handled (tests, shutdown). */
  settled(): Promise<void> {
    return this.queue;
  }

  private async seen(r: AssistanceRequest): Promise<void> {
    const state = assistanceStateAt(r, this.clock.now());
    if (state === 'delivered' && !this.handled.has(r.id)) return this.offer(r);
    // Refused by the ORS service from the saved settings before it reached this console: say so here too.
    if (state === 'not-allowed' && !this.handled.has(r.id)) {
      this.handled.add(r.id);
      await this.refused(r, r.reason ?? 'not-allowed', HELP_DESK);
      return;
    }
    if (state === 'cancelled' && this.handled.has(r.id) && !this.session) {
      this.clearTimer(r.id);
      await this.notify(r, { severity: 'info', message: { code: 'remote-assistance.request.notice-cancelled', params: this.params(r) } });
      await this.record(HELP_DESK, 'remote-assistance.request-cancelled', r);
      return;
    }
    // Started here before this console (re)started: that TeamViewer ended with the console that ran it.
    if (state === 'started' && this.session?.request.id !== r.id && !this.handled.has(r.id)) {
      this.handled.add(r.id);
      await this.send(r, { kind: 'ended' });
    }
  }

  /** A delivered request: offered to the administrator, or refused with the reason. */
  private async offer(r: AssistanceRequest): Promise<void> {
    this.handled.add(r.id);
    const view = await firstValueFrom(this.controller.prerequisites$().pipe(timeout({ first: 5_000 }))).catch(() => undefined);
    const refusal = view ? assistanceRefusal(view.prerequisites, view.allowed) : 'license-update';
    if (refusal) {
      await this.send(r, { kind: 'not-allowed', reason: refusal });
      await this.refused(r, refusal, CONSOLE);
      return;
    }
    const actions: NotificationAction[] = [
      { id: 'start', title: { code: 'remote-assistance.request.action-start' }, command: ACCEPT_REQUEST_COMMAND, args: [r.id] },
      { id: 'decline', title: { code: 'remote-assistance.request.action-decline' }, command: DECLINE_REQUEST_COMMAND, args: [r.id] },
    ];
    await this.notify(r, {
      severity: 'warning',
      message: { code: 'remote-assistance.request.notice', params: this.params(r) },
      detail: { code: 'remote-assistance.request.notice-detail', params: { expiresAt: r.expiresAt } },
      actions,
    });
    await this.record(HELP_DESK, 'remote-assistance.request-received', r, [{ key: 'message', to: r.message }]);
    // Nobody answered in time: the notice says so (the back office counts it expired too).
    const ms = Date.parse(r.expiresAt) - this.clock.now();
    this.timers.set(
      r.id,
      setTimeout(() => void this.expired(r.id), Math.max(0, ms)),
    );
  }

  private async refused(r: AssistanceRequest, reason: string, actor: string): Promise<void> {
    await this.notify(r, { severity: 'info', message: { code: 'remote-assistance.request.notice-refused', params: { ...this.params(r), reason: { code: `remote-assistance.refusal.${reason}` } } } });
    await this.record(actor, 'remote-assistance.request-refused', r, [{ key: 'reason', to: reason }]);
  }

  private async expired(id: string): Promise<void> {
    this.timers.delete(id);
    const r = await this.latest();
    if (!r || r.id !== id || assistanceStateAt(r, this.clock.now()) !== 'expired') return;
    await this.notify(r, { severity: 'info', message: { code: 'remote-assistance.request.notice-expired', params: this.params(r) } });
    await this.record(CONSOLE, 'remote-assistance.request-expired', r);
  }

  /** [Start remote assistance] on the notice: starts TeamViewer as [Start] does, then tells the help desk. */
  async accept(requestId: unknown): Promise<LaunchState> {
    const r = await this.open(requestId);
    this.clearTimer(r.id);
    let state: LaunchState;
    try {
      state = await this.controller.start();
    } catch (e) {
      const info = isCodedError(e) ? e.toInfo() : toErrorInfo(e);
      await this.send(r, { kind: 'failed', reason: info.code.slice(0, 100) });
      await this.notify(r, { severity: 'error', message: { code: 'remote-assistance.request.notice-failed', params: { ...this.params(r), reason: info } } });
      throw e;
    }
    await this.record(CONSOLE, 'remote-assistance.request-accepted', r);
    this.follow(r);
    return state;
  }

  /** [Decline] on the notice. */
  async decline(requestId: unknown): Promise<void> {
    const r = await this.open(requestId);
    this.clearTimer(r.id);
    await this.send(r, { kind: 'declined' });
    await this.notify(r, { severity: 'info', message: { code: 'remote-assistance.request.notice-declined', params: this.params(r) } });
    await this.record(CONSOLE, 'remote-assistance.request-declined', r);
  }

  /** The request named, if it still waits for the administrator; else why not. */
  private async open(requestId: unknown): Promise<AssistanceRequest> {
    if (typeof requestId !== 'string' || requestId.length > 64) throw new CodedError('remote-assistance.request.unknown', { id: String(requestId).slice(0, 64) });
    const r = await this.latest();
    if (!r || r.id !== requestId) throw new CodedError('remote-assistance.request.unknown', { id: requestId });
    const state = assistanceStateAt(r, this.clock.now());
    if (state !== 'delivered' && state !== 'requested') throw new CodedError('remote-assistance.request.closed', { state: { code: `backoffice.assistance.state.${state}` } });
    return r;
  }

  private async latest(): Promise<AssistanceRequest | undefined> {
    return firstValueFrom(this.request$.pipe(timeout({ first: 2_000 }))).catch(() => undefined);
  }

  /** Follows the TeamViewer this request started: its ID and its end go to the help desk. */
  private follow(r: AssistanceRequest): void {
    this.session?.sub?.unsubscribe();
    const session: { request: AssistanceRequest; id?: string; sub?: Subscription } = { request: r };
    this.session = session;
    let reported = false;
    session.sub = this.controller.state$().subscribe((s) => {
      if (s.kind === 'running' && (!reported || (s.id && s.id !== session.id))) {
        reported = true;
        session.id = s.id;
        void this.send(r, { kind: 'started', ...(s.id ? { teamViewerId: s.id } : {}) });
        void this.notify(r, {
          severity: 'info',
          message: { code: s.id ? 'remote-assistance.request.notice-running' : 'remote-assistance.request.notice-running-no-id', params: { ...this.params(r), id: s.id ? formatTeamViewerId(s.id) : '' } },
          actions: [{ id: 'stop', title: { code: 'remote-assistance.request.action-stop' }, command: STOP_COMMAND }],
        });
      } else if (s.kind === 'ended' || s.kind === 'failed') {
        session.sub?.unsubscribe();
        if (this.session === session) this.session = undefined;
        const ended = s.kind === 'ended';
        void this.send(r, ended ? { kind: 'ended' } : { kind: 'failed', reason: s.error.code.slice(0, 100) });
        void this.notify(r, { severity: 'info', message: { code: ended ? 'remote-assistance.request.notice-ended' : 'remote-assistance.request.notice-failed', params: { ...this.params(r), ...(ended ? {} : { reason: s.error }) } } });
        void this.record(CONSOLE, ended ? 'remote-assistance.request-ended' : 'remote-assistance.request-failed', r);
      }
    });
  }

  private async send(r: AssistanceRequest, report: AssistanceReport): Promise<void> {
    try {
      await this.reports.report(r.id, report);
    } catch (e) {
      this.logger.warn({ request: r.id, report: report.kind, err: toErrorInfo(e) }, 'remote assistance: answer not passed to the ORS service');
    }
  }

  private params(r: AssistanceRequest): MessageParams {
    return { technician: r.requestedBy, organisation: r.organisationId, message: r.message, serial: r.serial };
  }

  private async notify(r: AssistanceRequest, o: Omit<NotifyOptions, 'key' | 'nodeId'>): Promise<void> {
    await this.notifications.notify({ ...o, key: `remote-assistance.request.${r.id}`, nodeId: REMOTE_SERVICE_NODE });
  }

  private async record(actor: string, action: string, r: AssistanceRequest, changes: { key: string; from?: unknown; to?: unknown }[] = []): Promise<void> {
    await this.audit.record({ actor, action, target: r.serial, changes: [{ key: 'request', to: r.id }, { key: 'technician', to: r.requestedBy }, ...changes] });
  }

  private clearTimer(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.unsubscribe();
    this.session?.sub?.unsubscribe();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
