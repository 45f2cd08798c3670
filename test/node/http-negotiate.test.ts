// Negotiate (Kerberos) proxies against real components: a private MIT KDC (test/support/kdc.ts), squid
// with negotiate_kerberos_auth, and squid offering Negotiate, NTLM (an NTLMv2-verifying helper) and
// Basic. The ORS side is the real HTTP client, tunnel and diagnostic; kinit and libgssapi are real.
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isCodedError, type CodedError } from '../../src/common/errors.js';
import type { ProxySettings } from '../../src/common/proxy/settings.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../../src/services/http/http-client.js';
import { KerberosNegotiator } from '../../src/services/http/negotiate.js';
import { KerberosTicketCache, runKinit, type KinitRunner } from '../../src/services/http/negotiate-tickets.js';
import { runDiagnostic } from '../../src/services/proxy/diagnostic.js';
import { startKdc, type Kdc } from '../support/kdc.js';
import { run, runOrs, tempDir } from '../support/processes.js';
import { startOrigin, type TestOrigin } from '../support/proxy-origin.js';
import { startSquid, type Squid } from '../support/proxy-squid.js';

const ALICE = { name: 'alice', password: 'Alice-Kerb-Pa55' };
const BOB = { domain: 'CORP', username: 'bob', password: 'Bob-Ntlm-Pa55' };
const SPN = 'HTTP/proxy.corp.test';
const HOSTS = { 'origin.test': '127.0.0.1' };
const FAST = { connectMs: 2_000, proxyConnectMs: 3_000, tlsMs: 2_000, responseMs: 3_000, totalMs: 8_000 };

let kdc: Kdc;
let origin: TestOrigin;
let negOnly: Squid;
let three: Squid;
const clients: HttpClient[] = [];
const negotiators: KerberosNegotiator[] = [];

