import { chmod, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

export interface StandInBehaviour {
  /** Printed as `TeamViewer ID: …` on stdout when started, and by `info`. */
  readonly id?: string;
  /** Print the ID on stdout when started (QuickSupport-like); otherwise only `info` tells it. */
  readonly printId?: boolean;
  readonly version?: string;
  readonly lingerMs?: number;
  readonly exitCode?: number;
  /** Ignore SIGTERM (so Stop has to kill). */
  readonly ignoreTerm?: boolean;
  /** Start a lingering helper process (like Linux's teamviewer script starting its GUI) and exit 0 at once. */
  readonly handOver?: boolean;
}

export interface StandIn {
  readonly executable: string;
  configure(b: StandInBehaviour): Promise<void>;
  /** argv (after the program) and pid of every start, from files the stand-in wrote itself. */
  starts(): Promise<{ argv: string[]; pid: number; helper?: number }[]>;
}

/**
 * A stand-in TeamViewer: a Node script with a shebang (so it is run by path, like the real one).
 * `info` prints a `teamviewer info`-like report; otherwise it records its argv, prints its ID,
 * lingers and exits with the chosen code. Its behaviour is read from standin.json beside it.
 */
export async function createStandIn(dir: string, name: string, behaviour: StandInBehaviour = {}): Promise<StandIn> {
  await mkdir(dir, { recursive: true });
  const executable = path.join(dir, name);
  const config = path.join(dir, 'standin.json');
  const script = `#!${process.execPath}
const fs = require('fs');
const path = require('path');
const dir = path.dirname(__filename);
const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'standin.json'), 'utf8'));
const args = process.argv.slice(2);
if (args[0] === 'info') {
  process.stdout.write('\\n TeamViewer                           ' + (cfg.version || '15.0.0') + '  \\n\\n' + (cfg.id ? ' TeamViewer ID:    ' + cfg.id + ' \\n' : ''));
  process.exit(0);
}
let helper;
if (cfg.handOver) {
  const h = require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  helper = h.pid;
  h.unref();
}
// Written whole, then renamed: a reader listing the folder never sees a half-written record.
fs.writeFileSync(path.join(dir, 'start-' + process.pid + '.json.part'), JSON.stringify({ argv: args, pid: process.pid, helper }));
fs.renameSync(path.join(dir, 'start-' + process.pid + '.json.part'), path.join(dir, 'start-' + process.pid + '.json'));
if (cfg.handOver) process.exit(0);
if (cfg.ignoreTerm) process.on('SIGTERM', () => {});
if (cfg.printId && cfg.id) process.stdout.write('TeamViewer ID: ' + cfg.id + '\\n');
setTimeout(() => process.exit(cfg.exitCode || 0), cfg.lingerMs === undefined ? 60000 : cfg.lingerMs);
`;
  await writeFile(executable, script);
  await chmod(executable, 0o755);
  const configure = (b: StandInBehaviour) => writeFile(config, JSON.stringify(b));
  await configure(behaviour);
  return {
    executable,
    configure,
    async starts() {
      const files = (await readdir(dir)).filter((f) => /^start-\d+\.json$/.test(f));
      return Promise.all(files.map(async (f) => JSON.parse(await readFile(path.join(dir, f), 'utf8')) as { argv: string[]; pid: number; helper?: number }));
    },
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
