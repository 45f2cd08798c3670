import { existsSync } from 'node:fs';
import { mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { licenseServerEndpoint } from '../../common/remote-service/secret-endpoints.js';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { Logger } from 'pino';
import {
  BehaviorSubject,
  catchError,
  combineLatest,
  defer,
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
import { CodedError, toErrorInfo, type ErrorInfo } from '../../common/errors.js';
import type { CheckId, CheckResult, InstallReport, LicensesService, LicensesStatus, SelectionView, ServedLicenseView, TestReport } from '../../common/license-server/licenses-api.js';
import {
  assertLicenseServerInput,
  ORS_ACCOUNT_PASSWORD_KEY,
  readAccount,
  readSelection,
  remoteFlsUrl,
  validateAccountPassword,
  type LicenseServerInput,
  type LicenseServerSelection,
  type OrsAccount,
} from '../../common/license-server/selection.js';
import type { FlsServedLicense } from '../../common/license/fls-api.js';
import { licenseState } from '../../common/license/validity.js';
import { parseUnc } from '../../common/unc.js';
import type { PluginSecrets, PluginSettings } from '../../services/settings/types.js';
import type { LicenseVerifier } from '../../services/license/signer.js';
import { loadVerifier } from '../../services/license/trust.js';
import { fetchFlsStatus } from '../../services/license-server/fls-client.js';
import type { LicenseServer } from '../../services/license-server/license-server.js';
import { createLocalLicenseServer } from '../../services/license-server/local-license-server.js';
import { createRemoteLicenseServer } from '../../services/license-server/remote-license-server.js';
import type { ShareClient, ShareCredentials, ShareLocation } from '../../services/share/share-client.js';
import { SHARE_CHECKS, type ShareCheck } from '../../services/share/share-errors.js';
import { SmbclientShareClient } from '../../services/share/smbclient-share-client.js';
import { UncShareClient } from '../../services/share/unc-share-client.js';
import { embeddedFls$ } from './embedded-fls.js';

export interface LicensesControllerOptions {
  readonly settings: PluginSettings;
  readonly secrets: PluginSecrets;
  /** The plugin's data folder: trusted keys in `trust/`, the embedded FLS's default folder. */
  readonly dataDir: string;
  readonly logger?: Logger;
  /** Trusted vendor keys (default: `<dataDir>/trust` if present, then $ORS_LICENSE_TRUST). */
  readonly trustPaths?: readonly string[];
  /** argv prefix running `ors`, for the embedded FLS. */
  readonly orsCommand?: readonly string[];
  readonly pollMs?: number;
  readonly shareClient?: ShareClient;
  readonly clock?: () => number;
}

/** How the selection is bound right now. */
type Binding =
  | { readonly kind: 'none' }
  | { readonly kind: 'starting'; readonly selection: LicenseServerSelection }
  | { readonly kind: 'faulted'; readonly selection: LicenseServerSelection; readonly error: ErrorInfo }
  | { readonly kind: 'bound'; readonly selection: LicenseServerSelection; readonly server: LicenseServer };

const ACTOR = 'console';
const SHARE_TIMEOUT_MS = 15_000;
const FLS_TIMEOUT_MS = 5_000;

/** The folder a local license server uses when none is given: under the plugin's data folder. */
export function defaultLocalFolder(dataDir: string): string {
  return path.join(dataDir, 'licenses');
}

export function defaultTrustPaths(dataDir: string): string[] {
  const own = path.join(dataDir, 'trust');
  const env = (process.env['ORS_LICENSE_TRUST'] ?? '').split(path.delimiter).filter(Boolean);
  return [...(existsSync(own) ? [own] : []), ...env];
}

function toView(l: FlsServedLicense, now: number): ServedLicenseView {
  const p = l.payload;
  return {
    serial: p.serial,
    product: p.product,
    licenseId: p.licenseId,
    expiry: p.expiry,
    maintenance: p.maintenance,
    features: p.features,
    users: p.users,
    seatsInUse: l.seatsInUse,
    file: l.file,
    state: licenseState(p, { now }),
  };
}

function locationOf(s: Extract<LicenseServerSelection, { kind: 'remote' }>): ShareLocation {
  const unc = parseUnc(s.share);
  return { host: unc.host, share: unc.share, folder: unc.folder, ...(s.smbPort ? { port: s.smbPort } : {}) };
}

function credentialsOf(account: OrsAccount, password: string | undefined): ShareCredentials {
  if (account.kind !== 'other' || !password) throw new CodedError('licenses.account-password-required', {}, { field: 'accountPassword' });
  return { username: account.username, password, ...(account.domain ? { domain: account.domain } : {}) };
}

function fieldError(e: { code: string; params?: Readonly<Record<string, string | number>>; field: string }): CodedError {
  return new CodedError(e.code, e.params ?? {}, { field: e.field });
}

/**
 * The Licenses area on the Node side: binds a LicenseServer to the stored selection (rebuilt when
 * the settings or the account password change), derives what it serves, and implements the
 * `licenses` RPC service. No member returns a secret.
 */
export class LicensesController implements LicensesService {
  readonly status: Observable<LicensesStatus>;
  readonly serial$: Observable<string | undefined>;
  private readonly binding$: Observable<Binding>;
  private readonly passwordEpoch = new BehaviorSubject(0);
  private readonly disposed$ = new Subject<void>();
  private readonly shareClient: ShareClient;
  private readonly clock: () => number;

  constructor(private readonly o: LicensesControllerOptions) {
    this.clock = o.clock ?? Date.now;
    this.shareClient = o.shareClient ?? (process.platform === 'win32' ? new UncShareClient() : new SmbclientShareClient());
    const selection$ = o.settings.changes$.pipe(
      map((s) => ({ selection: readSelection(s.values), account: readAccount(s.values) })),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
    );
    this.binding$ = combineLatest([selection$, this.passwordEpoch]).pipe(
      switchMap(([s]) => this.bind$(s.selection, s.account)),
      // Ends every binding (and stops an embedded FLS) even if a console still listens.
      takeUntil(this.disposed$),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    // Dates cross into the warning window while nothing else changes: re-derive hourly.
    const tick$ = timer(0, 3_600_000);
    this.status = combineLatest([this.binding$.pipe(switchMap((b) => this.serverStatus$(b))), tick$]).pipe(
      map(([f]) => f(this.clock())),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
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
    return combineLatest([this.o.settings.changes$, this.o.secrets.changes$]).pipe(map(() => this.view()));
  }

  async select(input: LicenseServerInput, expectedVersion: number, accountPassword?: string): Promise<SelectionView> {
    const given = typeof accountPassword === 'string' && accountPassword !== '';
    if (given) {
      const e = validateAccountPassword(accountPassword);
      if (e) throw fieldError(e);
    }
    const { selection, account } = assertLicenseServerInput(input, { passwordSet: this.o.secrets.isSet(ORS_ACCOUNT_PASSWORD_KEY), passwordGiven: given });
    const current = this.o.settings.get().version;
    if (current !== expectedVersion) throw new CodedError('settings.conflict', { expected: expectedVersion, actual: current });
    if (!given && selection.kind === 'remote' && account.kind === 'other') await this.storedPassword(selection);
    if (given) {
      await this.o.secrets.set(ORS_ACCOUNT_PASSWORD_KEY, accountPassword, ACTOR, licenseServerEndpoint(selection));
      this.passwordEpoch.next(this.passwordEpoch.value + 1);
    }
    await this.o.settings.update({ licenseServer: selection, orsAccount: account }, expectedVersion, ACTOR);
    this.o.logger?.info({ kind: selection.kind }, 'license server selected');
    return this.view();
  }

  async test(input: LicenseServerInput, accountPassword?: string): Promise<TestReport> {
    const given = typeof accountPassword === 'string' && accountPassword !== '';
    if (given) {
      const e = validateAccountPassword(accountPassword);
      if (e) throw fieldError(e);
    }
    const { selection, account } = assertLicenseServerInput(input, { passwordSet: this.o.secrets.isSet(ORS_ACCOUNT_PASSWORD_KEY), passwordGiven: given });
    const checks = selection.kind === 'local' ? await this.testLocal(selection) : await this.testRemote(selection, account, given ? accountPassword : await this.storedPassword(selection));
    return { ok: checks.every((c) => c.result === 'ok'), checks };
  }

  async installFile(text: string, confirmWorse = false): Promise<InstallReport> {
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
    const r = await binding.server.install(text, { confirmWorse });
    const serial = /^(.*)\.lic$/.exec(r.file)?.[1] ?? r.file;
    this.o.logger?.info({ file: r.file, pickupMs: Math.round(r.pickupMs) }, 'license installed from file');
    return { file: r.file, serial, changes: r.changes, pickupMs: Math.round(r.pickupMs) };
  }

  // ---- binding ------------------------------------------------------------------------------

  /** The stored password, only for the server it was saved for: another host asks for it again, saying why. */
  private storedPassword(selection: LicenseServerSelection): Promise<string | undefined> {
    const saved = licenseServerEndpoint(readSelection(this.o.settings.get().values));
    return this.o.secrets.getFor(ORS_ACCOUNT_PASSWORD_KEY, licenseServerEndpoint(selection), saved).catch((e: unknown) => {
      throw e instanceof CodedError ? new CodedError(e.code, e.params, { field: 'accountPassword', cause: e }) : e;
    });
  }

  private view(): SelectionView {
    const s = this.o.settings.get();
    const selection = readSelection(s.values);
    return { version: s.version, ...(selection ? { selection } : {}), account: readAccount(s.values), accountPasswordSet: this.o.secrets.isSet(ORS_ACCOUNT_PASSWORD_KEY) };
  }

  private verifier(): Promise<LicenseVerifier> {
    return loadVerifier(this.o.trustPaths ?? defaultTrustPaths(this.o.dataDir));
  }

  private bind$(selection: LicenseServerSelection | undefined, account: OrsAccount): Observable<Binding> {
    if (!selection) return of<Binding>({ kind: 'none' });
    const faulted = (e: unknown) => of<Binding>({ kind: 'faulted', selection, error: toErrorInfo(e) });
    const pollMs = this.o.pollMs ? { pollMs: this.o.pollMs } : {};
    if (selection.kind === 'local' && selection.flsUrl) {
      const flsUrl = selection.flsUrl;
      return defer(() => this.verifier()).pipe(
        map((verifier): Binding => ({ kind: 'bound', selection, server: createLocalLicenseServer({ folder: selection.folder, flsUrl, verifier, ...pollMs }) })),
        catchError(faulted),
      );
    }
    if (selection.kind === 'local') {
      const trustPaths = this.o.trustPaths ?? defaultTrustPaths(this.o.dataDir);
      return defer(() => this.verifier()).pipe(
        switchMap((verifier) =>
          embeddedFls$({
            folder: selection.folder,
            trustPaths,
            ...(this.o.orsCommand ? { command: this.o.orsCommand } : {}),
            ...(this.o.logger ? { logger: this.o.logger } : {}),
          }).pipe(
            map((fls): Binding =>
              fls.kind === 'starting'
                ? { kind: 'starting', selection }
                : { kind: 'bound', selection, server: createLocalLicenseServer({ folder: selection.folder, flsUrl: fls.url, verifier, ...pollMs }) },
            ),
          ),
        ),
        catchError(faulted),
      );
    }
    const endpoint = licenseServerEndpoint(selection);
    return defer(async () => ({ verifier: await this.verifier(), password: await this.o.secrets.getFor(ORS_ACCOUNT_PASSWORD_KEY, endpoint).catch(() => undefined) })).pipe(
      map(({ verifier, password }): Binding => ({
        kind: 'bound',
        selection,
        server: createRemoteLicenseServer({
          shareClient: this.shareClient,
          location: locationOf(selection),
          credentials: credentialsOf(account, password),
          flsUrl: remoteFlsUrl(selection),
          verifier,
          shareTimeoutMs: SHARE_TIMEOUT_MS,
          ...pollMs,
        }),
      })),
      catchError(faulted),
    );
  }

  /** What the binding serves, as a function of "now" (so dates are re-evaluated without a new fetch). */
  private serverStatus$(b: Binding): Observable<(now: number) => LicensesStatus> {
    const selection: LicensesStatus['selection'] = b.kind === 'none' ? 'none' : b.selection.kind;
    const empty = { licenses: [], problems: [] };
    const fixed = (server: LicensesStatus['server']) => of((): LicensesStatus => ({ selection, server, ...empty }));
    if (b.kind === 'none') return fixed({ kind: 'not-configured' });
    if (b.kind === 'starting') return fixed({ kind: 'checking' });
    if (b.kind === 'faulted') return fixed({ kind: 'unreachable', error: b.error });
    return b.server.status$.pipe(
      map((s) => (now: number): LicensesStatus => {
        if (s.kind === 'checking') return { selection, server: { kind: 'checking' }, ...empty };
        if (s.kind === 'unreachable') return { selection, server: { kind: 'unreachable', error: s.error, checkedAt: s.checkedAt }, ...empty };
        return {
          selection,
          server: { kind: 'reachable', checkedAt: s.checkedAt },
          licenses: s.fls.licenses.map((l) => toView(l, now)),
          problems: s.fls.problems,
        };
      }),
    );
  }

  // ---- tests ----------------------------------------------------------------------------------

  private async testLocal(s: Extract<LicenseServerSelection, { kind: 'local' }>): Promise<CheckResult[]> {
    const checks: CheckResult[] = [];
    const folderCheck = await (async (): Promise<CheckResult> => {
      try {
        await mkdir(s.folder, { recursive: true });
        if (!(await stat(s.folder)).isDirectory()) throw new Error('not a folder');
        return { id: 'folder', result: 'ok' };
      } catch (e) {
        return { id: 'folder', result: 'failed', error: { code: 'licenses.folder-not-writable', params: { folder: s.folder, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message } } };
      }
    })();
    checks.push(folderCheck);
    if (folderCheck.result === 'ok') {
      const probe = path.join(s.folder, `.ors-write-test-${randomBytes(6).toString('hex')}`);
      try {
        await writeFile(probe, 'ORS write test\n');
        await unlink(probe);
        checks.push({ id: 'write', result: 'ok' });
      } catch (e) {
        checks.push({ id: 'write', result: 'failed', error: { code: 'licenses.folder-not-writable', params: { folder: s.folder, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message } } });
      }
    } else checks.push({ id: 'write', result: 'skipped' });
    if (s.flsUrl) checks.push(await this.flsCheck(s.flsUrl));
    else {
      // The embedded FLS is started on save; what it needs is the vendor's public keys.
      try {
        await this.verifier();
        checks.push({ id: 'trust', result: 'ok' });
      } catch (e) {
        checks.push({ id: 'trust', result: 'failed', error: toErrorInfo(e) });
      }
    }
    return checks;
  }

  private async flsCheck(url: string): Promise<CheckResult> {
    try {
      await fetchFlsStatus(url, FLS_TIMEOUT_MS);
      return { id: 'fls', result: 'ok' };
    } catch (e) {
      return { id: 'fls', result: 'failed', error: toErrorInfo(e) };
    }
  }

  private async testRemote(s: Extract<LicenseServerSelection, { kind: 'remote' }>, account: OrsAccount, password: string | undefined): Promise<CheckResult[]> {
    const share = (async (): Promise<CheckResult[]> => {
      try {
        await this.shareClient.test(locationOf(s), credentialsOf(account, password), { timeoutMs: SHARE_TIMEOUT_MS });
        return SHARE_CHECKS.map((id) => ({ id, result: 'ok' as const }));
      } catch (e) {
        const info = toErrorInfo(e);
        const failed = (info.params?.['check'] as ShareCheck | undefined) ?? 'host';
        const at = SHARE_CHECKS.indexOf(failed);
        return SHARE_CHECKS.map((id, i): CheckResult => (i < at ? { id, result: 'ok' } : i === at ? { id: id as CheckId, result: 'failed', error: info } : { id, result: 'skipped' }));
      }
    })();
    const [fls, rest] = await Promise.all([this.flsCheck(remoteFlsUrl(s)), share]);
    return [fls, ...rest];
  }
}
