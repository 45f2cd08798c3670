import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitForStatus as waitForFls } from '../support/license-servers.js';
import { folderState, startUpdateRig, validLicenses, type UpdateRig } from '../support/update-fixture.js';
import { safeName, type JournalEntry } from '../../src/daemon/update/update-journal.js';

// Five runs per aimed step (download, verify, install, receipt) and five at a random instant: 50 runs
// took over 100 s of the suite on a loaded 2-core machine, each restarting the ORS service.
const RUNS = 25;
// Each step pauses this long, so random kills land in every step (download, verify, write, rename, receipt).
const STEP_ENV = { ORS_UPDATE_STEP_DELAY_MS: '15' };

/** Where the update of one license stood, from its journal entry (read after the kill: what the dead process left). */
type Step = 'download' | 'verify' | 'install' | 'receipt' | 'done';
const STEPS: readonly Step[] = ['download', 'verify', 'install', 'receipt'];
async function stepOf(dataDir: string, licenseId: string): Promise<Step> {
  const text = await readFile(path.join(dataDir, 'ors', 'update', `${safeName(licenseId)}.json`), 'utf8').catch(() => undefined);
  if (text === undefined) return 'download';
  let e: JournalEntry;
  try {
    e = JSON.parse(text) as JournalEntry;
  } catch {
    return 'download';
  }
  if (e.step === 'downloaded' || e.step === 'confirmed') return 'verify';
  if (e.step === 'installing') return 'install';
  return e.receipt && !e.receipt.sent ? 'receipt' : 'done';
}

describe('automatic license update after kill -9 of the ORS service', () => {
  let rig: UpdateRig;
  before(async () => {
    rig = await startUpdateRig();
    await rig.startDaemon(STEP_ENV);
    await rig.waitForStatus((s) => s.update?.phase === 'waiting' && s.connection.kind === 'connected');
  });
  after(async () => rig?.stop());

  it(`leaves exactly one valid current license and no temporary files, and serves the newest, over ${RUNS} kills`, async (t) => {
    const base = (await validLicenses(rig.folder, rig.trustDir))[0]!;
    let users = 100;
    let newest = base.seq;
    let newestId = '';
    const killedIn = { before: 0, after: 0 };
    const killedAt: Record<Step, number> = { download: 0, verify: 0, install: 0, receipt: 0, done: 0 };
    for (let run = 0; run < RUNS; run++) {
      const issued = await rig.setUsers(++users);
      newest = issued.seq;
      newestId = issued.licenseId;
      // Each run aims at one step (in turn) and kills as soon as the journal shows it; a random run
      // in between kills at a random instant.
      const aim = run % 5 === 4 ? undefined : STEPS[run % 5]!;
      if (aim === undefined) await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 160)));
      else {
        const deadline = Date.now() + 5_000;
        while (STEPS.indexOf(await stepOf(rig.dataDir, newestId)) < STEPS.indexOf(aim) && (await stepOf(rig.dataDir, newestId)) !== 'done' && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 1));
        }
      }
      const child = rig.daemon!.child;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      killedAt[await stepOf(rig.dataDir, newestId)]++;
      // Killed at any instant: whatever is in the folder is a whole, valid license.
      const atKill = await validLicenses(rig.folder, rig.trustDir);
      const names = (await readdir(rig.folder)).filter((n) => !n.startsWith('.') && n !== 'history');
      assert.equal(atKill.length, names.length, `run ${run}: a license file that does not verify: ${names.join(', ')}`);
      killedIn[atKill[0]!.seq === newest ? 'after' : 'before']++;

      await rig.startDaemon(STEP_ENV);
      await waitForFls(rig.flsUrl, (s) => s.licenses[0]?.payload.seq === newest, 15_000);
      const st = await folderState(rig.folder);
      assert.deepEqual(st.temps, [], `run ${run}: temporary files left`);
      assert.deepEqual(st.names, [`${rig.serial}.lic`, 'history'], `run ${run}`);
      assert.deepEqual((await validLicenses(rig.folder, rig.trustDir)).map((l) => l.seq), [newest], `run ${run}`);
    }
    // The journal and the license path carry no temporary files either, and nothing waits.
    const s = await rig.waitForStatus((x) => x.update?.phase === 'waiting');
    assert.deepEqual(s.update!.pending, []);
    for (const dir of [path.join(rig.dataDir, 'ors', 'update'), path.join(rig.dataDir, 'license-path')]) {
      assert.deepEqual((await readdir(dir)).filter((n) => n.includes('.tmp-')), [], dir);
    }
    // Every installed license got its receipt (the newest one last).
    await rig.waitForReceipt((r) => r.kind === 'installed' && r.licenseId === newestId);
    t.diagnostic(`kills before the new license was in place: ${killedIn.before}, after: ${killedIn.after}; by step: ${JSON.stringify(killedAt)}`);
    // The kills landed in every step of the update, not only somewhere (the point of this test).
    for (const step of STEPS) assert.ok(killedAt[step] > 0, `no kill landed in the ${step} step: ${JSON.stringify(killedAt)}`);
  });
});
