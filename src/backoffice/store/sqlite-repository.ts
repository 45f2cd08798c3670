import Database from 'better-sqlite3';
import { CodedError } from '../../common/errors.js';
import type { Release } from '../../common/backoffice/api.js';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { ASSISTANCE_COLUMNS, assistanceParams, str, toAssistance, toAudit, toEntitlement, toHeartbeat, toInstallation, toInstallationRow, toLicense, toReceipt, toRelease, toStaffUser, type Row } from './rows.js';
import { INSTALLATION_ROW_COLUMNS, INSTALLATION_ROW_FROM, installationListSql } from './installation-list.js';
import { statusOf } from './installation-status.js';
import { assistanceStateAt, isOpenAssistance } from '../../common/backoffice/assistance.js';
import type { AuditEntry, HeartbeatEntry } from '../../common/backoffice/staff-api.js';
import type {
  AssistanceRecord,
  BackofficeRepository,
  ChangeKind,
  ChangeRecord,
  Disposable,
  InstallationListQuery,
  InstallationRow,
  ReleaseCandidate,
  StaffUserRecord,
  EntitlementChange,
  EntitlementRecord,
  InstallationRecord,
  IssueResult,
  LicenseIssuer,
  LicenseRecord,
  OrganisationRecord,
  ReceiptRecord,
  SessionRecord,
  SessionSubject,
  StoreHealth,
  ThrottleRecord,
} from './repository.js';
import type { LicensePayload } from '../../common/license/model.js';

function isConstraint(e: unknown, kind: string): boolean {
  return e instanceof Error && 'code' in e && String((e as { code: unknown }).code) === kind;
}

const sqliteCode = (e: unknown): string => (e instanceof Error && 'code' in e ? String((e as { code: unknown }).code) : '');

/** An error opening the file as a coded error naming the file and what to do. */
function openError(file: string, e: unknown): CodedError {
  const code = sqliteCode(e) || ((e as NodeJS.ErrnoException).code ?? '');
  const reason = code || (e instanceof Error ? e.message : String(e));
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
    return new CodedError('backoffice.database.damaged', { path: file, reason }, { cause: e });
  return new CodedError('backoffice.database.open-failed', { path: file, reason }, { cause: e });
}

/**
 * SQLite storage (better-sqlite3, WAL, synchronous=FULL). Several processes may open the same file
 * (the server and vendor CLI commands): writes take the write lock up front (BEGIN IMMEDIATE) and
 * wait up to `busyTimeoutMs` for it.
 */
export class SqliteBackofficeRepository implements BackofficeRepository {
  private readonly db: Database.Database;
  private readonly stmts;
  private readonly localIssued: string[] = [];
  private readonly watchers = new Set<() => void>();
  /** Told when this connection wrote changes (data_version only moves for other connections' commits). */
  private readonly changeWatchers = new Set<() => void>();

