import { randomUUID } from 'node:crypto';
import { releaseAllowed, type Release } from '../common/backoffice/api.js';
import {
  applyAssistanceReport,
  ASSISTANCE_TTL_MS,
  assistanceStateAt,
  isOpenAssistance,
  assistanceMessageProblem,
  type AssistanceReport,
  type AssistanceRequest,
} from '../common/backoffice/assistance.js';
import {
  STAFF_NAME_PATTERN,
  STAFF_ROLES,
  type EntitlementChangeResponse,
  type EntitlementEdit,
  type EntitlementPreview,
  type InstallationDetail,
  type InstallationPage,
  type InstallationQuery,
  type InstallationSummary,
  type ReleaseInstallations,
  type StaffReleaseList,
  type StaffRole,
  type StaffUser,
} from '../common/backoffice/staff-api.js';
import { CodedError } from '../common/errors.js';
import { entitlementChanges, losses } from '../common/license/compare.js';
import { toCalendarDate } from '../common/license/dates.js';
import { checkStaffPassword, dummyStaffHash, hashStaffPassword, verifyStaffPassword } from './auth/staff-password.js';
import { IDENTIFIER, type BackofficeService, type EntitlementPatch } from './backoffice-service.js';
import { payloadOf } from './store/installation-status.js';
import type { AssistanceRecord, BackofficeRepository, InstallationRow } from './store/repository.js';

/** How long a finished request stays "current" for the installation (so it sees a withdrawal or an expiry). */
const RECENT_MS = 15 * 60_000;

const unknown = (serial: string): CodedError => new CodedError('backoffice.installation.unknown', { serial });

/**
 * The website's rules (issue 14): staff accounts, who sees what (a technician the own
 * organisation's installations, a vendor administrator all of them), the installations' list and
 * page, entitlement edits with the preview, releases, and remote assistance on request. Every
 * change is audited. Another organisation's installation is "unknown" (404), never "forbidden".
 */
export class StaffService {
  constructor(
    private readonly service: BackofficeService,
    private readonly now: () => number = Date.now,
  ) {}

  private get repo(): BackofficeRepository {
    return this.service.repo;
  }

  private iso(ms = this.now()): string {
    return new Date(ms).toISOString();
  }

  // ---- accounts (vendor CLI) ----

  async addUser(organisationId: string, name: string, role: StaffRole, password: string): Promise<void> {
    if (!STAFF_NAME_PATTERN.test(name)) throw new CodedError('validation.invalid', { field: 'name', reason: 'letters, digits, ".", "_", "@", "-" (1–64)' }, { field: 'name' });
    if (!(STAFF_ROLES as readonly string[]).includes(role)) throw new CodedError('validation.invalid', { field: 'role', reason: STAFF_ROLES.join(', ') }, { field: 'role' });
    checkStaffPassword(password);
    await this.repo.addStaffUser({ name, organisationId, role, passwordHash: await hashStaffPassword(password), createdAt: this.iso() });
    await this.audit({ actorKind: 'vendor', actor: 'cli', organisationId, serial: null, action: 'staff.add', detail: { name, role } });
  }

  async removeUser(name: string): Promise<boolean> {
    const user = await this.repo.getStaffUser(name);
    const removed = await this.repo.removeStaffUser(name);
    if (removed) await this.audit({ actorKind: 'vendor', actor: 'cli', organisationId: user?.organisationId ?? null, serial: null, action: 'staff.remove', detail: { name } });
    return removed;
  }

  /** The account, when name and password match; an unknown name costs the same slow hash. */
  async authenticate(name: string, password: string): Promise<StaffUser | undefined> {
    const u = STAFF_NAME_PATTERN.test(name) ? await this.repo.getStaffUser(name) : undefined;
    const ok = await verifyStaffPassword(password, u?.passwordHash ?? (await dummyStaffHash()));
    return ok && u ? { name: u.name, organisationId: u.organisationId, role: u.role } : undefined;
  }

  /** The account behind a session, if it still exists. */
  async user(name: string): Promise<StaffUser | undefined> {
    const u = await this.repo.getStaffUser(name);
    return u && { name: u.name, organisationId: u.organisationId, role: u.role };
  }

  // ---- installations ----

  private scope(user: StaffUser, organisation?: string): string | undefined {
    return user.role === 'vendor-admin' ? organisation : user.organisationId;
  }

