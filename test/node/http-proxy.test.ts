import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../../src/services/http/http-client.js';
import { isCodedError, type CodedError } from '../../src/common/errors.js';
import type { ProxySettings } from '../../src/common/proxy/settings.js';
import { startOrigin, type TestOrigin } from '../support/proxy-origin.js';
import { startSquid, startTinyproxy, type Squid } from '../support/proxy-squid.js';
import { startHangingProxy, startNtlmProxy, type HangingProxy, type NtlmProxy } from '../support/proxy-servers.js';
import { freePort, run, tempDir } from '../support/processes.js';

const SPECIAL_USER = 'ü@%é-user';
const SPECIAL_PASS = 'p:@%é w€';
const HOSTS = { 'origin.test': '127.0.0.1' };

let origin: TestOrigin;
let squid: Squid;
let ntlmSquid: Squid;
let ntlm: NtlmProxy;
let hanging: HangingProxy;
let tiny: { port: number; stop(): Promise<void> };
const clients: HttpClient[] = [];

const manual = (port: number, username = '', password = '', domain = ''): ProxySettings => ({ mode: 'manual', host: '127.0.0.1', port, username, domain, password });
const client = (proxy: ProxySettings, extra: Partial<HttpClientOptions> = {}): HttpClient => {
  const c = createHttpClient({ purpose: 'license-update', proxy, caPem: origin.ca.caPem, deadlines: { connectMs: 2_000, proxyConnectMs: 2_000, tlsMs: 2_000, responseMs: 3_000, totalMs: 8_000 }, ...extra });
  clients.push(c);
  return c;
};
const target = (p = '/hello'): string => `https://origin.test:${origin.port}${p}`;
async function waitFor(check: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
async function codeOf(p: Promise<unknown>): Promise<CodedError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isCodedError(e), `expected a CodedError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the request to fail');
}

before(async () => {
  origin = await startOrigin();
  [squid, ntlmSquid, ntlm, hanging, tiny] = await Promise.all([
    startSquid({ auth: 'basic', users: [{ username: 'alice', password: 'Secret1' }, { username: SPECIAL_USER, password: SPECIAL_PASS }], hosts: HOSTS }),
    startSquid({ auth: 'ntlm-fake', hosts: HOSTS }),
    startNtlmProxy([{ domain: 'CORP', username: 'bob', password: 'Pässword9' }, { domain: 'CORP', username: 'dave', password: 'Plain-9' }], HOSTS),
    startHangingProxy(),
    startTinyproxy({ username: 'tina', password: 'right' }),
  ]);
});

after(async () => {
  for (const c of clients) c.close();
  await Promise.all([squid?.stop(), ntlmSquid?.stop(), ntlm?.close(), hanging?.close(), tiny?.stop()]);
  const leaked = origin?.leakedProxyAuthorization ?? [];
  await origin?.close();
  assert.deepEqual(leaked, [], 'a Proxy-Authorization header reached the origin');
});

describe('HTTPS through squid with Basic authentication', () => {
  it('reaches the origin with the right password and reuses one tunnel', async () => {
    const c = client(manual(squid.port, 'alice', 'Secret1'));
    for (let i = 0; i < 3; i++) {
      const res = await c.request<{ ok: boolean }>({ url: target() });
      assert.equal(res.status, 200);
      assert.equal(res.data.ok, true);
      assert.deepEqual(res.via, { kind: 'proxy', host: '127.0.0.1', port: squid.port, username: 'alice' });
    }
    assert.equal(c.stats.tunnels, 1);
    c.close(); // squid logs a tunnel when it ends
    await waitFor(async () => /TCP_TUNNEL\/200 .* alice /.test(await squid.accessLog()), 3_000);
  });

  it('fails with proxy.auth-failed when the password differs in case only', async () => {
    const e = await codeOf(client(manual(squid.port, 'alice', 'secret1')).request({ url: target() }));
    assert.equal(e.code, 'proxy.auth-failed');
    assert.equal(e.params['scheme'], 'Basic');
  });

  it('encodes : @ % and non-ASCII in user and password (UTF-8 Basic)', async () => {
    const res = await client(manual(squid.port, SPECIAL_USER, SPECIAL_PASS)).request({ url: target() });
    assert.equal(res.status, 200);
  });

  it('takes percent-encoded credentials from HTTPS_PROXY in auto mode', async () => {
    const env = { HTTPS_PROXY: `http://${encodeURIComponent(SPECIAL_USER)}:${encodeURIComponent(SPECIAL_PASS)}@127.0.0.1:${squid.port}` };
    const res = await client({ mode: 'auto', host: '', port: 0, username: '', domain: '' }, { env }).request({ url: target() });
    assert.equal(res.status, 200);
    assert.equal(res.source, 'env');
  });

  it('reports proxy.auth-required with the offered schemes when no credentials are set', async () => {
    const e = await codeOf(client(manual(squid.port)).request({ url: target() }));
    assert.equal(e.code, 'proxy.auth-required');
    assert.match(String(e.params['schemes']), /Basic/);
  });
});

