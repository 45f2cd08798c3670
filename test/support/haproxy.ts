// A real HAProxy terminating TLS in front of back-office instances, configured from the shipped
// deploy/haproxy.cfg: only the lines marked "site:" (log, user, bind, servers) are replaced.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ROOT, freePort, tempDir } from './processes.js';
import { waitForPort } from './proxy-squid.js';

export interface Haproxy {
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface HaproxyOptions {
  /** Certificate chain and key (PEM) it presents. */
  readonly certPem: string;
  readonly keyPem: string;
  /** host:port of each instance. */
  readonly servers: readonly string[];
  readonly port?: number;
  /** Connections at once (default 2,000; the shipped 100,000 needs a higher file limit than tests have). */
  readonly maxconn?: number;
  /** Open files allowed to HAProxy (raised with prlimit; root only), for benchmarks with many connections. */
  readonly nofile?: number;
}

/** The shipped configuration with this machine's bind, servers and no privilege drop. */
export async function renderHaproxyConfig(port: number, certFile: string, servers: readonly string[], maxconn = 2_000): Promise<string> {
  const shipped = await readFile(path.join(ROOT, 'deploy/haproxy.cfg'), 'utf8');
  const out: string[] = [];
  let serversDone = false;
  for (const line of shipped.split('\n')) {
    const site = /#\s*site:\s*(\w+)\s*$/.exec(line)?.[1];
    if (!site) {
      out.push(line);
      continue;
    }
    if (site === 'maxconn') out.push(`    maxconn ${maxconn}`);
    if (site === 'bind') out.push(`    bind 127.0.0.1:${port} ssl crt ${certFile} alpn http/1.1`);
    if (site === 'server' && !serversDone) {
      servers.forEach((s, i) => out.push(`    server bo${i + 1} ${s}`));
      serversDone = true;
    }
    // log, user, group: dropped (a test runs it in the foreground as the current user, logging nowhere)
  }
  return out.join('\n');
}

export async function startHaproxy(o: HaproxyOptions): Promise<Haproxy> {
  const t = await tempDir('ors-haproxy-');
  const port = o.port ?? (await freePort());
  const pem = path.join(t.dir, 'haproxy.pem');
  await writeFile(pem, `${o.certPem.trim()}\n${o.keyPem.trim()}\n`, { mode: 0o600 });
  const cfg = path.join(t.dir, 'haproxy.cfg');
  await writeFile(cfg, await renderHaproxyConfig(port, pem, o.servers, o.maxconn));
  const check = spawn('haproxy', ['-c', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  let checkOut = '';
  check.stdout.on('data', (c: Buffer) => (checkOut += c.toString()));
  check.stderr.on('data', (c: Buffer) => (checkOut += c.toString()));
  if ((await new Promise((r) => check.once('exit', r))) !== 0) {
    await t.cleanup();
    throw new Error(`haproxy -c refused the configuration:\n${checkOut}`);
  }
  // prlimit execs HAProxy, so the child's PID stays HAProxy's.
  const child = o.nofile
    ? spawn('prlimit', [`--nofile=${o.nofile}:${o.nofile}`, 'haproxy', '-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const onExit = (): void => void child.kill('SIGKILL');
  process.once('exit', onExit);
  try {
    await waitForPort(port, 15_000, child);
  } catch (e) {
    child.kill('SIGKILL');
    await t.cleanup();
    throw new Error(`haproxy did not start: ${(e as Error).message}\n${out}`);
  }
  return {
    port,
    pid: child.pid!,
    stop: async () => {
      process.off('exit', onExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGUSR1'); // soft stop
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
      }
      await t.cleanup();
    },
  };
}
