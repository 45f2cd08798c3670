import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { flsStatus } from '../support/license-servers.js';
import Database from 'better-sqlite3';
import { updateCheckNow, updateConfirm } from '../../src/services/ors-control/daemon-endpoint-client.js';
import { currentArmoured, folderState, startUpdateRig, validLicenses, type UpdateRig } from '../support/update-fixture.js';

describe('automatic license update to a local FLS', () => {
  let rig: UpdateRig;
  before(async () => {
    rig = await startUpdateRig();
    await rig.startDaemon();
    await rig.waitForStatus((s) => s.connection.kind === 'connected' && s.update?.phase === 'waiting');
  });
  after(async () => rig?.stop());

  it('installs a license with extended maintenance, the FLS serves it, and announces the change', async () => {
    const before = (await rig.servedSeq())!;
    await rig.vendor(['--maintenance-until', '2031-12-31']);
    const ev = await rig.waitForEvent((e) => e.kind === 'installed' && e.seq === before + 1);
    assert.deepEqual(ev.changes.map((c) => c.kind), ['maintenance-end']);
    assert.equal(await rig.servedSeq(), before + 1);
    const served = (await flsStatus(rig.flsUrl)).licenses[0]!;
    assert.equal(served.payload.maintenance.end, '2031-12-31');
    assert.equal(served.payload.licenseId, ev.licenseId);
  });

  it('installs a license with a new feature and more users, keeps the previous one in history/', async () => {
    const before = (await rig.servedSeq())!;
    const users = (await flsStatus(rig.flsUrl)).licenses[0]!.payload.users + 5;
    await rig.vendor(['--feature', 'analytics', '--users', String(users)]);
    const ev = await rig.waitForEvent((e) => e.kind === 'installed' && e.seq === before + 1);
    assert.ok(ev.changes.some((c) => c.kind === 'feature-added' && c.id === 'analytics'));
    assert.ok(ev.changes.some((c) => c.kind === 'users' && c.to === users && !c.worse));
    const fls = (await flsStatus(rig.flsUrl)).licenses[0]!;
    assert.equal(fls.payload.users, users);
    const { names, temps } = await folderState(rig.folder);
    assert.deepEqual(names, [`${rig.serial}.lic`, 'history']);
    assert.deepEqual(temps, []);
    assert.ok((await readdir(path.join(rig.folder, 'history'))).some((n) => n.startsWith(`${rig.serial}.seq${before}.`)));
    assert.deepEqual((await validLicenses(rig.folder, rig.trustDir)).map((l) => l.seq), [before + 1]);
    // The receipt follows the announcement (journal first, then the outbox): wait for it, do not race it.
    await rig.waitForReceipt((r) => r.licenseId === ev.licenseId && r.kind === 'installed');
  });

  it('holds a license with fewer users for confirmation and installs it once confirmed', async () => {
    const before = (await rig.servedSeq())!;
    const users = (await flsStatus(rig.flsUrl)).licenses[0]!.payload.users;
    await rig.vendor(['--users', String(users - 2)]);
    const ev = await rig.waitForEvent((e) => e.kind === 'awaiting-confirmation' && e.seq === before + 1);
    assert.deepEqual(ev.changes, [{ kind: 'users', from: users, to: users - 2, worse: true }]);
    const s = await rig.waitForStatus((st) => (st.update?.pending ?? []).some((p) => p.licenseId === ev.licenseId));
    assert.ok(s.update!.pending[0]!.file);
    assert.equal(await rig.servedSeq(), before, 'the FLS still serves the installed license');
    assert.deepEqual(await updateConfirm(rig.endpointFile, ev.licenseId), { accepted: true });
    await rig.waitForEvent((e) => e.kind === 'installed' && e.licenseId === ev.licenseId);
    assert.equal((await flsStatus(rig.flsUrl)).licenses[0]!.payload.users, users - 2);
    const after = await rig.waitForStatus((st) => st.update?.pending.length === 0);
    assert.equal(after.update!.pending.length, 0);
    assert.equal((await updateConfirm(rig.endpointFile, ev.licenseId)).accepted, false, 'a second confirmation is refused');
  });

  it('asks the back office at once on [Check now] instead of waiting out the long-poll', async () => {
    const first = await rig.waitForStatus((st) => st.update?.phase === 'waiting' && st.update.lastCheck !== undefined);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await updateCheckNow(rig.endpointFile), { accepted: true });
    // The long-poll holds 20 s here; a new check within 3 s can only come from the action.
    const s = await rig.waitForStatus((st) => (st.update?.lastCheck ?? '') > first.update!.lastCheck!, 3_000);
    assert.equal(s.connection.kind, 'connected');
  });

  it('rejects a tampered license from the back office and reports it, the installed license untouched', async () => {
    const installed = (await flsStatus(rig.flsUrl)).licenses[0]!;
    const cur = await currentArmoured(rig.bo);
    const lines = cur.license.split('\n');
    const i = Math.floor(lines.length / 2);
    const line = lines[i]!;
    const j = Math.floor(line.length / 2);
    lines[i] = line.slice(0, j) + (line[j] === 'A' ? 'B' : 'A') + line.slice(j + 1);
    const db = new Database(path.join(rig.bo.dataDir, 'backoffice.db'));
    try {
      const row = db.prepare('SELECT * FROM licenses WHERE license_id = ?').get(cur.licenseId) as Record<string, unknown>;
      db.prepare('INSERT INTO licenses (license_id, serial, seq, kid, issued_at, armoured) VALUES (?, ?, ?, ?, ?, ?)').run(
        `${cur.licenseId}-tampered`, row['serial'], cur.seq + 1, row['kid'], row['issued_at'], lines.join('\n'),
      );
    } finally {
      db.close();
    }
    const ev = await rig.waitForEvent((e) => e.kind === 'rejected' && e.licenseId === `${cur.licenseId}-tampered`);
    assert.match(ev.error?.code ?? '', /^license\./);
    const now = (await flsStatus(rig.flsUrl)).licenses[0]!;
    assert.equal(now.sha256, installed.sha256);
    assert.deepEqual((await validLicenses(rig.folder, rig.trustDir)).map((l) => l.seq), [installed.payload.seq]);
    const receipt = await rig.waitForReceipt((r) => r.licenseId === ev.licenseId && r.kind === 'failed');
    assert.equal(receipt.reason, ev.error?.code);
  });

  it('stops when the back office refuses the credentials, until the settings change', async () => {
    await rig.stores.secrets.forPlugin('remote-service-licenses').set('verificationCode', 'wrong-code-000000');
    const s = await rig.waitForStatus((st) => st.update?.phase === 'stopped', 20_000);
    assert.equal(s.update!.stoppedBy?.code, 'backoffice.auth.invalid-credentials');
    await rig.stores.secrets.forPlugin('remote-service-licenses').set('verificationCode', rig.bo.code);
    const again = await rig.waitForStatus((st) => st.update?.phase === 'waiting' && st.connection.kind === 'connected', 20_000);
    assert.equal(again.update!.stoppedBy, undefined);
  });
});
