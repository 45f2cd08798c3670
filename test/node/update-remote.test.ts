import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PLUGIN_ID } from '../../src/common/remote-service/model.js';
import { ORS_ACCOUNT_PASSWORD_KEY } from '../../src/common/license-server/selection.js';
import { updateRetry } from '../../src/services/ors-control/daemon-endpoint-client.js';
import { flsStatus, startFlsProcess } from '../support/license-servers.js';
import type { Started } from '../support/processes.js';
import { DEFAULT_SAMBA_USER, startSamba, type SambaServer } from '../support/samba-server.js';
import { currentArmoured, startUpdateRig, validLicenses, type UpdateRig } from '../support/update-fixture.js';

describe('automatic license update to a remote FLS through its SMB share', () => {
  let rig: UpdateRig;
  let samba: SambaServer;
  let flsA: Started & { url: string };
  let flsB: Started & { url: string };
  const user = DEFAULT_SAMBA_USER;

  /** Waits until the daemon runs with settings or secrets changed after `t` (a new connection). */
  const reconnectedAfter = (t: string) => rig.waitForStatus((s) => s.connection.kind === 'connected' && s.connection.since > t && s.update?.phase === 'waiting');

  before(async () => {
    rig = await startUpdateRig();
    const cur = await currentArmoured(rig.bo);
    samba = await startSamba({
      shares: [
        { name: 'licenses', files: { [`lic/${rig.serial}.lic`]: cur.license, 'lic/history/.keep': '' } },
        { name: 'readonly', readOnly: true, files: { [`lic/${rig.serial}.lic`]: cur.license, 'lic/history/.keep': '' } },
      ],
    });
    flsA = await startFlsProcess(path.join(samba.pathOf('licenses'), 'lic'), rig.trustDir);
    flsB = await startFlsProcess(path.join(samba.pathOf('readonly'), 'lic'), rig.trustDir);
    await rig.select({ kind: 'remote', host: '127.0.0.1', port: Number(new URL(flsA.url).port), share: '\\\\127.0.0.1\\licenses\\lic', smbPort: samba.port }, user);
    rig.flsUrl = flsA.url;
    await rig.startDaemon();
    await rig.waitForStatus((s) => s.connection.kind === 'connected' && s.update?.phase === 'waiting');
  });
  after(async () => {
    await rig?.daemon?.stop();
    await flsA?.stop();
    await flsB?.stop();
    await samba?.stop();
    await rig?.stop();
  });

  it('installs the new license into the shared folder and the remote FLS serves it', async () => {
    const before = (await rig.servedSeq())!;
    await rig.vendor(['--maintenance-until', '2032-06-30']);
    const ev = await rig.waitForEvent((e) => e.kind === 'installed' && e.seq === before + 1);
    assert.deepEqual(ev.changes.map((c) => c.kind), ['maintenance-end']);
    const served = (await flsStatus(flsA.url)).licenses[0]!;
    assert.equal(served.payload.seq, before + 1);
    assert.equal(served.payload.maintenance.end, '2032-06-30');
    const folder = path.join(samba.pathOf('licenses'), 'lic');
    assert.deepEqual((await validLicenses(folder, rig.trustDir)).map((l) => l.seq), [before + 1]);
    await rig.waitForReceipt((r) => r.licenseId === ev.licenseId && r.kind === 'copied-remote');
  });

  it('keeps the license in the license path when the share refuses the password, and [Retry] installs it once fixed', async () => {
    const secrets = rig.stores.secrets.forPlugin(PLUGIN_ID);
    const before = (await rig.servedSeq())!;
    const t0 = new Date().toISOString();
    await secrets.set(ORS_ACCOUNT_PASSWORD_KEY, 'not the password');
    await reconnectedAfter(t0);
    const users = (await flsStatus(flsA.url)).licenses[0]!.payload.users + 3;
    await rig.vendor(['--users', String(users)]);
    const ev = await rig.waitForEvent((e) => e.kind === 'manual-pending' && e.seq === before + 1);
    assert.equal(ev.target, '\\\\127.0.0.1\\licenses\\lic');
    assert.equal(ev.error?.code, 'share.logon-failure');
    assert.ok(ev.file && existsSync(ev.file), 'the license waits in the license path');
    assert.match(await readFile(ev.file, 'utf8'), /-----BEGIN/);
    assert.equal(await rig.servedSeq(), before, 'the installed license is untouched');
    await rig.waitForReceipt((r) => r.licenseId === ev.licenseId && r.kind === 'manual-pending');

    const t1 = new Date().toISOString();
    await secrets.set(ORS_ACCOUNT_PASSWORD_KEY, user.password);
    await reconnectedAfter(t1);
    assert.deepEqual(await updateRetry(rig.endpointFile, ev.licenseId), { accepted: true });
    await rig.waitForEvent((e) => e.kind === 'installed' && e.licenseId === ev.licenseId);
    assert.equal((await flsStatus(flsA.url)).licenses[0]!.payload.users, users);
    assert.equal(existsSync(ev.file), false, 'the license path is cleaned up');
    const st = await rig.waitForStatus((s) => s.update?.pending.length === 0);
    assert.deepEqual(st.update!.pending, []);
  });

  it('keeps the license in the license path when the share is read-only, the installed license untouched', async () => {
    const t0 = new Date().toISOString();
    await rig.select({ kind: 'remote', host: '127.0.0.1', port: Number(new URL(flsB.url).port), share: '\\\\127.0.0.1\\readonly\\lic', smbPort: samba.port }, user);
    await reconnectedAfter(t0);
    const original = await readFile(path.join(samba.pathOf('readonly'), 'lic', `${rig.serial}.lic`));
    const servedBefore = (await flsStatus(flsB.url)).licenses[0]!;
    await rig.vendor(['--maintenance-until', '2033-01-31']);
    const ev = await rig.waitForEvent((e) => e.kind === 'manual-pending' && e.target === '\\\\127.0.0.1\\readonly\\lic');
    assert.match(ev.error?.code ?? '', /^share\.(access-denied|read-only)/);
    assert.ok(ev.file && existsSync(ev.file));
    assert.deepEqual(await readFile(path.join(samba.pathOf('readonly'), 'lic', `${rig.serial}.lic`)), original);
    assert.equal((await flsStatus(flsB.url)).licenses[0]!.sha256, servedBefore.sha256);
    const st = await rig.waitForStatus((s) => (s.update?.pending ?? []).some((p) => p.licenseId === ev.licenseId));
    assert.equal(st.update!.pending.find((p) => p.licenseId === ev.licenseId)!.kind, 'manual-pending');
  });
});