  /** The installation, if this user may see it; otherwise "unknown", exactly as if it did not exist. */
  private async visible(user: StaffUser, serial: string): Promise<InstallationRow> {
    const row = IDENTIFIER.test(serial) ? await this.repo.getInstallationRow(serial) : undefined;
    if (!row || (user.role !== 'vendor-admin' && row.organisationId !== user.organisationId)) throw unknown(serial);
    return row;
  }

  async mayView(user: StaffUser, serial: string): Promise<boolean> {
    return this.visible(user, serial).then(
      () => true,
      () => false,
    );
  }

  private summary(row: InstallationRow, assistance: AssistanceRequest | undefined): InstallationSummary {
    return {
      serial: row.serial,
      organisationId: row.organisationId,
      product: row.product,
      productVersion: row.productVersion,
      orsVersion: row.orsVersion,
      hostname: row.hostname,
      lastContactAt: row.lastContactAt,
      lastSeenAt: row.lastSeenAt,
      served: row.served && { licenseId: row.served.licenseId, seq: row.served.seq, issuedAt: row.served.issuedAt, fetchedAt: row.served.fetchedAt, payload: payloadOf(row.served.armoured) },
      installed: row.installedLicenseId !== null && row.installedSeq !== null ? { licenseId: row.installedLicenseId, seq: row.installedSeq } : null,
      pending: row.pendingKind && row.served ? { kind: row.pendingKind, licenseId: row.served.licenseId, seq: row.served.seq, reason: row.pendingReason } : null,
      assistance: assistance && isOpenAssistance(assistanceStateAt(assistance, this.now())) ? assistance : null,
    };
  }

  async list(user: StaffUser, q: InstallationQuery): Promise<InstallationPage> {
    const organisationId = this.scope(user, q.organisation);
    const { total, rows } = await this.repo.listInstallations({
      ...(organisationId !== undefined ? { organisationId } : {}),
      ...(q.q ? { q: q.q } : {}),
      ...(q.status ? { status: q.status } : {}),
      sort: q.sort,
      order: q.order,
      offset: q.offset,
      limit: q.limit,
      now: this.now(),
    });
    const open = await Promise.all(rows.map((r) => this.repo.currentAssistance(r.serial, this.iso(this.now() - RECENT_MS))));
    return { total, offset: q.offset, items: rows.map((r, i) => this.summary(r, open[i])) };
  }

  async detail(user: StaffUser, serial: string): Promise<InstallationDetail> {
    const row = await this.visible(user, serial);
    const [ent, licenses, receipts, heartbeats, assistance, audit] = await Promise.all([
      this.repo.getEntitlement(serial),
      this.repo.listLicenses(serial),
      this.repo.listReceipts(serial),
      this.repo.listHeartbeats(serial, 50),
      this.repo.listAssistance(serial, 20),
      this.repo.listAudit(serial, 50),
    ]);
    return {
      summary: this.summary(row, assistance[0]),
      entitlement: ent
        ? { maintenance: { start: ent.maintenanceStart, end: ent.maintenanceEnd }, expiry: ent.expiry, users: ent.users, features: ent.features, graceDays: ent.graceDays, updatedAt: ent.updatedAt }
        : null,
      licenses: licenses
        .slice()
        .reverse()
        .slice(0, 50)
        .map((l) => ({ licenseId: l.licenseId, seq: l.seq, issuedAt: l.issuedAt, fetchedAt: l.fetchedAt, payload: payloadOf(l.armoured) })),
      receipts: receipts
        .slice()
        .reverse()
        .slice(0, 100)
        .map((r) => ({ id: r.id, serial: r.serial, licenseId: r.licenseId, seq: r.seq, kind: r.kind, reason: r.reason, receivedAt: r.receivedAt })),
      heartbeats,
      assistance,
      audit,
    };
  }

  /** The edit as a patch of every field (features not listed any more are removed). */
  private async patchOf(serial: string, edit: EntitlementEdit): Promise<EntitlementPatch> {
    const current = await this.repo.getEntitlement(serial);
    const keep = new Set(edit.features.map((f) => f.id));
    return {
      users: edit.users,
      maintenanceStart: edit.maintenanceStart,
      maintenanceEnd: edit.maintenanceEnd,
      expiry: edit.expiry,
      features: edit.features,
      removeFeatures: (current?.features ?? []).map((f) => f.id).filter((id) => !keep.has(id)),
    };
  }

