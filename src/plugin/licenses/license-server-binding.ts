import { inject, injectable } from 'inversify';
import { catchError, defer, map, of, switchMap, type Observable } from 'rxjs';
import { CodedError, toErrorInfo, type ErrorInfo } from '../../common/errors.js';
import type { LicensesStatus, ServedLicenseView } from '../../common/license-server/licenses-api.js';
import { ORS_ACCOUNT_PASSWORD_KEY, remoteFlsUrl, type LicenseServerSelection, type OrsAccount } from '../../common/license-server/selection.js';
import type { FlsServedLicense } from '../../common/license/fls-api.js';
import { licenseState } from '../../common/license/validity.js';
import { licenseServerEndpoint } from '../../common/remote-service/secret-endpoints.js';
import { parseUnc } from '../../common/unc.js';
import { HostLogger, PluginSecrets } from '../../host/api/index.js';
import type { LicenseVerifier } from '../../services/license/signer.js';
import { loadVerifier } from '../../services/license/trust.js';
import type { LicenseServer } from '../../services/license-server/license-server.js';
import { LicenseServerFactory } from '../../services/license-server/license-server-factory.js';
import type { ShareCredentials, ShareLocation } from '../../services/share/share-client.js';
import { embeddedFls$ } from './embedded-fls.js';
import { LicensesConfig, trustPathsOf } from './licenses-config.js';

/** How the selection is bound right now. */
export type Binding =
  | { readonly kind: 'none' }
  | { readonly kind: 'starting'; readonly selection: LicenseServerSelection }
  | { readonly kind: 'faulted'; readonly selection: LicenseServerSelection; readonly error: ErrorInfo }
  | { readonly kind: 'bound'; readonly selection: LicenseServerSelection; readonly server: LicenseServer };

export const SHARE_TIMEOUT_MS = 15_000;

export function locationOf(s: Extract<LicenseServerSelection, { kind: 'remote' }>): ShareLocation {
  const unc = parseUnc(s.share);
  return { host: unc.host, share: unc.share, folder: unc.folder, ...(s.smbPort ? { port: s.smbPort } : {}) };
}

export function credentialsOf(account: OrsAccount, password: string | undefined): ShareCredentials {
  if (account.kind !== 'other' || !password) throw new CodedError('ors-account.password-required', {}, { field: 'accountPassword' });
  return { username: account.username, password, ...(account.domain ? { domain: account.domain } : {}) };
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

/**
 * Binds a LicenseServer to a selection: a local folder with the FLS at a URL or an embedded FLS
 * the console runs, or a remote FLS with its shared license folder (the ORS account's password
 * from the secrets store). A binding that cannot be made is 'faulted' with the reason.
 */
@injectable()
export class LicenseServerBinder {
  constructor(
    @inject(LicenseServerFactory) private readonly servers: LicenseServerFactory,
    @inject(PluginSecrets) private readonly secrets: PluginSecrets,
    @inject(LicensesConfig) private readonly config: LicensesConfig,
    @inject(HostLogger) private readonly logger: HostLogger,
  ) {}

  verifier(): Promise<LicenseVerifier> {
    return loadVerifier(trustPathsOf(this.config));
  }

  bind$(selection: LicenseServerSelection | undefined, account: OrsAccount): Observable<Binding> {
    if (!selection) return of<Binding>({ kind: 'none' });
    const faulted = (e: unknown) => of<Binding>({ kind: 'faulted', selection, error: toErrorInfo(e) });
    const pollMs = this.config.pollMs ? { pollMs: this.config.pollMs } : {};
    if (selection.kind === 'local' && selection.flsUrl) {
      const flsUrl = selection.flsUrl;
      return defer(() => this.verifier()).pipe(
        map((verifier): Binding => ({ kind: 'bound', selection, server: this.servers.local({ folder: selection.folder, flsUrl, verifier, ...pollMs }) })),
        catchError(faulted),
      );
    }
    if (selection.kind === 'local') {
      return defer(() => this.verifier()).pipe(
        switchMap((verifier) =>
          embeddedFls$({
            folder: selection.folder,
            trustPaths: trustPathsOf(this.config),
            ...(this.config.orsCommand ? { command: this.config.orsCommand } : {}),
            logger: this.logger,
          }).pipe(
            map((fls): Binding =>
              fls.kind === 'starting'
                ? { kind: 'starting', selection }
                : { kind: 'bound', selection, server: this.servers.local({ folder: selection.folder, flsUrl: fls.url, verifier, ...pollMs }) },
            ),
          ),
        ),
        catchError(faulted),
      );
    }
    const endpoint = licenseServerEndpoint(selection);
    return defer(async () => ({ verifier: await this.verifier(), password: await this.secrets.getFor(ORS_ACCOUNT_PASSWORD_KEY, endpoint).catch(() => undefined) })).pipe(
      map(({ verifier, password }): Binding => ({
        kind: 'bound',
        selection,
        server: this.servers.remote({
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
  serverStatus$(b: Binding): Observable<(now: number) => LicensesStatus> {
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
}
