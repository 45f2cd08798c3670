/**
 * SQLite schema migrations, applied in order; PRAGMA user_version records how many ran. Never edit
 * a migration that has shipped: append a new one (and its PostgreSQL twin in postgres-migrations.ts).
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE installations (
    serial TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    product TEXT NOT NULL,
    product_version TEXT,
    ors_version TEXT,
    hostname TEXT,
    created_at TEXT NOT NULL,
    last_seen_at TEXT
  ) STRICT;
  CREATE INDEX installations_by_org ON installations(organisation_id);
  CREATE TABLE entitlements (
    serial TEXT PRIMARY KEY REFERENCES installations(serial),
    maintenance_start TEXT NOT NULL,
    maintenance_end TEXT NOT NULL,
    expiry TEXT NOT NULL,
    users INTEGER NOT NULL,
    features TEXT NOT NULL,
    grace_days INTEGER NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE licenses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    license_id TEXT NOT NULL UNIQUE,
    serial TEXT NOT NULL REFERENCES installations(serial),
    seq INTEGER NOT NULL,
    kid TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    armoured TEXT NOT NULL,
    UNIQUE (serial, seq)
  ) STRICT;
  CREATE TABLE releases (
    product TEXT NOT NULL,
    version TEXT NOT NULL,
    release_date TEXT NOT NULL,
    checksum TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (product, version)
  ) STRICT;
  CREATE TABLE receipts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    serial TEXT NOT NULL REFERENCES installations(serial),
    license_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT,
    detail TEXT,
    received_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX receipts_by_serial ON receipts(serial, id);
  `,
  // 2: sessions and login throttling move into the database (stateless instances; state that
  // survives a restart).
  `
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX sessions_by_expiry ON sessions(expires_at);
  CREATE TABLE login_throttle (
    organisation_id TEXT NOT NULL,
    address TEXT NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, address)
  ) STRICT;
  CREATE INDEX login_throttle_by_age ON login_throttle(last_failure_at);
  `,
];