  /**
   * What the installation's console will announce for this edit: the entitlement diff and the kind
   * (installed, or waiting for confirmation when it takes something away) against the license the
   * installation has — its last reported install, else the one served — by the rules the ORS
   * service applies (common/license/compare).
   */
  async preview(user: StaffUser, serial: string, edit: EntitlementEdit): Promise<EntitlementPreview> {
    const row = await this.visible(user, serial);
    const next = await this.service.wouldIssue(serial, await this.patchOf(serial, edit));
    const baseRecord = row.installedLicenseId ? (await this.repo.listLicenses(serial)).find((l) => l.licenseId === row.installedLicenseId) : row.served ?? undefined;
    const base = baseRecord ? payloadOf(baseRecord.armoured) : undefined;
    const changes = next && base ? entitlementChanges(base, next) : [];
    return {
      serial,
      kind: next && base && losses(base, next).length > 0 ? 'awaiting-confirmation' : 'installed',
      changes,
      base: baseRecord ? { licenseId: baseRecord.licenseId, seq: baseRecord.seq } : null,
    };
  }

  /** Only a vendor administrator changes an entitlement (issue 14 lists entitlements under the vendor's administration). */
  async changeEntitlement(user: StaffUser, serial: string, edit: EntitlementEdit): Promise<EntitlementChangeResponse> {
    const row = await this.visible(user, serial);
    if (user.role !== 'vendor-admin') throw new CodedError('backoffice.staff.forbidden');
    const preview = await this.preview(user, serial, edit);
    const before = await this.repo.getEntitlement(serial);
    const r = await this.service.setEntitlement(serial, await this.patchOf(serial, edit));
    if (r.license) {
      const e = r.entitlement;
      const detail: Record<string, string | number | null> = { seq: r.license.seq };
      if (before?.users !== e.users) detail['users'] = `${before?.users ?? '–'} → ${e.users}`;
      if (before?.maintenanceEnd !== e.maintenanceEnd) detail['maintenanceEnd'] = `${before?.maintenanceEnd ?? '–'} → ${e.maintenanceEnd}`;
      if (before?.maintenanceStart !== e.maintenanceStart) detail['maintenanceStart'] = `${before?.maintenanceStart ?? '–'} → ${e.maintenanceStart}`;
      if (before?.expiry !== e.expiry) detail['expiry'] = `${before?.expiry ?? '–'} → ${e.expiry}`;
      const features = (f: readonly { id: string }[] | undefined) => (f ?? []).map((x) => x.id).join(',') || '–';
      if (features(before?.features) !== features(e.features)) detail['features'] = `${features(before?.features)} → ${features(e.features)}`;
      await this.audit({ actorKind: 'staff', actor: user.name, organisationId: row.organisationId, serial, action: 'entitlement.change', detail });
    }
    return { preview, license: r.license ? { licenseId: r.license.licenseId, seq: r.license.seq } : null };
  }

  // ---- releases (SPEC F6) ----

  async releases(user: StaffUser): Promise<StaffReleaseList> {
    const today = toCalendarDate(this.now());
    const org = this.scope(user);
    const out: StaffReleaseList['releases'][number][] = [];
    for (const product of await this.repo.listProducts()) {
      const releases = await this.repo.listReleases(product);
      if (!releases.length) continue;
      const candidates = await this.repo.listReleaseCandidates(product, org);
      for (const r of releases) {
        const allowed = candidates.filter((c) => releaseAllowed(c.maintenance && { maintenance: c.maintenance, expiry: c.expiry ?? 'perpetual' }, r.releaseDate, today).allowed).length;
        out.push({ ...r, allowed, installations: candidates.length });
      }
    }
    return { releases: out };
  }

  async releaseInstallations(user: StaffUser, product: string, version: string, offset: number, limit: number): Promise<ReleaseInstallations> {
    const release = IDENTIFIER.test(product) && IDENTIFIER.test(version) ? await this.repo.getRelease(product, version) : undefined;
    if (!release) throw new CodedError('backoffice.release.unknown', { product, version });
    const today = toCalendarDate(this.now());
    const candidates = await this.repo.listReleaseCandidates(product, this.scope(user));
    const items = candidates.slice(offset, offset + limit).map((c) => {
      const v = releaseAllowed(c.maintenance && { maintenance: c.maintenance, expiry: c.expiry ?? 'perpetual' }, release.releaseDate, today);
      return { serial: c.serial, organisationId: c.organisationId, allowed: v.allowed, ...(v.allowed ? {} : { reason: v.reason }) };
    });
    return { release, total: candidates.length, offset, items };
  }

