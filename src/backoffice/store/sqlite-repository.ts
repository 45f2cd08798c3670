import Database from 'better-sqlite3';
import { CodedError } from '../../common/errors.js';
import type { Release } from '../../common/backoffice/api.js';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { str, toEntitlement, toInstallation, toLicense, toReceipt, toRelease, type Row } from './rows.js';
import type {
  BackofficeRepository,
  Disposable,
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
      this.stmts.insertInst.run(inst.serial, inst.organisationId, inst.product, inst.createdAt);
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
    const r = this.stmts.heartbeat.get(u.productVersion, u.orsVersion, u.hostname, u.lastSeenAt, serial) as Row | undefined;
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
        return { entitlement: { ...next, serial }, license: toLicense(row) };
      })
      .immediate();
    if (result.license) {
      this.localIssued.push(serial);
      for (const w of this.watchers) w();
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
    return this.db
      .transaction((): ReceiptRecord => {
        const same = this.stmts.findReceipt.get(r.serial, r.licenseId, r.kind, r.reason, r.detail) as Row | undefined;
        if (same) return toReceipt(same);
        return toReceipt(this.stmts.insertReceipt.get(r.serial, r.licenseId, r.seq, r.kind, r.reason, r.detail, r.receivedAt) as Row);
      })
      .immediate();
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
    this.db.close();
  }
}
