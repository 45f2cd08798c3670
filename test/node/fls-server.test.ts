import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../../src/services/fs/atomic-file.js';
import { addDays, toCalendarDate } from '../../src/common/license/dates.js';
import { samplePayload } from '../support/license-fixtures.js';
import { flsPost, flsStatus, startFlsProcess, vendorOnDisk, waitForStatus } from '../support/license-servers.js';
import { tempDir, type Started } from '../support/processes.js';
import type { LicensesStatus } from '../../src/common/license-server/licenses-api.js';
import { attentionOf } from '../../src/plugin/licenses/licenses-contribution.js';

const today = toCalendarDate(Date.now());
const current = (o: Parameters<typeof samplePayload>[0] = {}) =>
  samplePayload({ issuedAt: '2026-01-01T00:00:00Z', notBefore: '2026-01-01T00:00:00Z', expiry: addDays(today, 365), maintenance: { start: addDays(today, -30), end: addDays(today, 300) }, ...o });

describe('reference FLS (real process)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let fls: Started & { url: string };
  let vendor: Awaited<ReturnType<typeof vendorOnDisk>>;
  let folder: string;

  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-fls-'));
    vendor = await vendorOnDisk(dir);
    folder = path.join(dir, 'licenses');
    fls = await startFlsProcess(folder, vendor.trustDir, ['--heartbeat-timeout', '1']);
  });
  after(async () => {
    const code = await fls?.stop();
    assert.equal(code, 0, 'the FLS exits cleanly on SIGTERM');
    await cleanup();
  });

  it('serves a license installed by atomic rename within the 2 s deadline', async () => {
    await writeFileAtomic(path.join(folder, 'sn-1001.lic'), vendor.signer.sign(current({ users: 2 })));
    const ms = await waitForStatus(fls.url, (s) => s.licenses.some((l) => l.payload.serial === 'SN-1001'), 2000);
    assert.ok(ms < 2000);
  });

  it('serves the replacement with the higher seq when a file is replaced', async () => {
    await writeFileAtomic(path.join(folder, 'sn-1001-v2.lic'), vendor.signer.sign(current({ seq: 2, users: 2, licenseId: 'L2' })));
    await waitForStatus(fls.url, (s) => s.licenses.find((l) => l.payload.serial === 'SN-1001')?.payload.seq === 2, 2000);
  });

  it('ignores an invalid file, reports why, and keeps serving the valid license', async () => {
    await writeFile(path.join(folder, 'garbage.lic'), 'not a license');
    await writeFileAtomic(path.join(folder, 'other-serial-expired.lic'), vendor.signer.sign(current({ serial: 'SN-2', expiry: addDays(today, -100), graceDays: 0 })));
    await writeFile(path.join(folder, '.half.lic.tmp-abc123'), '-----BEGIN ORS LICENSE-----\neyJ2');
    await waitForStatus(fls.url, (s) => s.problems.length === 2);
    const s = await flsStatus(fls.url);
    assert.deepEqual(Object.fromEntries(s.problems.map((p) => [p.file, p.error.code])), {
      'garbage.lic': 'license.malformed',
      'other-serial-expired.lic': 'license.expired',
    });
    assert.deepEqual(s.licenses.map((l) => [l.payload.serial, l.payload.seq]), [['SN-1001', 2]]);
    // The console turns the expired file into a notice (banner, badge, at start), not only "no license".
    const status: LicensesStatus = { selection: 'local', server: { kind: 'reachable' } as LicensesStatus['server'], licenses: [], problems: s.problems };
    assert.deepEqual(
      attentionOf(status).map((a) => [a.severity, a.notice, a.message]),
      [['error', true, { code: 'licenses.warn.expired-file', params: { file: 'other-serial-expired.lic', expiry: addDays(today, -100) } }]],
    );
  });

  it('hands out no more seats than the license has users', async () => {
    const a = await flsPost(fls.url, '/seats/checkout', { serial: 'SN-1001', client: 'ws-1' });
    const b = await flsPost(fls.url, '/seats/checkout', { client: 'ws-2' });
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    const c = await flsPost(fls.url, '/seats/checkout', { serial: 'SN-1001', client: 'ws-3' });
    assert.equal(c.status, 409);
    assert.equal(c.body['code'], 'fls.no-seat-free');
    assert.equal((await flsStatus(fls.url)).licenses[0]!.seatsInUse, 2);
    assert.equal((await flsPost(fls.url, '/seats/release', { seatId: a.body['seatId'] })).status, 200);
    assert.equal((await flsPost(fls.url, '/seats/checkout', { serial: 'SN-1001', client: 'ws-3' })).status, 200);
  });

  it('reclaims seats whose holders miss their heartbeats, and keeps those that send them', async () => {
    // Seats from the previous test are reclaimed after the 1 s heartbeat timeout.
    await waitForStatus(fls.url, (s) => s.licenses[0]!.seatsInUse === 0, 3000);
    const kept = await flsPost(fls.url, '/seats/checkout', { serial: 'SN-1001', client: 'alive' });
    const lost = await flsPost(fls.url, '/seats/checkout', { serial: 'SN-1001', client: 'crashed' });
    assert.equal(lost.status, 200);
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 400));
      assert.equal((await flsPost(fls.url, '/seats/heartbeat', { seatId: kept.body['seatId'] })).status, 200);
    }
    const gone = await flsPost(fls.url, '/seats/heartbeat', { seatId: lost.body['seatId'] });
    assert.equal(gone.status, 404);
    assert.equal(gone.body['code'], 'fls.unknown-seat');
    assert.equal((await flsStatus(fls.url)).licenses[0]!.seatsInUse, 1);
  });

  it('answers a malformed request with a coded 400', async () => {
    const r = await flsPost(fls.url, '/seats/checkout', { serial: 'SN-1001' });
    assert.equal(r.status, 400);
    assert.equal(r.body['code'], 'fls.bad-request');
  });
});
