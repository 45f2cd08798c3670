import { readOrsAccount, readRemoteService, readSelection } from '../../common/settings/read-settings.js';
import { readFile } from 'node:fs/promises';
import equal from 'fast-deep-equal';
import { inject, injectable, optional } from 'inversify';
import { BehaviorSubject, combineLatest, distinctUntilChanged, filter, firstValueFrom, map, of, shareReplay, startWith, throwError, timeout, type Observable } from 'rxjs';
import { CodedError, codedErrorOf, toErrorInfo } from '../../common/errors.js';
import { ORS_ACCOUNT_SETTING } from '../../common/license-server/selection.js';
import type { ConnectionTestReport } from '../../common/remote-service/connection-test.js';
import type { ProxySettings } from '../../common/proxy/settings.js';
import { SECRET_NAMES, type RemoteServiceSettings, type ServiceState } from '../../common/remote-service/model.js';
import type { RemoteServiceService, RemoteServiceStateView, RemoteServiceView, SerialView, ServiceHostingView } from '../../common/remote-service/remote-service-api.js';
import {
  connectionTestErrors,
  REMOTE_SERVICE_SETTING,
  SECRET_FIELD,
  SECRET_LIST,
  validateRemoteService,
  type RemoteServiceInput,
  type RemoteServiceSecretsInput,
  type RulesContext,
  type SecretName,
} from '../../common/remote-service/settings-rules.js';
import type { LocalizedText } from '../../common/console-protocol.js';
import { AuditLog, HostLogger, PluginSecrets, PluginSettings, ProgressService } from '../../host/api/index.js';
import { ServiceControl } from '../../services/ors-control/service-control.js';
import { ConnectionTest } from './connection-test.js';
import { LicenseSerial } from '../licenses/license-serial.js';
import { backofficeEndpoint, proxyEndpoint, savedSecretEndpoints, secretEndpoints } from '../../common/remote-service/secret-endpoints.js';

/** How long [Restart] / [Start service] wait for the service to report (tests rebind it). */
export interface RemoteServiceTimings {
  readonly reportTimeoutMs: number;
}
export const RemoteServiceTimings = Symbol('RemoteServiceTimings');

const ACTOR = 'console';
const text = (code: string): LocalizedText => ({ code });

function atField(e: unknown, field: string): unknown {
  return e instanceof CodedError && e.field === undefined ? new CodedError(e.code, e.params, { field, cause: e }) : e;
}

/**
 * The Remote Service area on the Node side: the `remoteService` RPC service. Settings and secrets
 * go through the host's stores (versioned, encrypted); the ORS service through ServiceControl.
 * No member returns a secret.
 */
@injectable()
export class RemoteServiceController implements RemoteServiceService {
  private readonly restarting$ = new BehaviorSubject<RemoteServiceStateView['restarting']>(undefined);
  private readonly stateView$: Observable<RemoteServiceStateView>;
  private readonly serialView$: Observable<SerialView>;
  private saving: Promise<unknown> = Promise.resolve();

