import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { BehaviorSubject, combineLatest, distinctUntilChanged, map, switchMap, type Observable, type Subscription } from 'rxjs';
import { SECRET_NAMES, type ConnectionState, type OrsStatus, type UpdateState } from '../common/remote-service/model.js';
import { toErrorInfo } from '../common/errors.js';
import { SecretStore } from '../services/settings/secret-store.js';
import type { PluginSecrets, PluginSettings } from '../services/settings/types.js';
import { savedSecretEndpoints } from '../common/remote-service/secret-endpoints.js';
import type { Logger } from '../services/log/logger.js';
import type { Backoff } from '../common/backoff.js';
import type { BackofficeClientOptions } from '../services/backoffice-client/backoffice-client.js';
import { ConnectionLoop } from './connection-loop.js';
import { resolveDaemonConfig, secretsFingerprint, type DaemonSecrets } from './daemon-config.js';
import type { DaemonTask } from './daemon-task.js';
import { createSerialSource } from './serial-source.js';
import { StatusEndpoint } from './status-endpoint.js';
import { LicenseUpdater } from './update/license-updater.js';
import { inject, injectable } from 'inversify';
import { BackofficeClientFactory } from '../services/backoffice-client/backoffice-client-factory.js';
import { Clock } from '../common/clock.js';
import { readRemoteService } from '../common/settings/read-settings.js';
import type { AssistanceRequest } from '../common/backoffice/assistance.js';
import { AssistanceChannel } from './assistance/assistance-channel.js';

export interface OrsDaemonOptions {
  /** `<data-dir>/ors`: endpoint.json and daemon.log. */
  readonly stateDir: string;
  /** The console's plugin settings (watched for changes by the caller or here). */
  readonly settings: PluginSettings;
  /** `<data-dir>/secrets`: reopened when the console changes a secret. */
  readonly secretsDir: string;
  readonly pluginId: string;
  /** `<data-dir>/plugins/<plugin>`: trust and the default license folder. */
  readonly pluginDir: string;
  readonly logger: Logger;
  readonly heartbeatMs?: number;
  readonly serialRetryMs?: number;
  readonly backoff?: Backoff;
  readonly tasks?: readonly DaemonTask[];
  readonly clientOptions?: Partial<BackofficeClientOptions>;
  /** Told the current secret values, so the log can scrub them. */
  readonly onSecrets?: (values: readonly (string | undefined)[]) => void;
  /** The automatic license update (issue 7, bound in the daemon module); false turns it off. */
  readonly update?: false;
}
/** What the command line hands the ORS service (its folders, stores and logger). */
export const OrsDaemonOptions = Symbol('OrsDaemonOptions');

/**
 * The ORS service: follows the settings and secrets, runs one ConnectionLoop per configuration
 * (abandoning the old one cleanly when they change) and publishes OrsStatus on the local endpoint.
 */
@injectable()
export class OrsDaemon {
  private readonly startedAt = new Date().toISOString();
  private readonly status = new BehaviorSubject<OrsStatus>({
    pid: process.pid,
    startedAt: this.startedAt,
    settingsVersion: 0,
    connection: { kind: 'connecting', since: this.startedAt },
  });
  /** The plugin's secrets as last read; which of them may be used depends on the settings (their endpoints). */
  private readonly secrets$ = new BehaviorSubject<PluginSecrets | undefined>(undefined);
  private secretsSeen = '';
  private endpoint?: StatusEndpoint;
  private sub?: Subscription;
  private watcher?: FSWatcher;
  private current?: { abort: AbortController; done: Promise<void>; loopSub?: Subscription };
  private switching: Promise<void> = Promise.resolve();
  private secretsTimer?: NodeJS.Timeout;
  private readonly updater?: LicenseUpdater;
  private updateSub?: Subscription;
  /** The help desk's remote-assistance requests (issue 14), beside the license update on the same connection. */
  private readonly assistance: AssistanceChannel;
  private assistanceSub?: Subscription;
  private assistanceNow?: AssistanceRequest;
  private connectionView: Pick<OrsStatus, 'settingsVersion' | 'connection' | 'license'> = { settingsVersion: 0, connection: { kind: 'connecting', since: this.startedAt } };

  constructor(
    @inject(OrsDaemonOptions) private readonly o: OrsDaemonOptions,
    @inject(LicenseUpdater) updater: LicenseUpdater,
    @inject(BackofficeClientFactory) private readonly clients: BackofficeClientFactory,
    @inject(Clock) clock: Clock,
  ) {
    if (o.update !== false) this.updater = updater;
    this.assistance = new AssistanceChannel({ logger: o.logger, settings: () => readRemoteService(o.settings.get().values), now: () => clock.now() });
  }

  get status$(): Observable<OrsStatus> {
    return this.status.asObservable();
  }

  async start(): Promise<void> {
    await this.readSecrets();
    this.watchSecrets();
    if (this.updater) {
      await this.updater.init();
      this.updateSub = this.updater.state$.subscribe(() => this.publishStatus());
    }
    this.assistanceSub = this.assistance.request$.subscribe((r) => {
      this.assistanceNow = r;
      this.publishStatus();
    });
    this.endpoint = await StatusEndpoint.start({
      dir: this.o.stateDir,
      status$: this.status$,
      logger: this.o.logger,
      ...(this.updater ? { actions: this.updater } : {}),
      assistance: this.assistance,
    });
    this.sub = combineLatest([this.o.settings.changes$, this.secrets$])
      .pipe(
        switchMap(async ([s, view]) => ({ s, secrets: await usableSecrets(view, s.values) })),
        map(({ s, secrets }) => ({ s, secrets, key: `${s.version}:${secretsFingerprint(secrets)}` })),
        distinctUntilChanged((a, b) => a.key === b.key),
      )
      .subscribe(({ s, secrets }) => {
        this.switching = this.switching.then(() => this.apply(s.version, s.values, secrets));
      });
  }

