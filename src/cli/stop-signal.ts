/** How long a process whose parent went away may take to shut down before it leaves anyway. */
const ORPHAN_GRACE_MS = 5_000;

/**
 * Resolves on the first SIGTERM or SIGINT, or when the process that started this one with an IPC
 * channel goes away (closed channel: the console ended, even by kill -9) — children die with the
 * console. Then stops listening for all of them (a long-running command's end).
 */
export function untilStopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      process.off('disconnect', orphaned);
      resolve();
    };
    const orphaned = (): void => {
      setTimeout(() => process.exit(0), ORPHAN_GRACE_MS).unref();
      stop();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    if (process.channel) {
      // The channel only watches the parent; it must not keep this process alive by itself.
      process.channel.unref();
      if (process.connected) process.once('disconnect', orphaned);
      else orphaned();
    }
  });
}

