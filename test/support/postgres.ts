// A private PostgreSQL 15 cluster for tests: initdb in a temporary folder, the server run as the
// `postgres` user (it refuses root) directly as our child process, so its PID is the server's and
// it can be stopped, crashed and restarted by the test. Password authentication over TCP.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { freePort, run } from './processes.js';

const BIN = '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  readonly port: number;
  /** The superuser's password (a secret: tests pass URLs with it only through the environment). */
  readonly password: string;
  /** `postgres://postgres:…@127.0.0.1:PORT/DB` */
  url(database?: string): string;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server: 'fast' (clean) or 'immediate' (a crash: recovery on the next start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  cleanup(): Promise<void>;
}

async function idOf(user: string): Promise<{ uid: number; gid: number }> {
  const line = (await readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no system user ${user} (install postgresql-15: npm run test:deps)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

let databases = 0;

export async function startPostgres(): Promise<PgCluster> {
  const { uid, gid } = await idOf('postgres');
  const root = await mkdtemp(path.join(tmpdir(), 'ors-pg-'));
  await chmod(root, 0o755); // the server's user must traverse it
  const data = path.join(root, 'data');
  const sock = path.join(root, 'sock');
  for (const d of [sock, data]) {
    await mkdir(d, { mode: 0o700 });
    await chown(d, uid, gid);
  }
  const password = randomBytes(18).toString('base64url');
  const pwfile = path.join(root, 'pw');
  await writeFile(pwfile, password, { mode: 0o600 });
  await chown(pwfile, uid, gid);
  const asPostgres = { uid, gid, env: { ...process.env, HOME: root, LC_ALL: 'C' } };
  const init = await run(`${BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '--no-sync', '-E', 'UTF8'], {
    ...asPostgres,
    timeoutMs: 60_000,
  });
  await rm(pwfile, { force: true });
  if (init.code !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const url = (database = 'postgres') => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  let child: ChildProcess | undefined;
  let log = '';

  const start = async (): Promise<void> => {
    // fsync off: these tests crash processes, not the machine; it keeps the suite fast.
    child = spawn(
      `${BIN}/postgres`,
      ['-D', data, '-p', String(port), '-k', sock, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200', '-c', 'shared_buffers=64MB'],
      { ...asPostgres, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const c = child;
    c.stdout!.on('data', (b: Buffer) => (log += b.toString()));
    c.stderr!.on('data', (b: Buffer) => (log += b.toString()));
    const until = Date.now() + 30_000;
    for (;;) {
      if (c.exitCode !== null) throw new Error(`postgres exited (${c.exitCode}): ${log.slice(-2000)}`);
      const client = new pg.Client({ connectionString: url(), connectionTimeoutMillis: 2_000 });
      client.on('error', () => undefined);
      const ok = await client.connect().then(
        () => client.query('SELECT 1').then(() => true),
        () => false,
      );
      await client.end().catch(() => undefined);
      if (ok) return;
      if (Date.now() > until) throw new Error(`postgres did not accept connections within 30 s: ${log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stop = async (mode: 'fast' | 'immediate' = 'fast'): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    const timer = setTimeout(() => c.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await start();
  } catch (e) {
    await stop('immediate');
    await rm(root, { recursive: true, force: true });
    throw e;
  }
  // The server dies with the test process even when an after-hook never runs.
  const onExit = (): void => void child?.kill('SIGQUIT');
  process.once('exit', onExit);

  return {
    port,
    password,
    url,
    async createDatabase(name = `ors_test_${process.pid}_${databases++}`) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
    start,
    async cleanup() {
      process.off('exit', onExit);
      await stop('fast');
      await rm(root, { recursive: true, force: true });
    },
  };
}