  async addRelease(user: StaffUser, r: Release): Promise<Release> {
    if (user.role !== 'vendor-admin') throw new CodedError('backoffice.staff.forbidden');
    await this.service.addRelease(r);
    await this.audit({ actorKind: 'staff', actor: user.name, organisationId: user.organisationId, serial: null, action: 'release.add', detail: { product: r.product, version: r.version, date: r.releaseDate } });
    return r;
  }

  // ---- remote assistance on request ----

  async requestAssistance(user: StaffUser, serial: string, message: string): Promise<AssistanceRequest> {
    const row = await this.visible(user, serial);
    const problem = assistanceMessageProblem(message);
    if (problem) throw new CodedError(`backoffice.field.${problem.rule}`, { field: 'message', ...('limit' in problem ? { limit: problem.limit } : {}) }, { field: 'message' });
    const text = message.trim();
    const now = this.now();
    const r: AssistanceRecord = {
      id: randomUUID(),
      serial,
      organisationId: row.organisationId,
      requestedBy: user.name,
      message: text,
      state: 'requested',
      createdAt: this.iso(now),
      updatedAt: this.iso(now),
      expiresAt: this.iso(now + ASSISTANCE_TTL_MS),
      teamViewerId: null,
      reason: null,
    };
    const stored = await this.repo.createAssistance(r, now);
    await this.audit({ actorKind: 'staff', actor: user.name, organisationId: row.organisationId, serial, action: 'assistance.request', detail: { request: r.id } });
    return stored;
  }

  async cancelAssistance(user: StaffUser, serial: string, id: string): Promise<AssistanceRequest> {
    const row = await this.visible(user, serial);
    const next = await this.repo.updateAssistance(id, (cur) => {
      if (cur.serial !== serial) throw new CodedError('backoffice.assistance.unknown', { id });
      const state = assistanceStateAt(cur, this.now());
      if (state !== 'requested' && state !== 'delivered') throw new CodedError('backoffice.assistance.closed', { state: { code: `backoffice.assistance.state.${state}` } });
      return { ...cur, state: 'cancelled', updatedAt: this.iso() };
    });
    if (!next) throw new CodedError('backoffice.assistance.unknown', { id });
    await this.audit({ actorKind: 'staff', actor: user.name, organisationId: row.organisationId, serial, action: 'assistance.cancel', detail: { request: id } });
    return next;
  }

  /** The installation's current request: open, or finished within the last minutes (so it sees how it ended). */
  currentAssistance(serial: string): Promise<AssistanceRequest | undefined> {
    return this.repo.currentAssistance(serial, this.iso(this.now() - RECENT_MS));
  }

  /** What the installation reports (delivered, not-allowed, declined, started + ID, ended, failed), by the one transition rule. */
  async reportAssistance(serial: string, organisationId: string, id: string, report: AssistanceReport): Promise<AssistanceRequest> {
    const next = await this.repo.updateAssistance(id, (cur) => {
      if (cur.serial !== serial) throw new CodedError('backoffice.assistance.unknown', { id });
      const state = applyAssistanceReport(assistanceStateAt(cur, this.now()), report.kind);
      if (state === 'refused') throw new CodedError('backoffice.assistance.closed', { state: { code: `backoffice.assistance.state.${assistanceStateAt(cur, this.now())}` } });
      return { ...cur, state, updatedAt: this.iso(), teamViewerId: report.teamViewerId ?? cur.teamViewerId, reason: report.reason ?? cur.reason };
    });
    if (!next) throw new CodedError('backoffice.assistance.unknown', { id });
    await this.audit({
      actorKind: 'installation',
      actor: serial,
      organisationId,
      serial,
      action: 'assistance.report',
      detail: { request: id, kind: report.kind, ...(report.reason ? { reason: report.reason } : {}), ...(report.teamViewerId ? { teamViewerId: report.teamViewerId } : {}) },
    });
    return next;
  }

  // ---- audit ----

  async audit(e: { actorKind: 'staff' | 'installation' | 'vendor'; actor: string; organisationId: string | null; serial: string | null; action: string; detail: Record<string, string | number | null> }): Promise<void> {
    await this.repo.addAudit({ at: this.iso(), ...e });
  }
}
