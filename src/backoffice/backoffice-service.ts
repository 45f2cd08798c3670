import { randomUUID } from 'node:crypto';
import { CodedError } from '../common/errors.js';
import { addDays, isCalendarDate, toCalendarDate } from '../common/license/dates.js';
import type { LicenseFeature, LicensePayload, LicenseSigner } from '../common/license/model.js';
import { releaseAllowed, type Release, type ReleaseCheckResponse, type ReleaseListResponse } from '../common/backoffice/api.js';
import { generateVerificationCode, hashVerificationCode } from './auth/verification-code.js';
import type { BackofficeRepository, EntitlementRecord, IssueResult } from './store/repository.js';

export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CHECKSUM = /^sha256:[0-9a-f]{64}$/;

export interface EntitlementPatch {
  readonly maintenanceStart?: string;
  readonly maintenanceEnd?: string;
  /** YYYY-MM-DD or 'perpetual'. */
  readonly expiry?: string;
  readonly users?: number;
  /** Added, or replacing the feature with the same id. */
  readonly features?: readonly LicenseFeature[];
  readonly removeFeatures?: readonly string[];
  readonly graceDays?: number;
}

/** A field that breaks a rule, as the rule's own coded message (backoffice.field.*, en + de). */
function invalid(field: string, rule: string, params: Record<string, string | number> = {}): CodedError {
  return new CodedError(`backoffice.field.${rule}`, { field, ...params }, { field });
}

function checkIdentifier(field: string, v: string): void {
  if (!IDENTIFIER.test(v)) throw invalid(field, 'identifier');
}

function checkDate(field: string, v: string | undefined, allowPerpetual = false): void {
  if (v === undefined || (allowPerpetual && v === 'perpetual')) return;
  if (!isCalendarDate(v)) throw invalid(field, allowPerpetual ? 'date-or-perpetual' : 'date');
}

function checkCount(field: string, v: number | undefined, max: number): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > max)) throw invalid(field, 'range', { min: 0, max });
}

const sameEntitlement = (a: EntitlementRecord, b: EntitlementRecord): boolean =>
  a.maintenanceStart === b.maintenanceStart &&
  a.maintenanceEnd === b.maintenanceEnd &&
  a.expiry === b.expiry &&
  a.users === b.users &&
  a.graceDays === b.graceDays &&
  JSON.stringify(a.features) === JSON.stringify(b.features);

function checkPatch(patch: EntitlementPatch): void {
  checkDate('maintenanceStart', patch.maintenanceStart);
  checkDate('maintenanceEnd', patch.maintenanceEnd);
  checkDate('expiry', patch.expiry, true);
  checkCount('users', patch.users, 1_000_000);
  checkCount('graceDays', patch.graceDays, 365);
  const seen = new Set<string>();
  for (const [i, f] of (patch.features ?? []).entries()) {
    checkIdentifier(`features.${i}.id`, f.id);
    if (seen.has(f.id)) throw invalid(`features.${i}.id`, 'feature-twice');
    seen.add(f.id);
    checkCount(`features.${i}.count`, f.count, 1_000_000);
    checkDate(`features.${i}.expiry`, f.expiry);
  }
}

/** The payload of the license an entitlement issues (setEntitlement and its preview alike). */
function licensePayloadOf(
  ent: EntitlementRecord,
  inst: { readonly organisationId: string; readonly product: string },
  seq: number,
  previous: { readonly licenseId: string } | undefined,
  issuedAt: string,
  licenseId: string,
): LicensePayload {
  return {
    licenseId,
    serial: ent.serial,
    serviceOrganisation: inst.organisationId,
    seq,
    ...(previous ? { supersedes: previous.licenseId } : {}),
    issuedAt,
    notBefore: issuedAt,
    expiry: ent.expiry,
    maintenance: { start: ent.maintenanceStart, end: ent.maintenanceEnd },
    product: inst.product,
    features: ent.features.map((f) => ({ ...f })),
    users: ent.users,
    graceDays: ent.graceDays,
  };
}

/** The back office's rules, shared by the HTTP API and the vendor CLI. */
export class BackofficeService {
  constructor(
    readonly repo: BackofficeRepository,
    private readonly signer: LicenseSigner,
    private readonly now: () => number = Date.now,
  ) {}

  get kid(): string {
    return this.signer.kid;
  }

  /** Creates an organisation; returns its verification code (shown once, stored only as a slow hash). */
  async addOrganisation(id: string, name: string, code: string = generateVerificationCode()): Promise<{ id: string; code: string }> {
    checkIdentifier('id', id);
    if (name.length > 200) throw invalid('name', 'max-length', { limit: 200 });
    if (code.length < 8 || code.length > 128) throw invalid('verificationCode', 'length', { min: 8, max: 128 });
    await this.repo.addOrganisation({ id, name, codeHash: await hashVerificationCode(code), createdAt: this.isoNow() });
    return { id, code };
  }

