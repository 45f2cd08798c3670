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
];
