import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { modeIn } from './shared-modes.js';

export interface AtomicWriteOptions {
  /** File mode of the new file (default 0o644; use 0o600 for secrets); in a shared data folder the group gets the owner's bits. */
  readonly mode?: number;
  /** Keep the replaced version as `<file>.prev` (hard link, so it is never half-written). */
  readonly keepPrevious?: boolean;
}

export const TEMP_MARKER = '.tmp-';

/** Name of the temporary file used while `target` is being written; recognisable so leftovers can be cleaned. */
export function tempNameFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}${TEMP_MARKER}${randomBytes(6).toString('hex')}`);
}

/**
 * Writes `data` so that a crash or kill at any instant leaves either the old or the new content:
 * write a temporary file in the same folder, fsync it, rename it over the target, fsync the folder.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(target);
  const tmp = tempNameFor(target);
  const mode = modeIn(dir, options.mode ?? 0o644);
  const handle = await fs.open(tmp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, mode);
  try {
    // Shared with the administrators' group whatever the umask of the process that writes.
    if (mode !== (options.mode ?? 0o644)) await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    if (options.keepPrevious) {
      // Link the current version under a temporary name, then rename it over `.prev`: every step
      // is atomic, so `.prev` is always a whole file and a concurrent writer cannot collide on it.
      const prevTmp = tempNameFor(`${target}.prev`);
      const linked = await fs.link(target, prevTmp).then(
        () => true,
        (e: NodeJS.ErrnoException) => {
          if (e.code === 'ENOENT') return false;
          throw e;
        },
      );
      if (linked) await fs.rename(prevTmp, `${target}.prev`);
    }
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  const h = await fs.open(dir, constants.O_RDONLY).catch(() => undefined);
  if (!h) return;
  try {
    await h.sync();
  } catch {
    // Some file systems refuse fsync on directories; the rename itself is still atomic.
  } finally {
    await h.close();
  }
}

/** Removes temporary files a killed writer left behind in `dir`. Returns their names. */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((n) => n.startsWith('.') && n.includes(TEMP_MARKER));
  await Promise.all(stale.map((n) => fs.rm(path.join(dir, n), { force: true })));
  return stale;
}
