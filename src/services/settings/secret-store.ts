import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { BehaviorSubject, map, type Observable } from 'rxjs';
import { CodedError } from '../../common/errors.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import { fsError } from '../fs/fs-errors.js';
import { withFileLock } from '../fs/file-lock.js';
import type { AuditLog, PluginSecrets } from './types.js';
import { mkdirPrivate } from '../fs/shared-modes.js';

interface SealedEntry {
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
  /** Where the secret may be sent (bound as associated data too); absent on entries saved before binding. */
  readonly endpoint?: string;
}

interface SecretFile {
  readonly version: 1;
  /** Bumped by every write, so a reader knows whether the file changed. */
  readonly revision?: number;
  readonly entries: Record<string, SealedEntry>;
}

interface Plain {
  readonly value: string;
  readonly endpoint?: string;
}

const KEY_FILE = 'secrets.key';
const DATA_FILE = 'secrets.json';

/**
 * Secrets encrypted at rest with AES-256-GCM; the 32-byte key lives in a 0600 file beside them.
 * Entry names (and the endpoint a secret is bound to) are associated data, so a ciphertext cannot
 * be moved to another name or endpoint. Writes follow settings: under the same cross-process lock,
 * each one re-reads the file and changes only its own entry, so nothing another process (e.g.
 * `ors config set-secret`) wrote is lost; changes by others are reloaded. A damaged file or key is
 * never overwritten: it faults the plugins that use it, with the file to restore.
 * Values are held decrypted in memory only so that the RPC guard can refuse to send them.
 */
export class SecretStore {
  private entries: Record<string, SealedEntry> = {};
  private revision = 0;
  private readonly plain = new Map<string, Plain>();
  /** Whole store unusable (unreadable file, bad key); undefined when healthy. */
  private fault?: CodedError;
  /** Entries that do not decrypt, by name. */
  private readonly damaged = new Set<string>();
  private readonly names$ = new BehaviorSubject<readonly string[]>([]);
  private queue: Promise<unknown> = Promise.resolve();
  private watcher?: FSWatcher;
  private reloadTimer?: NodeJS.Timeout;

  private constructor(
    private readonly dir: string,
    private readonly key: Buffer | undefined,
    private readonly audit?: AuditLog,
  ) {}