/** A negotiator of its own per test, so tickets and refused passwords of one test do not help another. */
function negotiator(options: ConstructorParameters<typeof KerberosNegotiator>[0] = {}): KerberosNegotiator {
  const n = new KerberosNegotiator({ signedIn: async () => false, ...options });
  negotiators.push(n);
  return n;
}
const manual = (port: number, username: string, password: string, domain: string, extra: Partial<ProxySettings> = {}): ProxySettings => ({ mode: 'manual', host: '127.0.0.1', port, username, domain, password, ...extra });
function client(proxy: ProxySettings, extra: Partial<HttpClientOptions> = {}): HttpClient {
  const c = createHttpClient({ purpose: 'license-update', proxy, caPem: origin.ca.caPem, deadlines: FAST, negotiator: negotiator(), ...extra });
  clients.push(c);
  return c;
}
const target = (): string => `https://origin.test:${origin.port}/hello`;
async function codeOf(p: Promise<unknown>): Promise<CodedError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isCodedError(e), `expected a CodedError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a failure');
}
async function waitFor(check: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
async function commandLines(): Promise<string[]> {
  const lines: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd) lines.push(cmd.replace(/\0/g, ' '));
  }
  return lines;
}

before(async () => {
  [kdc, origin] = await Promise.all([startKdc({ services: [SPN, 'HTTP/localhost'], users: [ALICE] }), startOrigin()]);
  // libgssapi in this process and every child (kinit, ors) read the private realm's configuration.
  process.env['KRB5_CONFIG'] = kdc.krb5Conf;
  [negOnly, three] = await Promise.all([
    startSquid({ auth: 'negotiate', kerberos: kdc, hosts: HOSTS }),
    startSquid({ auth: 'negotiate', kerberos: kdc, alsoOffer: ['ntlm', 'basic'], ntlmAccounts: [BOB], users: [{ username: 'carol', password: 'Carol-Basic-1' }], hosts: HOSTS }),
  ]);
});

after(async () => {
  for (const c of clients) c.close();
  for (const n of negotiators) await n.tickets.dispose();
  await Promise.all([negOnly?.stop(), three?.stop(), origin?.close()]);
  await kdc?.destroy();
});

describe('a proxy that offers only Negotiate (squid + negotiate_kerberos_auth)', () => {
  it('tunnels with the user and password of the settings, as the Kerberos user, one ticket and one tunnel for several requests', async () => {
    const n = negotiator();
    const c = client(manual(negOnly.port, 'alice', ALICE.password, 'CORP.TEST', { kerberosServiceName: SPN }), { negotiator: n });
    for (let i = 0; i < 3; i++) assert.equal((await c.request({ url: target() })).status, 200);
    assert.equal(c.stats.tunnels, 1);
    assert.equal(c.stats.negotiateHandshakes, 1);
    assert.equal(n.tickets.kinitRuns, 1);
    // The end time read from the cache file is the realm's 10 h ticket life (kdc.conf max_life).
    const t = await n.tickets.ticket({ proxy: 'p', username: 'alice', domain: 'CORP.TEST', password: ALICE.password, ms: 1_000 });
    assert.ok(Math.abs(t.expiresAt - (Date.now() + 10 * 3600_000)) < 120_000, `expires ${new Date(t.expiresAt).toISOString()}`);
    assert.equal(n.tickets.kinitRuns, 1, 'the cached ticket was used');
    // The private cache: a 0700 folder whose listing and files hold no password.
    const folder = n.tickets.folder();
    assert.equal((await stat(folder)).mode & 0o777, 0o700);
    const names = await readdir(folder);
    assert.deepEqual(names.map((x) => /^cc-[0-9a-f]{16}$/.test(x)), [true]);
    for (const name of names) assert.equal((await readFile(path.join(folder, name))).includes(ALICE.password), false);
    c.close();
    await waitFor(async () => /TCP_TUNNEL\/200 .*CONNECT origin\.test:\d+ alice@CORP\.TEST /.test(await negOnly.accessLog()), 3_000);
  });

  it('takes the service name from the proxy host name by default, and names a service the KDC does not know', async () => {
    const byName = client({ ...manual(negOnly.port, 'alice', ALICE.password, 'CORP.TEST'), host: 'localhost' });
    assert.equal((await byName.request({ url: target() })).status, 200);
    const e = await codeOf(client(manual(negOnly.port, 'alice', ALICE.password, 'CORP.TEST')).request({ url: target() }));
    assert.equal(e.code, 'proxy.kerberos-service-unknown');
    assert.equal(e.params['service'], 'HTTP/127.0.0.1');
    assert.equal(e.params['proxy'], `127.0.0.1:${negOnly.port}`);
  });

  it('names the proxy on a wrong password and does not try that password again (no lockout loop)', async () => {
    const n = negotiator();
    const c = client(manual(negOnly.port, 'alice', 'wrong-password', 'CORP.TEST', { kerberosServiceName: SPN }), { negotiator: n });
    const logBefore = (await kdc.log()).split('\n').filter((l) => /PREAUTH_FAILED.*alice@CORP\.TEST/.test(l)).length;
    for (let i = 0; i < 3; i++) {
      const e = await codeOf(c.request({ url: target() }));
      assert.equal(e.code, 'proxy.kerberos-password-wrong');
      assert.equal(e.params['proxy'], `127.0.0.1:${negOnly.port}`);
      assert.equal(e.params['principal'], 'alice@CORP.TEST');
    }
    assert.equal(n.tickets.kinitRuns, 1, 'one kinit for three requests');
    const failures = (await kdc.log()).split('\n').filter((l) => /PREAUTH_FAILED.*alice@CORP\.TEST/.test(l)).length;
    assert.equal(failures - logBefore, 1, 'the KDC saw the wrong password once');
    const e = await codeOf(client(manual(negOnly.port, 'mallory', 'x', 'CORP.TEST', { kerberosServiceName: SPN })).request({ url: target() }));
    assert.equal(e.code, 'proxy.kerberos-user-unknown');
  });

  it('fetches a new ticket before the cached one expires', async () => {
    let now = Date.now();
    const n = negotiator({ tickets: new KerberosTicketCache({ now: () => now }) });
    const proxy = manual(negOnly.port, 'alice', ALICE.password, 'CORP.TEST', { kerberosServiceName: SPN });
    const first = client(proxy, { negotiator: n });
    assert.equal((await first.request({ url: target() })).status, 200);
    const t1 = await stat(path.join(n.tickets.folder(), (await readdir(n.tickets.folder()))[0]!));
    now += 10 * 3600_000 - 4 * 60_000; // 4 minutes before the realm's 10 h ticket ends
    const second = client(proxy, { negotiator: n }); // a new connection needs a new Negotiate token
    assert.equal((await second.request({ url: target() })).status, 200);
    assert.equal(n.tickets.kinitRuns, 2);
    const t2 = await stat(path.join(n.tickets.folder(), (await readdir(n.tickets.folder()))[0]!));
    assert.ok(t2.mtimeMs >= t1.mtimeMs);
  });

  it('is cross-checked by curl --proxy-negotiate with a ticket of the same realm', async () => {
    const { dir, cleanup } = await tempDir('ors-curl-krb-');
    try {
      const ccache = `FILE:${path.join(dir, 'cc')}`;
      const k = await runKinit('alice@CORP.TEST', ccache, ALICE.password, 10_000);
      assert.equal(k.code, 0, k.stderr);
      const r = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--proxy-negotiate', '-U', ':', '-x', `http://localhost:${negOnly.port}`, '--cacert', origin.ca.caFile, target()], {
        env: { ...process.env, KRB5CCNAME: ccache },
      });
      assert.equal(r.stdout, '200', r.stderr);
    } finally {
      await cleanup();
    }
  });
});

