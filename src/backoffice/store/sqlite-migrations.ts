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
  // 3 (issue 14, the website): staff accounts, an installation's status kept beside it (last
  // contact, the license served and installed, what waits there) so that 10,000 rows sort and filter
  // in the database, heartbeat history, remote-assistance requests, the back office's audit log, and
  // the change feed every instance follows (live pages, long-poll wake-ups).
  `
  ALTER TABLE installations ADD COLUMN last_contact_at TEXT;
  ALTER TABLE installations ADD COLUMN current_license_id TEXT;
  ALTER TABLE installations ADD COLUMN current_seq INTEGER;
  ALTER TABLE installations ADD COLUMN installed_license_id TEXT;
  ALTER TABLE installations ADD COLUMN installed_seq INTEGER;
  ALTER TABLE installations ADD COLUMN pending_kind TEXT;
  ALTER TABLE installations ADD COLUMN pending_reason TEXT;
  ALTER TABLE licenses ADD COLUMN fetched_at TEXT;
  UPDATE installations SET
    current_seq = (SELECT MAX(l.seq) FROM licenses l WHERE l.serial = installations.serial),
    current_license_id = (SELECT l.license_id FROM licenses l WHERE l.serial = installations.serial ORDER BY l.seq DESC LIMIT 1),
    installed_seq = (SELECT MAX(r.seq) FROM receipts r WHERE r.serial = installations.serial AND r.kind IN ('installed', 'copied-remote')),
    installed_license_id = (SELECT r.license_id FROM receipts r WHERE r.serial = installations.serial AND r.kind IN ('installed', 'copied-remote') ORDER BY r.seq DESC LIMIT 1);
  CREATE INDEX installations_by_contact ON installations(last_contact_at);
  CREATE INDEX installations_by_pending ON installations(pending_kind);
  CREATE INDEX installations_by_product ON installations(product, serial);
  CREATE TABLE staff_users (
    name TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE heartbeats (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    serial TEXT NOT NULL REFERENCES installations(serial),
    at TEXT NOT NULL,
    ors_version TEXT,
    product_version TEXT,
    hostname TEXT
  ) STRICT;
  CREATE INDEX heartbeats_by_serial ON heartbeats(serial, id);
  CREATE TABLE assistance_requests (
    id TEXT PRIMARY KEY,
    serial TEXT NOT NULL REFERENCES installations(serial),
    organisation_id TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    message TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    teamviewer_id TEXT,
    reason TEXT
  ) STRICT;
  CREATE INDEX assistance_by_serial ON assistance_requests(serial, created_at);
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    organisation_id TEXT,
    serial TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_by_serial ON audit_log(serial, id);
  CREATE TABLE changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    serial TEXT NOT NULL,
    organisation_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    at_ms INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX changes_by_age ON changes(at_ms);
  `,
];
