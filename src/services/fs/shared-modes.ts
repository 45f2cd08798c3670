import { chmodSync, mkdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The data folder of an installed package is shared by the ORS service and the administrators'
 * group: setgid with group rwx (`/var/lib/<package>`, mode 2770). Inside it a "private" file or
 * folder is private to its owner and that group; anywhere else to its owner alone. Decided by the
 * nearest existing folder, so a folder created inside a shared one is shared too.
 */
export function isSharedFolder(dir: string): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      const st = statSync(d);
      return (st.mode & 0o2000) !== 0 && (st.mode & 0o070) === 0o070;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(d) === d) return false;
    }
  }
}

/** `mode` for a file in `dir`: the group gets the owner's bits where `dir` is a shared data folder. */
export function modeIn(dir: string, mode: number): number {
  return isSharedFolder(dir) ? mode | ((mode & 0o700) >> 3) : mode;
}

/**
 * `mkdir -p` private to the owner (0700), or to the owner and the group in a shared data folder
 * (2770, whatever the umask: each level it created is set explicitly).
 */
export function mkdirPrivateSync(dir: string): void {
  const target = path.resolve(dir);
  const shared = isSharedFolder(target);
  const first = mkdirSync(target, { recursive: true, mode: shared ? 0o770 : 0o700 });
  if (!shared || first === undefined) return;
  for (let d = target; ; d = path.dirname(d)) {
    chmodSync(d, 0o2770);
    if (d === path.resolve(first) || path.dirname(d) === d) break;
  }
}

/** The same for async callers (a few syscalls on first use; the folders usually exist). */
export async function mkdirPrivate(dir: string): Promise<void> {
  mkdirPrivateSync(dir);
}
