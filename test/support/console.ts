import * as path from 'node:path';
import { ROOT, startProcess, tempDir, type Started } from './processes.js';

export interface RunningConsole {
  /** The printed URL, with the access token. */
  readonly loginUrl: string;
  /** The console's origin, e.g. http://127.0.0.1:PORT */
  readonly origin: string;
  readonly dataDir: string;
  readonly process: Started;
  stop(): Promise<void>;
}

/**
 * Starts the built console (`node bin/ors.js console`, as a user would after `npm run build`)
 * on a free port with a fresh data directory unless one is given.
 */
export async function startConsole(options: { dataDir?: string; args?: readonly string[]; env?: NodeJS.ProcessEnv } = {}): Promise<RunningConsole> {
  const temp = options.dataDir ? undefined : await tempDir('ors-console-');
  const dataDir = options.dataDir ?? temp!.dir;
  const proc = await startProcess(process.execPath, [path.join(ROOT, 'bin/ors.js'), 'console', '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])], {
    cwd: ROOT,
    waitFor: /Console: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/,
    env: { ...process.env, ...options.env },
  });
  const loginUrl = proc.match[1]!;
  return {
    loginUrl,
    origin: new URL(loginUrl).origin,
    dataDir,
    process: proc,
    stop: async () => {
      await proc.stop();
      await temp?.cleanup();
    },
  };
}
