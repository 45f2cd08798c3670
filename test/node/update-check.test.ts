import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadVerifier } from '../../src/services/license/trust.js';
import { startBackoffice, type RunningBackoffice } from '../support/backoffice-server.js';
import { prepareDataDir } from '../support/ors-daemon.js';
import { freePort, runOrs, tempDir } from '../support/processes.js';
import type { PluginStores } from '../../src/cli/plugin-stores.js';

describe('ors check-update (SPEC F6)', () => {
  let bo: RunningBackoffice;
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let stores: PluginStores;
  let licenseFile: string;
  let trustDir: string;
  let maintenanceEnd: string;

  before(async () => {
    bo = await startBackoffice();
    tmp = await tempDir('ors-check-update-');
    stores = await prepareDataDir(tmp.dir, bo);
    licenseFile = path.join(stores.pluginDir, 'licenses', `${bo.serial}.lic`);
    trustDir = path.join(stores.pluginDir, 'trust');
    maintenanceEnd = (await loadVerifier([trustDir])).verify(await readFile(licenseFile)).payload.maintenance.end;
  });
  after(async () => {
    stores?.settings.close();
    await bo?.stop();
    await tmp?.cleanup();
  });

  const check = (date: string) =>
    runOrs(['check-update', '--release-date', date, '--license', licenseFile, '--trust', trustDir, '--data-dir', tmp.dir, '--online-timeout', '5'], { env: { ...process.env, LC_ALL: 'C' } });

  it('asks the back office when it is reachable and says so', async () => {
    const r = await check(new Date().toISOString().slice(0, 10));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Answered by the back office \(https:\/\/127\.0\.0\.1:\d+\)/);
    assert.match(r.stdout, /may be installed/);
  });

  it('denies a release after the maintenance end, answered by the back office', async () => {
    const after = new Date(Date.parse(maintenanceEnd) + 86_400_000 * 2).toISOString().slice(0, 10);
    const r = await check(after);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Answered by the back office/);
    assert.match(r.stderr, /maintenance ended before the release date/);
  });

  it('falls back to the installed license when the back office cannot be reached, and says why', async () => {
    const rs = stores.settings.get().values['remoteService'] as Record<string, unknown>;
    await stores.settings.update({ remoteService: { ...rs, backofficeUrl: `https://127.0.0.1:${await freePort()}` } }, stores.settings.get().version);
    const r = await check(new Date().toISOString().slice(0, 10));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Answered from the installed license .*\.lic \(the back office was not asked: /);
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(bo.code));
  });
});
