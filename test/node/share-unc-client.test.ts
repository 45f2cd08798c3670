import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CodedError } from '../../src/common/errors.js';
import { UncShareClient, uncError, uncPathOf, type UncFs } from '../../src/services/share/unc-share-client.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const errno = (code: string) => Object.assign(new Error(code), { code });
const creds = { username: 'ignored', password: 'ignored' };
const loc = { host: 'fls01', share: 'Licenses', folder: 'Product A/lic' };
const ROOT = '\\\\fls01\\Licenses';
const DIR = '\\\\fls01\\Licenses\\Product A\\lic';

/** A Windows server's share as a map from UNC path to content; records every call. */
class FakeUncFs implements UncFs {
  readonly files = new Map<string, Uint8Array>();
  readonly dirs = new Set([ROOT, DIR]);
  readonly calls: string[] = [];
  fail: (op: string, path: string) => Error | undefined = () => undefined;
  private before(op: string, p: string): void {
    this.calls.push(`${op} ${p}`);
    const e = this.fail(op, p);
    if (e) throw e;
  }
  async readFile(p: string) {
    this.before('readFile', p);
    const d = this.files.get(p);
    if (!d) throw errno('ENOENT');
    return d;
  }
  async mkdir(p: string) {
    this.before('mkdir', p);
    this.dirs.add(p);
  }
  async writeNewFile(p: string, data: Uint8Array) {
    this.before('writeNewFile', p);
    if (this.files.has(p)) throw errno('EEXIST');
    this.files.set(p, data);
  }
  async rename(a: string, b: string) {
    this.before('rename', `${a} -> ${b}`);
    const d = this.files.get(a);
    if (!d) throw errno('ENOENT');
    this.files.set(b, d);
    this.files.delete(a);
  }
  async link(a: string, b: string) {
    this.before('link', `${a} -> ${b}`);
    const d = this.files.get(a);
    if (!d) throw errno('ENOENT');
    this.files.set(b, d);
  }
  async unlink(p: string) {
    this.before('unlink', p);
    if (!this.files.delete(p)) throw errno('ENOENT');
  }
  async readdir(p: string) {
    this.before('readdir', p);
    if (!this.dirs.has(p)) throw errno('ENOENT');
    return [...this.files.entries()]
      .filter(([k]) => k.startsWith(p + '\\'))
      .map(([k, v]) => ({ name: k.slice(p.length + 1), size: v.length, isFile: true }));
  }
  async statDir(p: string) {
    this.before('statDir', p);
    if (!this.dirs.has(p)) throw errno('ENOENT');
  }
}

