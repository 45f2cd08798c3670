import type { Observable } from 'rxjs';

export interface SettingsSnapshot<T> {
  readonly version: number;
  readonly values: T;
}

/** A plugin's settings: schema-validated, versioned, observable, written atomically. */
export interface PluginSettings<T = Record<string, unknown>> {
  get(): SettingsSnapshot<T>;
  readonly changes$: Observable<SettingsSnapshot<T>>;
  /**
   * Applies `patch` if the stored version is still `expectedVersion`; otherwise throws
   * CodedError 'settings.conflict'. Invalid values throw 'settings.invalid' naming the field.
   */
  update(patch: Partial<T>, expectedVersion: number, actor?: string): Promise<SettingsSnapshot<T>>;
}

/** Secrets: encrypted at rest; the console can only learn whether one is set, and set or clear it. */
export interface PluginSecrets {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, actor?: string): Promise<void>;
  delete(key: string, actor?: string): Promise<void>;
  isSet(key: string): boolean;
  readonly changes$: Observable<readonly string[]>;
}

export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  /** Changed keys; secrets appear as `{ key, changed: true }` only. */
  readonly changes?: readonly ({ key: string; from?: unknown; to?: unknown } | { key: string; changed: true })[];
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  read(limit?: number): Promise<readonly (AuditEntry & { time: string })[]>;
}

// Injection tokens beside their interfaces; Symbol.for so separately bundled plugins share them.
export const PluginSettings = Symbol.for('ors.host.PluginSettings');
export const PluginSecrets = Symbol.for('ors.host.PluginSecrets');
export const AuditLog = Symbol.for('ors.host.AuditLog');
