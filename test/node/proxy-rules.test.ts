import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BypassList, isLoopbackHost } from '../../src/services/proxy/no-proxy.js';
import { parseProxyUrl } from '../../src/services/proxy/candidates.js';
import { envProxyFor } from '../../src/services/proxy/proxy-resolver.js';
import {
  checkProxyModeFor,
  validateProxyHost,
  validateProxyPort,
  validateProxySettings,
  validateRemoteAssistance,
} from '../../src/common/proxy/settings.js';
import { messages } from '../../src/common/messages/index.js';

describe('NO_PROXY semantics', () => {
  const table: [string, string, number, boolean][] = [
    ['example.com', 'example.com', 443, true],
    ['example.com', 'api.example.com', 443, true],
    ['example.com', 'badexample.com', 443, false],
    ['.example.com', 'api.example.com', 443, true],
    ['.example.com', 'example.com', 443, false],
    ['*.example.com', 'a.b.example.com', 443, true],
    ['EXAMPLE.com', 'Api.Example.COM', 443, true],
    ['*', 'anything.org', 443, true],
    ['10.0.0.0/8', '10.20.30.40', 443, true],
    ['10.0.0.0/8', '11.0.0.1', 443, false],
    ['10.0.0.0/8', 'ten.example', 443, false],
    ['fd00::/8', '[fd12::1]', 443, true],
    ['192.168.1.5', '192.168.1.5', 443, true],
    ['example.com:8443', 'example.com', 8443, true],
    ['example.com:8443', 'example.com', 443, false],
    ['<local>', 'intranet', 443, true],
    ['<local>', 'intranet.corp', 443, false],
    ['10.*', '10.1.2.3', 443, true],
    ['internal.corp, .lan ;other', 'x.lan', 443, true],
    ['', 'example.com', 443, false],
  ];
  for (const [list, host, port, expected] of table) {
    it(`${expected ? 'bypasses' : 'proxies'} ${host}:${port} for NO_PROXY="${list}"`, () => {
      assert.equal(BypassList.parse(list).matches(host, port), expected);
    });
  }

  it('treats every loopback name and address as direct', () => {
    for (const h of ['localhost', 'api.localhost', '127.0.0.1', '127.9.9.9', '[::1]', '::1']) assert.equal(isLoopbackHost(h), true, h);
    for (const h of ['example.com', '128.0.0.1', '::2']) assert.equal(isLoopbackHost(h), false, h);
  });
});

describe('proxy from the environment', () => {
  it('prefers https_proxy over HTTPS_PROXY over http_proxy over HTTP_PROXY for https targets', () => {
    const env = { HTTP_PROXY: 'http://d:4', http_proxy: 'http://c:3', HTTPS_PROXY: 'http://b:2', https_proxy: 'http://a:1' };
    const url = new URL('https://bo.example/');
    assert.equal(envProxyFor(url, env).proxy?.host, 'a');
    assert.equal(envProxyFor(url, { ...env, https_proxy: '' }).proxy?.host, 'b');
    assert.equal(envProxyFor(url, { HTTP_PROXY: 'http://d:4', http_proxy: 'http://c:3' }).proxy?.host, 'c');
    assert.equal(envProxyFor(url, { HTTP_PROXY: 'http://d:4' }).proxy?.host, 'd');
  });

  it('goes direct when NO_PROXY matches, no_proxy taking precedence', () => {
    const url = new URL('https://api.corp.example/');
    assert.equal(envProxyFor(url, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'corp.example' }).bypassed, true);
    assert.equal(envProxyFor(url, { HTTPS_PROXY: 'http://p:1', no_proxy: 'other', NO_PROXY: 'corp.example' }).bypassed, false);
  });

  it('percent-decodes credentials in the proxy URL, including : @ % and non-ASCII', () => {
    const user = 'us:er@x%é';
    const pass = 'p@ss:w%rd€';
    const p = parseProxyUrl(`http://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@proxy.corp:3128`);
    assert.deepEqual(p, { kind: 'proxy', host: 'proxy.corp', port: 3128, credentials: { username: user, password: pass, domain: '' } });
  });

  it('splits DOMAIN\\user from the proxy URL for NTLM', () => {
    const p = parseProxyUrl('http://CORP%5Calice:pw@proxy:8080');
    assert.deepEqual(p?.credentials, { username: 'alice', password: 'pw', domain: 'CORP' });
  });

  it('refuses proxy URLs of schemes it cannot speak', () => {
    assert.equal(parseProxyUrl('socks5://p:1080'), undefined);
  });
});

describe('proxy settings validation', () => {
  it('accepts host names, IPv4 and IPv6 and rejects URLs, spaces and bad labels', () => {
    for (const h of ['proxy', 'proxy.corp.example', '10.0.0.1', '::1', 'fe80::1', '[2001:db8::1]']) assert.equal(validateProxyHost(h), undefined, h);
    for (const h of ['http://proxy', 'proxy:8080', 'pro xy', '-proxy', '300.1.1.1', 'a..b', 'user@proxy']) {
      assert.equal(validateProxyHost(h)?.code, 'proxy.host-invalid', h);
    }
    assert.equal(validateProxyHost('')?.code, 'validation.required');
  });

  it('accepts ports 1 to 65535 only', () => {
    for (const p of [1, 80, 65535, '3128']) assert.equal(validateProxyPort(p), undefined, String(p));
    for (const p of [0, 65536, -1, 3.5, 'abc', '']) assert.equal(validateProxyPort(p)?.field, 'proxy.port', String(p));
  });

  it('names each invalid field of a manual proxy and ignores host/port in other modes', () => {
    const errs = validateProxySettings({ mode: 'manual', host: 'bad host', port: 0, username: '', domain: 'CORP' });
    assert.deepEqual(errs.map((e) => e.field), ['proxy.host', 'proxy.port', 'proxy.username']);
    assert.deepEqual(validateProxySettings({ mode: 'auto', host: '', port: 0, username: '', domain: '' }), []);
  });

  it('refuses remote assistance with an auto-detected proxy, in settings and for connections alike', () => {
    assert.equal(validateRemoteAssistance(true, 'auto')?.code, 'proxy.auto-not-allowed');
    assert.equal(validateRemoteAssistance(true, 'manual'), undefined);
    assert.equal(validateRemoteAssistance(true, 'none'), undefined);
    assert.equal(validateRemoteAssistance(false, 'auto'), undefined);
    assert.equal(checkProxyModeFor('license-update', 'auto'), undefined);
    assert.equal(checkProxyModeFor('software-download', 'auto'), undefined);
    assert.equal(checkProxyModeFor('remote-assistance', 'auto')?.code, 'proxy.auto-not-allowed');
  });

  it('has English and German text for every proxy message code it uses', () => {
    for (const code of ['proxy.auto-not-allowed', 'proxy.host-invalid', 'proxy.port-invalid', 'proxy.auth-required', 'http.timeout']) {
      assert.ok(messages.has(code), code);
      assert.notEqual(messages.format('de', code), messages.format('en', code));
    }
  });
});
