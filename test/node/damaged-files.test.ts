// Regression tests for finding 6 of issue 11: full disk, read-only data folder, damaged or
// schema-invalid settings, and `ors … | head` — each a clear, translated error naming the file or
// folder and what to do, with nothing overwritten.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { messages } from '../../src/common/messages/index.js';
import type { CodedError } from '../../src/common/errors.js';
import { SettingsStore } from '../../src/services/settings/settings-store.js';
import { ROOT, run, tempDir } from '../support/processes.js';

const schema = { type: 'object', properties: { port: { type: 'integer' }, pad: { type: 'string' } } };
const both = (e: CodedError): { en: string; de: string } => ({ en: messages.formatError('en', e), de: messages.formatError('de', e) });

describe('damaged files and hostile file systems (finding 6)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('ors-damaged-')));
  after(() => cleanup());

  it('a corrupt settings file gives an error naming the file and its .prev, and is left as it is', async () => {
    const d = path.join(dir, 'corrupt');
    await mkdir(d);
    const file = path.join(d, 'p.json');
    await writeFile(file, '{"version": 3, "values": {"port": 31');
    await assert.rejects(SettingsStore.open(d, 'p', schema), (e: CodedError) => {
      assert.equal(e.code, 'settings.corrupt');
      const t = both(e);
      assert.ok(t.en.includes(file) && t.en.includes(`${file}.prev`), t.en);
      assert.ok(t.de.includes(file) && t.de.includes(`${file}.prev`), t.de);
      return true;
    });
    assert.equal(await readFile(file, 'utf8'), '{"version": 3, "values": {"port": 31');
  });

  it('settings that break their schema are not loaded silently', async () => {
    const d = path.join(dir, 'invalid');
    await mkdir(d);
    await writeFile(path.join(d, 'p.json'), JSON.stringify({ version: 2, values: { port: 'eighty' } }));
    await assert.rejects(SettingsStore.open(d, 'p', schema), (e: CodedError) => {
      assert.equal(e.code, 'settings.invalid-file');
      assert.equal(e.params['field'], 'port');
      assert.ok(both(e).en.includes(path.join(d, 'p.json')));
      return true;
    });
  });

  it('a full disk: the write is refused naming the file and "free space", and the previous version stays', async () => {
    const mnt = path.join(dir, 'full');
    await mkdir(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=128k', 'tmpfs', mnt]);
    try {
      const s = await SettingsStore.open(mnt, 'p', schema);
      const first = await s.update({ port: 1 }, 0);
      await assert.rejects(s.update({ pad: 'x'.repeat(512 * 1024) }, first.version), (e: CodedError) => {
        assert.equal(e.code, 'io.disk-full');
        assert.equal(e.params['path'], path.join(mnt, 'p.json'));
        assert.match(both(e).en, /Free disk space/);
        assert.match(both(e).de, /Speicherplatz frei/);
        return true;
      });
      s.close();
      assert.equal((await SettingsStore.open(mnt, 'p', schema)).get().values['port'], 1);
    } finally {
      execFileSync('umount', ['-l', mnt]);
    }
  });

  it('the console does not start on a read-only data folder: it says which folder and what to do', async () => {
    const mnt = path.join(dir, 'ro');
    await mkdir(mnt);
    // A private mount namespace: the read-only mount exists only for this one command.
    const r = await run('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o ro,size=64k tmpfs "$1" && exec "$2" "$3" console --port 0 --data-dir "$1"`, 'sh', mnt, process.execPath, path.join(ROOT, 'bin/ors.js')], {
      env: { ...process.env, LC_ALL: 'de_DE.UTF-8' },
      timeoutMs: 30_000,
    });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /Console:/);
    assert.match(r.stderr, new RegExp(`${mnt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} kann nicht geschrieben werden .*--data-dir.*\\[io\\.not-writable\\]`));
  });

  it('`ors config get | true` (the reader goes away) ends quietly, without an EPIPE stack trace', async () => {
    const r = await run('bash', ['-c', `"$1" --import tsx "$2" config get --data-dir "$3" | true`, 'bash', process.execPath, path.join(ROOT, 'src/cli/main.ts'), path.join(dir, 'epipe')], { cwd: ROOT });
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stderr, /EPIPE|Error|at /);
  });
});
