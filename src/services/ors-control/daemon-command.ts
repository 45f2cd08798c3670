import { existsSync, readFileSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How to run `ors daemon`: a program and the arguments before `daemon --data-dir DIR`. */
export interface DaemonCommand {
  readonly command: string;
  readonly args: readonly string[];
}

export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'manifest.json'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

/** The real file behind an entry (`/usr/bin/ors` is a link into the installed tree): a unit must not depend on the link. */
function real(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * The same node and entry as the current process when it is `ors` (from the sources via tsx, or the
 * bundle in dist/), else the package's own entry: src/cli/main.ts through tsx when running from
 * sources, bin/ors.js when built. Inspector flags are not inherited (the port would collide).
 */
export function defaultDaemonCommand(): DaemonCommand {
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--inspect') && !a.startsWith('--test'));
  const entry = process.argv[1] ?? '';
  if (/(?:^|[\\/])(?:main\.ts|ors(?:\.js)?)$/.test(entry)) return { command: process.execPath, args: [...execArgv, real(entry)] };
  const root = packageRoot();
  const fromSources = import.meta.url.endsWith('.ts');
  if (fromSources) return { command: process.execPath, args: ['--import', 'tsx', path.join(root, 'src/cli/main.ts')] };
  return { command: process.execPath, args: [path.join(root, 'bin/ors.js')] };
}

/**
 * What an installed package (`npm run package`) says about its layout, from the `orsPackage` field
 * its package.json carries; undefined when running from a checkout.
 */
export interface PackageLayout {
  /** The data folder the packaged unit and the `ors` command use. */
  readonly dataDir: string;
  /** The system account the service runs as for "Local System" (an unprivileged user, not root). */
  readonly serviceUser: string;
  /** The administrators' group that owns the data folder. */
  readonly adminGroup: string;
  /** The command on the PATH. */
  readonly command: string;
}

export function packageLayout(root = packageRoot()): PackageLayout | undefined {
  try {
    const p = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { orsPackage?: Partial<PackageLayout> };
    const l = p.orsPackage;
    if (!l || typeof l.dataDir !== 'string' || typeof l.serviceUser !== 'string' || typeof l.adminGroup !== 'string' || typeof l.command !== 'string') return undefined;
    return l as PackageLayout;
  } catch {
    return undefined;
  }
}

/** One word for a POSIX shell (single quotes unless it is plain). */
export function shellWord(w: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** One word for cmd.exe (double quotes where it has spaces or specials; Windows paths hold no quote). */
export function cmdWord(w: string): string {
  return /^[A-Za-z0-9_.:\\/=@+-]+$/.test(w) ? w : `"${w.replace(/"/g, '""')}"`;
}

/**
 * The exact command that installs the ORS service in the OS for this data folder, as an
 * administrator types it: `sudo ors service install --data-dir …` (or the full program where no
 * package put `ors` on the PATH); undefined where no OS back-end exists.
 */
export function installCommandFor(dataDir: string, o: { platform?: NodeJS.Platform; command?: DaemonCommand; layout?: PackageLayout } = {}): string | undefined {
  const platform = o.platform ?? process.platform;
  if (platform !== 'linux' && platform !== 'win32') return undefined;
  const layout = 'layout' in o ? o.layout : packageLayout();
  const command = o.command ?? defaultDaemonCommand();
  const program = layout ? [layout.command] : [command.command, ...command.args];
  const words = [...program, 'service', 'install', '--data-dir', dataDir];
  return platform === 'win32' ? words.map(cmdWord).join(' ') : `sudo ${words.map(shellWord).join(' ')}`;
}
