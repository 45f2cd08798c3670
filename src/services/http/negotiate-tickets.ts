import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CodedError } from '../../common/errors.js';
import { ProxyErrorCode } from '../../common/proxy/errors.js';
import { firstLine } from './negotiate-gss.js';

/** A ticket in a private cache: `KRB5CCNAME` for the GSSAPI calls that use it. */
export interface Ticket {
  readonly principal: string;
  readonly ccache: string;
  /** When the ticket-granting ticket ends (ms since the epoch). */
  readonly expiresAt: number;
  /** When a new ticket is fetched instead of using this one. */
  readonly refreshAt: number;
}

/** The user name and domain of the proxy settings as a Kerberos principal: `user@REALM`. */
export function principalOf(username: string, domain: string): { principal: string; realm: string } {
  const at = username.lastIndexOf('@');
  if (at > 0) {
    const realm = username.slice(at + 1).toUpperCase();
    return { principal: `${username.slice(0, at)}@${realm}`, realm };
  }
  const realm = domain.trim().toUpperCase();
  return realm ? { principal: `${username}@${realm}`, realm } : { principal: username, realm: '(default)' };
}

/**
 * Reads the end time of the ticket-granting ticket from a FILE credential cache (format versions
 * 3 and 4 as documented by MIT: "ccache file format"). Returns undefined when the file holds none.
 */
export function tgtEndTime(file: Buffer): number | undefined {
  let at = 0;
  const need = (n: number): void => {
    if (at + n > file.length) throw new Error('truncated credential cache');
  };
  const u8 = (): number => {
    need(1);
    return file.readUInt8(at++);
  };
  const u16 = (): number => {
    need(2);
    const v = file.readUInt16BE(at);
    at += 2;
    return v;
  };
  const u32 = (): number => {
    need(4);
    const v = file.readUInt32BE(at);
    at += 4;
    return v;
  };
  const data = (): Buffer => {
    const len = u32();
    need(len);
    const v = file.subarray(at, at + len);
    at += len;
    return v;
  };
  const principal = (): { realm: string; components: string[] } => {
    u32(); // name type
    const count = u32();
    const realm = data().toString('utf8');
    const components: string[] = [];
    for (let i = 0; i < count; i++) components.push(data().toString('utf8'));
    return { realm, components };
  };
  const version = u16();
  if (version !== 0x0504 && version !== 0x0503) throw new Error(`credential cache version ${version.toString(16)} not supported`);
  if (version === 0x0504) {
    const headerLength = u16();
    need(headerLength);
    at += headerLength;
  }
  principal(); // default principal
  let end: number | undefined;
  while (at < file.length) {
    principal(); // client
    const server = principal();
    u16(); // key enctype
    data(); // key
    u32(); // authtime
    u32(); // starttime
    const endtime = u32();
    u32(); // renew till
    u8(); // is_skey
    u32(); // flags
    for (let list = 0; list < 2; list++) {
      // addresses, then authorization data: each a counted list of (type, data)
      for (let n = u32(); n > 0; n--) {
        u16();
        data();
      }
    }
    data(); // ticket
    data(); // second ticket
    if (server.components[0] === 'krbtgt' && server.realm !== 'X-CACHECONF:') end = Math.max(end ?? 0, endtime * 1000);
  }
  return end;
}

/** Maps what MIT kinit prints on failure (C locale) to a typed error that says what to check. */
export function kinitError(stderr: string, ctx: { proxy: string; principal: string; realm: string }): CodedError {
  const p = { proxy: ctx.proxy, principal: ctx.principal };
  if (/Password incorrect|Preauthentication failed/i.test(stderr)) return new CodedError(ProxyErrorCode.kerberosPasswordWrong, p);
  if (/Client .*not found in Kerberos database/i.test(stderr)) return new CodedError(ProxyErrorCode.kerberosUserUnknown, p);
  if (/Clock skew too great/i.test(stderr)) return new CodedError(ProxyErrorCode.kerberosClockSkew, p);
  if (/Password has expired|Password expired/i.test(stderr)) return new CodedError(ProxyErrorCode.kerberosPasswordExpired, p);
  if (/credentials have been revoked|Clients credentials have been revoked/i.test(stderr)) return new CodedError(ProxyErrorCode.kerberosAccountLocked, p);
  if (/Cannot find KDC for realm|Cannot resolve network address for KDC/i.test(stderr)) return new CodedError(ProxyErrorCode.kerberosRealmUnknown, { proxy: ctx.proxy, realm: ctx.realm });
  if (/Cannot contact any KDC/i.test(stderr)) return new CodedError(ProxyErrorCode.kerberosKdcUnreachable, { proxy: ctx.proxy, realm: ctx.realm, reason: 'Cannot contact any KDC' });
  return new CodedError(ProxyErrorCode.kerberosFailed, { proxy: ctx.proxy, reason: firstLine(stderr) || 'kinit failed' });
}

