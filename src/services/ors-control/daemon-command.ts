import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How to run `ors daemon`: a program and the arguments before `daemon --data-dir DIR`. */
export interface DaemonCommand {
  readonly command: string;
  readonly args: readonly string[];
}

function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'manifest.json'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

/**
 * The same node and entry as the current process when it is `ors` (from the sources via tsx, or the
 * bundle in dist/), else the package's own entry: src/cli/main.ts through tsx when running from
 * sources, bin/ors.js when built. Inspector flags are not inherited (the port would collide).
 */
export function defaultDaemonCommand(): DaemonCommand {
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--inspect') && !a.startsWith('--test'));
  const entry = process.argv[1] ?? '';
  if (/(?:^|[\\/])(?:main\.ts|ors(?:\.js)?)$/.test(entry)) return { command: process.execPath, args: [...execArgv, entry] };
  const root = packageRoot();
  const fromSources = import.meta.url.endsWith('.ts');
  if (fromSources) return { command: process.execPath, args: ['--import', 'tsx', path.join(root, 'src/cli/main.ts')] };
  return { command: process.execPath, args: [path.join(root, 'bin/ors.js')] };
}
