// A private MIT Kerberos realm for the Negotiate tests: its own krb5.conf/kdc.conf in a temporary
// folder, a database made with kdb5_util, principals with kadmin.local, krb5kdc in the foreground
// (its PID is the child's) on a free loopback port, and a keytab for squid's negotiate helper.
// No hosts file: the names are never looked up (rdns and canonicalisation off, the KDC by address).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { freePort, run, tempDir } from './processes.js';
import { waitForPort } from './proxy-squid.js';

export const REALM = 'CORP.TEST';

export interface KdcUser {
  readonly name: string;
  readonly password: string;
}

export interface KdcOptions {
  /** Host-based service principals with keys in the keytab, e.g. `HTTP/proxy.corp.test`. */
  readonly services: readonly string[];
  readonly users: readonly KdcUser[];
  /** Longest ticket life the realm grants (kdc.conf max_life), e.g. '10h'. */
  readonly maxLife?: string;
}

export interface Kdc {
  readonly realm: string;
  readonly port: number;
  /** krb5.conf for clients (KRB5_CONFIG): default realm, the KDC by address, no DNS. */
  readonly krb5Conf: string;
  /** Keys of `services`, readable by the `proxy` user (squid's helpers run as it). */
  readonly keytab: string;
  /** Environment for any Kerberos client of this realm. */
  readonly env: Readonly<Record<string, string>>;
  /** The KDC's own log: one line per AS-REQ/TGS-REQ with its outcome. */
  log(): Promise<string>;
  /** Stops krb5kdc (the realm's files stay until `destroy`). */
  stop(): Promise<void>;
  /** Starts krb5kdc again on the same port. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

async function must(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Promise<string> {
  const r = await run(cmd, args, { env, ...(input !== undefined ? { input } : {}), timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function idOf(user: string): Promise<{ uid: number; gid: number }> {
  const line = (await readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no system user ${user}`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startKdc(options: KdcOptions): Promise<Kdc> {
  const { dir, cleanup } = await tempDir('ors-kdc-');
  const port = await freePort();
  const f = (n: string): string => path.join(dir, n);
  const krb5Conf = f('krb5.conf');
  const kdcConf = f('kdc.conf');
  const keytab = f('proxy.keytab');
  // The [realms] entry must span several lines: on one line kinit says "Cannot find KDC".
  await writeFile(
    krb5Conf,
    [
      '[libdefaults]',
      `  default_realm = ${REALM}`,
      '  dns_lookup_kdc = false',
      '  dns_lookup_realm = false',
      '  rdns = false',
      '  dns_canonicalize_hostname = false',
      '  udp_preference_limit = 1',
      '[realms]',
      `  ${REALM} = {`,
      `    kdc = 127.0.0.1:${port}`,
      '  }',
      '[domain_realm]',
      `  .corp.test = ${REALM}`,
      `  corp.test = ${REALM}`,
      '',
    ].join('\n'),
  );
  await writeFile(
    kdcConf,
    [
      '[kdcdefaults]',
      `  kdc_ports = ${port}`,
      `  kdc_tcp_ports = ${port}`,
      '[realms]',
      `  ${REALM} = {`,
      `    database_name = ${f('principal')}`,
      `    key_stash_file = ${f('stash')}`,
      `    acl_file = ${f('kadm5.acl')}`,
      `    max_life = ${options.maxLife ?? '10h'}`,
      '    max_renewable_life = 1d',
      '  }',
      '[logging]',
      `  kdc = FILE:${f('kdc.log')}`,
      '',
    ].join('\n'),
  );
  await writeFile(f('kadm5.acl'), '');
  const env: NodeJS.ProcessEnv = { ...process.env, KRB5_CONFIG: krb5Conf, KRB5_KDC_PROFILE: kdcConf, LC_ALL: 'C' };
  await must('kdb5_util', ['create', '-s', '-r', REALM, '-P', randomBytes(18).toString('base64url')], env);
  // kadmin.local -q takes one command line; user passwords go in through a query file read from stdin.
  const queries = [
    // +requires_preauth as in Active Directory: a wrong password is then refused by the KDC (and logged).
    ...options.users.map((u) => `addprinc +requires_preauth -pw "${u.password}" ${u.name}`),
    ...options.services.map((s) => `addprinc -randkey ${s}`),
    ...options.services.map((s) => `ktadd -k ${keytab} ${s}`),
  ];
  for (const q of queries) if (/["\n]/.test(q.replace(/^addprinc \+requires_preauth -pw "[^"\n]*"/, ''))) throw new Error(`bad kadmin query ${q}`);
  await must('kadmin.local', [], env, queries.join('\n') + '\nquit\n');
  const { uid, gid } = await idOf('proxy');
  await chown(keytab, uid, gid);
  await chmod(keytab, 0o600);
  await chmod(dir, 0o755);

  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const c = spawn('krb5kdc', ['-n', '-P', f('krb5kdc.pid')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    c.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    child = c;
    try {
      await waitForPort(port, 15_000, c);
    } catch (e) {
      c.kill('SIGKILL');
      throw new Error(`krb5kdc did not start: ${(e as Error).message}\n${out}`);
    }
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
  };
  await start();
  return {
    realm: REALM,
    port,
    krb5Conf,
    keytab,
    env: { KRB5_CONFIG: krb5Conf },
    log: () => readFile(f('kdc.log'), 'utf8').catch(() => ''),
    stop,
    start,
    destroy: async () => {
      await stop();
      await cleanup();
    },
  };
}
