import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { BehaviorSubject, type Observable } from 'rxjs';
import { CodedError } from '../../common/errors.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import { withFileLock } from '../fs/file-lock.js';
import { fsError } from '../fs/fs-errors.js';
import type { AuditLog, PluginSettings, SettingsSnapshot } from './types.js';
import { mkdirPrivate } from '../fs/shared-modes.js';

/** Names the first failing field of an ajv result, as the dialogs show errors at the field. */
export function describeAjvError(errors: readonly ErrorObject[] | null | undefined): { field: string; reason: string } {
  const e = errors?.[0];
  if (!e) return { field: '', reason: 'invalid' };
  const missing = e.keyword === 'required' ? `/${String((e.params as { missingProperty?: string }).missingProperty)}` : '';
  const field = `${e.instancePath}${missing}`.replace(/^\//, '').replace(/\//g, '.');
  return { field, reason: e.message ?? e.keyword };
}

/**
 * One plugin's settings in `<dir>/<pluginId>.json` as `{version, values}`: validated against the
 * manifest's schema, written atomically (previous version kept), refused on a stale version.
 */
export class SettingsStore<T extends Record<string, unknown> = Record<string, unknown>> implements PluginSettings<T> {
  private readonly subject: BehaviorSubject<SettingsSnapshot<T>>;
  private readonly validate: ValidateFunction;
  private queue: Promise<unknown> = Promise.resolve();
  private watcher?: FSWatcher;

  private constructor(
    private readonly file: string,
    schema: object,
    initial: SettingsSnapshot<T>,
    private readonly audit?: AuditLog,
  ) {
    this.validate = new Ajv({ useDefaults: true, allErrors: false, strict: false }).compile(schema);
    this.subject = new BehaviorSubject(initial);
  }

  static async open<T extends Record<string, unknown>>(
    dir: string,
    pluginId: string,
    schema: object = { type: 'object' },
    audit?: AuditLog,
  ): Promise<SettingsStore<T>> {
    await mkdirPrivate(dir);
    const file = path.join(dir, `${pluginId}.json`);
    const store = new SettingsStore<T>(file, schema, { version: 0, values: {} as T }, audit);
    const loaded = await store.load();
    store.subject.next(loaded);
    return store;
  }

  get changes$(): Observable<SettingsSnapshot<T>> {
    return this.subject.asObservable();
  }

  get(): SettingsSnapshot<T> {
    return this.subject.value;
  }

  /** Reloads when another process (e.g. `ors config set`) changed the file. */
  watchExternalChanges(): void {
    if (this.watcher) return;
    this.watcher = watch(path.dirname(this.file), (_ev, name) => {
      if (name === path.basename(this.file)) this.reload().catch(() => undefined);
    });
    this.watcher.unref();
  }

  /** Re-reads the file (e.g. after a conflict) and publishes it if it changed. */
  reload(): Promise<SettingsSnapshot<T>> {
    return this.enqueue(async () => {
      const fresh = await this.load();
      if (fresh.version !== this.subject.value.version) this.subject.next(fresh);
      return fresh;
    });
  }

  close(): void {
    this.watcher?.close();
    this.subject.complete();
  }

  update(patch: Partial<T>, expectedVersion: number, actor = 'system'): Promise<SettingsSnapshot<T>> {
    // In-process queue plus a file lock: another console or `ors config set` may write at the same time.
    return this.enqueue(() => withFileLock(this.file, async () => {
      // Re-read: another process may have written since we last looked.
      const current = await this.load();
      if (current.version !== expectedVersion) {
        throw new CodedError('settings.conflict', { expected: expectedVersion, actual: current.version });
      }
      const values = structuredClone({ ...current.values, ...patch }) as T;
      if (!this.validate(values)) {
        const { field, reason } = describeAjvError(this.validate.errors);
        throw new CodedError('settings.invalid', { field, reason }, { field });
      }
      const next: SettingsSnapshot<T> = { version: current.version + 1, values };
      try {
        await writeFileAtomic(this.file, JSON.stringify(next, null, 2) + '\n', { mode: 0o600, keepPrevious: true });
      } catch (e) {
        throw fsError(e, this.file, 'write'); // full disk, read-only folder: named, and the previous version stays
      }
      this.subject.next(next);
      const changes = Object.keys(patch)
        .filter((k) => JSON.stringify(current.values[k]) !== JSON.stringify(values[k]))
        .map((k) => ({ key: k, from: current.values[k], to: values[k] }));
      if (changes.length) await this.audit?.record({ actor, action: 'settings.update', target: path.basename(this.file, '.json'), changes });
      return next;
    }));
  }

  private async load(): Promise<SettingsSnapshot<T>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(e, this.file, 'read');
      const values = {} as T;
      this.validate(values); // fills defaults
      return { version: 0, values };
    }
    let parsed: SettingsSnapshot<T>;
    try {
      parsed = JSON.parse(text) as SettingsSnapshot<T>;
    } catch (e) {
      throw new CodedError('settings.corrupt', { path: this.file }, { cause: e });
    }
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.version !== 'number' || typeof parsed.values !== 'object' || parsed.values === null) {
      throw new CodedError('settings.corrupt', { path: this.file });
    }
    // Values that break the schema are not loaded silently: the file is named, with what is wrong.
    if (!this.validate(parsed.values)) {
      const { field, reason } = describeAjvError(this.validate.errors);
      throw new CodedError('settings.invalid-file', { path: this.file, field, reason });
    }
    return parsed;
  }

  private enqueue<R>(task: () => Promise<R>): Promise<R> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