describe('HTTPS through NTLM proxies', () => {
  it('authenticates with NTLMv2 and a domain, three messages on one socket, one handshake per pooled connection', async () => {
    const before = { ...ntlm.stats };
    const c = client(manual(ntlm.port, 'bob', 'Pässword9', 'CORP'));
    for (let i = 0; i < 3; i++) assert.equal((await c.request({ url: target() })).status, 200);
    assert.equal(ntlm.stats.accepted - before.accepted, 1);
    assert.equal(ntlm.stats.handshakes - before.handshakes, 1);
    assert.equal(ntlm.stats.tunnels - before.tunnels, 1);
    assert.equal(c.stats.ntlmHandshakes, 1);
  });

  it('fails with proxy.auth-failed for a wrong NTLM password', async () => {
    const e = await codeOf(client(manual(ntlm.port, 'bob', 'pässword9', 'CORP')).request({ url: target() }));
    assert.equal(e.code, 'proxy.auth-failed');
    assert.equal(e.params['scheme'], 'NTLM');
  });

  // curl widens each password byte to UTF-16 (no UTF-8 decoding), so its account has an ASCII password.
  it('is accepted by the same proxy when curl --proxy-ntlm sends the credentials (independent client)', async () => {
    const { dir, cleanup } = await tempDir('ors-curl-');
    try {
      const cfg = path.join(dir, 'curl.cfg');
      await writeFile(cfg, `proxy-user = "CORP\\\\dave:Plain-9"\n`, { mode: 0o600 });
      const r = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--proxy-ntlm', '-K', cfg, '-x', `http://127.0.0.1:${ntlm.port}`, '--cacert', origin.ca.caFile, target()]);
      assert.equal(r.stdout, '200', r.stderr);
      await writeFile(cfg, `proxy-user = "CORP\\\\dave:wrong"\n`, { mode: 0o600 });
      const bad = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--proxy-ntlm', '-K', cfg, '-x', `http://127.0.0.1:${ntlm.port}`, '--cacert', origin.ca.caFile, target()]);
      assert.notEqual(bad.stdout, '200');
    } finally {
      await cleanup();
    }
  });

  // What squid's ntlm_fake_auth proves: a real squid takes our Type 1 and answers with its Type 2 on the
  // same kept-alive socket; its Type 2 is malformed for a strict parser, and we say so precisely
  // instead of hanging or sending a Type 3 built from garbage. Password checking is proven above.
  it("names squid ntlm_fake_auth's malformed challenge precisely, after Type 1 was answered on the same socket", async () => {
    const c = client(manual(ntlmSquid.port, 'carol', 'anything', 'CORP'));
    const e = await codeOf(c.request({ url: target() }));
    assert.equal(e.code, 'proxy.ntlm-invalid-challenge');
    assert.equal(c.stats.ntlmHandshakes, 1);
    await waitFor(async () => /TCP_DENIED\/407 .*CONNECT origin\.test/.test(await ntlmSquid.accessLog()), 3_000);
  });
});

describe('proxies that misbehave', () => {
  it("maps tinyproxy's 401 answer to CONNECT to a typed authentication error", async () => {
    const none = await codeOf(client(manual(tiny.port)).request({ url: target() }));
    assert.equal(none.code, 'proxy.auth-required');
    assert.match(String(none.params['schemes']), /Basic/);
    const wrong = await codeOf(client(manual(tiny.port, 'tina', 'wrong')).request({ url: target() }));
    assert.equal(wrong.code, 'proxy.auth-failed');
  });

  it('fires the CONNECT deadline on a proxy that never answers and closes the socket', async () => {
    const c = client(manual(hanging.port), { deadlines: { connectMs: 1_000, proxyConnectMs: 700, tlsMs: 1_000, responseMs: 1_000, totalMs: 5_000 } });
    const started = Date.now();
    const e = await codeOf(c.request({ url: target() }));
    assert.equal(e.code, 'proxy.connect-timeout');
    assert.ok(Date.now() - started < 3_000, 'the deadline fired');
    assert.ok(hanging.accepted() >= 1);
    await hanging.allClosed(2_000);
  });

  it('reports proxy.refused for a port nobody listens on', async () => {
    const e = await codeOf(client(manual(await freePort())).request({ url: target() }));
    assert.equal(e.code, 'proxy.refused');
  });
});

describe('origin checks', () => {
  it('trusts the origin only with the custom CA bundle, never by switching checks off', async () => {
    const noCa = createHttpClient({ purpose: 'license-update', proxy: manual(squid.port, 'alice', 'Secret1') });
    clients.push(noCa);
    const e = await codeOf(noCa.request({ url: target() }));
    assert.equal(e.code, 'proxy.tls-failed');
    assert.match(String(e.params['reason']), /CERT|SELF_SIGNED|UNABLE/i);
  });

  it('caps the response size', async () => {
    const c = client({ mode: 'none', host: '', port: 0, username: '', domain: '' }, { maxResponseBytes: 1_000 });
    const ok = await c.request({ url: `https://localhost:${origin.port}/big?bytes=900`, responseType: 'arraybuffer' });
    assert.equal(ok.status, 200);
    const e = await codeOf(c.request({ url: `https://localhost:${origin.port}/big?bytes=5000`, responseType: 'arraybuffer' }));
    assert.equal(e.code, 'http.response-too-large');
  });

  it('fires the response deadline when the origin never answers', async () => {
    const c = client({ mode: 'none', host: '', port: 0, username: '', domain: '' }, { deadlines: { responseMs: 500, totalMs: 5_000 } });
    const e = await codeOf(c.request({ url: `https://localhost:${origin.port}/stall` }));
    assert.equal(e.code, 'http.timeout');
  });

  it('refuses an auto-detected proxy for remote assistance with a typed error', () => {
    assert.throws(
      () => createHttpClient({ purpose: 'remote-assistance', proxy: { mode: 'auto', host: '', port: 0, username: '', domain: '' } }),
      (e: unknown) => isCodedError(e) && e.code === 'proxy.auto-not-allowed' && e.field === 'proxy.mode',
    );
  });
});