describe('a proxy that offers Negotiate, NTLM and Basic', () => {
  it('uses Negotiate when a Kerberos identity is available, and the diagnostic says so', async () => {
    const report = await runDiagnostic({ url: target(), proxy: manual(three.port, 'alice', ALICE.password, 'CORP.TEST', { kerberosServiceName: SPN }), caPem: origin.ca.caPem, deadlines: FAST, negotiator: negotiator() });
    const hop = report.hops.find((h) => h.hop === 'connect');
    assert.equal(report.ok, true, JSON.stringify(report.hops));
    assert.deepEqual(hop?.details?.['offered'], ['Negotiate', 'NTLM', 'Basic']);
    assert.equal(hop?.details?.['scheme'], 'negotiate');
    assert.equal(hop?.details?.['principal'], 'alice@CORP.TEST');
    assert.deepEqual(hop?.notes, [{ code: 'proxy.auth-why.kerberos', params: { principal: 'alice@CORP.TEST', service: SPN } }]);
    await waitFor(async () => /TCP_TUNNEL\/200 .* alice@CORP\.TEST /.test(await three.accessLog()), 3_000);
  });

  it('uses NTLMv2 without a Kerberos identity (no KDC for the domain), and says why Negotiate was skipped', async () => {
    const c = client(manual(three.port, BOB.username, BOB.password, BOB.domain));
    assert.equal((await c.request({ url: target() })).status, 200);
    assert.equal(c.stats.ntlmHandshakes, 1);
    const report = await runDiagnostic({ url: target(), proxy: manual(three.port, BOB.username, BOB.password, BOB.domain), caPem: origin.ca.caPem, deadlines: FAST, negotiator: negotiator() });
    const hop = report.hops.find((h) => h.hop === 'connect');
    assert.equal(hop?.details?.['scheme'], 'ntlm');
    assert.deepEqual(hop?.notes?.map((x) => x.code), ['proxy.auth-why.negotiate-skipped', 'proxy.kerberos-realm-unknown']);
    // squid's helper really checked the NTLMv2 proof: a wrong password is refused.
    const e = await codeOf(client(manual(three.port, BOB.username, 'wrong', BOB.domain)).request({ url: target() }));
    assert.equal(e.code, 'proxy.auth-failed');
    assert.equal(e.params['scheme'], 'NTLM');
    await waitFor(async () => /TCP_TUNNEL\/200 .* CORP\+bob /.test(await three.accessLog()), 3_000);
  });

  it('reports Negotiate as unavailable when the Kerberos library cannot load, and the other schemes still work', async () => {
    const broken = (): KerberosNegotiator => negotiator({ load: () => Promise.reject(new Error('Cannot find module kerberos')) });
    const ntlm = client(manual(three.port, BOB.username, BOB.password, BOB.domain), { negotiator: broken() });
    assert.equal((await ntlm.request({ url: target() })).status, 200);
    const e = await codeOf(client(manual(negOnly.port, 'alice', ALICE.password, 'CORP.TEST', { kerberosServiceName: SPN }), { negotiator: broken() }).request({ url: target() }));
    assert.equal(e.code, 'proxy.negotiate-unavailable');
    assert.match(String(e.params['reason']), /Cannot find module kerberos/);
  });
});

