/**
 * Schema migrations, applied in order; PRAGMA user_version records how many ran. Never edit a
 * migration that has shipped: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
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
];