export interface KinitResult {
  readonly code: number | null;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Runs `kinit -c CCACHE PRINCIPAL` with the password on standard input (never on its command line). */
export type KinitRunner = (principal: string, ccache: string, password: string, ms: number, signal?: AbortSignal) => Promise<KinitResult>;

export const runKinit: KinitRunner = (principal, ccache, password, ms, signal) =>
  new Promise((resolve, reject) => {
    // C locale: the messages are matched in English; krb5-locales would translate them.
    const env = { ...process.env, LC_ALL: 'C', LANG: 'C', LANGUAGE: '' };
    const child = spawn('kinit', ['-c', ccache, principal], { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    const kill = (): void => {
      timedOut = true;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(kill, ms);
    signal?.addEventListener('abort', kill, { once: true });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      resolve({ code, stderr, timedOut });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(password + '\n');
  });

/** Private cache folders still on disk: removed when the process exits, whatever ends it normally. */
const atExit = new Set<string>();
let exitHooked = false;
function removeAtExit(dir: string, add: boolean): void {
  if (add && !exitHooked) {
    exitHooked = true;
    process.once('exit', () => atExit.forEach((d) => rmSync(d, { recursive: true, force: true })));
  }
  if (add) atExit.add(dir);
  else atExit.delete(dir);
}

export interface TicketCacheOptions {
  readonly kinit?: KinitRunner;
  readonly now?: () => number;
  /** Parent of the private cache folder (default: the system's temporary folder). */
  readonly parent?: string;
}

/**
 * Tickets for the proxy user of the settings, each in a private cache (`FILE:<0700 folder>/cc-…`)
 * made by `kinit` with the password on standard input. A ticket is fetched again before it expires
 * (at 80 % of its life, at the latest 5 minutes before its end). A password the KDC refused is not
 * tried again until it changes: repeated attempts would lock the domain account.
 */
export class KerberosTicketCache {
  private dir: string | undefined;
  private readonly tickets = new Map<string, Ticket>();
  private readonly pending = new Map<string, Promise<Ticket>>();
  private readonly refused = new Map<string, { mac: string; error: CodedError }>();
  /** Which password each ticket was fetched with (as a keyed hash): a changed password fetches anew. */
  private readonly macs = new Map<string, string>();
  private readonly macKey = randomBytes(32);
  private readonly kinit: KinitRunner;
  private readonly now: () => number;
  /** kinit runs so far (tests and the benchmark read it). */
  kinitRuns = 0;

  constructor(private readonly options: TicketCacheOptions = {}) {
    this.kinit = options.kinit ?? runKinit;
    this.now = options.now ?? Date.now;
  }

  /** The private folder, made on first use (mode 0700 by mkdtemp) and removed on dispose or exit. */
  folder(): string {
    if (!this.dir) {
      const dir = mkdtempSync(path.join(this.options.parent ?? tmpdir(), 'ors-krb5-'));
      this.dir = dir;
      removeAtExit(dir, true);
    }
    return this.dir;
  }

  async ticket(o: { proxy: string; username: string; domain: string; password: string; ms: number; signal?: AbortSignal; force?: boolean }): Promise<Ticket> {
    const { principal, realm } = principalOf(o.username, o.domain);
    const mac = createHmac('sha256', this.macKey).update(principal + '\0' + o.password).digest('hex');
    const refused = this.refused.get(principal);
    if (refused && refused.mac === mac) throw refused.error;
    const have = this.tickets.get(principal);
    if (have && !o.force && this.now() < have.refreshAt && mac === this.macs.get(principal)) return have;
    const running = this.pending.get(principal);
    if (running) return running;
    const work = this.fetch(o.proxy, principal, realm, o.password, mac, o.ms, o.signal).finally(() => this.pending.delete(principal));
    this.pending.set(principal, work);
    return work;
  }

  private async fetch(proxy: string, principal: string, realm: string, password: string, mac: string, ms: number, signal?: AbortSignal): Promise<Ticket> {
    const file = path.join(this.folder(), `cc-${createHmac('sha256', this.macKey).update(principal).digest('hex').slice(0, 16)}`);
    const ccache = `FILE:${file}`;
    const started = this.now();
    this.kinitRuns++;
    const r = await this.kinit(principal, ccache, password, ms, signal);
    if (r.timedOut) throw new CodedError(ProxyErrorCode.kerberosKdcUnreachable, { proxy, realm, reason: `no answer within ${ms / 1000} s` });
    if (r.code !== 0) {
      const error = kinitError(r.stderr, { proxy, principal, realm });
      if (error.code === ProxyErrorCode.kerberosPasswordWrong || error.code === ProxyErrorCode.kerberosUserUnknown || error.code === ProxyErrorCode.kerberosPasswordExpired || error.code === ProxyErrorCode.kerberosAccountLocked) {
        this.refused.set(principal, { mac, error });
      }
      this.tickets.delete(principal);
      throw error;
    }
    this.refused.delete(principal);
    const end = tgtEndTime(await readFile(file));
    if (end === undefined) throw new CodedError(ProxyErrorCode.kerberosFailed, { proxy, reason: 'kinit left no ticket-granting ticket' });
    const life = Math.max(0, end - started);
    const ticket: Ticket = { principal, ccache, expiresAt: end, refreshAt: end - Math.max(Math.min(life * 0.2, 5 * 60_000), 0) };
    this.tickets.set(principal, ticket);
    this.macs.set(principal, mac);
    return ticket;
  }

  /** Forgets every ticket and removes the private folder. */
  async dispose(): Promise<void> {
    this.tickets.clear();
    const dir = this.dir;
    this.dir = undefined;
    if (!dir) return;
    removeAtExit(dir, false);
    await rm(dir, { recursive: true, force: true });
  }
}
