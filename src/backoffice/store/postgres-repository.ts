import { createHash } from 'node:crypto';
import pg from 'pg';
import { CodedError } from '../../common/errors.js';
import type { Release } from '../../common/backoffice/api.js';
import type { LicensePayload } from '../../common/license/model.js';
import type { Logger } from '../../services/log/logger.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
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
import { ASSISTANCE_COLUMNS, assistanceParams, str, toAssistance, toAudit, toEntitlement, toHeartbeat, toInstallation, toInstallationRow, toLicense, toReceipt, toRelease, toStaffUser, type Row } from './rows.js';
import { INSTALLATION_ROW_COLUMNS, INSTALLATION_ROW_FROM, installationListSql, numbered } from './installation-list.js';
import { statusOf } from './installation-status.js';
import { assistanceStateAt, isOpenAssistance } from '../../common/backoffice/assistance.js';
import type { AuditEntry, HeartbeatEntry } from '../../common/backoffice/staff-api.js';

/** The channel every instance LISTENs on; the payload is `<license row id>:<serial>`. */
export const LICENSE_CHANNEL = 'ors_backoffice_license';
/** The change feed's channel (the website, assistance long-polls); the payload is `<id>|<serial>|<organisation>|<kind>`. */
export const CHANGE_CHANNEL = 'ors_backoffice_change';

/**
 * One row of the change feed and its notification, sent when the transaction commits; `$1` kind,
 * `$2` epoch ms, `$3` serial (identifiers never hold a '|').
 */
const CHANGE_SQL = `WITH c AS (INSERT INTO changes (serial, organisation_id, kind, at_ms) SELECT serial, organisation_id, $1, $2 FROM installations WHERE serial = $3
  RETURNING id, serial, organisation_id, kind)
  SELECT pg_notify('${CHANGE_CHANNEL}', c.id || '|' || c.serial || '|' || c.organisation_id || '|' || c.kind) FROM c`;

const MIGRATION_LOCK = 'SELECT pg_advisory_xact_lock(7015150101)';

const pgCode = (e: unknown): string => (e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '');

/**
 * Errors that mean "the database cannot be reached right now" (refused, restarting, shut down,
 * connection lost or not had in time) rather than a fault of the request: answered 503.
 */
function isUnavailable(e: unknown): boolean {
  const code = pgCode(e);
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300'].includes(code)) return true;
  if (code.startsWith('08')) return true;
  const m = e instanceof Error ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(m);
}

export interface PostgresOptions {
  readonly connectionString: string;
  readonly logger?: Logger;
  /** Pooled connections per instance (default 10); the listener holds one more. */
  readonly poolSize?: number;
}

/**
 * PostgreSQL storage (node-postgres). Several stateless instances share one database: a license is
 * issued under a row lock on its installation (FOR UPDATE), so writers on any instance take turns
 * per serial and `seq` never skips or repeats; the NOTIFY sent in the same transaction reaches every
 * instance's listener when it commits. The listener holds its own connection and reconnects after
 * the server restarts, catching up on licenses issued meanwhile.
 */
export class PostgresBackofficeRepository implements BackofficeRepository {
  private readonly pool: pg.Pool;
  /** The license listener: undefined while nobody watches, else whether it is connected. */
  private listening: boolean | undefined;
  /** The change feed's listener, when someone watches it: undefined (none), else whether it is connected. */
  private changesListening: boolean | undefined;
  private closed = false;

  private constructor(private readonly o: PostgresOptions) {
    this.pool = new pg.Pool({
      connectionString: o.connectionString,
      max: o.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      statement_timeout: 15_000,
    });
    // An idle pooled connection that dies (server restart) must not end the process.
    this.pool.on('error', (e) => this.o.logger?.warn({ err: e.message }, 'database connection lost'));
  }

