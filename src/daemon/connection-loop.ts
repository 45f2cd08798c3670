import { hostname } from 'node:os';
import { readFile } from 'node:fs/promises';
import { BehaviorSubject, type Observable } from 'rxjs';
import { CodedError, toErrorInfo } from '../common/errors.js';
import { BackofficeErrorCode } from '../common/backoffice/api.js';
import type { BackofficeLicenseInfo, ConnectionState } from '../common/remote-service/model.js';
import { PRODUCT_VERSION } from '../common/version.js';
import { Backoff, sleep } from '../common/backoff.js';
import type { BackofficeClient} from '../services/backoffice-client/backoffice-client.js';
import { BackofficeError, classifyFailure, type BackofficeClientOptions } from '../services/backoffice-client/backoffice-client.js';
import type { Logger } from '../services/log/logger.js';
import type { BackofficeClientFactory } from '../services/backoffice-client/backoffice-client-factory.js';
import type { ReadyConfig } from './daemon-config.js';
import type { DaemonSession, DaemonTask } from './daemon-task.js';
import type { SerialSource } from './serial-source.js';

export interface ConnectionView {
  readonly connection: ConnectionState;
  readonly license?: BackofficeLicenseInfo;
}

export interface ConnectionLoopOptions {
  readonly logger: Logger;
  readonly heartbeatMs: number;
  /** How often a missing serial number is looked for again. */
  readonly serialRetryMs?: number;
  /** Retry interval for configuration errors (proxy credentials, unknown serial). */
  readonly configRetryMs?: number;
  readonly backoff?: Backoff;
  /** Tasks besides the heartbeat, run while connected (issue 7: the license-update loop). */
  readonly tasks?: readonly DaemonTask[];
  readonly clientOptions?: Partial<BackofficeClientOptions>;
  /** Makes the back-office client of this configuration. */
  readonly clients: BackofficeClientFactory;
  readonly now?: () => number;
}

const iso = (t: number): string => new Date(t).toISOString();

/** The heartbeat as a task: PUT the installation every `heartbeatMs`. */
function heartbeatTask(heartbeatMs: number): DaemonTask {
  return {
    name: 'heartbeat',
    async run(session, signal) {
      while (await sleep(heartbeatMs, signal)) {
        await session.client.heartbeat(session.serial, { orsVersion: PRODUCT_VERSION, hostname: hostname() }, signal);
        session.checked(heartbeatMs);
      }
    },
  };
}

/**
 * One run of the daemon's connection with one configuration: serial → login → register →
 * license info → connected, then the tasks until the signal aborts. Transient failures retry with
 * full-jitter back-off (Retry-After honoured); refused credentials wait for new settings.
 */
export class ConnectionLoop {
  private readonly view$ = new BehaviorSubject<ConnectionView>({ connection: { kind: 'connecting', since: new Date().toISOString() } });
  private readonly now: () => number;
  private readonly backoff: Backoff;

  constructor(
    private readonly config: ReadyConfig,
    private readonly serialSource: SerialSource,
    private readonly o: ConnectionLoopOptions,
  ) {
    this.now = o.now ?? Date.now;
    this.backoff = o.backoff ?? new Backoff({ baseMs: 1_000, maxMs: 5 * 60_000 });
  }

  get state$(): Observable<ConnectionView> {
    return this.view$.asObservable();
  }

