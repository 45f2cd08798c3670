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
  /** The console node the change belongs to (for the audit view's filter). */
  readonly nodeId?: string;
  /** The operating-system user of the process that made the change (filled in by the host). */
  readonly user?: string;
  /** The console session the change came from (a short, non-secret id; filled in by the host). */
  readonly session?: string;
  readonly changes?: readonly ({ key: string; from?: unknown; to?: unknown } | { key: string; changed: true })[];
}