  static async open(dir: string, audit?: AuditLog): Promise<SecretStore> {
    try {
      await mkdirPrivate(dir);
    } catch (e) {
      throw fsError(e, dir, 'write');
    }
    const keyPath = path.join(dir, KEY_FILE);
    let key: Buffer | undefined;
    try {
      key = await readFile(keyPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(e, keyPath, 'read');
      // A missing key with existing secrets is damage, not a first start: never replace the key then.
      const hasData = await readFile(path.join(dir, DATA_FILE)).then(() => true, () => false);
      if (!hasData) {
        key = randomBytes(32);
        await writeFileAtomic(keyPath, key, { mode: 0o600 }).catch((w: unknown) => {
          throw fsError(w, keyPath, 'write');
        });
      }
    }
    const store = new SecretStore(dir, key?.length === 32 ? key : undefined, audit);
    if (store.key === undefined) store.fault = new CodedError('secrets.bad-key', { path: keyPath });
    else await store.load();
    return store;
  }

  private get file(): string {
    return path.join(this.dir, DATA_FILE);
  }

  /** A view limited to one plugin's names (`<pluginId>/<key>`); throws when that plugin's secrets are damaged. */
  forPlugin(pluginId: string): PluginSecrets {
    const full = (k: string): string => `${pluginId}/${k}`;
    const prefix = `${pluginId}/`;
    this.assertHealthy(prefix);
    return {
      get: async (k) => this.plain.get(full(k))?.value,
      getFor: async (k, endpoint, saved) => this.getFor(full(k), endpoint, saved),
      set: (k, v, actor, endpoint) => this.set(full(k), v, actor, endpoint),
      delete: (k, actor) => this.delete(full(k), actor),
      isSet: (k) => this.plain.has(full(k)),
      isSetFor: (k, endpoint, saved) => this.usable(full(k), endpoint, saved),
      changes$: this.names$.pipe(map((names) => names.filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length)))),
    };
  }

  get changes$(): Observable<readonly string[]> {
    return this.names$.asObservable();
  }

  /**
   * The value, only for the endpoint it was saved for (an entry saved before binding counts as saved
   * for `saved`, the endpoint of the saved settings). Another endpoint → 'secrets.other-endpoint'.
   */
  async getFor(name: string, endpoint: string, saved: string = endpoint): Promise<string | undefined> {
    const p = this.plain.get(name);
    if (!p) return undefined;
    const boundTo = p.endpoint ?? saved;
    if (boundTo !== endpoint) throw new CodedError('secrets.other-endpoint', { saved: boundTo, endpoint });
    return p.value;
  }

  private usable(name: string, endpoint: string, saved: string = endpoint): boolean {
    const p = this.plain.get(name);
    return p !== undefined && (p.endpoint ?? saved) === endpoint;
  }

  /** True when `text` contains any stored secret value (of 4 characters or more). */
  containsSecret(text: string): boolean {
    for (const { value: v } of this.plain.values()) if (v.length >= 4 && text.includes(v)) return true;
    // JSON escapes some characters; check the escaped form too.
    for (const { value: v } of this.plain.values()) {
      const escaped = JSON.stringify(v).slice(1, -1);
      if (escaped !== v && escaped.length >= 4 && text.includes(escaped)) return true;
    }
    return false;
  }

  /** Stores `value` under `name`, bound to `endpoint` (where it may be sent) when given. */
  async set(name: string, value: string, actor = 'system', endpoint?: string): Promise<void> {
    if (typeof value !== 'string') throw new CodedError('secrets.invalid', { name });
    await this.write(async () => {
      const key = this.key!;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad(name, endpoint));
      const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      return { ...this.entries, [name]: { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64'), ...(endpoint !== undefined ? { endpoint } : {}) } };
    });
    await this.audit?.record({ actor, action: 'secret.set', target: name, changes: [{ key: name, changed: true }] });
  }

  async delete(name: string, actor = 'system'): Promise<void> {
    let removed = false;
    await this.write(async () => {
      if (!(name in this.entries)) return undefined;
      removed = true;
      const { [name]: _removed, ...entries } = this.entries;
      return entries;
    });
    if (removed) await this.audit?.record({ actor, action: 'secret.delete', target: name, changes: [{ key: name, changed: true }] });
  }

  /** Reloads when another process (`ors config set-secret`, the console) changed the store. */
  watchExternalChanges(): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(this.dir, (_ev, file) => {
        if (file !== null && String(file) !== DATA_FILE) return;
        clearTimeout(this.reloadTimer);
        this.reloadTimer = setTimeout(() => void this.reload().catch(() => undefined), 30);
      });
      this.watcher.unref();
    } catch {
      // Without change events the store still re-reads before every write.
    }
  }

  /** Re-reads the file now (under the in-process queue) and publishes what changed. */
  reload(): Promise<void> {
    return this.enqueue(() => this.load());
  }

  close(): void {
    this.watcher?.close();
    clearTimeout(this.reloadTimer);
  }

  private assertHealthy(prefix: string): void {
    if (this.fault) throw this.fault;
    if ([...this.damaged].some((n) => n.startsWith(prefix))) throw new CodedError('secrets.corrupt', { path: this.file });
  }

  /** One write: under the in-process queue and the cross-process lock, on the file as it is now. */
  private async write(change: () => Promise<Record<string, SealedEntry> | undefined>): Promise<void> {
    await this.enqueue(() =>
      withFileLock(this.file, async () => {
        await this.load();
        if (this.fault) throw this.fault;
        if (this.damaged.size) throw new CodedError('secrets.corrupt', { path: this.file });
        const entries = await change();
        if (!entries) return;
        const file: SecretFile = { version: 1, revision: this.revision + 1, entries };
        try {
          await writeFileAtomic(this.file, JSON.stringify(file, null, 2) + '\n', { mode: 0o600, keepPrevious: true });
        } catch (e) {
          throw fsError(e, this.file, 'write');
        }
        this.apply(file);
      }),
    );
  }

  private async load(): Promise<void> {
    if (!this.key) return;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this.apply({ version: 1, revision: 0, entries: {} });
      throw fsError(e, this.file, 'read');
    }
    let file: SecretFile;
    try {
      file = JSON.parse(text) as SecretFile;
      if (typeof file !== 'object' || file === null || typeof file.entries !== 'object' || file.entries === null) throw new Error('no entries');
    } catch (e) {
      this.fault = new CodedError('secrets.corrupt', { path: this.file }, { cause: e });
      return;
    }
    this.fault = undefined;
    this.apply(file);
  }

  private apply(file: SecretFile): void {
    // A value or an endpoint may change under the same names: publish whenever the entries changed.
    const changed = JSON.stringify(file.entries) !== JSON.stringify(this.entries) || this.names$.value.length !== this.plain.size;
    this.entries = file.entries;
    this.revision = file.revision ?? 0;
    this.plain.clear();
    this.damaged.clear();
    for (const [name, entry] of Object.entries(this.entries)) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', this.key!, Buffer.from(entry.iv, 'base64'));
        decipher.setAAD(aad(name, entry.endpoint));
        decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
        const value = Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64')), decipher.final()]).toString('utf8');
        this.plain.set(name, { value, ...(entry.endpoint !== undefined ? { endpoint: entry.endpoint } : {}) });
      } catch {
        this.damaged.add(name);
      }
    }
    if (changed || this.names$.value.length === 0) this.names$.next([...this.plain.keys()].sort());
  }

  private enqueue<R>(task: () => Promise<R>): Promise<R> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function aad(name: string, endpoint: string | undefined): Buffer {
  return Buffer.from(endpoint === undefined ? name : `${name}\n${endpoint}`);
}
