import { open, readFile, rm, stat } from 'node:fs/promises';
import { CodedError } from '../../common/errors.js';

/**
 * Runs `task` while holding `<target>.lock`, an O_EXCL file holding the owner's PID.
 * A lock whose owner is gone (crashed, killed -9) is taken over at once; proper-lockfile was
 * rejected because its mtime-based staleness makes every write after a kill wait seconds.
 */
export async function withFileLock<T>(target: string, task: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const lock = `${target}.lock`;
  const deadline = Date.now() + timeoutMs;
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    try {
      const h = await open(lock, 'wx', 0o600);
      await h.writeFile(String(process.pid));
      await h.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = await readFile(lock, 'utf8').catch(() => undefined);
      if (await ownerIsGone(lock, owner)) {
        // Remove it only if it is still the dead owner's lock, not one created meanwhile.
        if ((await readFile(lock, 'utf8').catch(() => undefined)) === owner) await rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new CodedError('io.locked', { path: target });
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
    }
  }
  try {
    return await task();
  } finally {
    await rm(lock, { force: true });
  }
}

async function ownerIsGone(lock: string, text: string | undefined): Promise<boolean> {
  if (text === undefined) return true;
  const pid = Number(text);
  // An empty file is a lock being created right now, unless it stays empty (its creator died).
  if (!text) {
    const info = await stat(lock).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > 1_000;
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
