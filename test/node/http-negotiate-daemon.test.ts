// The ORS service (`ors daemon`, a real child process) behind a proxy that speaks only Negotiate:
// the proxy user, password and domain as the Remote Service dialog saves them, a private MIT KDC,
// squid with negotiate_kerberos_auth, and the reference back office behind it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startNamedBackoffice, BACKOFFICE_HOST } from '../support/ors-backoffice.js';
import { prepareDataDir, startDaemon, waitForStatus } from '../support/ors-daemon.js';
import { startKdc, type Kdc } from '../support/kdc.js';
import { tempDir } from '../support/processes.js';
import { startSquid, type Squid } from '../support/proxy-squid.js';

const USER = { name: 'ors-svc', password: 'Kerberos-Pa55-word' };

describe('ors daemon through a squid that offers only Negotiate', () => {
  let bo: Awaited<ReturnType<typeof startNamedBackoffice>>;
  let kdc: Kdc;
  let squid: Squid;
  const cleanups: (() => Promise<void>)[] = [];

  before(async () => {
    [bo, kdc] = await Promise.all([startNamedBackoffice(), startKdc({ services: ['HTTP/localhost'], users: [USER] })]);
    process.env['KRB5_CONFIG'] = kdc.krb5Conf; // the daemon inherits it
    squid = await startSquid({ auth: 'negotiate', kerberos: kdc, hosts: { [BACKOFFICE_HOST]: '127.0.0.1' } });
  });
  after(async () => {
    await Promise.all([bo?.stop(), squid?.stop()]);
    await kdc?.destroy();
    for (const c of cleanups) await c();
  });

  async function run(password: string, until: Parameters<typeof waitForStatus>[1], proxy: { host: string; kerberosServiceName?: string } = { host: 'localhost' }) {
    const t = await tempDir('ors-daemon-negotiate-');
    cleanups.push(t.cleanup);
    await prepareDataDir(t.dir, bo, {
      backofficeUrl: bo.proxiedUrl,
      // By default the proxy's host name is its Kerberos service name (HTTP/localhost); the setting names another.
      proxy: { mode: 'manual', ...proxy, port: squid.port, authenticate: true, username: USER.name, domain: 'CORP.TEST' },
      proxyPassword: password,
    });
    const d = await startDaemon(t.dir);
    try {
      const status = await waitForStatus(t.dir, until);
      return { status, dir: t.dir, daemon: d };
    } finally {
      assert.equal(await d.stop(10_000), 0);
    }
  }

  it('registers and heartbeats through the proxy as the Kerberos user, addressed by IP with the saved service name; the password stays out of its log', async () => {
    // 127.0.0.1 has no Kerberos service (HTTP/127.0.0.1 is unknown to the KDC): the saved kerberosServiceName makes it work.
    const r = await run(USER.password, (s) => s.connection.kind === 'connected', { host: '127.0.0.1', kerberosServiceName: 'HTTP/localhost' });
    assert.equal(r.status.license?.serial, bo.serial);
    assert.match(await squid.accessLog(), new RegExp(`TCP_TUNNEL/200 .*${BACKOFFICE_HOST}:${bo.port} ${USER.name}@CORP\\.TEST `));
    const log = (await readFile(path.join(r.dir, 'ors', 'daemon.log'), 'utf8')) + r.daemon.output();
    assert.equal(log.includes(USER.password), false, 'the password reached the daemon log');
  });

  it('reports a wrong password as a Kerberos error at the proxy hop, naming the proxy', async () => {
    const wrong = 'not-the-kerberos-password';
    const r = await run(wrong, (s) => s.connection.kind === 'error');
    if (r.status.connection.kind !== 'error') return assert.fail('no error state');
    assert.equal(r.status.connection.hop, 'proxy');
    assert.equal(r.status.connection.error.code, 'proxy.kerberos-password-wrong');
    assert.equal(r.status.connection.error.params?.['proxy'], `localhost:${squid.port}`);
    const log = (await readFile(path.join(r.dir, 'ors', 'daemon.log'), 'utf8')) + r.daemon.output();
    assert.equal(log.includes(wrong), false);
  });
});
