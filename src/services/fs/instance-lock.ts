import { readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { CodedError, isCodedError } from '../../common/errors.js';
import { writeFileAtomic } from './atomic-file.js';
import { fsError } from './fs-errors.js';
import { tryLockFile, type FileLock } from './file-lock.js';
import { mkdirPrivate } from './shared-modes.js';

export interface InstanceLock {
  release(): Promise<void>;
}

interface Holder {
  readonly pid: number;
  readonly startedAt: string;
}

/** Held for the life of the process (a module-level reference, so it is never collected early). */
const held = new Set<FileLock>();

/**
 * One running instance of `name` per folder: an OS lock on `<dir>/<name>.lock.db` held for the
 * life of the process (released by the OS when it dies, kill -9 included), and `<dir>/<name>.pid`
 * to say who holds it. A second start fails with `busyCode` {path, pid}; a folder that cannot be
 * written fails with 'io.not-writable' naming the folder, before anything else starts.
 */
export async function holdInstanceLock(dir: string, name: string, busyCode: string): Promise<InstanceLock> {
  const info = path.join(dir, `${name}.pid`);
  let lock: FileLock | undefined;
  try {
    await mkdirPrivate(dir);
    lock = await tryLockFile(path.join(dir, `${name}.lock.db`));
  } catch (e) {
    const err = fsError(e, dir, 'write');
    throw err.code === 'io.not-writable' || err.code === 'io.disk-full' ? new CodedError(err.code, { path: dir }, { cause: e }) : err;
  }
  if (!lock) {
    const holder = await readHolder(info);
    throw new CodedError(busyCode, { path: dir, pid: holder?.pid ?? '?' });
  }
  held.add(lock);
  const me: Holder = { pid: process.pid, startedAt: new Date().toISOString() };
  try {
    await writeFileAtomic(info, JSON.stringify(me) + '\n', { mode: 0o600 });
  } catch (e) {
    held.delete(lock);
    lock.release();
    throw isCodedError(e) ? e : fsError(e, info, 'write');
  }
  const mine = lock;
  return {
    release: async () => {
      if (!held.delete(mine)) return;
      if ((await readHolder(info))?.pid === process.pid) await rm(info, { force: true }).catch(() => undefined);
      mine.release();
    },
  };
}

async function readHolder(file: string): Promise<Holder | undefined> {
  try {
    const h = JSON.parse(await readFile(file, 'utf8')) as Partial<Holder>;
    return typeof h.pid === 'number' ? (h as Holder) : undefined;
  } catch {
    return undefined;
  }
}
