import equal from 'fast-deep-equal';
import { inject, injectable } from 'inversify';
import { concatMap, distinctUntilChanged, filter, firstValueFrom, map, shareReplay, timeout, type Observable, type Subscription } from 'rxjs';
import { CodedError, isCodedError, toErrorInfo } from '../../common/errors.js';
import {
  announcementActions,
  announcementDetail,
  announcementMessage,
  auditActionOf,
  auditChangesOf,
  LICENSES_NODE,
  severityOf,
} from '../../common/license-update/announcement.js';
import { LICENSE_ID_PATTERN, type LicenseUpdateService } from '../../common/license-update/api.js';
import type { ServiceState, UpdateEvent, UpdateState } from '../../common/remote-service/model.js';
import { AuditLog, HostLogger, Notifications } from '../../host/api/index.js';
import { ServiceControl } from '../../services/ors-control/service-control.js';
import { AnnouncedEvents } from './announced-events.js';

/** What the console asks of the ORS service's update loop (its endpoint's POST actions). */
export interface UpdateActions {
  checkNow(): Promise<void>;
  confirm(licenseId: string): Promise<void>;
  retry(licenseId: string): Promise<void>;
  decline(licenseId: string): Promise<void>;
}
export const UpdateActions = Symbol('UpdateActions');

const CONSOLE = 'console';
const SERVICE = 'ors-service';

export function updateOf(s: ServiceState | undefined): UpdateState | undefined {
  return s?.kind === 'running' ? s.status?.update : undefined;
}

/** Every event the state knows (recent events and pending licenses), oldest first, each once. */
export function eventsOf(u: UpdateState): UpdateEvent[] {
  const byId = new Map<string, UpdateEvent>();
  // `events` is newest first: walk it backwards so equal times keep their order.
  for (const e of [...u.events].reverse()) byId.set(e.id, e);
  for (const e of u.pending) if (!byId.has(e.id)) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}


/**
 * The automatic license update in the console (SPEC F5): announces each event the ORS service
 * reports exactly once (notification on the Licenses node + audit entry), and carries the
 * administrator's [Check now], [Install anyway] and [Retry] to the service, audited.
 */
@injectable()
export class LicenseUpdateController implements LicenseUpdateService {
  private readonly service$: Observable<ServiceState | undefined>;
  private readonly update$: Observable<UpdateState | undefined>;
  private readonly announcer: Subscription;
  private idle: Promise<void> = Promise.resolve();
  private readonly d: { actions: UpdateActions; notifications: Notifications; audit: AuditLog; announced: AnnouncedEvents; logger: HostLogger };

