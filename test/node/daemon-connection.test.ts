import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PLUGIN_ID } from '../../src/common/remote-service/model.js';
import { endpointFileOf, fetchDaemonStatus, readEndpointFile } from '../../src/services/ors-control/daemon-endpoint-client.js';
import { startBackoffice, type RunningBackoffice } from '../support/backoffice-server.js';
import { prepareDataDir, startDaemon, waitForStatus } from '../support/ors-daemon.js';
import { tempDir } from '../support/processes.js';

let bo: RunningBackoffice;
const dirs: (() => Promise<void>)[] = [];
const failedLogins = (): number => (bo.process.output().match(/failed login/g) ?? []).length;

async function dataDir(): Promise<string> {
  const t = await tempDir('ors-daemon-');
  dirs.push(t.cleanup);
  return t.dir;
}

describe('ors daemon against the reference back office', () => {
  before(async () => {
    bo = await startBackoffice();
  });
  after(async () => {
    await bo.stop();
    for (const c of dirs) await c();
  });

  it('connects when enabled and configured, reports the license the back office knows, and exits 0 on SIGTERM', async () => {
    const dir = await dataDir();
    await prepareDataDir(dir, bo);
    const d = await startDaemon(dir);
    try {
      const s = await waitForStatus(dir, (x) => x.connection.kind === 'connected');
      assert.equal(s.pid, d.child.pid);
      assert.equal(s.settingsVersion, 1);
      assert.equal(s.license?.serial, bo.serial);
      assert.equal(s.license?.users, 5);
      assert.ok(s.license?.licenseId);
      assert.equal((await stat(endpointFileOf(dir))).mode & 0o777, 0o600);
      const ep = (await readEndpointFile(endpointFileOf(dir)))!;
      const anonymous = await fetch(`${ep.url}/status`);
      assert.equal(anonymous.status, 401);
      const wrong = await fetch(`${ep.url}/status`, { headers: { Authorization: 'Bearer not-the-token' } });
      assert.equal(wrong.status, 401);
      assert.equal((await fetchDaemonStatus(endpointFileOf(dir)))?.connection.kind, 'connected');
    } finally {
      const t0 = Date.now();
      const code = await d.stop(10_000);
      assert.equal(code, 0);
      assert.ok(Date.now() - t0 < 5_000, 'exits within a few seconds');
    }
    assert.equal(existsSync(endpointFileOf(dir)), false, 'the endpoint file is removed');
    assert.match(await readFile(path.join(dir, 'ors', 'daemon.log'), 'utf8'), /"msg":"stopped"/);
  });

  it('shows the refusal of a wrong verification code with its hop, without a login storm, then reconnects when the settings change', async () => {
    const dir = await dataDir();
    const wrongCode = 'WRONG-code-7731';
    const stores = await prepareDataDir(dir, bo, { code: wrongCode });
    const before = failedLogins();
    const d = await startDaemon(dir);
    let streamed = '';
    try {
      const s = await waitForStatus(dir, (x) => x.connection.kind === 'error');
      assert.equal(s.connection.kind, 'error');
      if (s.connection.kind !== 'error') return;
      assert.equal(s.connection.error.code, 'backoffice.auth.invalid-credentials');
      assert.equal(s.connection.hop, 'login');
      streamed += JSON.stringify(s);
      // Heartbeats every second: a retry loop would log in again and again.
      await new Promise((r) => setTimeout(r, 3_000));
      assert.equal(failedLogins() - before, 1, 'exactly one login attempt with the refused code');
      await stores.secrets.forPlugin(PLUGIN_ID).set('verificationCode', bo.code);
      await stores.settings.update({ remoteService: { ...(stores.settings.get().values['remoteService'] as object), organisationId: bo.orgId } }, stores.settings.get().version);
      const ok = await waitForStatus(dir, (x) => x.connection.kind === 'connected' && x.settingsVersion === 2);
      assert.equal(ok.license?.serial, bo.serial);
      streamed += JSON.stringify(ok) + JSON.stringify(await fetchDaemonStatus(endpointFileOf(dir)));
    } finally {
      assert.equal(await d.stop(10_000), 0);
    }
    const logs = (await readFile(path.join(dir, 'ors', 'daemon.log'), 'utf8')) + d.output();
    assert.match(logs, /back office connection failed/);
    for (const secret of [wrongCode, bo.code]) {
      assert.equal(logs.includes(secret), false, 'a verification code reached the daemon log');
      assert.equal(streamed.includes(secret), false, 'a verification code reached the endpoint');
    }
  });

  it('stays disabled and never contacts the back office while Enable is off', async () => {
    const dir = await dataDir();
    await prepareDataDir(dir, bo, { enabled: false });
    const d = await startDaemon(dir);
    try {
      const s = await waitForStatus(dir, (x) => x.connection.kind === 'disabled');
      assert.equal(s.license, undefined);
      await new Promise((r) => setTimeout(r, 1_500));
      assert.doesNotMatch(d.output(), /connecting to the back office/);
    } finally {
      assert.equal(await d.stop(10_000), 0);
    }
  });

  it('reports the serial number as missing while the license server serves no license', async () => {
    const dir = await dataDir();
    await prepareDataDir(dir, bo, { license: false });
    const d = await startDaemon(dir);
    try {
      const s = await waitForStatus(dir, (x) => x.connection.kind === 'not-configured');
      assert.deepEqual(s.connection, { kind: 'not-configured', missing: ['serial'] });
    } finally {
      assert.equal(await d.stop(10_000), 0);
    }
  });
});