  async run(signal: AbortSignal): Promise<void> {
    const log = this.o.logger;
    const since = iso(this.now());
    let lastCheck: string | undefined;
    let lastSerialError = '';
    this.publish({ connection: { kind: 'connecting', since } });
    let client: BackofficeClient | undefined;
    try {
      while (!signal.aborted) {
        let wait: number | 'settings';
        try {
          const serial = await this.serialSource.read(signal);
          if ('error' in serial) {
            const key = JSON.stringify(serial.error);
            if (key !== lastSerialError) log.warn({ error: serial.error }, 'no serial number: the selected license server serves no license');
            lastSerialError = key;
            this.publish({ connection: { kind: 'not-configured', missing: ['serial'] } });
            await sleep(this.o.serialRetryMs ?? 5_000, signal);
            continue;
          }
          client ??= await this.createClient();
          log.info({ serial: serial.serial, via: this.config.proxy.mode }, 'connecting to the back office');
          await client.heartbeat(serial.serial, { orsVersion: PRODUCT_VERSION, hostname: hostname() }, signal);
          const license = await this.licenseInfo(client, serial.serial, signal);
          this.backoff.reset();
          const t = this.now();
          lastCheck = iso(t);
          this.publish({ connection: { kind: 'connected', since: lastCheck, lastCheck, nextCheck: iso(t + this.o.heartbeatMs) }, license: license.info });
          log.info({ serial: serial.serial, licenseId: license.info.licenseId }, 'connected');
          await this.runTasks(client, serial.serial, license.etag, signal, (c) => (lastCheck = c));
          continue;
        } catch (e) {
          if (signal.aborted) break;
          const cls = e instanceof CodedError && e.code === 'ors.ca-file-unreadable' ? { kind: 'config' as const, hop: 'tls' } : classifyFailure(e);
          if (cls.kind === 'auth') wait = cls.retryAfterMs ?? 'settings';
          else if (cls.kind === 'config') wait = Math.max(cls.retryAfterMs ?? 0, this.o.configRetryMs ?? 5 * 60_000);
          else wait = this.backoff.next(cls.retryAfterMs);
          const error = toErrorInfo(e);
          const next = typeof wait === 'number' ? iso(this.now() + wait) : undefined;
          log.warn({ error, hop: cls.hop, retryInMs: typeof wait === 'number' ? wait : null }, 'back office connection failed');
          this.publish({
            connection: { kind: 'error', error, hop: cls.hop, ...(lastCheck ? { lastCheck } : {}), ...(next ? { nextCheck: next } : {}) },
            ...(this.view$.value.license ? { license: this.view$.value.license } : {}),
          });
          if (wait === 'settings') await sleep(2 ** 31 - 1, signal);
          else await sleep(wait, signal);
        }
      }
    } finally {
      client?.close();
    }
  }

  private publish(v: ConnectionView): void {
    this.view$.next(v);
  }

  private async createClient(): Promise<BackofficeClient> {
    let caPem: string | undefined;
    if (this.config.caFile) {
      try {
        caPem = await readFile(this.config.caFile, 'utf8');
      } catch (e) {
        throw new CodedError('ors.ca-file-unreadable', { path: this.config.caFile, reason: (e as NodeJS.ErrnoException).code ?? String(e) }, { field: 'caFile' });
      }
    }
    return this.o.clients.create({
      baseUrl: this.config.backofficeUrl,
      organisationId: this.config.organisationId,
      verificationCode: this.config.verificationCode,
      proxy: this.config.proxy,
      ...(caPem ? { caPem } : {}),
      ...this.o.clientOptions,
    });
  }

  private async licenseInfo(client: BackofficeClient, serial: string, signal: AbortSignal): Promise<{ info: BackofficeLicenseInfo; etag?: string }> {
    let info: BackofficeLicenseInfo = { serial };
    let etag: string | undefined;
    try {
      const e = await client.entitlement(serial, signal);
      info = { ...info, expiry: e.expiry, maintenanceEnd: e.maintenance.end, users: e.users, features: e.features.map((f) => f.id) };
    } catch (e) {
      if (!(e instanceof BackofficeError && e.status === 404)) throw e;
    }
    try {
      const l = await client.currentLicense(serial, { signal });
      if (l.kind === 'license') {
        info = { ...info, licenseId: l.license.licenseId, seq: l.license.seq };
        etag = l.etag;
      }
    } catch (e) {
      if (!(e instanceof BackofficeError && e.code === BackofficeErrorCode.licenseNone)) throw e;
    }
    return { info, ...(etag ? { etag } : {}) };
  }

  private async runTasks(client: BackofficeClient, serial: string, etag: string | undefined, signal: AbortSignal, onCheck: (iso: string) => void): Promise<void> {
    const session: DaemonSession = {
      client,
      serial,
      config: this.config,
      logger: this.o.logger,
      ...(etag ? { licenseEtag: etag } : {}),
      reportLicense: (info) => {
        const v = this.view$.value;
        this.publish({ ...v, license: { ...(v.license ?? { serial }), ...info, serial } });
      },
      checked: (nextCheckMs) => {
        const v = this.view$.value;
        const t = this.now();
        onCheck(iso(t));
        if (v.connection.kind !== 'connected') return;
        this.publish({ ...v, connection: { ...v.connection, lastCheck: iso(t), ...(nextCheckMs !== undefined ? { nextCheck: iso(t + nextCheckMs) } : {}) } });
      },
    };
    // One failing task ends the session: the others are aborted and the loop reconnects.
    const session$ = new AbortController();
    const both = AbortSignal.any([signal, session$.signal]);
    const tasks = [heartbeatTask(this.o.heartbeatMs), ...(this.o.tasks ?? [])];
    let failure: unknown;
    await Promise.all(
      tasks.map((t) =>
        t.run(session, both).catch((e: unknown) => {
          if (failure === undefined && !signal.aborted) {
            failure = e;
            this.o.logger.warn({ task: t.name, error: toErrorInfo(e) }, 'task failed');
          }
          session$.abort();
        }),
      ),
    );
    if (failure !== undefined) throw failure;
  }
}