  async addInstallation(serial: string, organisationId: string, product: string): Promise<void> {
    checkIdentifier('serial', serial);
    checkIdentifier('organisation', organisationId);
    checkIdentifier('product', product);
    await this.repo.addInstallation({ serial, organisationId, product, createdAt: this.isoNow() });
  }

  /** Applies the patch; issues a new signed license when anything changed (seq = previous + 1). */
  async setEntitlement(serial: string, patch: EntitlementPatch): Promise<IssueResult> {
    checkPatch(patch);
    const inst = await this.repo.getInstallation(serial);
    if (!inst) throw new CodedError('backoffice.installation.unknown', { serial });
    return this.repo.changeEntitlement(
      serial,
      (current) => {
        const next = this.nextEntitlement(serial, current, patch);
        return current && sameEntitlement(current, next) ? undefined : next;
      },
      (ent, seq, previous) => licensePayloadOf(ent, inst, seq, previous, this.isoNow(), randomUUID()),
      this.signer,
    );
  }

  /**
   * The license a patch would issue now, without issuing it (the website's preview): the same
   * entitlement rule and payload as setEntitlement. Undefined when the patch changes nothing.
   */
  async wouldIssue(serial: string, patch: EntitlementPatch): Promise<LicensePayload | undefined> {
    checkPatch(patch);
    const inst = await this.repo.getInstallation(serial);
    if (!inst) throw new CodedError('backoffice.installation.unknown', { serial });
    const current = await this.repo.getEntitlement(serial);
    const next = this.nextEntitlement(serial, current, patch);
    if (current && sameEntitlement(current, next)) return undefined;
    const previous = await this.repo.currentLicense(serial);
    return licensePayloadOf(next, inst, (previous?.seq ?? 0) + 1, previous, this.isoNow(), 'preview');
  }

  /** The entitlement after `patch` (defaults for a first one: a year of maintenance, one user, perpetual). */
  private nextEntitlement(serial: string, current: EntitlementRecord | undefined, patch: EntitlementPatch): EntitlementRecord {
    const today = toCalendarDate(this.now());
    const base: EntitlementRecord = current ?? {
      serial,
      maintenanceStart: today,
      maintenanceEnd: addDays(today, 365),
      expiry: 'perpetual',
      users: 1,
      features: [],
      graceDays: 14,
      updatedAt: '',
    };
    const removed = new Set([...(patch.removeFeatures ?? []), ...(patch.features ?? []).map((f) => f.id)]);
    const features = [...base.features.filter((f) => !removed.has(f.id)), ...(patch.features ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const next: EntitlementRecord = {
      serial,
      maintenanceStart: patch.maintenanceStart ?? base.maintenanceStart,
      maintenanceEnd: patch.maintenanceEnd ?? base.maintenanceEnd,
      expiry: patch.expiry ?? base.expiry,
      users: patch.users ?? base.users,
      features,
      graceDays: patch.graceDays ?? base.graceDays,
      updatedAt: this.isoNow(),
    };
    if (next.maintenanceEnd < next.maintenanceStart) throw invalid('maintenanceEnd', 'maintenance-order');
    return next;
  }

  async addRelease(r: Release): Promise<void> {
    checkIdentifier('product', r.product);
    checkIdentifier('version', r.version);
    checkDate('date', r.releaseDate);
    if (!CHECKSUM.test(r.checksum)) throw invalid('checksum', 'checksum');
    let url: URL;
    try {
      url = new URL(r.url);
    } catch {
      throw invalid('url', 'url');
    }
    if (!/^https?:$/.test(url.protocol) || r.url.length > 2048) throw invalid('url', 'url');
    await this.repo.addRelease(r);
  }

  /** SPEC F6 online: may this installation install the release? */
  async checkRelease(serial: string, product: string, version: string): Promise<ReleaseCheckResponse> {
    const release = await this.repo.getRelease(product, version);
    if (!release) throw new CodedError('backoffice.release.unknown', { product, version });
    const ent = await this.repo.getEntitlement(serial);
    const view = ent && { maintenance: { start: ent.maintenanceStart, end: ent.maintenanceEnd }, expiry: ent.expiry };
    const verdict = releaseAllowed(view ?? null, release.releaseDate, toCalendarDate(this.now()));
    return {
      serial,
      release,
      allowed: verdict.allowed,
      ...(verdict.allowed ? {} : { reason: verdict.reason }),
      maintenance: view ? view.maintenance : null,
    };
  }

  async listReleases(serial: string, product: string): Promise<ReleaseListResponse> {
    const ent = await this.repo.getEntitlement(serial);
    const view = ent && { maintenance: { start: ent.maintenanceStart, end: ent.maintenanceEnd }, expiry: ent.expiry };
    const today = toCalendarDate(this.now());
    const releases = (await this.repo.listReleases(product)).map((r) => {
      const v = releaseAllowed(view ?? null, r.releaseDate, today);
      return { ...r, allowed: v.allowed, ...(v.allowed ? {} : { reason: v.reason }) };
    });
    return { serial, releases };
  }

  isoNow(): string {
    return new Date(this.now()).toISOString();
  }
}
