import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Container } from 'inversify';
import { messages } from '../../src/common/messages/index.js';
import type { ProxySettings } from '../../src/common/proxy/settings.js';
import { hopChecked, type ConnectionTestReport } from '../../src/common/remote-service/connection-test.js';
import { ConnectionTest, type ConnectionTestInput } from '../../src/plugin/remote-service/connection-test.js';
import { platformModule } from '../../src/services/platform-module.js';
import { BACKOFFICE_HOST, startNamedBackoffice } from '../support/ors-backoffice.js';
import { startSquid, type Squid } from '../support/proxy-squid.js';

// [Test connection]'s walk against the real demo back office (TLS with its own CA) and a real squid
// with Basic authentication: every hop of the ORS service's path, and where a walk stops.
const PROXY_USER = { username: 'ors-proxy', password: 'Squid-Pa55-test' };
const NO_PROXY: ProxySettings = { mode: 'none', host: '', port: 0, username: '', domain: '' };

const walk = (r: ConnectionTestReport): string[] => r.hops.map((h) => `${h.hop}:${h.status}`);
const said = (r: ConnectionTestReport, hop: string, locale: 'en' | 'de' = 'en'): string => messages.formatMessage(locale, hopChecked(r.hops.find((h) => h.hop === hop)!, r));

describe('[Test connection] walks the ORS service’s path (real back office, real squid)', () => {
  let bo: Awaited<ReturnType<typeof startNamedBackoffice>>;
  let squid: Squid;
  let test: ConnectionTest;
  let base: ConnectionTestInput;

  before(async () => {
    [bo, squid] = await Promise.all([startNamedBackoffice(), startSquid({ auth: 'basic', users: [PROXY_USER], hosts: { [BACKOFFICE_HOST]: '127.0.0.1' } })]);
    const c = new Container();
    c.load(platformModule);
    c.bind(ConnectionTest).toSelf();
    test = c.get(ConnectionTest);
    base = { url: bo.url, proxy: NO_PROXY, caPem: bo.caPem, organisationId: bo.orgId, verificationCode: bo.code, serial: async () => bo.serial };
  });
  after(async () => {
    await squid?.stop();
    await bo?.stop();
  });

  it('passes every hop up to the license, and says what each checked', async () => {
    const r = await test.run(base);
    assert.deepEqual(walk(r), ['resolve:ok', 'tcp:ok', 'connect:skipped', 'tls:ok', 'http:ok', 'login:ok', 'serial:ok', 'license:ok'], JSON.stringify(r.hops));
    assert.equal(r.ok, true);
    assert.deepEqual(r.route, { kind: 'direct' });
    assert.match(said(r, 'login'), new RegExp(`service organisation ID ${bo.orgId}`));
    assert.match(said(r, 'serial', 'de'), new RegExp(`Seriennummer ${bo.serial} beim Back-Office`));
    assert.match(said(r, 'license'), new RegExp(`the license of ${bo.serial}, issued on`));
  });

  it('fails at the login hop with a wrong verification code, and checks nothing after it', async () => {
    const r = await test.run({ ...base, verificationCode: 'WRONG-CODE-1234' });
    assert.deepEqual(walk(r).slice(4), ['http:ok', 'login:failed', 'serial:skipped', 'license:skipped']);
    assert.equal(r.ok, false);
    const login = r.hops.find((h) => h.hop === 'login')!;
    assert.equal(login.error?.code, 'backoffice.auth.invalid-credentials');
    assert.equal(login.hint, 'ors.hint.login');
  });

  it('fails at the serial hop for a serial number the back office does not know', async () => {
    const r = await test.run({ ...base, serial: async () => 'NOT-KNOWN-1' });
    assert.deepEqual(walk(r).slice(5), ['login:ok', 'serial:failed', 'license:skipped']);
    assert.equal(r.hops.find((h) => h.hop === 'serial')!.error?.code, 'backoffice.installation.unknown');
  });

  it('says there is no serial number when the license server serves none, without a misleading hint', async () => {
    const r = await test.run({ ...base, serial: async () => undefined });
    const serial = r.hops.find((h) => h.hop === 'serial')!;
    assert.equal(serial.error?.code, 'remote-service.no-serial');
    assert.equal(serial.hint, undefined);
  });

  it('reports a proxy that a loopback address bypasses as "direct (loopback/no-proxy rule)", never as a proxy that works', async () => {
    // Nothing listens on port 1: the walk passes only because the proxy is bypassed.
    const r = await test.run({ ...base, proxy: { mode: 'manual', host: '127.0.0.1', port: 1, username: '', domain: '' } });
    assert.equal(r.ok, true, JSON.stringify(r.hops));
    assert.deepEqual(r.route, { kind: 'bypass' });
    assert.match(said(r, 'resolve'), /^direct \(loopback\/no-proxy rule\)/);
    assert.match(said(r, 'tcp'), /^direct \(loopback\/no-proxy rule\) to 127\.0\.0\.1:/);
    assert.match(said(r, 'tcp', 'de'), /^direkt \(Loopback\/Ausnahmeregel\)/);
  });

  it('goes through the authenticating proxy to the named back office, naming the scheme', async () => {
    const proxy: ProxySettings = { mode: 'manual', host: '127.0.0.1', port: squid.port, ...PROXY_USER, domain: '' };
    const r = await test.run({ ...base, url: bo.proxiedUrl, proxy });
    assert.deepEqual(walk(r), ['resolve:ok', 'tcp:ok', 'connect:ok', 'tls:ok', 'http:ok', 'login:ok', 'serial:ok', 'license:ok'], JSON.stringify(r.hops));
    assert.deepEqual(r.route, { kind: 'proxy', proxy: `127.0.0.1:${squid.port}` });
    assert.match(said(r, 'connect'), new RegExp(`tunnel to ${BACKOFFICE_HOST}:${bo.port}, authenticated with basic`, 'i'));
    const wrong = await test.run({ ...base, url: bo.proxiedUrl, proxy: { ...proxy, password: 'wrong' } });
    assert.deepEqual(walk(wrong).slice(2), ['connect:failed', 'tls:skipped', 'http:skipped', 'login:skipped', 'serial:skipped', 'license:skipped']);
  });
});