  constructor(
    private readonly file: string,
    options: { busyTimeoutMs?: number } = {},
  ) {
    try {
      this.db = new Database(file, { timeout: options.busyTimeoutMs ?? 10_000 });
    } catch (e) {
      throw openError(file, e);
    }
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      this.migrate();
    } catch (e) {
      this.db.close();
      throw openError(file, e);
    }
    const db = this.db;
    this.stmts = {
      insertOrg: db.prepare('INSERT INTO organisations (id, name, code_hash, created_at) VALUES (?, ?, ?, ?)'),
      getOrg: db.prepare('SELECT * FROM organisations WHERE id = ?'),
      insertInst: db.prepare('INSERT INTO installations (serial, organisation_id, product, created_at) VALUES (?, ?, ?, ?)'),
      getInst: db.prepare('SELECT * FROM installations WHERE serial = ?'),
      heartbeat: db.prepare(
        'UPDATE installations SET product_version = ?, ors_version = ?, hostname = ?, last_seen_at = ? WHERE serial = ? RETURNING *',
      ),
      getEnt: db.prepare('SELECT * FROM entitlements WHERE serial = ?'),
      upsertEnt: db.prepare(
        `INSERT INTO entitlements (serial, maintenance_start, maintenance_end, expiry, users, features, grace_days, updated_at)
         VALUES (@serial, @maintenanceStart, @maintenanceEnd, @expiry, @users, @features, @graceDays, @updatedAt)
         ON CONFLICT(serial) DO UPDATE SET maintenance_start = excluded.maintenance_start, maintenance_end = excluded.maintenance_end,
           expiry = excluded.expiry, users = excluded.users, features = excluded.features, grace_days = excluded.grace_days,
           updated_at = excluded.updated_at`,
      ),
      currentLicense: db.prepare('SELECT * FROM licenses WHERE serial = ? ORDER BY seq DESC LIMIT 1'),
      currentLicenseId: db.prepare('SELECT license_id FROM licenses WHERE serial = ? ORDER BY seq DESC LIMIT 1').pluck(),
      listLicenses: db.prepare('SELECT * FROM licenses WHERE serial = ? ORDER BY seq'),
      insertLicense: db.prepare(
        'INSERT INTO licenses (license_id, serial, seq, kid, issued_at, armoured) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
      ),
      maxLicenseRow: db.prepare('SELECT COALESCE(MAX(id), 0) FROM licenses').pluck(),
      licensesAfter: db.prepare('SELECT id, serial FROM licenses WHERE id > ? ORDER BY id'),
      insertRelease: db.prepare('INSERT INTO releases (product, version, release_date, checksum, url) VALUES (?, ?, ?, ?, ?)'),
      getRelease: db.prepare('SELECT * FROM releases WHERE product = ? AND version = ?'),
      listReleases: db.prepare('SELECT * FROM releases WHERE product = ? ORDER BY release_date, version'),
      insertReceipt: db.prepare(
        'INSERT INTO receipts (serial, license_id, seq, kind, reason, detail, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *',
      ),
      listReceipts: db.prepare('SELECT * FROM receipts WHERE serial = ? ORDER BY id'),
      findReceipt: db.prepare(
        'SELECT * FROM receipts WHERE serial = ? AND license_id = ? AND kind = ? AND reason IS ? AND detail IS ? ORDER BY id DESC LIMIT 1',
      ),
      insertSession: db.prepare('INSERT INTO sessions (token_hash, subject_kind, subject_id, expires_at) VALUES (?, ?, ?, ?)'),
      getSession: db.prepare('SELECT subject_kind, subject_id FROM sessions WHERE token_hash = ? AND expires_at > ?'),
      deleteExpiredSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
      getThrottle: db.prepare('SELECT failures, last_failure_at FROM login_throttle WHERE organisation_id = ? AND address = ?'),
      recordFailure: db.prepare(
        `INSERT INTO login_throttle (organisation_id, address, failures, last_failure_at) VALUES (@org, @address, 1, @now)
         ON CONFLICT (organisation_id, address) DO UPDATE SET
           failures = CASE WHEN login_throttle.last_failure_at < @now - @forget THEN 1 ELSE login_throttle.failures + 1 END,
           last_failure_at = @now
         RETURNING failures, last_failure_at`,
      ),
      clearThrottle: db.prepare('DELETE FROM login_throttle WHERE organisation_id = ? AND address = ?'),
      pruneThrottle: db.prepare('DELETE FROM login_throttle WHERE last_failure_at < ?'),
      // ---- the website (issue 14) ----
      change: db.prepare('INSERT INTO changes (serial, organisation_id, kind, at_ms) SELECT serial, organisation_id, ?, ? FROM installations WHERE serial = ?'),
      changesAfter: db.prepare('SELECT id, serial, organisation_id, kind FROM changes WHERE id > ? ORDER BY id'),
      maxChange: db.prepare('SELECT COALESCE(MAX(id), 0) FROM changes').pluck(),
      pruneChanges: db.prepare('DELETE FROM changes WHERE at_ms < ?'),
      insertHeartbeat: db.prepare('INSERT INTO heartbeats (serial, at, ors_version, product_version, hostname) VALUES (?, ?, ?, ?, ?)'),
      pruneHeartbeats: db.prepare('DELETE FROM heartbeats WHERE serial = ? AND id NOT IN (SELECT id FROM heartbeats WHERE serial = ? ORDER BY id DESC LIMIT 200)'),
      listHeartbeats: db.prepare('SELECT * FROM heartbeats WHERE serial = ? ORDER BY id DESC LIMIT ?'),
      contact: db.prepare('UPDATE installations SET last_contact_at = ? WHERE serial = ? AND (last_contact_at IS NULL OR last_contact_at < ?)'),
      fetched: db.prepare('UPDATE licenses SET fetched_at = ? WHERE serial = ? AND license_id = ? AND fetched_at IS NULL'),
      previousLicense: db.prepare('SELECT armoured FROM licenses WHERE serial = ? ORDER BY seq DESC LIMIT 1 OFFSET 1'),
      installedLicense: db.prepare(
        `SELECT l.license_id, l.seq, l.armoured FROM receipts r JOIN licenses l ON l.license_id = r.license_id
         WHERE r.serial = ? AND r.kind IN ('installed', 'copied-remote') ORDER BY l.seq DESC LIMIT 1`,
      ),
      receiptFor: db.prepare('SELECT kind, reason FROM receipts WHERE serial = ? AND license_id = ? ORDER BY id DESC LIMIT 1'),
      setStatus: db.prepare(
        `UPDATE installations SET current_license_id = @currentLicenseId, current_seq = @currentSeq, installed_license_id = @installedLicenseId,
           installed_seq = @installedSeq, pending_kind = @pendingKind, pending_reason = @pendingReason WHERE serial = @serial`,
      ),
      installationRow: db.prepare(`SELECT ${INSTALLATION_ROW_COLUMNS} ${INSTALLATION_ROW_FROM} WHERE i.serial = ?`),
      releaseCandidates: db.prepare(
        `SELECT i.serial, i.organisation_id, e.maintenance_start, e.maintenance_end, e.expiry FROM installations i
         LEFT JOIN entitlements e ON e.serial = i.serial WHERE i.product = ? AND (? IS NULL OR i.organisation_id = ?) ORDER BY i.serial`,
      ),
      products: db.prepare('SELECT DISTINCT product FROM installations ORDER BY product').pluck(),
      insertStaff: db.prepare('INSERT INTO staff_users (name, organisation_id, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)'),
      getStaff: db.prepare('SELECT * FROM staff_users WHERE name = ?'),
      listStaff: db.prepare('SELECT * FROM staff_users WHERE (? IS NULL OR organisation_id = ?) ORDER BY organisation_id, name'),
      deleteStaff: db.prepare('DELETE FROM staff_users WHERE name = ?'),
      deleteStaffSessions: db.prepare("DELETE FROM sessions WHERE subject_kind = 'staff' AND subject_id = ?"),
      deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
      insertAssistance: db.prepare(`INSERT INTO assistance_requests (${ASSISTANCE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      openAssistance: db.prepare("SELECT * FROM assistance_requests WHERE serial = ? AND state IN ('requested', 'delivered', 'started')"),
      getAssistance: db.prepare('SELECT * FROM assistance_requests WHERE id = ?'),
      listAssistance: db.prepare('SELECT * FROM assistance_requests WHERE serial = ? ORDER BY created_at DESC, id DESC LIMIT ?'),
      updateAssistance: db.prepare('UPDATE assistance_requests SET state = ?, updated_at = ?, teamviewer_id = ?, reason = ? WHERE id = ?'),
      insertAudit: db.prepare('INSERT INTO audit_log (at, actor_kind, actor, organisation_id, serial, action, detail) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      listAudit: db.prepare('SELECT * FROM audit_log WHERE serial = ? ORDER BY id DESC LIMIT ?'),
    };
  }

  private migrate(): void {
    // IMMEDIATE: two processes opening a fresh data dir at once must not both run migration 1.
    this.db
      .transaction(() => {
        const done = Number(this.db.pragma('user_version', { simple: true }));
        if (done > SQLITE_MIGRATIONS.length) throw new CodedError('backoffice.database.too-new', { path: this.file, version: done });
        for (let i = done; i < SQLITE_MIGRATIONS.length; i++) this.db.exec(SQLITE_MIGRATIONS[i]!);
        if (done < SQLITE_MIGRATIONS.length) this.db.pragma(`user_version = ${SQLITE_MIGRATIONS.length}`);
      })
      .immediate();
  }

  async addOrganisation(org: OrganisationRecord): Promise<void> {
    try {
      this.stmts.insertOrg.run(org.id, org.name, org.codeHash, org.createdAt);
    } catch (e) {
      if (isConstraint(e, 'SQLITE_CONSTRAINT_PRIMARYKEY')) throw new CodedError('backoffice.organisation.exists', { id: org.id });
      throw e;
    }
  }

  async getOrganisation(id: string): Promise<OrganisationRecord | undefined> {
    const r = this.stmts.getOrg.get(id) as Row | undefined;
    return r && { id: str(r['id']), name: str(r['name']), codeHash: str(r['code_hash']), createdAt: str(r['created_at']) };
  }

  async addInstallation(inst: Pick<InstallationRecord, 'serial' | 'organisationId' | 'product' | 'createdAt'>): Promise<void> {
    try {
      this.db.transaction(() => {
        this.stmts.insertInst.run(inst.serial, inst.organisationId, inst.product, inst.createdAt);
        this.change(inst.serial, 'installation');
      })();
      this.wroteChanges();
    } catch (e) {
      if (isConstraint(e, 'SQLITE_CONSTRAINT_PRIMARYKEY')) throw new CodedError('backoffice.installation.exists', { serial: inst.serial });
      if (isConstraint(e, 'SQLITE_CONSTRAINT_FOREIGNKEY'))
        throw new CodedError('backoffice.organisation.unknown', { id: inst.organisationId });
      throw e;
    }
  }

  async getInstallation(serial: string): Promise<InstallationRecord | undefined> {
    const r = this.stmts.getInst.get(serial) as Row | undefined;
    return r && toInstallation(r);
  }

  async heartbeat(
    serial: string,
    u: Pick<InstallationRecord, 'productVersion' | 'orsVersion' | 'hostname' | 'lastSeenAt'>,
  ): Promise<InstallationRecord | undefined> {
    const r = this.db
      .transaction(() => {
        const row = this.stmts.heartbeat.get(u.productVersion, u.orsVersion, u.hostname, u.lastSeenAt, serial) as Row | undefined;
        if (!row) return undefined;
        this.stmts.insertHeartbeat.run(serial, u.lastSeenAt, u.orsVersion, u.productVersion, u.hostname);
        this.stmts.pruneHeartbeats.run(serial, serial);
        this.stmts.contact.run(u.lastSeenAt, serial, u.lastSeenAt);
        this.change(serial, 'heartbeat');
        return row;
      })
      .immediate();
    if (r) this.wroteChanges();
    return r && toInstallation(r);
  }

  async getEntitlement(serial: string): Promise<EntitlementRecord | undefined> {
    const r = this.stmts.getEnt.get(serial) as Row | undefined;
    return r && toEntitlement(r);
  }

  async changeEntitlement(
    serial: string,
    change: EntitlementChange,
    build: (ent: EntitlementRecord, seq: number, previous: LicenseRecord | undefined) => LicensePayload,
    issuer: LicenseIssuer,
  ): Promise<IssueResult> {
    const result = this.db
      .transaction((): IssueResult => {
        if (!this.stmts.getInst.get(serial)) throw new CodedError('backoffice.installation.unknown', { serial });
        const currentRow = this.stmts.getEnt.get(serial) as Row | undefined;
        const current = currentRow && toEntitlement(currentRow);
        const next = change(current);
        if (!next) {
          if (!current) throw new CodedError('backoffice.entitlement.none', { serial });
          return { entitlement: current };
        }
        this.stmts.upsertEnt.run({ ...next, serial, features: JSON.stringify(next.features) });
        const prevRow = this.stmts.currentLicense.get(serial) as Row | undefined;
        const previous = prevRow && toLicense(prevRow);
        // Inside the write transaction: nobody else can take the same seq.
        const payload = build(next, (previous?.seq ?? 0) + 1, previous);
        const armoured = issuer.sign(payload);
        const row = this.stmts.insertLicense.get(payload.licenseId, serial, payload.seq, issuer.kid, payload.issuedAt, armoured) as Row;
        this.refreshStatus(serial);
        this.change(serial, 'license');
        return { entitlement: { ...next, serial }, license: toLicense(row) };
      })
      .immediate();
    if (result.license) {
      this.localIssued.push(serial);
      for (const w of this.watchers) w();
      this.wroteChanges();
    }
    return result;
  }

  async currentLicense(serial: string): Promise<LicenseRecord | undefined> {
    const r = this.stmts.currentLicense.get(serial) as Row | undefined;
    return r && toLicense(r);
  }

  async currentLicenseId(serial: string): Promise<string | undefined> {
    return this.stmts.currentLicenseId.get(serial) as string | undefined;
  }

  async listLicenses(serial: string): Promise<LicenseRecord[]> {
    return (this.stmts.listLicenses.all(serial) as Row[]).map(toLicense);
  }

  /**
   * Cross-process change detection: PRAGMA data_version changes whenever another connection
   * committed; reading it costs no I/O beyond the WAL index in shared memory, so polling it every
   * `intervalMs` is cheap. Only when it moved do we look for licenses past our cursor. (fs.watch on
   * the -wal file would be event-driven but is unreliable across platforms and coalesces events.)
   */
  watchLicenses(onIssued: (serials: readonly string[]) => void, intervalMs: number): Disposable {
    let cursor = Number(this.stmts.maxLicenseRow.get());
    let version = Number(this.db.pragma('data_version', { simple: true }));
    const check = (): void => {
      const v = Number(this.db.pragma('data_version', { simple: true }));
      const local = this.localIssued.length > 0;
      if (v === version && !local) return;
      version = v;
      this.localIssued.length = 0;
      const rows = this.stmts.licensesAfter.all(cursor) as Row[];
      if (!rows.length) return;
      cursor = Number(rows[rows.length - 1]!['id']);
      onIssued([...new Set(rows.map((r) => str(r['serial'])))]);
    };
    const onLocal = (): void => queueMicrotask(check);
    this.watchers.add(onLocal);
    const timer = setInterval(check, intervalMs);
    timer.unref();
    return {
      dispose: () => {
        clearInterval(timer);
        this.watchers.delete(onLocal);
      },
    };
  }

  async addRelease(r: Release): Promise<void> {
    try {
      this.stmts.insertRelease.run(r.product, r.version, r.releaseDate, r.checksum, r.url);
    } catch (e) {
      if (isConstraint(e, 'SQLITE_CONSTRAINT_PRIMARYKEY'))
        throw new CodedError('backoffice.release.exists', { product: r.product, version: r.version });
      throw e;
    }
  }

  async getRelease(product: string, version: string): Promise<Release | undefined> {
    const r = this.stmts.getRelease.get(product, version) as Row | undefined;
    return r && toRelease(r);
  }

  async listReleases(product: string): Promise<Release[]> {
    return (this.stmts.listReleases.all(product) as Row[]).map(toRelease);
  }

  async addReceipt(r: Omit<ReceiptRecord, 'id'>): Promise<ReceiptRecord> {
    // Idempotent: a client that resends a receipt after a crash (it cannot know whether the first
    // one arrived) gets the stored one back instead of a duplicate. IMMEDIATE: the look-up and the
    // insert are one step for every process writing this file.
    const stored = this.db
      .transaction((): ReceiptRecord => {
        const same = this.stmts.findReceipt.get(r.serial, r.licenseId, r.kind, r.reason, r.detail) as Row | undefined;
        if (same) return toReceipt(same);
        const row = toReceipt(this.stmts.insertReceipt.get(r.serial, r.licenseId, r.seq, r.kind, r.reason, r.detail, r.receivedAt) as Row);
        this.refreshStatus(r.serial);
        this.change(r.serial, 'receipt');
        return row;
      })
      .immediate();
    this.wroteChanges();
    return stored;
  }

  async listReceipts(serial: string): Promise<ReceiptRecord[]> {
    return (this.stmts.listReceipts.all(serial) as Row[]).map(toReceipt);
  }

  async createSession(session: SessionRecord): Promise<void> {
    this.stmts.insertSession.run(session.tokenHash, session.subject.kind, session.subject.id, session.expiresAt);
  }

  async resolveSession(tokenHash: string, now: number): Promise<SessionSubject | undefined> {
    const r = this.stmts.getSession.get(tokenHash, now) as Row | undefined;
    return r && { kind: str(r['subject_kind']) as SessionSubject['kind'], id: str(r['subject_id']) };
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return this.stmts.deleteExpiredSessions.run(now).changes;
  }

  async getThrottle(organisationId: string, address: string): Promise<ThrottleRecord | undefined> {
    const r = this.stmts.getThrottle.get(organisationId, address) as Row | undefined;
    return r && { failures: Number(r['failures']), lastFailureAt: Number(r['last_failure_at']) };
  }

  async recordLoginFailure(organisationId: string, address: string, now: number, forgetAfterMs: number): Promise<ThrottleRecord> {
    const r = this.stmts.recordFailure.get({ org: organisationId, address, now, forget: forgetAfterMs }) as Row;
    return { failures: Number(r['failures']), lastFailureAt: Number(r['last_failure_at']) };
  }

  async clearThrottle(organisationId: string, address: string): Promise<void> {
    this.stmts.clearThrottle.run(organisationId, address);
  }

  async pruneThrottle(before: number): Promise<number> {
    return this.stmts.pruneThrottle.run(before).changes;
  }

  // ---- the website (issue 14) ----

  /** Inside a write transaction: one row of the change feed. */
  private change(serial: string, kind: ChangeKind): void {
    this.stmts.change.run(kind, Date.now(), serial);
  }

  /** After a committed write with changes: this connection's own watchers look now. */
  private wroteChanges(): void {
    for (const w of this.changeWatchers) w();
  }

  /** Inside a write transaction: the installation's status (installation-status.ts) from its licenses and receipts. */
  private refreshStatus(serial: string): void {
    const cur = this.stmts.currentLicense.get(serial) as Row | undefined;
    const current = cur && toLicense(cur);
    const prev = this.stmts.previousLicense.get(serial) as Row | undefined;
    const inst = this.stmts.installedLicense.get(serial) as Row | undefined;
    const receipt = current ? (this.stmts.receiptFor.get(serial, current.licenseId) as Row | undefined) : undefined;
    const status = statusOf({
      ...(current ? { current } : {}),
      ...(prev ? { previous: { armoured: str(prev['armoured']) } } : {}),
      ...(inst ? { installed: { licenseId: str(inst['license_id']), seq: Number(inst['seq']), armoured: str(inst['armoured']) } } : {}),
      ...(receipt ? { receipt: { kind: str(receipt['kind']), reason: receipt['reason'] === null ? null : str(receipt['reason']) } } : {}),
    });
    this.stmts.setStatus.run({ serial, ...status });
  }

  async recordContact(serial: string, at: string): Promise<void> {
    const changed = this.db.transaction(() => {
      if (this.stmts.contact.run(at, serial, at).changes === 0) return false;
      this.change(serial, 'contact');
      return true;
    })();
    if (changed) this.wroteChanges();
  }

  async markFetched(serial: string, licenseId: string, at: string): Promise<void> {
    const changed = this.db
      .transaction(() => {
        if (this.stmts.fetched.run(at, serial, licenseId).changes === 0) return false;
        this.refreshStatus(serial);
        this.change(serial, 'fetched');
        return true;
      })
      .immediate();
    if (changed) this.wroteChanges();
  }

  async listInstallations(q: InstallationListQuery): Promise<{ total: number; rows: InstallationRow[] }> {
    const { count, page } = installationListSql(q, 'LIKE');
    const total = Number((this.db.prepare(count.sql).get(...count.params) as Row)['n']);
    return { total, rows: (this.db.prepare(page.sql).all(...page.params) as Row[]).map(toInstallationRow) };
  }

  async getInstallationRow(serial: string): Promise<InstallationRow | undefined> {
    const r = this.stmts.installationRow.get(serial) as Row | undefined;
    return r && toInstallationRow(r);
  }

  async listHeartbeats(serial: string, limit: number): Promise<HeartbeatEntry[]> {
    return (this.stmts.listHeartbeats.all(serial, limit) as Row[]).map(toHeartbeat);
  }

  async listReleaseCandidates(product: string, organisationId?: string): Promise<ReleaseCandidate[]> {
    const org = organisationId ?? null;
    return (this.stmts.releaseCandidates.all(product, org, org) as Row[]).map((r) => ({
      serial: str(r['serial']),
      organisationId: str(r['organisation_id']),
      maintenance: r['maintenance_start'] === null ? null : { start: str(r['maintenance_start']), end: str(r['maintenance_end']) },
      expiry: r['expiry'] === null ? null : str(r['expiry']),
    }));
  }

  async listProducts(): Promise<string[]> {
    return (this.stmts.products.all() as unknown[]).map(str);
  }

  async addStaffUser(u: StaffUserRecord): Promise<void> {
    try {
      this.stmts.insertStaff.run(u.name, u.organisationId, u.role, u.passwordHash, u.createdAt);
    } catch (e) {
      if (isConstraint(e, 'SQLITE_CONSTRAINT_PRIMARYKEY')) throw new CodedError('backoffice.staff.exists', { name: u.name });
      if (isConstraint(e, 'SQLITE_CONSTRAINT_FOREIGNKEY')) throw new CodedError('backoffice.organisation.unknown', { id: u.organisationId });
      throw e;
    }
  }

  async getStaffUser(name: string): Promise<StaffUserRecord | undefined> {
    const r = this.stmts.getStaff.get(name) as Row | undefined;
    return r && toStaffUser(r);
  }

  async listStaffUsers(organisationId?: string): Promise<StaffUserRecord[]> {
    const org = organisationId ?? null;
    return (this.stmts.listStaff.all(org, org) as Row[]).map(toStaffUser);
  }

  async removeStaffUser(name: string): Promise<boolean> {
    return this.db
      .transaction(() => {
        this.stmts.deleteStaffSessions.run(name);
        return this.stmts.deleteStaff.run(name).changes > 0;
      })
      .immediate();
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.stmts.deleteSession.run(tokenHash);
  }

  async createAssistance(r: AssistanceRecord, now: number): Promise<AssistanceRecord> {
    const stored = this.db
      .transaction(() => {
        const open = (this.stmts.openAssistance.all(r.serial) as Row[]).map(toAssistance).find((x) => isOpenAssistance(assistanceStateAt(x, now)));
        if (open) throw new CodedError('backoffice.assistance.open', { serial: r.serial });
        this.stmts.insertAssistance.run(...assistanceParams(r));
        this.change(r.serial, 'assistance');
        return r;
      })
      .immediate();
    this.wroteChanges();
    return stored;
  }

  async getAssistance(id: string): Promise<AssistanceRecord | undefined> {
    const r = this.stmts.getAssistance.get(id) as Row | undefined;
    return r && toAssistance(r);
  }

  async listAssistance(serial: string, limit: number): Promise<AssistanceRecord[]> {
    return (this.stmts.listAssistance.all(serial, limit) as Row[]).map(toAssistance);
  }

  async currentAssistance(serial: string, since: string): Promise<AssistanceRecord | undefined> {
    const [latest] = await this.listAssistance(serial, 1);
    if (!latest) return undefined;
    return isOpenAssistance(latest.state) || latest.updatedAt >= since ? latest : undefined;
  }

  async updateAssistance(id: string, apply: (current: AssistanceRecord) => AssistanceRecord): Promise<AssistanceRecord | undefined> {
    const next = this.db
      .transaction(() => {
        const r = this.stmts.getAssistance.get(id) as Row | undefined;
        if (!r) return undefined;
        const n = apply(toAssistance(r));
        this.stmts.updateAssistance.run(n.state, n.updatedAt, n.teamViewerId, n.reason, id);
        this.change(n.serial, 'assistance');
        return n;
      })
      .immediate();
    if (next) this.wroteChanges();
    return next;
  }

  async addAudit(e: AuditEntry & { readonly organisationId: string | null }): Promise<void> {
    this.stmts.insertAudit.run(e.at, e.actorKind, e.actor, e.organisationId, e.serial, e.action, JSON.stringify(e.detail));
  }

  async listAudit(serial: string, limit: number): Promise<AuditEntry[]> {
    return (this.stmts.listAudit.all(serial, limit) as Row[]).map(toAudit);
  }

  /** The change feed, followed like the licenses: data_version for other connections, a flag for this one. */
  watchChanges(onChanges: (changes: readonly ChangeRecord[]) => void, intervalMs: number): Disposable {
    let cursor = Number(this.stmts.maxChange.get());
    let version = Number(this.db.pragma('data_version', { simple: true }));
    let pruned = Date.now();
    let local = false;
    const check = (): void => {
      const v = Number(this.db.pragma('data_version', { simple: true }));
      if (v === version && !local) return;
      version = v;
      local = false;
      const rows = this.stmts.changesAfter.all(cursor) as Row[];
      if (Date.now() - pruned > 60_000) {
        pruned = Date.now();
        this.stmts.pruneChanges.run(pruned - 10 * 60_000);
      }
      if (!rows.length) return;
      cursor = Number(rows[rows.length - 1]!['id']);
      onChanges(rows.map((r) => ({ serial: str(r['serial']), organisationId: str(r['organisation_id']), kind: str(r['kind']) as ChangeKind })));
    };
    const onLocal = (): void => {
      local = true;
      queueMicrotask(check);
    };
    this.changeWatchers.add(onLocal);
    const timer = setInterval(check, intervalMs);
    timer.unref();
    return {
      dispose: () => {
        clearInterval(timer);
        this.changeWatchers.delete(onLocal);
      },
    };
  }

  async health(): Promise<StoreHealth> {
    try {
      const version = Number(this.db.pragma('user_version', { simple: true }));
      return { reachable: true, migrationsCurrent: version === SQLITE_MIGRATIONS.length, watching: true };
    } catch (e) {
      return { reachable: false, migrationsCurrent: false, watching: true, detail: sqliteCode(e) || String(e) };
    }
  }

  async integrityCheck(): Promise<string> {
    const rows = this.db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  }

  async close(): Promise<void> {
    this.watchers.clear();
    this.changeWatchers.clear();
    this.db.close();
  }
}