  constructor(
    @inject(ServiceControl) control: ServiceControl,
    @inject(UpdateActions) actions: UpdateActions,
    @inject(Notifications) notifications: Notifications,
    @inject(AuditLog) audit: AuditLog,
    @inject(AnnouncedEvents) announced: AnnouncedEvents,
    @inject(HostLogger) logger: HostLogger,
  ) {
    const d = (this.d = { actions, notifications, audit, announced, logger });
    this.service$ = control.state$.pipe(shareReplay({ bufferSize: 1, refCount: false }));
    this.update$ = this.service$.pipe(
      map(updateOf),
      distinctUntilChanged(equal),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    this.announcer = this.update$
      .pipe(
        filter((u): u is UpdateState => u !== undefined),
        concatMap((u) => (this.idle = this.announceAll(eventsOf(u)))),
      )
      .subscribe({ error: (e: unknown) => d.logger.error({ err: e }, 'license update announcements stopped') });
  }

  /** Resolves once every state seen so far has been announced (for tests and shutdown). */
  settled(): Promise<void> {
    return this.idle;
  }

  private async announceAll(events: readonly UpdateEvent[]): Promise<void> {
    for (const e of events) {
      if (await this.d.announced.has(e.id)) continue;
      try {
        await this.announce(e);
      } catch (err) {
        // Not marked: it is tried again with the next state (the notification key keeps it single).
        this.d.logger.warn({ err, event: e.id }, 'license update announcement failed');
      }
    }
  }

  private async announce(e: UpdateEvent): Promise<void> {
    const detail = announcementDetail(e);
    await this.d.notifications.notify({
      // One notification per license: a later event of the same license (installed after
      // [Install anyway]) replaces the earlier one and its now pointless button.
      key: `license-update.${e.licenseId}`,
      severity: severityOf(e.kind),
      nodeId: LICENSES_NODE,
      message: announcementMessage(e),
      ...(detail ? { detail } : {}),
      actions: announcementActions(e),
    });
    await this.d.audit.record({
      actor: SERVICE,
      action: auditActionOf(e.kind),
      target: e.serial,
      nodeId: LICENSES_NODE,
      changes: [
        { key: 'license', to: e.licenseId },
        { key: 'revision', to: e.seq },
        ...auditChangesOf(e.changes),
        ...(e.error ? [{ key: 'error', to: e.error.code }] : []),
        ...(e.kind === 'manual-pending' && e.file ? [{ key: 'file', to: e.file }] : []),
      ],
    });
    // Marked last: a crash before this line announces it again under the same key (replaced, not doubled).
    await this.d.announced.add(e.id);
    this.d.logger.info({ event: e.id, kind: e.kind, licenseId: e.licenseId, serial: e.serial }, 'license update announced');
  }

  state$(): Observable<UpdateState | undefined> {
    return this.update$;
  }

  /** The state now; refused when the service is not running (or, while starting, has not reported within 2 s). */
  private async current(): Promise<UpdateState> {
    const service = await firstValueFrom(this.service$.pipe(timeout({ first: 2_000 }))).catch(() => undefined);
    if (!service || !['running', 'starting'].includes(service.kind)) throw new CodedError('license-update.service-not-running');
    const u = await firstValueFrom(this.update$.pipe(filter((v) => v !== undefined), timeout({ first: 2_000 }))).catch(() => undefined);
    if (!u) throw new CodedError('license-update.service-not-running');
    return u;
  }

  private static checkId(licenseId: unknown): string {
    if (typeof licenseId !== 'string' || !LICENSE_ID_PATTERN.test(licenseId)) {
      throw new CodedError('license-update.invalid-license-id', { licenseId: String(licenseId).slice(0, 64) }, { field: 'licenseId' });
    }
    return licenseId;
  }

  private async pending(licenseId: unknown, kind: UpdateEvent['kind']): Promise<UpdateEvent> {
    const id = LicenseUpdateController.checkId(licenseId);
    const u = await this.current();
    const e = u.pending.find((p) => p.licenseId === id && p.kind === kind);
    if (!e) throw new CodedError('license-update.not-pending', { licenseId: id });
    return e;
  }

  /** Runs an action on the service and audits it with its outcome. */
  private async run(action: string, target: string, licenseId: string | undefined, call: () => Promise<void>): Promise<void> {
    let outcome = 'done';
    try {
      await call();
    } catch (e) {
      const info = isCodedError(e) ? e.toInfo() : { code: 'license-update.action-failed', params: { reason: toErrorInfo(e).params?.['detail'] ?? String(e) } };
      outcome = info.code;
      throw isCodedError(e) ? e : new CodedError(info.code, info.params, { cause: e });
    } finally {
      await this.d.audit.record({
        actor: CONSOLE,
        action,
        target,
        nodeId: LICENSES_NODE,
        changes: [...(licenseId ? [{ key: 'license', to: licenseId }] : []), { key: 'result', to: outcome }],
      });
    }
  }

  async checkNow(): Promise<void> {
    await this.current();
    await this.run('license.check-now', 'license-update', undefined, () => this.d.actions.checkNow());
  }

  async confirm(licenseId: string): Promise<void> {
    const e = await this.pending(licenseId, 'awaiting-confirmation');
    await this.run('license.confirm', e.serial, e.licenseId, () => this.d.actions.confirm(e.licenseId));
  }

  async retry(licenseId: string): Promise<void> {
    const e = await this.pending(licenseId, 'manual-pending');
    await this.run('license.retry', e.serial, e.licenseId, () => this.d.actions.retry(e.licenseId));
  }

  async decline(licenseId: string): Promise<void> {
    const e = await this.pending(licenseId, 'awaiting-confirmation');
    await this.run('license.decline', e.serial, e.licenseId, () => this.d.actions.decline(e.licenseId));
  }

  dispose(): void {
    this.announcer.unsubscribe();
  }
}
