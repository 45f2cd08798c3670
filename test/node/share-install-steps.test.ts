import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodedError } from '../../src/common/errors.js';
import { installAtomically, sha256Hex, type RemoteFolderOps } from '../../src/services/share/install-steps.js';
import { backoffDelay } from '../../src/common/backoff.js';
import { retrying } from '../../src/services/share/retry.js';
import { authFileContent, commandError, connectError, parseLs, quoteArg } from '../../src/services/share/smbclient-output.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

type Step = 'put' | 'get' | 'hardlink' | 'rename' | 'del';

/** An in-memory license folder whose operations can be made to fail. */
class FakeFolder implements RemoteFolderOps {
  readonly files = new Map<string, Uint8Array>();
  readonly calls: string[] = [];
  failures: ((step: Step, a: string, b?: string) => CodedError | undefined)[] = [];
  private check(step: Step, a: string, b?: string): void {
    this.calls.push(`${step} ${a}${b ? ' ' + b : ''}`);
    for (const f of this.failures) {
      const e = f(step, a, b);
      if (e) throw e;
    }
  }
  private need(name: string): Uint8Array {
    const d = this.files.get(name);
    if (!d) throw new CodedError('share.no-such-file', { name });
    return d;
  }
  async put(data: Uint8Array, name: string) {
    this.check('put', name);
    this.files.set(name, data);
  }
  async get(name: string) {
    this.check('get', name);
    return this.need(name);
  }
  async hardlink(existing: string, link: string) {
    this.check('hardlink', existing, link);
    this.files.set(link, this.need(existing));
  }
  async rename(from: string, to: string) {
    this.check('rename', from, to);
    this.files.set(to, this.need(from));
    this.files.delete(from);
  }
  async del(name: string) {
    this.check('del', name);
    this.need(name);
    this.files.delete(name);
  }
  names(): string[] {
    return [...this.files.keys()].sort();
  }
}

const noWait = { sleep: async () => true, random: () => 0.5, id: 'abc' };

