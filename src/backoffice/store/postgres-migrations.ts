/**
 * PostgreSQL schema migrations, applied in order under an advisory lock (several instances may
 * start at once); `schema_migrations` records which ran. Never edit a migration that has shipped:
 * append a new one (and its SQLite twin in sqlite-migrations.ts). Timestamps stay ISO text as in
 * SQLite, so both adapters hand out the same strings; times compared in SQL are epoch milliseconds.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE organisations (
    id text PRIMARY KEY,
    name text NOT NULL,
    code_hash text NOT NULL,
    created_at text NOT NULL
  );
  CREATE TABLE installations (
    serial text PRIMARY KEY,
    organisation_id text NOT NULL REFERENCES organisations(id),
    product text NOT NULL,
    product_version text,
    ors_version text,
    hostname text,
    created_at text NOT NULL,
    last_seen_at text
  );
  CREATE INDEX installations_by_org ON installations(organisation_id);
  CREATE TABLE entitlements (
    serial text PRIMARY KEY REFERENCES installations(serial),
    maintenance_start text NOT NULL,
    maintenance_end text NOT NULL,
    expiry text NOT NULL,
    users integer NOT NULL,
    features text NOT NULL,
    grace_days integer NOT NULL,
    updated_at text NOT NULL
  );
  CREATE TABLE licenses (
    id bigserial PRIMARY KEY,
    license_id text NOT NULL UNIQUE,
    serial text NOT NULL REFERENCES installations(serial),
    seq integer NOT NULL,
    kid text NOT NULL,
    issued_at text NOT NULL,
    armoured text NOT NULL,
    UNIQUE (serial, seq)
  );
  CREATE TABLE releases (
    product text NOT NULL,
    version text NOT NULL,
    release_date text NOT NULL,
    checksum text NOT NULL,
    url text NOT NULL,
    PRIMARY KEY (product, version)
  );
  CREATE TABLE receipts (
    id bigserial PRIMARY KEY,
    serial text NOT NULL REFERENCES installations(serial),
    license_id text NOT NULL,
    seq integer NOT NULL,
    kind text NOT NULL,
    reason text,
    detail text,
    received_at text NOT NULL,
    -- SHA-256 of [reason, detail]: the same receipt sent twice (to any instance) is stored once.
    same_as text NOT NULL
  );
  CREATE UNIQUE INDEX receipts_once ON receipts(serial, license_id, kind, same_as);
  CREATE INDEX receipts_by_serial ON receipts(serial, id);
  CREATE TABLE sessions (
    token_hash text PRIMARY KEY,
    subject_kind text NOT NULL,
    subject_id text NOT NULL,
    expires_at bigint NOT NULL
  );
  CREATE INDEX sessions_by_expiry ON sessions(expires_at);
  CREATE TABLE login_throttle (
    organisation_id text NOT NULL,
    address text NOT NULL,
    failures integer NOT NULL,
    last_failure_at bigint NOT NULL,
    PRIMARY KEY (organisation_id, address)
  );
  CREATE INDEX login_throttle_by_age ON login_throttle(last_failure_at);
  `,
  // 3 (issue 14, the website): staff accounts, an installation's status kept beside it (last
  // contact, the license served and installed, what waits there) so that 10,000 rows sort and filter
  // in the database, heartbeat history, remote-assistance requests, the back office's audit log, and
  // the change feed every instance follows (live pages, long-poll wake-ups).
  `
  ALTER TABLE installations ADD COLUMN last_contact_at text;
  ALTER TABLE installations ADD COLUMN current_license_id text;
  ALTER TABLE installations ADD COLUMN current_seq integer;
  ALTER TABLE installations ADD COLUMN installed_license_id text;
  ALTER TABLE installations ADD COLUMN installed_seq integer;
  ALTER TABLE installations ADD COLUMN pending_kind text;
  ALTER TABLE installations ADD COLUMN pending_reason text;
  ALTER TABLE licenses ADD COLUMN fetched_at text;
  UPDATE installations SET
    current_seq = (SELECT MAX(l.seq) FROM licenses l WHERE l.serial = installations.serial),
    current_license_id = (SELECT l.license_id FROM licenses l WHERE l.serial = installations.serial ORDER BY l.seq DESC LIMIT 1),
    installed_seq = (SELECT MAX(r.seq) FROM receipts r WHERE r.serial = installations.serial AND r.kind IN ('installed', 'copied-remote')),
    installed_license_id = (SELECT r.license_id FROM receipts r WHERE r.serial = installations.serial AND r.kind IN ('installed', 'copied-remote') ORDER BY r.seq DESC LIMIT 1);
  CREATE INDEX installations_by_contact ON installations(last_contact_at);
  CREATE INDEX installations_by_pending ON installations(pending_kind);
  CREATE INDEX installations_by_product ON installations(product, serial);
  CREATE TABLE staff_users (
    name text PRIMARY KEY,
    organisation_id text NOT NULL REFERENCES organisations(id),
    role text NOT NULL,
    password_hash text NOT NULL,
    created_at text NOT NULL
  );
  CREATE TABLE heartbeats (
    id bigserial PRIMARY KEY,
    serial text NOT NULL REFERENCES installations(serial),
    at text NOT NULL,
    ors_version text,
    product_version text,
    hostname text
  );
  CREATE INDEX heartbeats_by_serial ON heartbeats(serial, id);
  CREATE TABLE assistance_requests (
    id text PRIMARY KEY,
    serial text NOT NULL REFERENCES installations(serial),
    organisation_id text NOT NULL,
    requested_by text NOT NULL,
    message text NOT NULL,
    state text NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    expires_at text NOT NULL,
    teamviewer_id text,
    reason text
  );
  CREATE INDEX assistance_by_serial ON assistance_requests(serial, created_at);
  CREATE TABLE audit_log (
    id bigserial PRIMARY KEY,
    at text NOT NULL,
    actor_kind text NOT NULL,
    actor text NOT NULL,
    organisation_id text,
    serial text,
    action text NOT NULL,
    detail text NOT NULL
  );
  CREATE INDEX audit_by_serial ON audit_log(serial, id);
  CREATE TABLE changes (
    id bigserial PRIMARY KEY,
    serial text NOT NULL,
    organisation_id text NOT NULL,
    kind text NOT NULL,
    at_ms bigint NOT NULL
  );
  CREATE INDEX changes_by_age ON changes(at_ms);
  `,
];
