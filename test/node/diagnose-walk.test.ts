import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runDiagnostic } from '../../src/services/proxy/diagnostic.js';
import { DefaultProxyResolver } from '../../src/services/proxy/proxy-resolver.js';
import { startOrigin, type TestOrigin } from '../support/proxy-origin.js';
import { startHangingProxy, startNtlmProxy, type HangingProxy, type NtlmProxy } from '../support/proxy-servers.js';
import { freePort, runOrs } from '../support/processes.js';

const PASSWORD = 'Pässword9';
let origin: TestOrigin;
let ntlm: NtlmProxy;
let hanging: HangingProxy;
const target = (): string => `https://origin.test:${origin.port}/hello`;

before(async () => {
  origin = await startOrigin();
  ntlm = await startNtlmProxy([{ domain: 'CORP', username: 'bob', password: PASSWORD }], { 'origin.test': '127.0.0.1' });
  hanging = await startHangingProxy();
});
after(async () => {
  await Promise.all([ntlm?.close(), hanging?.close()]);
  const leaked = origin?.leakedProxyAuthorization ?? [];
  await origin?.close();
  assert.deepEqual(leaked, []);
});

describe('connection diagnostic', () => {
  it('reports every hop ok through an NTLM proxy, with the scheme used and whether the custom CA was needed', async () => {
    const report = await runDiagnostic({
      url: target(),
      proxy: { mode: 'manual', host: '127.0.0.1', port: ntlm.port, username: 'bob', domain: 'CORP', password: PASSWORD },
      caPem: origin.ca.caPem,
    });
    assert.deepEqual(report.hops.map((h) => `${h.hop}:${h.status}`), ['resolve:ok', 'tcp:ok', 'connect:ok', 'tls:ok', 'http:ok']);
    assert.equal(report.ok, true);
    assert.equal(report.hops[2]?.details?.['scheme'], 'ntlm');
    assert.equal(report.hops[3]?.details?.['customCaNeeded'], true);
    assert.equal(report.hops[3]?.details?.['issuer'], 'ORS Test Root CA');
    assert.ok(!JSON.stringify(report).includes(PASSWORD));
  });

  it('exits 0 from `ors diagnose --json` when every hop is ok and prints no secret', async () => {
    const r = await runOrs(
      ['diagnose', target(), '--proxy', `http://127.0.0.1:${ntlm.port}`, '--proxy-user', 'bob', '--proxy-domain', 'CORP', '--proxy-password-stdin', '--ca', origin.ca.caFile, '--json'],
      { input: PASSWORD + '\n' },
    );
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(JSON.parse(r.stdout).ok, true);
    assert.ok(!(r.stdout + r.stderr).includes(PASSWORD));
  });

  it('exits 1 and names the CONNECT hop with a hint in German when the password is wrong', async () => {
    const r = await runOrs(
      ['diagnose', target(), '--proxy', `http://127.0.0.1:${ntlm.port}`, '--proxy-user', 'bob', '--proxy-domain', 'CORP', '--proxy-password-stdin', '--ca', origin.ca.caFile],
      { input: 'wrong-secret\n', env: { ...process.env, LANG: 'de_DE.UTF-8' } },
    );
    assert.equal(r.code, 1);
    assert.match(r.stdout, /\[FAIL\] Proxy-Tunnel \(CONNECT\)/);
    assert.match(r.stdout, /proxy\.auth-failed/);
    assert.match(r.stdout, /Prüfen Sie Benutzername/);
    assert.ok(!r.stdout.includes('wrong-secret'));
  });

  it('refuses credentials inside --proxy', async () => {
    const r = await runOrs(['diagnose', target(), '--proxy', 'http://bob:topsecret@127.0.0.1:3128']);
    assert.equal(r.code, 2);
    assert.ok(!(r.stdout + r.stderr).includes('topsecret'));
  });

  it('ends a fully broken path within its deadline plus one second', async () => {
    const started = Date.now();
    const report = await runDiagnostic({
      url: target(),
      proxy: { mode: 'manual', host: '127.0.0.1', port: hanging.port, username: '', domain: '' },
      deadlines: { connectMs: 1_000, proxyConnectMs: 1_000, tlsMs: 1_000, responseMs: 1_000, totalMs: 2_000 },
    });
    assert.ok(Date.now() - started < 3_000);
    assert.equal(report.ok, false);
    const connect = report.hops.find((h) => h.hop === 'connect');
    assert.equal(connect?.error?.code, 'proxy.connect-timeout');
    assert.equal(connect?.hint, 'proxy.hint.check-proxy-address');
    await hanging.allClosed(2_000);
  });

  it('says which hop fails for a refused proxy and for a certificate only the custom CA trusts', async () => {
    const refused = await runDiagnostic({ url: target(), proxy: { mode: 'manual', host: '127.0.0.1', port: await freePort(), username: '', domain: '' } });
    assert.equal(refused.hops.find((h) => h.hop === 'tcp')?.error?.code, 'proxy.refused');
    const direct = await runDiagnostic({ url: `https://localhost:${origin.port}/`, proxy: { mode: 'none', host: '', port: 0, username: '', domain: '' } });
    const tls = direct.hops.find((h) => h.hop === 'tls');
    assert.equal(tls?.error?.code, 'http.tls-failed');
    assert.equal(tls?.hint, 'proxy.hint.custom-ca');
  });

  it('marks resolution failed when the PAC server is down, and still walks the direct path', async () => {
    const dead = `http://127.0.0.1:${await freePort()}/proxy.pac`;
    const resolver = new DefaultProxyResolver({
      settings: { mode: 'auto', host: '', port: 0, username: '', domain: '' },
      env: {},
      osSources: [{ name: 'gnome', read: async () => ({ source: 'gnome', bypass: [], pacUrl: dead }) }],
    });
    try {
      const report = await runDiagnostic({ url: target(), proxy: { mode: 'auto', host: '', port: 0, username: '', domain: '' }, resolver, caPem: origin.ca.caPem });
      assert.equal(report.hops[0]?.status, 'failed');
      assert.equal(report.hops[0]?.error?.code, 'proxy.pac-fetch-failed');
      assert.equal(report.hops[0]?.hint, 'proxy.hint.check-pac');
      assert.deepEqual(report.candidates, [{ kind: 'direct' }]);
      assert.equal(report.hops.find((h) => h.hop === 'tcp')?.target, `origin.test:${origin.port}`);
      assert.equal(report.hops.find((h) => h.hop === 'connect')?.status, 'skipped');
      assert.equal(report.ok, false);
    } finally {
      resolver.dispose();
    }
  });
});
