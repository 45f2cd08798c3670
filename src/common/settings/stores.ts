import type { Observable } from 'rxjs';
import type { AuditEntry, SettingsSnapshot } from './snapshot.js';

// The shape of the host's stores, once: the stores (src/services/settings) implement these, and the
// host API (src/host/api) gives plugins the same interfaces with their injection tokens.

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

/**
 * Secrets: encrypted at rest; the console can only learn whether one is set, and set or clear it.
 * A secret is bound to the endpoint it was saved for and handed out only for that endpoint.
 */
export interface PluginSecrets {
  /** The stored value whatever it was saved for: only to put a value back (a refused save). To send a secret anywhere use `getFor`. */
  get(key: string): Promise<string | undefined>;
  /**
   * The value for `endpoint`, where it is about to be sent; undefined when not set; CodedError
   * 'secrets.other-endpoint' {saved, endpoint} when it was saved for another endpoint. An entry
   * saved before binding counts as saved for `saved` (the endpoint of the saved settings).
   */
  getFor(key: string, endpoint: string, saved?: string): Promise<string | undefined>;
  /** Stores the value, bound to `endpoint` (where it may be sent) when given. */
  set(key: string, value: string, actor?: string, endpoint?: string): Promise<void>;
  delete(key: string, actor?: string): Promise<void>;
  isSet(key: string): boolean;
  /** Set, and usable for `endpoint` (see `getFor`). */
  isSetFor(key: string, endpoint: string, saved?: string): boolean;
  readonly changes$: Observable<readonly string[]>;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  read(limit?: number): Promise<readonly (AuditEntry & { time: string })[]>;
}

