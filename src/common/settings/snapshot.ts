/** A versioned settings object as stored and observed (`version` increases with every write). */
export interface SettingsSnapshot<T> {
  readonly version: number;
  readonly values: T;
}

/** One audit record: who changed what. Secrets appear as `{ key, changed: true }` only. */
export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly changes?: readonly ({ key: string; from?: unknown; to?: unknown } | { key: string; changed: true })[];
}
