// A private Samba (smbd) on 127.0.0.1 for tests: its own config, state and shares under a temp
// folder, SMB3 only, signing mandatory. Started as a child process and stopped by its PID.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import * as path from 'node:path';
import { freePort, tempDir } from './processes.js';

/** Runs a command with optional stdin (processes.ts' run() trips over EPIPE when a command ignores its stdin). */
function run(cmd: string, args: readonly string[], options: { input?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

export interface SambaShareSpec {
  readonly name: string;
  readonly readOnly?: boolean;
  /** Files to put into the share before smbd starts (name → content). */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
}

export interface SambaUser {
  /** A system user of that name is created if missing (no home, no login shell). */
  readonly username: string;
  readonly password: string;
}

export interface SambaStartOptions {
  /** Default: a writable share `licenses` (with a folder `lic`) and a read-only share `readonly`. */
  readonly shares?: readonly SambaShareSpec[];
  /** Default: one user `ors-smb-test` with a password full of quotes, spaces and `%`. */
  readonly users?: readonly SambaUser[];
  /** More `[global]` lines, e.g. `smb encrypt = required`. */
  readonly globalOptions?: readonly string[];
}

export interface SambaServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly users: readonly SambaUser[];
  readonly pid: number;
  /** The folder behind a share on this machine, to check what arrived. */
  pathOf(share: string): string;
  /** smbd's log (log level 1 + auth_audit:3). */
  log(): Promise<string>;
  /** Freezes (SIGSTOP) or thaws (SIGCONT) smbd and its connection processes, to simulate a hung server. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** Kills smbd and its connection processes at once (a crash). */
  kill(): Promise<void>;
  /** SIGTERM to smbd and its connection processes, SIGKILL after a grace period; removes the temp folder. */
  stop(): Promise<void>;
}

export const DEFAULT_SAMBA_USER: SambaUser = { username: 'ors-smb-test', password: `p"a ss'w%rd %U 100% ${'"'}` };

/** Processes whose parent is `pid` (smbd forks one per connection). */
async function childrenOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) out.push(Number(entry), ...(await childrenOf(Number(entry))));
  }
  return out;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const p of pids) {
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
}

async function ensureSystemUser(username: string): Promise<{ uid: number; gid: number }> {
  const lookup = async () => {
    const r = await run('id', ['-u', username]);
    if (r.code !== 0) return undefined;
    const g = await run('id', ['-g', username]);
    return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
  };
  const found = await lookup();
  if (found) return found;
  // Tests in parallel may create the same user: serialise, and accept "already exists" (exit 9).
  const r = await run('flock', ['/tmp/ors-samba-useradd.lock', 'useradd', '-M', '-s', '/usr/sbin/nologin', username]);
  const created = await lookup();
  if (!created) throw new Error(`useradd ${username} failed (${r.code}): ${r.stderr}`);
  return created;
}