  /** Abandons the current step (aborting its requests), closes the endpoint; resolves when all is quiet. */
  async stop(): Promise<void> {
    this.sub?.unsubscribe();
    this.watcher?.close();
    clearTimeout(this.secretsTimer);
    await this.switching;
    this.updater?.close();
    await this.stopLoop();
    this.updateSub?.unsubscribe();
    this.assistanceSub?.unsubscribe();
    this.assistance.close();
    await this.endpoint?.close();
    this.status.complete();
  }

  private async apply(version: number, values: Readonly<Record<string, unknown>>, secrets: DaemonSecrets): Promise<void> {
    await this.stopLoop();
    const log = this.o.logger;
    const config = resolveDaemonConfig(values, secrets);
    log.info({ settingsVersion: version, state: config.kind }, 'settings applied');
    if (config.kind !== 'ready') {
      this.publishStatus({ settingsVersion: version, connection: config.kind === 'disabled' ? { kind: 'disabled' } : { kind: 'not-configured', missing: config.missing } });
      return;
    }
    const loop = new ConnectionLoop(config, createSerialSource(config.selection, { pluginDir: this.o.pluginDir }), {
      logger: log,
      heartbeatMs: this.o.heartbeatMs ?? 60_000,
      ...(this.o.serialRetryMs !== undefined ? { serialRetryMs: this.o.serialRetryMs } : {}),
      ...(this.o.backoff ? { backoff: this.o.backoff } : {}),
      tasks: [...(this.o.tasks ?? []), ...(this.updater ? [this.updater.task] : []), this.assistance.task],
      ...(this.o.clientOptions ? { clientOptions: this.o.clientOptions } : {}),
      clients: this.clients,
    });
    const abort = new AbortController();
    const loopSub = loop.state$.subscribe((v) => this.publishStatus({ settingsVersion: version, connection: v.connection, ...(v.license ? { license: v.license } : {}) }));
    const done = loop.run(abort.signal).catch((e: unknown) => log.error({ error: toErrorInfo(e) }, 'connection loop ended unexpectedly'));
    this.current = { abort, done, loopSub };
  }

  /** One status from the connection's view and the update's state (the update shows 'stopped' while the login is refused). */
  private publishStatus(view?: Pick<OrsStatus, 'settingsVersion' | 'connection' | 'license'>): void {
    if (view) this.connectionView = view;
    const v = this.connectionView;
    const update: UpdateState | undefined = this.updater ? LicenseUpdater.view(this.updater.stateNow(), v.connection as ConnectionState) : undefined;
    const assistance = this.assistanceNow;
    this.status.next({ pid: process.pid, startedAt: this.startedAt, ...v, ...(update ? { update } : {}), ...(assistance ? { assistance } : {}) });
  }

  private async stopLoop(): Promise<void> {
    const c = this.current;
    if (!c) return;
    this.current = undefined;
    c.abort.abort();
    await c.done;
    c.loopSub?.unsubscribe();
  }

  private async readSecrets(): Promise<void> {
    try {
      const store = await SecretStore.open(this.o.secretsDir);
      const p = store.forPlugin(this.o.pluginId);
      const raw: DaemonSecrets = {
        verificationCode: await p.get(SECRET_NAMES.verificationCode),
        proxyPassword: await p.get(SECRET_NAMES.proxyPassword),
        orsAccountPassword: await p.get(SECRET_NAMES.orsAccountPassword),
      };
      // The log scrubs every stored value, usable here or not.
      this.o.onSecrets?.([raw.verificationCode, raw.proxyPassword, raw.orsAccountPassword]);
      const seen = (await readFile(path.join(this.o.secretsDir, 'secrets.json'), 'utf8').catch(() => '')) + secretsFingerprint(raw);
      if (seen !== this.secretsSeen || !this.secrets$.value) {
        this.secretsSeen = seen;
        this.secrets$.next(p);
      }
    } catch (e) {
      // Keep the previous good secrets (a write may be half-way; the next change event re-reads).
      this.o.logger.warn({ error: toErrorInfo(e) }, 'secrets could not be read');
    }
  }

  private watchSecrets(): void {
    try {
      this.watcher = watch(this.o.secretsDir, (_ev, name) => {
        if (name !== null && !String(name).startsWith('secrets.')) return;
        clearTimeout(this.secretsTimer);
        this.secretsTimer = setTimeout(() => void this.readSecrets(), 50);
      });
      this.watcher.unref();
    } catch (e) {
      this.o.logger.warn({ error: toErrorInfo(e), dir: path.basename(this.o.secretsDir) }, 'secrets folder not watched');
    }
  }
}

/** Only secrets saved for where the saved settings send them; another endpoint counts as not set. */
async function usableSecrets(view: PluginSecrets | undefined, values: Readonly<Record<string, unknown>>): Promise<DaemonSecrets> {
  if (!view) return {};
  const ep = savedSecretEndpoints(values);
  const get = (k: keyof typeof SECRET_NAMES): Promise<string | undefined> => view.getFor(SECRET_NAMES[k], ep[k]).catch(() => undefined);
  return { verificationCode: await get('verificationCode'), proxyPassword: await get('proxyPassword'), orsAccountPassword: await get('orsAccountPassword') };
}
