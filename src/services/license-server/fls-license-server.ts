import equal from 'fast-deep-equal';
import { createHash } from 'node:crypto';
import { catchError, defer, distinctUntilChanged, from, map, of, shareReplay, startWith, switchMap, timer, type Observable } from 'rxjs';
import { CodedError, toErrorInfo } from '../../common/errors.js';
import { entitlementChanges, losses } from '../../common/license/compare.js';
import { assertLicenseValid } from '../../common/license/validity.js';
import { serialBindingError } from '../../common/license/serial-binding.js';
import type { FolderLicense, FolderProblem, FolderScan } from '../license/folder.js';
import type { LicenseVerifier } from '../license/signer.js';
import { fetchFlsStatus } from './fls-client.js';
import { LicenseWorseError, type InstallOptions, type InstallResult, type LicenseServer, type LicenseServerStatus } from './license-server.js';
import type { LicenseStore } from './license-store.js';

export interface FlsLicenseServerOptions {
  readonly store: LicenseStore;
  /** Base URL of the FLS HTTP API, e.g. http://127.0.0.1:27000 */
  readonly flsUrl: string;
  readonly verifier: LicenseVerifier;
  /** How often status$ asks the FLS (default 5 s). */
  readonly pollMs?: number;
  readonly requestTimeoutMs?: number;
  readonly clock?: () => number;
}

/**
 * The license server behind one interface, for both kinds: the local adapter uses a folder store,
 * the remote adapter a share store; both confirm through the FLS's own status.
 */
export class FlsLicenseServer implements LicenseServer {
  readonly status$: Observable<LicenseServerStatus>;
  private readonly clock: () => number;

  constructor(private readonly options: FlsLicenseServerOptions) {
    this.clock = options.clock ?? Date.now;
    const timeout = options.requestTimeoutMs ?? 5000;
    this.status$ = timer(0, options.pollMs ?? 5000).pipe(
      switchMap(() =>
        defer(() => from(fetchFlsStatus(options.flsUrl, timeout))).pipe(
          map((fls): LicenseServerStatus => ({ kind: 'reachable', fls, checkedAt: new Date(this.clock()).toISOString() })),
          catchError((e: unknown) => of<LicenseServerStatus>({ kind: 'unreachable', error: toErrorInfo(e), checkedAt: new Date(this.clock()).toISOString() })),
        ),
      ),
      startWith<LicenseServerStatus>({ kind: 'checking' }),
      distinctUntilChanged((a, b) => equal(withoutTime(a), withoutTime(b))),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
  }

  async readLicenses(): Promise<FolderScan> {
    return (await this.scan()).scan;
  }

  /** The folder's licenses, and the serial numbers of every genuine license in it (expired ones too: they still name the installation). */
  private async scan(): Promise<{ scan: FolderScan; serials: Map<string, string[]> }> {
    const now = this.clock();
    const valid: FolderLicense[] = [];
    const problems: FolderProblem[] = [];
    const serials = new Map<string, string[]>();
    for (const file of await this.options.store.list()) {
      try {
        const v = this.options.verifier.verify(await this.options.store.read(file));
        serials.set(v.payload.serial, [...(serials.get(v.payload.serial) ?? []), file]);
        assertLicenseValid(v.payload, { now });
        valid.push({ file, kid: v.kid, sha256: v.payloadSha256, payload: v.payload });
      } catch (e) {
        problems.push({ file, error: toErrorInfo(e) });
      }
    }
    const best = new Map<string, FolderLicense>();
    for (const l of valid) if ((best.get(l.payload.serial)?.payload.seq ?? -1) < l.payload.seq) best.set(l.payload.serial, l);
    const served = [...best.values()];
    return { scan: { served, superseded: valid.filter((l) => !served.includes(l)), problems }, serials };
  }

  async install(licenseText: string | Uint8Array, options: InstallOptions = {}): Promise<InstallResult> {
    const data = typeof licenseText === 'string' ? Buffer.from(licenseText, 'utf8') : Buffer.from(licenseText);
    // The same checks as the automatic path, before anything is touched.
    const incoming = this.options.verifier.verify(data);
    const p = incoming.payload;
    assertLicenseValid(p, { now: this.clock(), ...(options.serial !== undefined ? { serial: options.serial } : {}) });
    const { scan, serials } = await this.scan();
    // One installation per license server: another serial is refused (both named) unless the administrator replaces it.
    const binding = serialBindingError(p.serial, [...serials.keys()], options);
    if (binding) throw binding;
    const installed = scan.served.find((l) => l.payload.serial === p.serial);
    const file = `${p.serial}.lic`;
    let previous: string | undefined;
    let changes: InstallResult['changes'] = [];
    if (installed && installed.sha256 !== incoming.payloadSha256) {
      if (p.seq <= installed.payload.seq) throw new CodedError('license.not-newer', { seq: p.seq, installedSeq: installed.payload.seq });
      const lost = losses(installed.payload, p);
      if (lost.length && !options.confirmWorse) throw new LicenseWorseError(lost);
      changes = entitlementChanges(installed.payload, p);
      const old = await this.options.store.read(installed.file);
      previous = await this.options.store.keep(`${p.serial}.seq${installed.payload.seq}.${this.stamp()}.lic`, old);
    }
    if (installed?.sha256 !== incoming.payloadSha256) await this.options.store.write(file, data);
    // Replacing the installation: the other serials' licenses go to history/, so the server serves this one only.
    const replaced: { serial: string; kept: string }[] = [];
    for (const [serial, files] of serials) {
      if (serial === p.serial) continue;
      for (const f of files) {
        const kept = await this.options.store.keep(`${f}.replaced.${this.stamp()}.lic`, await this.options.store.read(f));
        await this.options.store.remove(f);
        replaced.push({ serial, kept });
      }
    }
    const pickupMs = await this.waitUntilServed(incoming.payloadSha256, options);
    const sha256 = createHash('sha256').update(data).digest('hex');
    return { file, sha256, changes, pickupMs, ...(previous !== undefined ? { previous } : {}), ...(replaced.length ? { replaced } : {}) };
  }

  private stamp(): string {
    return new Date(this.clock()).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  }

  dispose(): void {
    // status$ is cold with refCount: nothing runs once its subscribers are gone.
  }

  /** Polls the FLS until it serves the payload with this hash, or fails at the deadline. */
  private async waitUntilServed(payloadSha256: string, options: InstallOptions): Promise<number> {
    const deadlineMs = options.pickupDeadlineMs ?? 10_000;
    const t0 = performance.now();
    let last: unknown;
    for (;;) {
      options.signal?.throwIfAborted();
      try {
        const s = await fetchFlsStatus(this.options.flsUrl, Math.min(5000, deadlineMs));
        if (s.licenses.some((l) => l.sha256 === payloadSha256)) return performance.now() - t0;
      } catch (e) {
        last = e;
      }
      if (performance.now() - t0 > deadlineMs) {
        throw new CodedError('license-server.not-picked-up', { seconds: Math.round(deadlineMs / 1000), url: this.options.flsUrl }, { cause: last });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function withoutTime(s: LicenseServerStatus): unknown {
  if (s.kind === 'reachable') return { kind: s.kind, licenses: s.fls.licenses, problems: s.fls.problems };
  if (s.kind === 'unreachable') return { kind: s.kind, error: s.error };
  return s;
}
