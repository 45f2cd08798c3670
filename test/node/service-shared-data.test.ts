// The installed package's data folder is shared by the ORS service account and the administrators'
// group (setgid, group rwx): what any of them writes there stays usable by the others, whatever
// their umask, while the same code keeps files private to their owner everywhere else.
import assert from 'node:assert/strict';
import { chmod, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { openPluginStores } from '../../src/cli/plugin-stores.js';
import { writeFileAtomic } from '../../src/services/fs/atomic-file.js';
import { isSharedFolder, mkdirPrivate } from '../../src/services/fs/shared-modes.js';
import { tempDir } from '../support/processes.js';

const modeOf = async (p: string): Promise<number> => (await stat(p)).mode & 0o7777;

describe('a data folder shared with the administrators\' group', () => {
  it('gives the group the owner\'s rights on private files and folders inside it, whatever the umask', async () => {
    const t = await tempDir('ors-shared-');
    const shared = path.join(t.dir, 'shared');
    await mkdirPrivate(shared);
    assert.equal(await modeOf(shared), 0o700, 'outside a shared folder: the owner only');
    await chmod(shared, 0o2770);
    assert.equal(isSharedFolder(path.join(shared, 'not', 'yet', 'there')), true);
    const old = process.umask(0o077);
    try {
      const stores = await openPluginStores(shared);
      await stores.secrets.forPlugin('remote-service-licenses').set('verificationCode', 'code-1234');
      await stores.settings.update({ remoteService: { enabled: false } }, stores.settings.get().version);
      stores.settings.close();
      assert.equal(await modeOf(path.join(shared, 'secrets')), 0o2770);
      assert.equal(await modeOf(path.join(shared, 'settings')), 0o2770);
      for (const f of await Promise.all(['secrets/secrets.key', 'secrets/secrets.json', 'settings/remote-service-licenses.json', 'settings/remote-service-licenses.json.lock.db'].map((n) => path.join(shared, n)))) {
        assert.equal(await modeOf(f), 0o660, `${path.basename(f)} is the owner's and the group's, nobody else's`);
      }
      await mkdirPrivate(path.join(shared, 'a', 'b'));
      assert.equal(await modeOf(path.join(shared, 'a')), 0o2770);
      assert.equal(await modeOf(path.join(shared, 'a', 'b')), 0o2770);
      const outside = path.join(t.dir, 'private.json');
      await writeFileAtomic(outside, '{}', { mode: 0o600 });
      assert.equal(await modeOf(outside), 0o600);
    } finally {
      process.umask(old);
      await t.cleanup();
    }
  });
});
