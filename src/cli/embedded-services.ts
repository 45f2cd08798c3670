import { spawn, type ChildProcess } from 'node:child_process';

export interface EmbeddedService {
  readonly name: string;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Runs another `ors` subcommand as a child process (same binary, same Node), forwards its output
 * with a prefix, and resolves once it prints its URL. Used by `ors console --demo`.
 */
export function startEmbedded(name: string, args: readonly string[], ready: RegExp, timeoutMs = 30_000): Promise<EmbeddedService> {
  const entry = process.argv[1] ?? '';
  const runner = entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry];
  // The IPC channel is how the child watches this process: it ends when the channel closes.
  const child: ChildProcess = spawn(process.execPath, [...runner, ...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const prefix = (chunk: Buffer): string =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((l) => `[${name}] ${l}\n`)
      .join('');
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.stderr?.on('data', (c: Buffer) => process.stderr.write(prefix(c)));
    child.stdout?.on('data', (c: Buffer) => {
      process.stdout.write(prefix(c));
      out += c.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          name,
          url: m[1] ?? m[0],
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready`));
    });
  });
}
