import type { Database as SqliteDatabase } from 'better-sqlite3';
import { closeSync, fchmodSync, openSync } from 'node:fs';
import * as path from 'node:path';
import { CodedError } from '../../common/errors.js';
import { fsError } from './fs-errors.js';
import { modeIn } from './shared-modes.js';

/**
 * Cross-process locks that the operating system releases when their holder dies (kill -9 included),
 * so no waiter ever judges an owner dead, breaks in, or is fooled by a reused PID.
 *
 * The lock is SQLite's own file lock (POSIX advisory locks on Linux/macOS, LockFileEx on Windows)
 * on a small lock database, taken with `BEGIN EXCLUSIVE` through better-sqlite3, which the project
 * already ships. SQLite also keeps two connections of one process apart and never drops a lock
 * when another descriptor of the same file closes (the classic trap of fcntl locks).
 * Rejected: the former PID file (two waiters could both judge the owner dead; PID reuse),
 * proper-lockfile (mtime staleness: seconds of wait after a kill), fs-ext (flock only, no
 * Windows), os-lock / fs-native-extensions (one more native module for what SQLite already does).
 * Waiting polls without blocking the event loop (better-sqlite3 would block it in a busy wait).
 */
export interface FileLock {
  readonly path: string;
  release(): void;
}

type DatabaseCtor = new (file: string, options: { timeout: number }) => SqliteDatabase;
let ctor: Promise<DatabaseCtor> | undefined;
function sqlite(): Promise<DatabaseCtor> {
  // Loaded on first use: processes that never lock do not load the native module.
  ctor ??= import('better-sqlite3').then((m) => m.default as unknown as DatabaseCtor);
  return ctor;
}

/** Takes the lock on `file` (a lock database, created if missing) now, or returns undefined when another holds it. */
export async function tryLockFile(file: string): Promise<FileLock | undefined> {
  const Database = await sqlite();
  shareLockFile(file);
  let db: SqliteDatabase;
  try {
    db = new Database(file, { timeout: 0 });
  } catch (e) {
    throw fsError(e, file, 'write');
  }
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code === 'SQLITE_BUSY') return undefined;
    throw fsError(e, file, 'write');
  }
  let held = true;
  return {
    path: file,
    release: () => {
      if (!held) return;
      held = false;
      try {
        db.exec('COMMIT');
      } finally {
        db.close();
      }
    },
  };
}

/**
 * In a shared data folder the lock database must be usable by the group as well: SQLite would
 * create it 0644 minus the umask. Created first with the folder's mode (its creator sets it).
 */
function shareLockFile(file: string): void {
  const mode = modeIn(path.dirname(file), 0o600);
  if (mode === 0o600) return;
  try {
    const fd = openSync(file, 'a', mode);
    try {
      fchmodSync(fd, mode);
    } catch {
      // Not the owner: whoever created it set the mode.
    } finally {
      closeSync(fd);
    }
  } catch {
    // SQLite reports what is wrong with the file.
  }
}

/** Waits (polling, 2 → 25 ms with jitter) until the lock on `file` is free; 'io.locked' after `timeoutMs`. */
export async function lockFile(file: string, timeoutMs = 5_000, target = file): Promise<FileLock> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 2; ; delay = Math.min(delay * 2, 25)) {
    const lock = await tryLockFile(file);
    if (lock) return lock;
    if (Date.now() > deadline) throw new CodedError('io.locked', { path: target });
    await new Promise((r) => setTimeout(r, delay / 2 + Math.random() * delay));
  }
}

/** The lock file that guards writes to `target`. */
export function lockFileFor(target: string): string {
  return `${target}.lock.db`;
}

/** Runs `task` while holding the cross-process lock of `target`. */
export async function withFileLock<T>(target: string, task: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const lock = await lockFile(lockFileFor(target), timeoutMs, target);
  try {
    return await task();
  } finally {
    lock.release();
  }
}