describe('Windows UNC share client (path handling and error mapping, run on any OS)', () => {
  it('builds UNC paths with backslashes for the folder and its files', () => {
    assert.equal(uncPathOf(loc), DIR);
    assert.equal(uncPathOf(loc, 'a.lic'), `${DIR}\\a.lic`);
    assert.equal(uncPathOf({ host: '10.0.0.5', share: 'lic', folder: '' }, 'a.lic'), '\\\\10.0.0.5\\lic\\a.lic');
    assert.equal(uncPathOf({ host: '2001:db8::1', share: 'lic', folder: '' }), '\\\\2001-db8--1.ipv6-literal.net\\lic');
    assert.equal(uncPathOf({ ...loc, port: 445 }), DIR);
  });

  it('refuses a non-standard port (Windows cannot reach one through UNC), naming the field', () => {
    assert.throws(() => uncPathOf({ ...loc, port: 4450 }), (e: CodedError) => e.code === 'share.port-unsupported' && e.field === 'port');
  });

  it('refuses file names that would leave the folder', () => {
    assert.throws(() => uncPathOf(loc, '..\\x.lic'), { code: 'share.invalid-file-name' });
  });

  const mapping: [string, string][] = [
    ['ENOENT', 'share.no-such-file'],
    ['EACCES', 'share.access-denied'],
    ['EPERM', 'share.access-denied'],
    ['EBUSY', 'share.sharing-violation'],
    ['ENOSPC', 'share.disk-full'],
    ['ETIMEDOUT', 'share.host-unreachable'],
    ['EHOSTUNREACH', 'share.host-unreachable'],
    ['UNKNOWN', 'share.failed'],
  ];
  for (const [code, expected] of mapping) {
    it(`maps ${code} to ${expected}`, () => assert.equal(uncError(errno(code), loc, { operation: 'install', path: 'a.lic' }).code, expected));
  }

  it('installs through temporary name, hard link to .prev and rename, and reads back', async () => {
    const fs = new FakeUncFs();
    fs.files.set(`${DIR}\\a.lic`, enc('old'));
    const client = new UncShareClient({ fs });
    await client.install(loc, creds, 'a.lic', enc('new'));
    assert.equal(dec(fs.files.get(`${DIR}\\a.lic`)!), 'new');
    assert.equal(dec(fs.files.get(`${DIR}\\a.lic.prev`)!), 'old');
    assert.deepEqual([...fs.files.keys()].sort(), [`${DIR}\\a.lic`, `${DIR}\\a.lic.prev`]);
    assert.ok(fs.calls.every((c) => c.split(' -> ').every((p) => p.replace(/^\w+ /, '').startsWith(DIR + '\\'))), fs.calls.join('\n'));
  });

  it('retries while another program holds the license open (EBUSY), then installs', async () => {
    const fs = new FakeUncFs();
    fs.files.set(`${DIR}\\a.lic`, enc('old'));
    let busy = 2;
    fs.fail = (op, p) => (op === 'rename' && p.endsWith(`-> ${DIR}\\a.lic`) && busy-- > 0 ? errno('EBUSY') : undefined);
    await new UncShareClient({ fs, retry: { attempts: 5, baseMs: 1, maxMs: 2 } }).install(loc, creds, 'a.lic', enc('new'));
    assert.equal(dec(fs.files.get(`${DIR}\\a.lic`)!), 'new');
  });

  it('keeps the installed license and removes its temporary file when the rename is denied', async () => {
    const fs = new FakeUncFs();
    fs.files.set(`${DIR}\\a.lic`, enc('old'));
    fs.fail = (op, p) => (op === 'rename' && p.endsWith(`-> ${DIR}\\a.lic`) ? errno('EACCES') : undefined);
    await assert.rejects(new UncShareClient({ fs }).install(loc, creds, 'a.lic', enc('new')), { code: 'share.access-denied' });
    assert.equal(dec(fs.files.get(`${DIR}\\a.lic`)!), 'old');
    assert.deepEqual([...fs.files.keys()].filter((k) => k.includes('.tmp-')), []);
  });

  it('names the failed check: share, folder, write', async () => {
    const fs = new FakeUncFs();
    const client = new UncShareClient({ fs });
    await client.test(loc, creds);
    await assert.rejects(client.test({ ...loc, share: 'Nope' }, creds), (e: CodedError) => e.code === 'share.no-such-share' && e.params['check'] === 'share');
    await assert.rejects(client.test({ ...loc, folder: 'missing' }, creds), (e: CodedError) => e.code === 'share.no-such-folder' && e.params['check'] === 'folder');
    fs.fail = (op) => (op === 'writeNewFile' ? errno('EACCES') : undefined);
    await assert.rejects(client.test(loc, creds), (e: CodedError) => e.code === 'share.access-denied' && e.params['check'] === 'write');
  });

  it('gives up at the deadline when the server does not answer', async () => {
    const fs = new FakeUncFs();
    fs.readFile = () => new Promise(() => undefined);
    await assert.rejects(new UncShareClient({ fs }).read(loc, creds, 'a.lic', { timeoutMs: 50 }), { code: 'share.timeout' });
  });

  it('lists the files of the license folder', async () => {
    const fs = new FakeUncFs();
    fs.files.set(`${DIR}\\a.lic`, enc('abc'));
    assert.deepEqual(await new UncShareClient({ fs }).list(loc, creds), [{ name: 'a.lic', size: 3 }]);
  });
});