  /** Connects, applies missing migrations (one instance at a time) and returns the repository. */
  static async open(o: PostgresOptions): Promise<PostgresBackofficeRepository> {
    const repo = new PostgresBackofficeRepository(o);
    try {
      await repo.migrate();
    } catch (e) {
      await repo.pool.end().catch(() => undefined);
      // At start nothing is "tried again shortly": say what to check.
      if (e instanceof CodedError && e.code !== 'backoffice.store.unavailable') throw e;
      const cause = e instanceof CodedError ? e.cause : e;
      throw new CodedError('backoffice.database.connect-failed', { reason: pgCode(cause) || (cause instanceof Error ? cause.message : String(cause)) }, { cause });
    }
    return repo;
  }

  private async migrate(): Promise<void> {
    await this.tx(async (c) => {
      await c.query(MIGRATION_LOCK);
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = Number((await c.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')).rows[0].v);
      if (done > POSTGRES_MIGRATIONS.length) throw new CodedError('backoffice.database.too-new', { path: 'schema_migrations', version: done });
      for (let i = done; i < POSTGRES_MIGRATIONS.length; i++) {
        await c.query(POSTGRES_MIGRATIONS[i]!);
        await c.query('INSERT INTO schema_migrations (version) VALUES ($1)', [i + 1]);
      }
    });
  }

  /** Runs `fn` in one transaction on one connection. */
  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw this.wrap(e);
    } finally {
      c.release();
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (e) {
      throw this.wrap(e);
    }
  }

  private async q(sql: string, params: unknown[] = []): Promise<Row[]> {
    try {
      return (await this.pool.query(sql, params)).rows as Row[];
    } catch (e) {
      throw this.wrap(e);
    }
  }

  private wrap(e: unknown): unknown {
    if (e instanceof CodedError) return e;
    if (isUnavailable(e)) return new CodedError('backoffice.store.unavailable', { reason: pgCode(e) || (e instanceof Error ? e.message : 'error') }, { cause: e });
    return e;
  }

  async addOrganisation(org: OrganisationRecord): Promise<void> {
    try {
      await this.q('INSERT INTO organisations (id, name, code_hash, created_at) VALUES ($1, $2, $3, $4)', [org.id, org.name, org.codeHash, org.createdAt]);
    } catch (e) {
      if (pgCode(e) === '23505') throw new CodedError('backoffice.organisation.exists', { id: org.id });
      throw e;
    }
  }

  async getOrganisation(id: string): Promise<OrganisationRecord | undefined> {
    const r = (await this.q('SELECT * FROM organisations WHERE id = $1', [id]))[0];
    return r && { id: str(r['id']), name: str(r['name']), codeHash: str(r['code_hash']), createdAt: str(r['created_at']) };
  }

  async addInstallation(inst: Pick<InstallationRecord, 'serial' | 'organisationId' | 'product' | 'createdAt'>): Promise<void> {
    try {
      await this.tx(async (c) => {
        await c.query('INSERT INTO installations (serial, organisation_id, product, created_at) VALUES ($1, $2, $3, $4)', [inst.serial, inst.organisationId, inst.product, inst.createdAt]);
        await this.change(c, inst.serial, 'installation');
      });
    } catch (e) {
      if (pgCode(e) === '23505') throw new CodedError('backoffice.installation.exists', { serial: inst.serial });
      if (pgCode(e) === '23503') throw new CodedError('backoffice.organisation.unknown', { id: inst.organisationId });
      throw e;
    }
  }

  async getInstallation(serial: string): Promise<InstallationRecord | undefined> {
    const r = (await this.q('SELECT * FROM installations WHERE serial = $1', [serial]))[0];
    return r && toInstallation(r);
  }

  async heartbeat(
    serial: string,
    u: Pick<InstallationRecord, 'productVersion' | 'orsVersion' | 'hostname' | 'lastSeenAt'>,
  ): Promise<InstallationRecord | undefined> {
    const r = await this.tx(async (c) => {
      const row = (
        await c.query(
          `UPDATE installations SET product_version = $1, ors_version = $2, hostname = $3, last_seen_at = $4,
             last_contact_at = GREATEST(COALESCE(last_contact_at, $4), $4) WHERE serial = $5 RETURNING *`,
          [u.productVersion, u.orsVersion, u.hostname, u.lastSeenAt, serial],
        )
      ).rows[0] as Row | undefined;
      if (!row) return undefined;
      await c.query('INSERT INTO heartbeats (serial, at, ors_version, product_version, hostname) VALUES ($1, $2, $3, $4, $5)', [serial, u.lastSeenAt, u.orsVersion, u.productVersion, u.hostname]);
      await c.query('DELETE FROM heartbeats WHERE serial = $1 AND id NOT IN (SELECT id FROM heartbeats WHERE serial = $1 ORDER BY id DESC LIMIT 200)', [serial]);
      await this.change(c, serial, 'heartbeat');
      return row;
    });
    return r && toInstallation(r);
  }

  async getEntitlement(serial: string): Promise<EntitlementRecord | undefined> {
    const r = (await this.q('SELECT * FROM entitlements WHERE serial = $1', [serial]))[0];
    return r && toEntitlement(r);
  }

  async changeEntitlement(
    serial: string,
    change: EntitlementChange,
    build: (ent: EntitlementRecord, seq: number, previous: LicenseRecord | undefined) => LicensePayload,
    issuer: LicenseIssuer,
  ): Promise<IssueResult> {
    return this.tx(async (c) => {
      // The installation's row lock: writers of one serial on every instance take turns here.
      if (!(await c.query('SELECT 1 FROM installations WHERE serial = $1 FOR UPDATE', [serial])).rowCount)
        throw new CodedError('backoffice.installation.unknown', { serial });
      const currentRow = (await c.query('SELECT * FROM entitlements WHERE serial = $1', [serial])).rows[0] as Row | undefined;
      const current = currentRow && toEntitlement(currentRow);
      const next = change(current);
      if (!next) {
        if (!current) throw new CodedError('backoffice.entitlement.none', { serial });
        return { entitlement: current };
      }
      await c.query(
        `INSERT INTO entitlements (serial, maintenance_start, maintenance_end, expiry, users, features, grace_days, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (serial) DO UPDATE SET maintenance_start = excluded.maintenance_start, maintenance_end = excluded.maintenance_end,
           expiry = excluded.expiry, users = excluded.users, features = excluded.features, grace_days = excluded.grace_days,
           updated_at = excluded.updated_at`,
        [serial, next.maintenanceStart, next.maintenanceEnd, next.expiry, next.users, JSON.stringify(next.features), next.graceDays, next.updatedAt],
      );
      const prevRow = (await c.query('SELECT * FROM licenses WHERE serial = $1 ORDER BY seq DESC LIMIT 1', [serial])).rows[0] as Row | undefined;
      const previous = prevRow && toLicense(prevRow);
      const payload = build(next, (previous?.seq ?? 0) + 1, previous);
      const armoured = issuer.sign(payload);
      const row = (
        await c.query('INSERT INTO licenses (license_id, serial, seq, kid, issued_at, armoured) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *', [
          payload.licenseId,
          serial,
          payload.seq,
          issuer.kid,
          payload.issuedAt,
          armoured,
        ])
      ).rows[0] as Row;
      // Delivered to every listener when (and only if) this transaction commits.
      await c.query('SELECT pg_notify($1, $2)', [LICENSE_CHANNEL, `${str(row['id'])}:${serial}`]);
      await this.refreshStatus(c, serial);
      await this.change(c, serial, 'license');
      return { entitlement: { ...next, serial }, license: toLicense(row) };
    });
  }

  async currentLicense(serial: string): Promise<LicenseRecord | undefined> {
    const r = (await this.q('SELECT * FROM licenses WHERE serial = $1 ORDER BY seq DESC LIMIT 1', [serial]))[0];
    return r && toLicense(r);
  }

  async currentLicenseId(serial: string): Promise<string | undefined> {
    const r = (await this.q('SELECT license_id FROM licenses WHERE serial = $1 ORDER BY seq DESC LIMIT 1', [serial]))[0];
    return r && str(r['license_id']);
  }

  async listLicenses(serial: string): Promise<LicenseRecord[]> {
    return (await this.q('SELECT * FROM licenses WHERE serial = $1 ORDER BY seq', [serial])).map(toLicense);
  }

  /** Woken by every license issued on any instance (NOTIFY in the issuing transaction); a tick's serials once each. */
  watchLicenses(onIssued: (serials: readonly string[]) => void): Disposable {
    return this.listen<string>({
      channel: LICENSE_CHANNEL,
      table: 'licenses',
      columns: 'id, serial',
      what: 'database listener',
      state: (v) => (this.listening = v),
      parse: (payload) => {
        const m = /^(\d+):(.+)$/.exec(payload);
        return m ? [Number(m[1]), m[2]!] : undefined;
      },
      row: (r) => str(r['serial']),
      deliver: (serials) => onIssued([...new Set(serials)]),
    });
  }

  /**
   * LISTEN on a dedicated connection (a pooled one would be handed to queries). Notifications of
   * one tick are delivered together. After a lost connection it reconnects with back-off and
   * reports every row added past its cursor meanwhile (from `table`), so no wake-up is lost to a
   * restart. The licenses' wake-ups and the website's change feed both listen this way.
   */
  private listen<T>(o: {
    readonly channel: string;
    readonly table: string;
    readonly columns: string;
    readonly what: string;
    readonly state: (listening: boolean | undefined) => void;
    readonly parse: (payload: string) => readonly [number, T] | undefined;
    readonly row: (r: Row) => T;
    readonly deliver: (batch: readonly T[]) => void;
    readonly onNotification?: () => void;
  }): Disposable {
    let cursor: number | undefined;
    let client: pg.Client | undefined;
    let stopped = false;
    let retryMs = 250;
    let retryTimer: NodeJS.Timeout | undefined;
    let pending: T[] = [];
    o.state(false);
    const flush = (): void => {
      const batch = pending;
      pending = [];
      if (batch.length && !stopped) o.deliver(batch);
    };
    const seen = (id: number, item: T): void => {
      if (cursor !== undefined && id <= cursor) return;
      cursor = id;
      if (pending.length === 0) setImmediate(flush);
      pending.push(item);
    };
    const connect = async (): Promise<void> => {
      const c = new pg.Client({ connectionString: this.o.connectionString, keepAlive: true, connectionTimeoutMillis: 5_000 });
      client = c;
      const lost = (why: string): void => {
        if (client !== c) return;
        client = undefined;
        o.state(false);
        c.end().catch(() => undefined);
        if (stopped) return;
        this.o.logger?.warn({ reason: why }, `${o.what} lost; reconnecting`);
        retryTimer = setTimeout(() => void connect(), retryMs);
        retryMs = Math.min(retryMs * 2, 5_000);
      };
      c.on('error', (e) => lost(e.message));
      c.on('end', () => lost('connection ended'));
      c.on('notification', (n) => {
        const hit = o.parse(n.payload ?? '');
        if (hit) seen(hit[0], hit[1]);
        o.onNotification?.();
      });
      try {
        await c.connect();
        await c.query(`LISTEN ${o.channel}`);
        // Listening first, then the catch-up: a row committed in between is seen either way.
        if (cursor === undefined) cursor = Number((await c.query(`SELECT COALESCE(MAX(id), 0) AS id FROM ${o.table}`)).rows[0].id);
        else for (const r of (await c.query(`SELECT ${o.columns} FROM ${o.table} WHERE id > $1 ORDER BY id`, [cursor])).rows as Row[]) seen(Number(r['id']), o.row(r));
        if (client !== c || stopped) return;
        o.state(true);
        retryMs = 250;
      } catch (e) {
        lost(e instanceof Error ? e.message : String(e));
      }
    };
    void connect();
    return {
      dispose: () => {
        stopped = true;
        clearTimeout(retryTimer);
        o.state(undefined);
        const c = client;
        client = undefined;
        void c?.end().catch(() => undefined);
      },
    };
  }

  async addRelease(r: Release): Promise<void> {
    try {
      await this.q('INSERT INTO releases (product, version, release_date, checksum, url) VALUES ($1, $2, $3, $4, $5)', [
        r.product,
        r.version,
        r.releaseDate,
        r.checksum,
        r.url,
      ]);
    } catch (e) {
      if (pgCode(e) === '23505') throw new CodedError('backoffice.release.exists', { product: r.product, version: r.version });
      throw e;
    }
  }

  async getRelease(product: string, version: string): Promise<Release | undefined> {
    const r = (await this.q('SELECT * FROM releases WHERE product = $1 AND version = $2', [product, version]))[0];
    return r && toRelease(r);
  }

  async listReleases(product: string): Promise<Release[]> {
    return (await this.q('SELECT * FROM releases WHERE product = $1 ORDER BY release_date, version', [product])).map(toRelease);
  }

  async addReceipt(r: Omit<ReceiptRecord, 'id'>): Promise<ReceiptRecord> {
    // Idempotent across instances: the unique index decides, whoever inserts first.
    const sameAs = createHash('sha256').update(JSON.stringify([r.reason, r.detail])).digest('base64');
    const inserted = await this.tx(async (c) => {
      // The installation's row lock: its status is recomputed by one writer at a time.
      await c.query('SELECT 1 FROM installations WHERE serial = $1 FOR UPDATE', [r.serial]);
      const row = (
        await c.query(
          `INSERT INTO receipts (serial, license_id, seq, kind, reason, detail, received_at, same_as) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (serial, license_id, kind, same_as) DO NOTHING RETURNING *`,
          [r.serial, r.licenseId, r.seq, r.kind, r.reason, r.detail, r.receivedAt, sameAs],
        )
      ).rows[0] as Row | undefined;
      if (row) {
        await this.refreshStatus(c, r.serial);
        await this.change(c, r.serial, 'receipt');
      }
      return row;
    });
    if (inserted) return toReceipt(inserted);
    const same = (await this.q('SELECT * FROM receipts WHERE serial = $1 AND license_id = $2 AND kind = $3 AND same_as = $4', [r.serial, r.licenseId, r.kind, sameAs]))[0];
    return toReceipt(same!);
  }

  async listReceipts(serial: string): Promise<ReceiptRecord[]> {
    return (await this.q('SELECT * FROM receipts WHERE serial = $1 ORDER BY id', [serial])).map(toReceipt);
  }

  async createSession(s: SessionRecord): Promise<void> {
    await this.q('INSERT INTO sessions (token_hash, subject_kind, subject_id, expires_at) VALUES ($1, $2, $3, $4)', [s.tokenHash, s.subject.kind, s.subject.id, s.expiresAt]);
  }

  async resolveSession(tokenHash: string, now: number): Promise<SessionSubject | undefined> {
    const r = (await this.q('SELECT subject_kind, subject_id FROM sessions WHERE token_hash = $1 AND expires_at > $2', [tokenHash, now]))[0];
    return r && { kind: str(r['subject_kind']) as SessionSubject['kind'], id: str(r['subject_id']) };
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return (await this.q('DELETE FROM sessions WHERE expires_at <= $1 RETURNING 1', [now])).length;
  }

  async getThrottle(organisationId: string, address: string): Promise<ThrottleRecord | undefined> {
    const r = (await this.q('SELECT failures, last_failure_at FROM login_throttle WHERE organisation_id = $1 AND address = $2', [organisationId, address]))[0];
    return r && { failures: Number(r['failures']), lastFailureAt: Number(r['last_failure_at']) };
  }

  async recordLoginFailure(organisationId: string, address: string, now: number, forgetAfterMs: number): Promise<ThrottleRecord> {
    const r = (
      await this.q(
        `INSERT INTO login_throttle (organisation_id, address, failures, last_failure_at) VALUES ($1, $2, 1, $3)
         ON CONFLICT (organisation_id, address) DO UPDATE SET
           failures = CASE WHEN login_throttle.last_failure_at < $3 - $4 THEN 1 ELSE login_throttle.failures + 1 END,
           last_failure_at = $3
         RETURNING failures, last_failure_at`,
        [organisationId, address, now, forgetAfterMs],
      )
    )[0]!;
    return { failures: Number(r['failures']), lastFailureAt: Number(r['last_failure_at']) };
  }

  async clearThrottle(organisationId: string, address: string): Promise<void> {
    await this.q('DELETE FROM login_throttle WHERE organisation_id = $1 AND address = $2', [organisationId, address]);
  }

  async pruneThrottle(before: number): Promise<number> {
    return (await this.q('DELETE FROM login_throttle WHERE last_failure_at < $1 RETURNING 1', [before])).length;
  }

  // ---- the website (issue 14) ----

  /** Inside a transaction: one row of the change feed, notified on commit. */
  private async change(c: pg.PoolClient, serial: string, kind: ChangeKind): Promise<void> {
    await c.query(CHANGE_SQL, [kind, Date.now(), serial]);
  }

  /** Inside a transaction holding the installation's row lock: its status from its licenses and receipts. */
  private async refreshStatus(c: pg.PoolClient, serial: string): Promise<void> {
    const one = async (sql: string, params: unknown[]): Promise<Row | undefined> => (await c.query(sql, params)).rows[0] as Row | undefined;
    const cur = await one('SELECT * FROM licenses WHERE serial = $1 ORDER BY seq DESC LIMIT 1', [serial]);
    const current = cur && toLicense(cur);
    const prev = await one('SELECT armoured FROM licenses WHERE serial = $1 ORDER BY seq DESC LIMIT 1 OFFSET 1', [serial]);
    const inst = await one(
      `SELECT l.license_id, l.seq, l.armoured FROM receipts r JOIN licenses l ON l.license_id = r.license_id
       WHERE r.serial = $1 AND r.kind IN ('installed', 'copied-remote') ORDER BY l.seq DESC LIMIT 1`,
      [serial],
    );
    const receipt = current ? await one('SELECT kind, reason FROM receipts WHERE serial = $1 AND license_id = $2 ORDER BY id DESC LIMIT 1', [serial, current.licenseId]) : undefined;
    const s = statusOf({
      ...(current ? { current } : {}),
      ...(prev ? { previous: { armoured: str(prev['armoured']) } } : {}),
      ...(inst ? { installed: { licenseId: str(inst['license_id']), seq: Number(inst['seq']), armoured: str(inst['armoured']) } } : {}),
      ...(receipt ? { receipt: { kind: str(receipt['kind']), reason: receipt['reason'] === null ? null : str(receipt['reason']) } } : {}),
    });
    await c.query(
      `UPDATE installations SET current_license_id = $2, current_seq = $3, installed_license_id = $4, installed_seq = $5, pending_kind = $6, pending_reason = $7
       WHERE serial = $1`,
      [serial, s.currentLicenseId, s.currentSeq, s.installedLicenseId, s.installedSeq, s.pendingKind, s.pendingReason],
    );
  }

  async recordContact(serial: string, at: string): Promise<void> {
    // One statement: the update, its change row and the notification, or nothing when not newer.
    await this.q(
      `WITH u AS (UPDATE installations SET last_contact_at = $1 WHERE serial = $2 AND (last_contact_at IS NULL OR last_contact_at < $1) RETURNING serial, organisation_id),
       c AS (INSERT INTO changes (serial, organisation_id, kind, at_ms) SELECT serial, organisation_id, 'contact', $3 FROM u RETURNING id, serial, organisation_id, kind)
       SELECT pg_notify('${CHANGE_CHANNEL}', c.id || '|' || c.serial || '|' || c.organisation_id || '|' || c.kind) FROM c`,
      [at, serial, Date.now()],
    );
  }

  async markFetched(serial: string, licenseId: string, at: string): Promise<void> {
    await this.tx(async (c) => {
      await c.query('SELECT 1 FROM installations WHERE serial = $1 FOR UPDATE', [serial]);
      const r = await c.query('UPDATE licenses SET fetched_at = $1 WHERE serial = $2 AND license_id = $3 AND fetched_at IS NULL', [at, serial, licenseId]);
      if (!r.rowCount) return;
      await this.refreshStatus(c, serial);
      await this.change(c, serial, 'fetched');
    });
  }

  async listInstallations(q: InstallationListQuery): Promise<{ total: number; rows: InstallationRow[] }> {
    const { count, page } = installationListSql(q, 'ILIKE');
    const total = Number((await this.q(numbered(count.sql), count.params))[0]!['n']);
    return { total, rows: (await this.q(numbered(page.sql), page.params)).map(toInstallationRow) };
  }

  async getInstallationRow(serial: string): Promise<InstallationRow | undefined> {
    const r = (await this.q(`SELECT ${INSTALLATION_ROW_COLUMNS} ${INSTALLATION_ROW_FROM} WHERE i.serial = $1`, [serial]))[0];
    return r && toInstallationRow(r);
  }

  async listHeartbeats(serial: string, limit: number): Promise<HeartbeatEntry[]> {
    return (await this.q('SELECT * FROM heartbeats WHERE serial = $1 ORDER BY id DESC LIMIT $2', [serial, limit])).map(toHeartbeat);
  }

  async listReleaseCandidates(product: string, organisationId?: string): Promise<ReleaseCandidate[]> {
    const rows = await this.q(
      `SELECT i.serial, i.organisation_id, e.maintenance_start, e.maintenance_end, e.expiry FROM installations i
       LEFT JOIN entitlements e ON e.serial = i.serial WHERE i.product = $1 AND ($2::text IS NULL OR i.organisation_id = $2) ORDER BY i.serial`,
      [product, organisationId ?? null],
    );
    return rows.map((r) => ({
      serial: str(r['serial']),
      organisationId: str(r['organisation_id']),
      maintenance: r['maintenance_start'] === null ? null : { start: str(r['maintenance_start']), end: str(r['maintenance_end']) },
      expiry: r['expiry'] === null ? null : str(r['expiry']),
    }));
  }

  async listProducts(): Promise<string[]> {
    return (await this.q('SELECT DISTINCT product FROM installations ORDER BY product')).map((r) => str(r['product']));
  }

  async addStaffUser(u: StaffUserRecord): Promise<void> {
    try {
      await this.q('INSERT INTO staff_users (name, organisation_id, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)', [u.name, u.organisationId, u.role, u.passwordHash, u.createdAt]);
    } catch (e) {
      if (pgCode(e) === '23505') throw new CodedError('backoffice.staff.exists', { name: u.name });
      if (pgCode(e) === '23503') throw new CodedError('backoffice.organisation.unknown', { id: u.organisationId });
      throw e;
    }
  }

  async getStaffUser(name: string): Promise<StaffUserRecord | undefined> {
    const r = (await this.q('SELECT * FROM staff_users WHERE name = $1', [name]))[0];
    return r && toStaffUser(r);
  }

  async listStaffUsers(organisationId?: string): Promise<StaffUserRecord[]> {
    return (await this.q('SELECT * FROM staff_users WHERE ($1::text IS NULL OR organisation_id = $1) ORDER BY organisation_id, name', [organisationId ?? null])).map(toStaffUser);
  }

  async removeStaffUser(name: string): Promise<boolean> {
    return this.tx(async (c) => {
      await c.query("DELETE FROM sessions WHERE subject_kind = 'staff' AND subject_id = $1", [name]);
      return ((await c.query('DELETE FROM staff_users WHERE name = $1', [name])).rowCount ?? 0) > 0;
    });
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.q('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async createAssistance(r: AssistanceRecord, now: number): Promise<AssistanceRecord> {
    return this.tx(async (c) => {
      // The installation's row lock: two technicians on two instances cannot both open a request.
      if (!(await c.query('SELECT 1 FROM installations WHERE serial = $1 FOR UPDATE', [r.serial])).rowCount) throw new CodedError('backoffice.installation.unknown', { serial: r.serial });
      const open = ((await c.query("SELECT * FROM assistance_requests WHERE serial = $1 AND state IN ('requested', 'delivered', 'started')", [r.serial])).rows as Row[])
        .map(toAssistance)
        .find((x) => isOpenAssistance(assistanceStateAt(x, now)));
      if (open) throw new CodedError('backoffice.assistance.open', { serial: r.serial });
      await c.query(`INSERT INTO assistance_requests (${ASSISTANCE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, assistanceParams(r));
      await this.change(c, r.serial, 'assistance');
      return r;
    });
  }

  async getAssistance(id: string): Promise<AssistanceRecord | undefined> {
    const r = (await this.q('SELECT * FROM assistance_requests WHERE id = $1', [id]))[0];
    return r && toAssistance(r);
  }

  async listAssistance(serial: string, limit: number): Promise<AssistanceRecord[]> {
    return (await this.q('SELECT * FROM assistance_requests WHERE serial = $1 ORDER BY created_at DESC, id DESC LIMIT $2', [serial, limit])).map(toAssistance);
  }

  async currentAssistance(serial: string, since: string): Promise<AssistanceRecord | undefined> {
    const [latest] = await this.listAssistance(serial, 1);
    if (!latest) return undefined;
    return isOpenAssistance(latest.state) || latest.updatedAt >= since ? latest : undefined;
  }

  async updateAssistance(id: string, apply: (current: AssistanceRecord) => AssistanceRecord): Promise<AssistanceRecord | undefined> {
    return this.tx(async (c) => {
      const r = (await c.query('SELECT * FROM assistance_requests WHERE id = $1 FOR UPDATE', [id])).rows[0] as Row | undefined;
      if (!r) return undefined;
      const n = apply(toAssistance(r));
      await c.query('UPDATE assistance_requests SET state = $1, updated_at = $2, teamviewer_id = $3, reason = $4 WHERE id = $5', [n.state, n.updatedAt, n.teamViewerId, n.reason, id]);
      await this.change(c, n.serial, 'assistance');
      return n;
    });
  }

  async addAudit(e: AuditEntry & { readonly organisationId: string | null }): Promise<void> {
    await this.q('INSERT INTO audit_log (at, actor_kind, actor, organisation_id, serial, action, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      e.at,
      e.actorKind,
      e.actor,
      e.organisationId,
      e.serial,
      e.action,
      JSON.stringify(e.detail),
    ]);
  }

  async listAudit(serial: string, limit: number): Promise<AuditEntry[]> {
    return (await this.q('SELECT * FROM audit_log WHERE serial = $1 ORDER BY id DESC LIMIT $2', [serial, limit])).map(toAudit);
  }

  /** The change feed (the website's live updates) over LISTEN, like the licenses' wake-ups; old changes pruned now and then. */
  watchChanges(onChanges: (changes: readonly ChangeRecord[]) => void): Disposable {
    let pruned = Date.now();
    return this.listen<ChangeRecord>({
      channel: CHANGE_CHANNEL,
      table: 'changes',
      columns: 'id, serial, organisation_id, kind',
      what: 'database change listener',
      state: (v) => (this.changesListening = v),
      parse: (payload) => {
        const m = /^(\d+)\|([^|]+)\|([^|]+)\|([a-z-]+)$/.exec(payload);
        return m ? [Number(m[1]), { serial: m[2]!, organisationId: m[3]!, kind: m[4] as ChangeKind }] : undefined;
      },
      row: (r) => ({ serial: str(r['serial']), organisationId: str(r['organisation_id']), kind: str(r['kind']) as ChangeKind }),
      deliver: onChanges,
      onNotification: () => {
        if (Date.now() - pruned > 60_000) {
          pruned = Date.now();
          void this.q('DELETE FROM changes WHERE at_ms < $1', [pruned - 10 * 60_000]).catch(() => undefined);
        }
      },
    });
  }

  async health(): Promise<StoreHealth> {
    try {
      const v = Number((await this.q('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations'))[0]!['v']);
      return { reachable: true, migrationsCurrent: v === POSTGRES_MIGRATIONS.length, watching: this.watching() };
    } catch (e) {
      return { reachable: false, migrationsCurrent: false, watching: this.watching(), detail: pgCode(e) || String(e) };
    }
  }

  /** Both listeners connected (the change feed's only when someone watches it). */
  private watching(): boolean {
    return this.listening !== false && this.changesListening !== false;
  }

  async integrityCheck(): Promise<string> {
    // PostgreSQL guards its own pages; what can go wrong here is ours: a seq that skipped or repeated.
    const bad = await this.q(
      `SELECT serial FROM licenses GROUP BY serial HAVING COUNT(*) <> MAX(seq) OR MIN(seq) <> 1 LIMIT 10`,
    );
    return bad.length ? `seq gaps for ${bad.map((r) => str(r['serial'])).join(', ')}` : 'ok';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