describe('atomic install into a license folder', () => {
  it('installs a new license and reads it back', async () => {
    const f = new FakeFolder();
    const hash = await installAtomically(f, 'a.lic', enc('new'), noWait);
    assert.equal(hash, sha256Hex(enc('new')));
    assert.deepEqual(f.names(), ['a.lic']);
    assert.deepEqual(f.calls, ['put .a.lic.tmp-abc', 'hardlink a.lic .a.lic.prev.tmp-abc', 'rename .a.lic.tmp-abc a.lic', 'get a.lic']);
  });

  it('keeps the replaced license as <name>.prev', async () => {
    const f = new FakeFolder();
    f.files.set('a.lic', enc('old'));
    f.files.set('a.lic.prev', enc('older'));
    await installAtomically(f, 'a.lic', enc('new'), noWait);
    assert.deepEqual(f.names(), ['a.lic', 'a.lic.prev']);
    assert.equal(dec(f.files.get('a.lic')!), 'new');
    assert.equal(dec(f.files.get('a.lic.prev')!), 'old');
  });

  it('copies the previous license when the server has no hard links', async () => {
    const f = new FakeFolder();
    f.files.set('a.lic', enc('old'));
    f.failures.push((s) => (s === 'hardlink' ? new CodedError('share.failed', { status: 'NT_STATUS_NOT_SUPPORTED' }) : undefined));
    await installAtomically(f, 'a.lic', enc('new'), noWait);
    assert.equal(dec(f.files.get('a.lic.prev')!), 'old');
    assert.equal(dec(f.files.get('a.lic')!), 'new');
    assert.deepEqual(f.names(), ['a.lic', 'a.lic.prev']);
  });

  // A failure at any step must leave the installed license in place and no temporary files behind.
  for (const [step, nth, code] of [
    ['put', 1, 'share.access-denied'],
    ['hardlink', 1, 'share.disk-full'],
    ['rename', 1, 'share.access-denied'],
    ['rename', 2, 'share.access-denied'],
  ] as const) {
    it(`keeps the installed license when ${step} #${nth} fails with ${code}`, async () => {
      const f = new FakeFolder();
      f.files.set('a.lic', enc('old'));
      let seen = 0;
      f.failures.push((s) => (s === step && ++seen === nth ? new CodedError(code, { path: 'x' }) : undefined));
      await assert.rejects(installAtomically(f, 'a.lic', enc('new'), noWait), { code });
      assert.equal(dec(f.files.get('a.lic')!), 'old');
      assert.deepEqual(f.names().filter((n) => n.includes('.tmp-')), []);
    });
  }

  it('leaves clean-up alone after the connection is gone (nothing could succeed)', async () => {
    const f = new FakeFolder();
    f.files.set('a.lic', enc('old'));
    f.failures.push((s) => (s === 'rename' ? new CodedError('share.connection-lost', {}) : undefined));
    await assert.rejects(installAtomically(f, 'a.lic', enc('new'), noWait), { code: 'share.connection-lost' });
    assert.equal(f.calls.filter((c) => c.startsWith('del')).length, 0);
    assert.equal(dec(f.files.get('a.lic')!), 'old');
  });

  it('retries a rename over a file held open, then succeeds', async () => {
    const f = new FakeFolder();
    f.files.set('a.lic', enc('old'));
    let left = 3;
    f.failures.push((s, _a, b) => (s === 'rename' && b === 'a.lic' && left-- > 0 ? new CodedError('share.sharing-violation', { path: 'a.lic' }) : undefined));
    const delays: number[] = [];
    await installAtomically(f, 'a.lic', enc('new'), { ...noWait, sleep: async (ms) => delays.push(ms) > 0 });
    assert.equal(dec(f.files.get('a.lic')!), 'new');
    assert.equal(delays.length, 3);
    assert.ok(delays[0]! < delays[1]! && delays[1]! < delays[2]!, `growing delays ${delays}`);
  });

  it('gives up on a file that stays locked, says how often it tried, and keeps the license', async () => {
    const f = new FakeFolder();
    f.files.set('a.lic', enc('old'));
    f.failures.push((s, _a, b) => (s === 'rename' && b === 'a.lic' ? new CodedError('share.sharing-violation', { path: 'a.lic' }) : undefined));
    await assert.rejects(installAtomically(f, 'a.lic', enc('new'), { ...noWait, retry: { attempts: 4, baseMs: 1, maxMs: 1 } }), (e: CodedError) => {
      assert.equal(e.code, 'share.sharing-violation');
      assert.equal(e.params['attempts'], 4);
      return true;
    });
    assert.equal(dec(f.files.get('a.lic')!), 'old');
    assert.deepEqual(f.names().filter((n) => n.includes('.tmp-')), []);
  });

  it('reports a read-back that differs from what was written', async () => {
    const f = new FakeFolder();
    const realGet = f.get.bind(f);
    f.get = async (n) => ((await realGet(n)), enc('tampered'));
    await assert.rejects(installAtomically(f, 'a.lic', enc('new'), noWait), (e: CodedError) => {
      assert.equal(e.code, 'share.readback-mismatch');
      assert.equal(e.params['expected'], sha256Hex(enc('new')));
      return true;
    });
  });

  it('refuses a name that is a path', async () => {
    await assert.rejects(installAtomically(new FakeFolder(), '../a.lic', enc('x'), noWait), { code: 'share.invalid-file-name' });
  });
});

describe('back-off for sharing violations', () => {
  it('grows exponentially, is capped, and is jittered within the upper half of each step', () => {
    const policy = { attempts: 6, baseMs: 100, maxMs: 1000 };
    const equal = (random: () => number) => ({ ...policy, jitter: 'equal' as const, random });
    assert.equal(backoffDelay(0, equal(() => 0)), 50);
    assert.equal(backoffDelay(0, equal(() => 1)), 100);
    assert.equal(backoffDelay(3, equal(() => 0)), 400);
    assert.equal(backoffDelay(9, equal(() => 1)), 1000);
  });

  it('does not retry other errors', async () => {
    let n = 0;
    await assert.rejects(
      retrying(async () => {
        n++;
        throw new CodedError('share.access-denied');
      }, (e) => (e as CodedError).code === 'share.sharing-violation', { attempts: 5, baseMs: 1, maxMs: 1 }),
      { code: 'share.access-denied' },
    );
    assert.equal(n, 1);
  });

  it('stops waiting when the call is cancelled', async () => {
    const ac = new AbortController();
    const p = retrying(async () => {
      throw new CodedError('share.sharing-violation');
    }, () => true, { attempts: 5, baseMs: 60_000, maxMs: 60_000 }, { signal: ac.signal });
    ac.abort(new CodedError('share.cancelled'));
    await assert.rejects(p, { code: 'share.cancelled' });
  });
});

