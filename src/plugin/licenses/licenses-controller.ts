import { readOrsAccount, readSelection } from '../../common/settings/read-settings.js';
import equal from 'fast-deep-equal';
import { inject, injectable } from 'inversify';
import {
  BehaviorSubject,
  combineLatest,
  distinctUntilChanged,
  filter,
  firstValueFrom,
  map,
  of,
  shareReplay,
  Subject,
  switchMap,
  takeUntil,
  timeout,
  timer,
  type Observable,
} from 'rxjs';
import { Clock } from '../../common/clock.js';
import { CodedError, codedErrorOf } from '../../common/errors.js';
import type { InstallReport, LicensesService, LicensesStatus, SelectionView, TestReport } from '../../common/license-server/licenses-api.js';
import {
  assertLicenseServerInput,
  ORS_ACCOUNT_PASSWORD_KEY,
  validateAccountPassword,
  type LicenseServerInput,
  type LicenseServerSelection,
} from '../../common/license-server/selection.js';
import { licenseServerEndpoint } from '../../common/remote-service/secret-endpoints.js';
import { AuditLog, HostLogger, PluginSecrets, PluginSettings } from '../../host/api/index.js';
import { LicenseServerBinder, type Binding } from './license-server-binding.js';
import { LicenseServerChecks } from './license-server-checks.js';
import type { LicenseSerial } from './license-serial.js';

const ACTOR = 'console';



/**
 * The Licenses area on the Node side: binds a LicenseServer to the stored selection (rebuilt when
 * the settings or the account password change), derives what it serves, and implements the
 * `licenses` RPC service. No member returns a secret.
 */
@injectable()
export class LicensesController implements LicensesService, LicenseSerial {
  readonly status: Observable<LicensesStatus>;
  readonly serial$: Observable<string | undefined>;
  private readonly binding$: Observable<Binding>;
  private readonly passwordEpoch = new BehaviorSubject(0);
  private readonly disposed$ = new Subject<void>();