  constructor(
    @inject(PluginSettings) private readonly settings: PluginSettings,
    @inject(PluginSecrets) private readonly secrets: PluginSecrets,
    @inject(AuditLog) private readonly audit: AuditLog,
    @inject(ProgressService) private readonly progress: ProgressService,
    @inject(HostLogger) private readonly logger: HostLogger,
    @inject(LicenseSerial) private readonly serial: LicenseSerial,
    @inject(ConnectionTest) private readonly connectionTest: ConnectionTest,
    @inject(RemoteServiceTimings) private readonly timings: RemoteServiceTimings,
    /** Unbound where no back-end can control the ORS service: Feedback then says so. */
    @inject(ServiceControl) @optional() private readonly serviceControl?: ServiceControl,
  ) {
    const control = serviceControl;
    const service$: Observable<ServiceState> = control ? control.state$ : of<ServiceState>({ kind: 'unknown', error: { code: 'remote-service.no-service-control' } });
    const hosting$: Observable<ServiceHostingView | undefined> = control
      ? control.hosting$.pipe(map((h) => ({ childOfConsole: h.childOfConsole, ...(h.installCommand ? { installCommand: h.installCommand } : {}) })))
      : of(undefined);
    this.stateView$ = combineLatest([service$, this.restarting$, hosting$.pipe(startWith(undefined), distinctUntilChanged(equal))]).pipe(
      map(([service, restarting, hosting]): RemoteServiceStateView => ({ controllable: control !== undefined, service, ...(restarting ? { restarting } : {}), ...(hosting ? { hosting } : {}) })),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    this.serialView$ = serial.serial$.pipe(
      distinctUntilChanged(),
      map((s): SerialView => (s ? { kind: 'known', serial: s } : { kind: 'none' })),
      startWith<SerialView>({ kind: 'loading' }),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
  }

  // ---- RPC surface ------------------------------------------------------------------------

  settings$(): Observable<RemoteServiceView> {
    return combineLatest([this.settings.changes$, this.secrets.changes$.pipe(startWith([]))]).pipe(
      map(() => this.view()),
      distinctUntilChanged(equal),
    );
  }

  save(input: RemoteServiceInput, expectedVersion: number, secrets: RemoteServiceSecretsInput = {}): Promise<RemoteServiceView> {
    // One save at a time in this console: the secrets' rollback must not undo another save's secrets.
    const run = this.saving.then(() => this.saveNow(input, expectedVersion, secrets));
    this.saving = run.catch(() => undefined);
    return run;
  }

  private async saveNow(input: RemoteServiceInput, expectedVersion: number, secrets: RemoteServiceSecretsInput): Promise<RemoteServiceView> {
    const r = validateRemoteService(input ?? { enabled: false }, secrets ?? {}, this.rulesContext());
    if (!r.ok) throw codedErrorOf(r.errors[0]!);
    // Allowing remote assistance checks its prerequisites (the remoteAssistance service's allow); here it can only be withdrawn.
    if (r.settings.allowRemoteAssistance && !readRemoteService(this.settings.get().values).allowRemoteAssistance) {
      throw new CodedError('remote-service.allow-through-assistance', {}, { field: 'allowRemoteAssistance' });
    }
    // A stored secret goes only where it was saved for: a new address needs it entered again.
    const endpoints = secretEndpoints(r.settings, readSelection(this.settings.get().values));
    await this.assertSecretsFor(endpoints, input ?? { enabled: false }, secrets ?? {});
    const current = this.settings.get().version;
    if (current !== expectedVersion) throw new CodedError('settings.conflict', { expected: expectedVersion, actual: current });
    // Secrets first, then the settings (whose write is the version check); on a conflict or a
    // failed write the previous secrets are put back, so a refused save changes nothing.
    const previous = new Map<SecretName, string | undefined>();
    try {
      for (const name of SECRET_LIST) {
        const value = r.secrets[name];
        if (value === undefined) continue;
        previous.set(name, await this.secrets.get(SECRET_NAMES[name]));
        await this.secrets.set(SECRET_NAMES[name], value, ACTOR, endpoints[name]);
      }
      await this.settings.update({ [REMOTE_SERVICE_SETTING]: r.settings, [ORS_ACCOUNT_SETTING]: r.account }, expectedVersion, ACTOR);
    } catch (e) {
      for (const [name, old] of previous) {
        if (old === undefined) await this.secrets.delete(SECRET_NAMES[name], ACTOR).catch(() => undefined);
        else await this.secrets.set(SECRET_NAMES[name], old, ACTOR).catch(() => undefined);
      }
      throw e;
    }
    this.logger.info({ enabled: r.settings.enabled, proxy: r.settings.proxy.mode, secretsChanged: [...previous.keys()] }, 'remote service settings saved');
    return this.view();
  }

  async restart(): Promise<ServiceState> {
    const control = this.requireControl();
    const before = await firstValueFrom(control.state$);
    const previousPid = before.kind === 'running' ? (before.status?.pid ?? before.pid) : undefined;
    const progress = this.progress.start({ title: text('remote-service.restart.title') });
    this.restarting$.next('restarting');
    try {
      progress.report({ fraction: 0.2, message: text('remote-service.restart.stopping') });
      await this.audit.record({ actor: ACTOR, action: 'remoteService.restart', target: 'ors-service', nodeId: 'remote-service' });
      await control.restart().catch((e: unknown) => {
        throw new CodedError('remote-service.restart-failed', { reason: toErrorInfo(e) }, { cause: e });
      });
      this.restarting$.next('waiting');
      progress.report({ fraction: 0.6, message: text('remote-service.restart.waiting') });
      const state = await this.untilReported(control, previousPid);
      progress.report({ fraction: 1, message: text('remote-service.restart.done') });
      return state;
    } finally {
      this.restarting$.next(undefined);
      progress.done();
    }
  }

  async startService(): Promise<ServiceState> {
    const control = this.requireControl();
    await this.audit.record({ actor: ACTOR, action: 'remoteService.start', target: 'ors-service', nodeId: 'remote-service' });
    await control.start();
    return this.untilReported(control, undefined);
  }

  state$(): Observable<RemoteServiceStateView> {
    return this.stateView$;
  }

  serial$(): Observable<SerialView> {
    return this.serialView$;
  }

  async testConnection(input?: RemoteServiceInput, secrets: RemoteServiceSecretsInput = {}): Promise<ConnectionTestReport> {
    const values = this.settings.get().values;
    const settings = input ? this.connectionSettings(input, secrets ?? {}) : readRemoteService(values);
    if (!settings.backofficeUrl) throw new CodedError('remote-service.backoffice-url-required', {}, { field: 'backofficeUrl' });
    const p = settings.proxy;
    const saved = savedSecretEndpoints(values);
    // Stored secrets only for the addresses they were saved for: another address asks for them again, at their field.
    const stored = (name: SecretName, endpoint: string): Promise<string | undefined> =>
      this.secrets.getFor(SECRET_NAMES[name], endpoint, saved[name]).catch((e: unknown) => {
        throw atField(e, SECRET_FIELD[name]);
      });
    const password = p.mode === 'manual' && p.authenticate ? secrets?.proxyPassword || (await stored('proxyPassword', proxyEndpoint(p))) : undefined;
    const code = secrets?.verificationCode || (await stored('verificationCode', backofficeEndpoint(settings.backofficeUrl)));
    if (!code) throw new CodedError('remote-service.code-required', {}, { field: SECRET_FIELD.verificationCode });
    const proxy: ProxySettings = {
      mode: p.mode,
      host: p.host ?? '',
      port: p.port ?? 0,
      username: p.authenticate ? (p.username ?? '') : '',
      domain: p.authenticate ? (p.domain ?? '') : '',
      ...(password ? { password } : {}),
      ...(p.kerberosServiceName ? { kerberosServiceName: p.kerberosServiceName } : {}),
    };
    let caPem: string | undefined;
    if (settings.caFile) {
      const file = settings.caFile;
      caPem = await readFile(file, 'utf8').catch((e: unknown) => {
        throw new CodedError('ors.ca-file-unreadable', { path: file, reason: (e as NodeJS.ErrnoException).code ?? String(e) }, { field: 'caFile' });
      });
    }
    // The serial number the license server serves; while it is still being read, wait a little for it.
    const serial = (): Promise<string | undefined> => firstValueFrom(this.serial.serial$.pipe(filter((x) => x !== undefined), timeout({ first: 5_000, with: () => of(undefined) })));
    return this.connectionTest.run({ url: settings.backofficeUrl, proxy, ...(caPem ? { caPem } : {}), organisationId: settings.organisationId, verificationCode: code, serial });
  }

  // ---- helpers ------------------------------------------------------------------------------

  /**
   * The settings a test walks with: the unsaved form, checked as if enabled and as a form (greyed
   * sections are not checked); only what the connection needs must be right — an error elsewhere
   * (the ORS account) does not stop a test.
   */
  private connectionSettings(input: RemoteServiceInput, secrets: RemoteServiceSecretsInput): RemoteServiceSettings {
    const ctx = this.rulesContext();
    const r = validateRemoteService({ ...input, enabled: true }, secrets, ctx);
    if (r.ok) return r.settings;
    const relevant = connectionTestErrors(r.errors);
    if (relevant.length) throw codedErrorOf(relevant[0]!);
    const own = validateRemoteService(
      { enabled: true, organisationId: input.organisationId ?? '', backofficeUrl: input.backofficeUrl ?? '', caFile: input.caFile ?? '', proxy: input.proxy ?? { mode: 'none' } },
      {},
      { ...ctx, secretsSet: { verificationCode: true, proxyPassword: true, orsAccountPassword: true }, licenseServerRemote: false },
    );
    if (!own.ok) throw codedErrorOf(own.errors[0]!);
    return own.settings;
  }

  /** Secrets the form does not re-enter must be saved for the endpoints it sends them to: else ask again, saying why. */
  private async assertSecretsFor(endpoints: Readonly<Record<SecretName, string>>, input: RemoteServiceInput, given: RemoteServiceSecretsInput): Promise<void> {
    const saved = savedSecretEndpoints(this.settings.get().values);
    const usable = Object.fromEntries(SECRET_LIST.map((n) => [n, this.secrets.isSetFor(SECRET_NAMES[n], endpoints[n], saved[n])])) as Record<SecretName, boolean>;
    const r = validateRemoteService(input, given, { ...this.rulesContext(), secretsSet: usable });
    const refused = r.ok ? undefined : SECRET_LIST.find((n) => r.errors.some((e) => e.field === SECRET_FIELD[n]) && this.secrets.isSet(SECRET_NAMES[n]) && !usable[n]);
    if (!refused) return;
    // The store says why (the address it was saved for), at the field where it is entered.
    await this.secrets.getFor(SECRET_NAMES[refused], endpoints[refused], saved[refused]).catch((e: unknown) => {
      throw atField(e, SECRET_FIELD[refused]);
    });
  }

  /** The rules' context for the dialog's form (greyed sections are neither checked nor saved malformed). */
  private rulesContext(): RulesContext {
    const values = this.settings.get().values;
    // Set = saved for where the saved settings send it (see assertSecretsFor for a form's new addresses).
    const saved = savedSecretEndpoints(values);
    const secretsSet = Object.fromEntries(SECRET_LIST.map((n) => [n, this.secrets.isSetFor(SECRET_NAMES[n], saved[n])])) as Record<SecretName, boolean>;
    return { secretsSet, licenseServerRemote: readSelection(values)?.kind === 'remote', form: true, saved: readRemoteService(values), savedAccount: readOrsAccount(values) };
  }

  private view(): RemoteServiceView {
    const s = this.settings.get();
    const ctx = this.rulesContext();
    return { version: s.version, settings: readRemoteService(s.values), account: readOrsAccount(s.values), secretsSet: ctx.secretsSet, licenseServerRemote: ctx.licenseServerRemote === true };
  }

  private requireControl(): ServiceControl {
    if (!this.serviceControl) throw new CodedError('remote-service.no-service-control');
    return this.serviceControl;
  }

  /** Resolves when the service runs and has published its status again (a new process when one ran before). */
  private untilReported(control: ServiceControl, previousPid: number | undefined): Promise<ServiceState> {
    const ms = this.timings.reportTimeoutMs;
    return firstValueFrom(
      control.state$.pipe(
        filter((s) => s.kind === 'running' && s.status !== undefined && (previousPid === undefined || s.status.pid !== previousPid)),
        timeout({ first: ms, with: () => throwError(() => new CodedError('remote-service.restart-timeout', { seconds: Math.round(ms / 1000) })) }),
      ),
    );
  }
}
