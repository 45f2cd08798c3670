import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { endpointFileOf, fetchDaemonStatus } from '../../src/services/ors-control/daemon-endpoint-client.js';
import { startNamedBackoffice, BACKOFFICE_HOST } from '../support/ors-backoffice.js';
import { prepareDataDir, startDaemon, waitForStatus } from '../support/ors-daemon.js';
import { tempDir } from '../support/processes.js';
import { startSquid, type Squid } from '../support/proxy-squid.js';

const PROXY_USER = 'ors-proxy-user';
const PROXY_PASSWORD = 'Squid-Pa55-word';

describe('ors daemon through a real squid with Basic authentication', () => {
  let bo: Awaited<ReturnType<typeof startNamedBackoffice>>;
  let squid: Squid;
  const cleanups: (() => Promise<void>)[] = [];

  before(async () => {
    [bo, squid] = await Promise.all([
      startNamedBackoffice(),
      startSquid({ auth: 'basic', users: [{ username: PROXY_USER, password: PROXY_PASSWORD }], hosts: { [BACKOFFICE_HOST]: '127.0.0.1' } }),
    ]);
  });
  after(async () => {
    await Promise.all([bo?.stop(), squid?.stop()]);
    for (const c of cleanups) await c();
  });

  async function run(password: string, until: Parameters<typeof waitForStatus>[1]) {
    const t = await tempDir('ors-daemon-proxy-');
    cleanups.push(t.cleanup);
    await prepareDataDir(t.dir, bo, {
      backofficeUrl: bo.proxiedUrl,
      proxy: { mode: 'manual', host: '127.0.0.1', port: squid.port, authenticate: true, username: PROXY_USER },
      proxyPassword: password,
    });
    const d = await startDaemon(t.dir);
    try {
      const status = await waitForStatus(t.dir, until);
      const again = await fetchDaemonStatus(endpointFileOf(t.dir));
      return { status, endpointText: JSON.stringify(status) + JSON.stringify(again), dir: t.dir, daemon: d };
    } finally {
      assert.equal(await d.stop(10_000), 0);
    }
  }

  it('registers and heartbeats through the proxy and reports connected', async () => {
    const r = await run(PROXY_PASSWORD, (s) => s.connection.kind === 'connected');
    assert.equal(r.status.license?.serial, bo.serial);
    const log = await squid.accessLog();
    assert.match(log, new RegExp(`TCP_TUNNEL/200 .*${BACKOFFICE_HOST}:${bo.port} ${PROXY_USER}`));
    const daemonLog = (await readFile(path.join(r.dir, 'ors', 'daemon.log'), 'utf8')) + r.daemon.output();
    for (const secret of [PROXY_PASSWORD, bo.code]) {
      assert.equal(daemonLog.includes(secret), false, 'a secret reached the daemon log');
      assert.equal(r.endpointText.includes(secret), false, 'a secret reached the endpoint');
    }
  });

  it('reports a refused proxy password at the proxy hop', async () => {
    const wrong = 'not-the-proxy-password';
    const r = await run(wrong, (s) => s.connection.kind === 'error');
    assert.equal(r.status.connection.kind, 'error');
    if (r.status.connection.kind !== 'error') return;
    assert.equal(r.status.connection.hop, 'proxy');
    assert.equal(r.status.connection.error.code, 'proxy.auth-failed');
    assert.ok(r.status.connection.nextCheck, 'the next try is announced');
    const daemonLog = (await readFile(path.join(r.dir, 'ors', 'daemon.log'), 'utf8')) + r.daemon.output();
    assert.equal(daemonLog.includes(wrong), false);
  });
});