function waitForPort(port: number, child: ChildProcess, output: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null || child.signalCode !== null) {
        return reject(new Error(`smbd exited (${child.exitCode ?? child.signalCode}) before listening:\n${output()}`));
      }
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`smbd did not listen on ${port} within ${timeoutMs} ms:\n${output()}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Starts a private smbd and resolves once its port accepts connections. */
export async function startSamba(options: SambaStartOptions = {}): Promise<SambaServer> {
  const shares = options.shares ?? [
    { name: 'licenses', files: { 'lic/.keep': '' } },
    { name: 'readonly', readOnly: true, files: { 'lic/current.lic': 'read-only license\n' } },
  ];
  const users = options.users ?? [DEFAULT_SAMBA_USER];
  const { dir, cleanup } = await tempDir('ors-samba-');
  await chmod(dir, 0o755); // smbd serves the shares as the user, who must traverse this folder
  const ids = await Promise.all(users.map((u) => ensureSystemUser(u.username)));
  const owner = ids[0]!;
  for (const sub of ['private', 'lock', 'state', 'cache', 'pid', 'ncalrpc', 'log', 'shares']) await mkdir(path.join(dir, sub), { mode: 0o755 });
  await chmod(path.join(dir, 'private'), 0o700);
  for (const share of shares) {
    const root = path.join(dir, 'shares', share.name);
    await mkdir(root);
    for (const [name, content] of Object.entries(share.files ?? {})) {
      const file = path.join(root, name);
      await mkdir(path.dirname(file), { recursive: true });
      if (!name.endsWith('/.keep')) await writeFile(file, content);
    }
    await run('chown', ['-R', `${owner.uid}:${owner.gid}`, root]);
    await chown(root, owner.uid, owner.gid);
  }
  const port = await freePort();
  const conf = path.join(dir, 'smb.conf');
  const lines = [
    '[global]',
    `  netbios name = ORSTEST${randomBytes(2).toString('hex').toUpperCase()}`,
    '  interfaces = 127.0.0.1',
    '  bind interfaces only = yes',
    `  smb ports = ${port}`,
    '  disable netbios = yes',
    `  passdb backend = tdbsam:${path.join(dir, 'private', 'passdb.tdb')}`,
    `  private dir = ${path.join(dir, 'private')}`,
    `  lock directory = ${path.join(dir, 'lock')}`,
    `  state directory = ${path.join(dir, 'state')}`,
    `  cache directory = ${path.join(dir, 'cache')}`,
    `  pid directory = ${path.join(dir, 'pid')}`,
    `  ncalrpc dir = ${path.join(dir, 'ncalrpc')}`,
    `  log file = ${path.join(dir, 'log', 'smbd.log')}`,
    '  log level = 1 auth_audit:3',
    '  map to guest = never',
    '  usershare path =',
    '  load printers = no',
    '  printing = bsd',
    '  printcap name = /dev/null',
    '  disable spoolss = yes',
    '  server role = standalone server',
    '  server signing = mandatory',
    '  server min protocol = SMB3',
    ...(options.globalOptions ?? []).map((l) => `  ${l}`),
    ...shares.flatMap((s) => [
      `[${s.name}]`,
      `  path = ${path.join(dir, 'shares', s.name)}`,
      `  read only = ${s.readOnly ? 'yes' : 'no'}`,
      `  valid users = ${users.map((u) => u.username).join(' ')}`,
    ]),
  ];
  await writeFile(conf, lines.join('\n') + '\n');
  for (const u of users) {
    // smbpasswd -s reads the new password twice from stdin: never on a command line.
    const r = await run('smbpasswd', ['-c', conf, '-s', '-a', u.username], { input: `${u.password}\n${u.password}\n` });
    if (r.code !== 0) throw new Error(`smbpasswd -a ${u.username} failed (${r.code}): ${r.stderr}${r.stdout}`);
  }
  const child = spawn('smbd', ['--foreground', '--no-process-group', '-s', conf, '--debug-stdout'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // smbd signals its whole process group when it shuts down (kill(0, SIGTERM)): give it its own.
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(port, child, () => out);
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    await cleanup();
    throw e;
  }
  const pid = child.pid!;
  // smbd runs in its own process group, so it would outlive a test process that crashes: take it down on exit.
  const killOnExit = (): void => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killOnExit);
  const all = async () => [pid, ...(await childrenOf(pid))];
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    users,
    pid,
    pathOf: (share) => path.join(dir, 'shares', share),
    log: async () => out + (await readFile(path.join(dir, 'log', 'smbd.log'), 'utf8').catch(() => '')),
    // The process group first: at once, while walking /proc for the connection processes takes long
    // enough on a loaded machine for a transfer to finish (smbd and its children share the group).
    freeze: async () => {
      signalGroup(pid, 'SIGSTOP');
      signalAll(await all(), 'SIGSTOP');
    },
    thaw: async () => {
      signalGroup(pid, 'SIGCONT');
      signalAll(await all(), 'SIGCONT');
    },
    kill: async () => {
      signalGroup(pid, 'SIGKILL');
      signalAll(await all(), 'SIGKILL');
      await exited;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const pids = await all();
      signalAll(pids, 'SIGCONT');
      signalAll(pids, 'SIGTERM');
      const timer = setTimeout(() => signalAll(pids, 'SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
      signalAll(pids.slice(1), 'SIGKILL'); // connection processes left behind
      process.removeListener('exit', killOnExit);
      await cleanup();
    },
  };
}
