// The parts of Negotiate that need no KDC: argument shaping for Windows SSPI (not run on Windows
// here), service names, principal names, and the mapping of Kerberos failures to typed errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateProxySettings } from '../../src/common/proxy/settings.js';
import { messages } from '../../src/common/messages/index.js';
import { ProxyErrorCode } from '../../src/common/proxy/errors.js';
import { clientOptions, gssError, gssTarget, parseServiceName, servicePrincipal } from '../../src/services/http/negotiate-gss.js';
import { kinitError, principalOf, tgtEndTime } from '../../src/services/http/negotiate-tickets.js';

const SPNEGO = 6;
const ctx = { proxy: 'proxy.corp:8080', service: 'HTTP/proxy.corp', principal: 'alice@CORP.TEST', realm: 'CORP.TEST' };

describe('Negotiate argument shaping', () => {
  it('gives SSPI on Windows explicit credentials as user/domain/password, a UPN with an empty domain, and none for the signed-in account', () => {
    const creds = { username: 'alice', password: 'Pa55', domain: 'CORP' };
    assert.deepEqual(clientOptions('win32', SPNEGO, creds, undefined), { mechOID: SPNEGO, user: 'alice', domain: 'CORP', password: 'Pa55' });
    assert.deepEqual(clientOptions('win32', SPNEGO, { ...creds, username: 'alice@corp.example.com' }, undefined), { mechOID: SPNEGO, user: 'alice@corp.example.com', domain: '', password: 'Pa55' });
    assert.deepEqual(clientOptions('win32', SPNEGO, undefined, undefined), { mechOID: SPNEGO });
    assert.equal(gssTarget('win32', { service: 'HTTP', host: 'proxy.corp' }), 'HTTP/proxy.corp');
  });

  it('gives GSSAPI elsewhere a host-based target and the principal of the private cache, never a password', () => {
    const o = clientOptions('linux', SPNEGO, { username: 'alice', password: 'Pa55', domain: 'CORP.TEST' }, 'alice@CORP.TEST');
    assert.deepEqual(o, { mechOID: SPNEGO, principal: 'alice@CORP.TEST' });
    assert.equal(gssTarget('linux', { service: 'HTTP', host: 'proxy.corp' }), 'HTTP@proxy.corp');
  });

  it('reads the service name setting as HTTP/host, HTTP@host or host, defaulting to the proxy host', () => {
    assert.deepEqual(parseServiceName(undefined, 'Proxy.Corp'), { service: 'HTTP', host: 'proxy.corp' });
    assert.deepEqual(parseServiceName('HTTP/squid.corp.test', 'x'), { service: 'HTTP', host: 'squid.corp.test' });
    assert.deepEqual(parseServiceName('HTTP@squid.corp.test', 'x'), { service: 'HTTP', host: 'squid.corp.test' });
    assert.deepEqual(parseServiceName('squid.corp.test', 'x'), { service: 'HTTP', host: 'squid.corp.test' });
    assert.equal(servicePrincipal(parseServiceName('squid.corp.test', 'x')), 'HTTP/squid.corp.test');
    assert.throws(() => parseServiceName('HTTP/squid@CORP.TEST', 'x'), (e: Error & { code?: string }) => e.code === 'proxy.kerberos-service-invalid');
    const errors = validateProxySettings({ mode: 'manual', host: 'p', port: 8080, username: '', domain: '', kerberosServiceName: 'HTTP/a b' });
    assert.deepEqual(errors.map((e) => e.field), ['proxy.kerberosServiceName']);
  });

  it('makes user@REALM from the user name and domain, or takes a user@realm name as it is', () => {
    assert.deepEqual(principalOf('alice', 'corp.test'), { principal: 'alice@CORP.TEST', realm: 'CORP.TEST' });
    assert.deepEqual(principalOf('alice@corp.test', 'OTHER'), { principal: 'alice@CORP.TEST', realm: 'CORP.TEST' });
    assert.deepEqual(principalOf('alice', ''), { principal: 'alice', realm: '(default)' });
  });
});

describe('Kerberos failures as typed errors that say what to check', () => {
  // Recorded from MIT krb5 1.20 kinit here (C locale), except where marked "error table": those are
  // the texts of MIT's error table (krb5_err.et) for KDC answers a private KDC cannot be made to give.
  const kinit: [string, string][] = [
    ['kinit: Password incorrect while getting initial credentials', ProxyErrorCode.kerberosPasswordWrong],
    ["kinit: Client 'nobody@CORP.TEST' not found in Kerberos database while getting initial credentials", ProxyErrorCode.kerberosUserUnknown],
    ["kinit: Cannot contact any KDC for realm 'CORP.TEST' while getting initial credentials", ProxyErrorCode.kerberosKdcUnreachable],
    ['kinit: Cannot find KDC for realm "CORP" while getting initial credentials', ProxyErrorCode.kerberosRealmUnknown],
    ['kinit: Clock skew too great while getting initial credentials', ProxyErrorCode.kerberosClockSkew], // error table
    ['kinit: Password has expired while getting initial credentials', ProxyErrorCode.kerberosPasswordExpired], // error table
    ["kinit: Client's credentials have been revoked while getting initial credentials", ProxyErrorCode.kerberosAccountLocked], // error table
    ['kinit: something new', ProxyErrorCode.kerberosFailed],
  ];
  for (const [stderr, code] of kinit) {
    it(`kinit "${stderr.slice(7, 50)}…" → ${code}`, () => {
      const e = kinitError(stderr, ctx);
      assert.equal(e.code, code);
      assert.equal(e.params['proxy'], ctx.proxy);
    });
  }

  // Recorded from the kerberos module (libgssapi) here.
  const gss: [string, string][] = [
    ['Unspecified GSS failure.  Minor code may provide more information: Server HTTP/127.0.0.1@CORP.TEST not found in Kerberos database', ProxyErrorCode.kerberosServiceUnknown],
    ['Unspecified GSS failure.  Minor code may provide more information: Ticket expired', ProxyErrorCode.kerberosTicketExpired],
    ['No credentials were supplied, or the credentials were unavailable or inaccessible: SPNEGO cannot find mechanisms to negotiate', ProxyErrorCode.kerberosNoTicket],
  ];
  for (const [text, code] of gss) {
    it(`GSSAPI "${text.slice(-40)}" → ${code}`, () => assert.equal(gssError(new Error(text), ctx).code, code));
  }

  it('has an English and a German text with what to check for every Kerberos error', () => {
    for (const code of Object.values(ProxyErrorCode).filter((c) => /kerberos|negotiate/.test(c))) {
      assert.ok(messages.has(code), code);
      const params = { proxy: 'p:1', principal: 'a@R', realm: 'R', service: 'HTTP/p', reason: 'r', value: 'v' };
      for (const lang of ['en', 'de'] as const) assert.doesNotMatch(messages.format(lang, code, params), /\{\w+\}/, `${code} ${lang}`);
      assert.notEqual(messages.format('en', code, params), messages.format('de', code, params));
    }
  });

  it('refuses a truncated credential cache instead of inventing an end time', () => {
    assert.throws(() => tgtEndTime(Buffer.from([0x05, 0x04, 0x00, 0x0c, 0x00])));
  });
});