  constructor(
    @inject(PluginSettings) private readonly settings: PluginSettings,
    @inject(PluginSecrets) private readonly secrets: PluginSecrets,
    @inject(HostLogger) private readonly logger: HostLogger,
    @inject(Clock) private readonly clock: Clock,
    @inject(LicenseServerBinder) private readonly binder: LicenseServerBinder,
    @inject(LicenseServerChecks) private readonly checks: LicenseServerChecks,
    @inject(AuditLog) private readonly audit: AuditLog,
  ) {
    const selection$ = settings.changes$.pipe(
      map((s) => ({ selection: readSelection(s.values), account: readOrsAccount(s.values) })),
      // Rebound (an embedded FLS restarted) only when the selection or the account really changed.
      distinctUntilChanged(equal),
    );
    this.binding$ = combineLatest([selection$, this.passwordEpoch]).pipe(
      switchMap(([s]) => this.binder.bind$(s.selection, s.account)),
      // Ends every binding (and stops an embedded FLS) even if a console still listens.
      takeUntil(this.disposed$),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    // Dates cross into the warning window while nothing else changes: re-derive hourly.
    const tick$ = timer(0, 3_600_000);
    this.status = combineLatest([this.binding$.pipe(switchMap((b) => this.binder.serverStatus$(b))), tick$]).pipe(
      map(([f]) => f(this.clock.now())),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    this.serial$ = this.status.pipe(
      map((s) => s.licenses[0]?.serial),
      distinctUntilChanged(),
    );
  }

  /** Stops the binding; called when the plugin is deactivated. */
  dispose(): void {
    this.disposed$.next();
    this.disposed$.complete();
  }

  // ---- RPC surface ------------------------------------------------------------------------

  status$(): Observable<LicensesStatus> {
    return this.status;
  }

  selection$(): Observable<SelectionView> {
    return combineLatest([this.settings.changes$, this.secrets.changes$]).pipe(map(() => this.view()));
  }

  async select(input: LicenseServerInput, expectedVersion: number, accountPassword?: string): Promise<SelectionView> {
    const given = typeof accountPassword === 'string' && accountPassword !== '';
    if (given) {
      const e = validateAccountPassword(accountPassword);
      if (e) throw codedErrorOf(e);
    }
    const { selection, account } = assertLicenseServerInput(input, { passwordSet: this.secrets.isSet(ORS_ACCOUNT_PASSWORD_KEY), passwordGiven: given });
    const current = this.settings.get().version;
    if (current !== expectedVersion) throw new CodedError('settings.conflict', { expected: expectedVersion, actual: current });
    if (!given && selection.kind === 'remote' && account.kind === 'other') await this.storedPassword(selection);
    if (given) {
      await this.secrets.set(ORS_ACCOUNT_PASSWORD_KEY, accountPassword, ACTOR, licenseServerEndpoint(selection));
      this.passwordEpoch.next(this.passwordEpoch.value + 1);
    }
    await this.settings.update({ licenseServer: selection, orsAccount: account }, expectedVersion, ACTOR);
    this.logger.info({ kind: selection.kind }, 'license server selected');
    return this.view();
  }

  async test(input: LicenseServerInput, accountPassword?: string): Promise<TestReport> {
    const given = typeof accountPassword === 'string' && accountPassword !== '';
    if (given) {
      const e = validateAccountPassword(accountPassword);
      if (e) throw codedErrorOf(e);
    }
    const { selection, account } = assertLicenseServerInput(input, { passwordSet: this.secrets.isSet(ORS_ACCOUNT_PASSWORD_KEY), passwordGiven: given });
    const password = given ? accountPassword : selection.kind === 'remote' ? await this.storedPassword(selection) : undefined;
    const checks = await this.checks.run(selection, account, password);
    return { ok: checks.every((c) => c.result === 'ok'), checks };
  }

  async installFile(text: string, confirmWorse = false, replaceInstallation = false): Promise<InstallReport> {
    if (typeof text !== 'string') throw new CodedError('license.malformed', { reason: 'not text' });
    if (text.length > 256 * 1024) throw new CodedError('licenses.file-too-large');
    const binding = await firstValueFrom(
      this.binding$.pipe(
        filter((b): b is Exclude<Binding, { kind: 'starting' }> => b.kind !== 'starting'),
        timeout({ first: 30_000, with: () => of({ kind: 'none' } as const) }),
      ),
    );
    if (binding.kind === 'none') throw new CodedError('licenses.no-server');
    if (binding.kind === 'faulted') throw new CodedError(binding.error.code, binding.error.params ?? {});
    const r = await binding.server.install(text, { confirmWorse: confirmWorse === true, replaceInstallation: replaceInstallation === true });
    const serial = /^(.*)\.lic$/.exec(r.file)?.[1] ?? r.file;
    this.logger.info({ file: r.file, pickupMs: Math.round(r.pickupMs), replaced: r.replaced?.map((x) => x.serial) }, 'license installed from file');
    await this.audit.record({
      actor: ACTOR,
      action: r.replaced?.length ? 'license.replace-installation' : 'license.install-file',
      target: serial,
      nodeId: 'licenses',
      changes: [{ key: 'license.file', to: r.file }, ...(r.replaced ?? []).map((x) => ({ key: 'license.replaced', from: x.serial, to: serial }))],
    });
    return { file: r.file, serial, changes: r.changes, pickupMs: Math.round(r.pickupMs), ...(r.replaced?.length ? { replaced: r.replaced } : {}) };
  }

  /** The stored password, only for the server it was saved for: another host asks for it again, saying why. */
  private storedPassword(selection: LicenseServerSelection): Promise<string | undefined> {
    const saved = licenseServerEndpoint(readSelection(this.settings.get().values));
    return this.secrets.getFor(ORS_ACCOUNT_PASSWORD_KEY, licenseServerEndpoint(selection), saved).catch((e: unknown) => {
      throw e instanceof CodedError ? new CodedError(e.code, e.params, { field: 'accountPassword', cause: e }) : e;
    });
  }

  private view(): SelectionView {
    const s = this.settings.get();
    const selection = readSelection(s.values);
    return { version: s.version, ...(selection ? { selection } : {}), account: readOrsAccount(s.values), accountPasswordSet: this.secrets.isSet(ORS_ACCOUNT_PASSWORD_KEY) };
  }
}
