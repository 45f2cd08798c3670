import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { BehaviorSubject, map, type Observable } from 'rxjs';
import { CodedError } from '../../common/errors.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import type { AuditLog, PluginSecrets } from './types.js';

interface SealedEntry {
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

interface SecretFile {
  readonly version: 1;
  readonly entries: Record<string, SealedEntry>;
}

const KEY_FILE = 'secrets.key';
const DATA_FILE = 'secrets.json';

/**
 * Secrets encrypted at rest with AES-256-GCM; the 32-byte key lives in a 0600 file beside them.
 * Entry names are bound as associated data, so a ciphertext cannot be moved to another name.
 * Values are held decrypted in memory only so that the RPC guard can refuse to send them.
 */
export class SecretStore {
  private entries: Record<string, SealedEntry> = {};
  private readonly plain = new Map<string, string>();
  private readonly names$ = new BehaviorSubject<readonly string[]>([]);
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private readonly key: Buffer,
    private readonly audit?: AuditLog,
  ) {}

  static async open(dir: string, audit?: AuditLog): Promise<SecretStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const keyPath = path.join(dir, KEY_FILE);
    let key: Buffer;
    try {
      key = await readFile(keyPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      key = randomBytes(32);
      await writeFileAtomic(keyPath, key, { mode: 0o600 });
    }
    if (key.length !== 32) throw new CodedError('secrets.bad-key', { path: keyPath });
    const store = new SecretStore(dir, key, audit);
    await store.load();
    return store;
  }

  /** A view limited to one plugin's names (`<pluginId>/<key>`). */
  forPlugin(pluginId: string): PluginSecrets {
    const full = (k: string): string => `${pluginId}/${k}`;
    const prefix = `${pluginId}/`;
    return {
      get: async (k) => this.plain.get(full(k)),
      set: (k, v, actor) => this.set(full(k), v, actor),
      delete: (k, actor) => this.delete(full(k), actor),
      isSet: (k) => this.plain.has(full(k)),
      changes$: this.names$.pipe(map((names) => names.filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length)))),
    };
  }

  get changes$(): Observable<readonly string[]> {
    return this.names$.asObservable();
  }

  /** True when `text` contains any stored secret value (of 4 characters or more). */
  containsSecret(text: string): boolean {
    for (const v of this.plain.values()) if (v.length >= 4 && text.includes(v)) return true;
    // JSON escapes some characters; check the escaped form too.
    for (const v of this.plain.values()) {
      const escaped = JSON.stringify(v).slice(1, -1);
      if (escaped !== v && escaped.length >= 4 && text.includes(escaped)) return true;
    }
    return false;
  }

  async set(name: string, value: string, actor = 'system'): Promise<void> {
    if (typeof value !== 'string') throw new CodedError('secrets.invalid', { name });
    await this.enqueue(async () => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', this.key, iv);
      cipher.setAAD(Buffer.from(name));
      const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      const entries = { ...this.entries, [name]: { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') } };
      await this.save(entries);
      this.plain.set(name, value);
      this.publish();
    });
    await this.audit?.record({ actor, action: 'secret.set', target: name, changes: [{ key: name, changed: true }] });
  }

  async delete(name: string, actor = 'system'): Promise<void> {
    if (!(name in this.entries)) return;
    await this.enqueue(async () => {
      const { [name]: _removed, ...entries } = this.entries;
      await this.save(entries);
      this.plain.delete(name);
      this.publish();
    });
    await this.audit?.record({ actor, action: 'secret.delete', target: name, changes: [{ key: name, changed: true }] });
  }

  private publish(): void {
    this.names$.next([...this.plain.keys()].sort());
  }

  private async load(): Promise<void> {
    let file: SecretFile;
    try {
      file = JSON.parse(await readFile(path.join(this.dir, DATA_FILE), 'utf8')) as SecretFile;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new CodedError('secrets.corrupt', { path: path.join(this.dir, DATA_FILE) }, { cause: e });
    }
    this.entries = file.entries ?? {};
    for (const [name, entry] of Object.entries(this.entries)) {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(entry.iv, 'base64'));
      decipher.setAAD(Buffer.from(name));
      decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
      try {
        this.plain.set(name, Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64')), decipher.final()]).toString('utf8'));
      } catch (e) {
        throw new CodedError('secrets.corrupt', { path: name }, { cause: e });
      }
    }
    this.publish();
  }

  private async save(entries: Record<string, SealedEntry>): Promise<void> {
    const file: SecretFile = { version: 1, entries };
    await writeFileAtomic(path.join(this.dir, DATA_FILE), JSON.stringify(file, null, 2) + '\n', { mode: 0o600, keepPrevious: true });
    this.entries = entries;
  }

  private enqueue<R>(task: () => Promise<R>): Promise<R> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