describe('reading smbclient output', () => {
  const ctx = { host: 'fls01', port: 445, share: 'lic', folder: '', operation: 'install', username: 'svc' };
  const connectCases: [string, string, string][] = [
    ['session setup failed: NT_STATUS_LOGON_FAILURE', 'share.logon-failure', 'logon'],
    ['session setup failed: NT_STATUS_ACCOUNT_LOCKED_OUT', 'share.logon-failure', 'logon'],
    ['tree connect failed: NT_STATUS_BAD_NETWORK_NAME', 'share.no-such-share', 'share'],
    ['tree connect failed: NT_STATUS_ACCESS_DENIED', 'share.access-denied', 'share'],
    ['do_connect: Connection to fls01 failed (Error NT_STATUS_CONNECTION_REFUSED)', 'share.host-unreachable', 'host'],
    ['do_connect: Connection to nosuch failed (Error NT_STATUS_UNSUCCESSFUL)', 'share.host-unreachable', 'host'],
    ['protocol negotiation failed: NT_STATUS_CONNECTION_DISCONNECTED', 'share.host-unreachable', 'host'],
    ['', 'share.host-unreachable', 'host'],
  ];
  for (const [output, code, check] of connectCases) {
    it(`maps "${output || '(nothing)'}" before connecting to ${code} (check ${check})`, () => {
      const e = connectError(output, ctx, 1);
      assert.equal(e.code, code);
      assert.equal(e.params['check'], check);
    });
  }

  const commandCases: [string, string | undefined][] = [
    ['putting file a as \\b (5.9 kb/s) (average 5.9 kb/s)', undefined],
    ['', undefined],
    ['NT_STATUS_ACCESS_DENIED opening remote file \\z', 'share.access-denied'],
    ['NT_STATUS_OBJECT_NAME_NOT_FOUND opening remote file \\a', 'share.no-such-file'],
    ['NT_STATUS_SHARING_VIOLATION renaming files \\a -> \\b', 'share.sharing-violation'],
    ['NT_STATUS_DISK_FULL writing remote file', 'share.disk-full'],
    ['NT_STATUS_CONNECTION_DISCONNECTED opening remote file \\a', 'share.connection-lost'],
    ['NT_STATUS_OBJECT_NAME_COLLISION doing an NT hard link of files', 'share.failed'],
  ];
  for (const [output, code] of commandCases) {
    it(`maps command output "${output.slice(0, 45) || '(nothing)'}" to ${code ?? 'success'}`, () => {
      assert.equal(commandError(output, { ...ctx, path: 'a' })?.code, code);
    });
  }

  it('lists files with spaces and sizes, without . and ..', () => {
    const out = [
      '  .                                   D        0  Fri Nov 27 23:25:54 2026',
      '  ..                                  D        0  Fri Nov 27 23:25:53 2026',
      '  my license.lic                      A     1234  Fri Nov 27 23:25:54 2026',
      '  sub                                 D        0  Sat Nov  7 03:05:54 2026',
      '  plain                                        6  Fri Nov 27 23:25:54 2026',
      '',
      '\t\t264212084 blocks of size 1024. 82727380 blocks available',
    ].join('\n');
    assert.deepEqual(parseLs(out), [
      { name: 'my license.lic', size: 1234, directory: false },
      { name: 'sub', size: 0, directory: true },
      { name: 'plain', size: 6, directory: false },
    ]);
  });

  it('writes credentials as an auth file, verbatim, and refuses to quote what smbclient cannot take', () => {
    assert.equal(authFileContent({ username: 'svc', password: 'a "b" %c ', domain: 'CORP' }), 'username=svc\npassword=a "b" %c \ndomain=CORP\n');
    assert.equal(quoteArg('a b'), '"a b"');
    assert.throws(() => quoteArg('a"b'));
  });
});
