// Real squid instances for proxy tests: each with its own -n NAME and a work folder owned by `proxy`.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import * as path from 'node:path';
import { freePort, ROOT, run, tempDir } from './processes.js';
import type { NtlmAccount } from './proxy-servers.js';

export interface SquidUser {
  readonly username: string;
  readonly password: string;
}

export interface SquidOptions {
  /** `negotiate`: Kerberos via negotiate_kerberos_auth (needs `kerberos`), then what `alsoOffer` adds. */
  readonly auth: 'none' | 'basic' | 'ntlm-fake' | 'negotiate';
  readonly users?: readonly SquidUser[];
  /** The keytab (owned by `proxy`) and krb5.conf of a private realm (test/support/kdc.ts). */
  readonly kerberos?: { readonly keytab: string; readonly krb5Conf: string };
  /** With `negotiate`: further schemes, offered after Negotiate in this order (as corporate proxies do). */
  readonly alsoOffer?: readonly ('ntlm' | 'basic')[];
  /** Accounts of the NTLMv2-verifying helper (squid-ntlm-helper.ts) when `alsoOffer` has `ntlm`. */
  readonly ntlmAccounts?: readonly NtlmAccount[];
  /** Extra host names squid resolves (e.g. origin.test → 127.0.0.1). */
  readonly hosts?: Readonly<Record<string, string>>;
}

export interface Squid {
  readonly port: number;
  readonly name: string;
  accessLog(): Promise<string>;
  stop(): Promise<void>;
}

let counter = 0;

async function idOf(user: string): Promise<{ uid: number; gid: number }> {
  const line = (await readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no system user ${user}`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function waitForPort(port: number, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before listening on ${port}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startSquid(options: SquidOptions): Promise<Squid> {
  const { dir, cleanup } = await tempDir('ors-squid-');
  const name = `orsproxy${process.pid}x${counter++}`;
  const port = await freePort();
  const f = (n: string): string => path.join(dir, n);
  const lines = [
    `http_port 127.0.0.1:${port}`,
    `pid_filename ${f('squid.pid')}`,
    `cache_log ${f('cache.log')}`,
    `access_log stdio:${f('access.log')}`,
    `coredump_dir ${dir}`,
    'cache deny all',
    'netdb_filename none',
    'pinger_enable off',
    'icp_port 0',
    'htcp_port 0',
    'shutdown_lifetime 0 seconds',
    'client_persistent_connections on',
    'dns_nameservers 127.0.0.1',
    `hosts_file ${f('hosts')}`,
    'acl loopback src 127.0.0.1/32',
    'http_access deny !loopback',
  ];
  const offers = options.auth === 'negotiate' ? (options.alsoOffer ?? []) : [];
  if (options.auth === 'negotiate') {
    if (!options.kerberos) throw new Error('negotiate needs a keytab');
    // GSS_C_NO_NAME: any service principal of the keytab is accepted (HTTP/proxy.corp.test, HTTP/localhost).
    lines.push(`auth_param negotiate program /usr/lib/squid/negotiate_kerberos_auth -k ${options.kerberos.keytab} -s GSS_C_NO_NAME`, 'auth_param negotiate children 2', 'auth_param negotiate keep_alive on');
  }
  if (offers.includes('ntlm')) {
    await writeFile(f('ntlm-accounts.json'), JSON.stringify(options.ntlmAccounts ?? []));
    const helper = `${process.execPath} --import ${import.meta.resolve('tsx')} ${path.join(ROOT, 'test/support/squid-ntlm-helper.ts')} ${f('ntlm-accounts.json')}`;
    lines.push(`auth_param ntlm program ${helper}`, 'auth_param ntlm children 2 startup=1', 'auth_param ntlm keep_alive on');
  }
  if (options.auth === 'basic' || offers.includes('basic')) {
    const entries: string[] = [];
    for (const u of options.users ?? []) {
      const r = await run('openssl', ['passwd', '-6', '-stdin'], { input: u.password + '\n' });
      entries.push(`${u.username}:${r.stdout.trim()}`);
    }
    await writeFile(f('passwd'), entries.join('\n') + '\n');
    lines.push(`auth_param basic program /usr/lib/squid/basic_ncsa_auth ${f('passwd')}`, 'auth_param basic children 2', 'auth_param basic realm ors-test');
  }
  if (options.auth === 'ntlm-fake') lines.push('auth_param ntlm program /usr/lib/squid/ntlm_fake_auth', 'auth_param ntlm children 2');
  if (options.auth === 'none') lines.push('http_access allow loopback');
  else lines.push('acl authed proxy_auth REQUIRED', 'http_access allow authed');
  lines.push('http_access deny all');
  await writeFile(f('squid.conf'), lines.join('\n') + '\n');
  const hosts = Object.entries(options.hosts ?? {}).map(([h, ip]) => `${ip} ${h}`);
  await writeFile(f('hosts'), ['127.0.0.1 localhost', ...hosts].join('\n') + '\n');
  const { uid, gid } = await idOf('proxy');
  await chmod(dir, 0o750);
  for (const n of ['', 'squid.conf', 'hosts', ...(options.auth === 'basic' || offers.includes('basic') ? ['passwd'] : []), ...(offers.includes('ntlm') ? ['ntlm-accounts.json'] : [])]) {
    await chown(path.join(dir, n), uid, gid);
  }
  const env = options.kerberos ? { ...process.env, KRB5_CONFIG: options.kerberos.krb5Conf, KRB5_KTNAME: options.kerberos.keytab } : process.env;
  const child = spawn('squid', ['-N', '-n', name, '-f', f('squid.conf')], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  try {
    await waitForPort(port, 30_000, child);
  } catch (e) {
    child.kill('SIGKILL');
    const log = await readFile(f('cache.log'), 'utf8').catch(() => '');
    await cleanup();
    throw new Error(`squid did not start: ${(e as Error).message}\n${out}\n${log}`);
  }
  return {
    port,
    name,
    accessLog: () => readFile(f('access.log'), 'utf8').catch(() => ''),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(t);
      }
      await cleanup();
    },
  };
}

/** tinyproxy with BasicAuth: it answers bad CONNECT credentials with 401 instead of 407. */
export async function startTinyproxy(user: SquidUser): Promise<{ port: number; stop(): Promise<void> }> {
  const { dir, cleanup } = await tempDir('ors-tinyproxy-');
  const port = await freePort();
  const conf = path.join(dir, 'tinyproxy.conf');
  await writeFile(
    conf,
    [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', 'MaxClients 20', 'Allow 127.0.0.1', `BasicAuth ${user.username} ${user.password}`, 'ConnectPort 0', 'LogLevel Info', 'User nobody', 'Group nogroup'].join('\n') + '\n',
  );
  await chmod(dir, 0o755);
  await chmod(conf, 0o644);
  const child = spawn('tinyproxy', ['-d', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  try {
    await waitForPort(port, 15_000, child);
  } catch (e) {
    child.kill('SIGKILL');
    await cleanup();
    throw new Error(`tinyproxy did not start: ${(e as Error).message}\n${out}`);
  }
  return {
    port,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(t);
      }
      await cleanup();
    },
  };
}