describe('ors diagnose through a Negotiate proxy', () => {
  it('prints the scheme used and why, with the password only on standard input', async () => {
    const r = await runOrs(['diagnose', target(), '--proxy', `http://localhost:${three.port}`, '--proxy-user', 'alice', '--proxy-domain', 'CORP.TEST', '--proxy-password-stdin', '--ca', origin.ca.caFile, '--timeout', '10'], {
      env: { ...process.env, LC_ALL: 'C' },
      input: ALICE.password + '\n',
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /scheme=negotiate/);
    assert.match(r.stdout, /offered=Negotiate,NTLM,Basic/);
    assert.match(r.stdout, /Negotiate \(Kerberos\) as alice@CORP\.TEST for service HTTP\/localhost/);
    assert.equal((r.stdout + r.stderr).includes(ALICE.password), false);
  });
});

describe('a KDC that is down', () => {
  it('fails within the CONNECT deadline, kinit holding the password on standard input only', async () => {
    await kdc.stop();
    // Something that accepts and never answers, where the KDC was (TCP: udp_preference_limit = 1).
    const held = new Set<net.Socket>();
    const silent = net.createServer((s) => held.add(s));
    await new Promise<void>((r) => silent.listen(kdc.port, '127.0.0.1', () => r()));
    const seen: string[] = [];
    const watching: KinitRunner = async (...args) => {
      const p = runKinit(...args);
      await waitFor(async () => {
        const kinit = (await commandLines()).filter((l) => /(^|\/)kinit /.test(l));
        seen.push(...kinit);
        return kinit.length > 0;
      }, 2_000);
      for (const l of await commandLines()) assert.equal(l.includes('Down-Pa55-word'), false, 'the password is on a command line');
      return p;
    };
    try {
      const c = client(manual(negOnly.port, 'alice', 'Down-Pa55-word', 'CORP.TEST', { kerberosServiceName: SPN }), {
        negotiator: negotiator({ tickets: new KerberosTicketCache({ kinit: watching }) }),
        deadlines: { ...FAST, proxyConnectMs: 1_500 },
      });
      const started = Date.now();
      const e = await codeOf(c.request({ url: target() }));
      assert.equal(e.code, 'proxy.kerberos-kdc-unreachable');
      assert.equal(e.params['realm'], 'CORP.TEST');
      assert.ok(Date.now() - started < 4_000, `bounded: ${Date.now() - started} ms`);
      assert.ok(seen.some((l) => l.includes('alice@CORP.TEST')), 'kinit ran for the user');
    } finally {
      for (const s of held) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
      await kdc.start();
    }
    // With the KDC back, the same proxy works again.
    const again = client(manual(negOnly.port, 'alice', ALICE.password, 'CORP.TEST', { kerberosServiceName: SPN }));
    assert.equal((await again.request({ url: target() })).status, 200);
  });
});
