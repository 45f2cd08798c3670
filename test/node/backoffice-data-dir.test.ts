import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dataDirLayout } from '../../src/backoffice/data-dir.js';
import { runOrs, tempDir } from '../support/processes.js';

const en = { ...process.env, LC_ALL: 'C' };
const de = { ...process.env, LC_ALL: 'de_DE.UTF-8' };

describe('back office signing key and database file', () => {
  it('refuses to start without its signing key, naming the file and what to do, and creates none (en, de)', async () => {
    const t = await tempDir();
    try {
      const l = dataDirLayout(t.dir);
      const r = await runOrs(['backoffice', 'serve', '--port', '0', '--data-dir', t.dir], { env: en });
      assert.equal(r.code, 2);
      assert.ok(r.stderr.includes(l.signingKey), r.stderr);
      assert.match(r.stderr, /restore this file from your backup.*ors backoffice init/s);
      assert.match(r.stderr, /\[backoffice\.signing-key\.missing\]/);
      assert.equal(existsSync(l.signingKey), false, 'no key was made up');
      const g = await runOrs(['backoffice', 'serve', '--port', '0', '--data-dir', t.dir], { env: de });
      assert.match(g.stderr, /Lizenz-Signaturschlüssel .* fehlt.*Sicherung wieder her/s);
    } finally {
      await t.cleanup();
    }
  });

  it('creates the key only with init (kept on a second init), and a lost key is not replaced by a vendor command', async () => {
    const t = await tempDir();
    try {
      const l = dataDirLayout(t.dir);
      const first = await runOrs(['backoffice', 'init', '--data-dir', t.dir], { env: en });
      assert.equal(first.code, 0, first.stderr);
      const key = await readFile(l.signingKey, 'utf8');
      const again = await runOrs(['backoffice', 'init', '--data-dir', t.dir], { env: en });
      assert.equal(again.code, 0, again.stderr);
      assert.equal(await readFile(l.signingKey, 'utf8'), key, 'init never replaces a key');
      assert.equal(/License signing key (\S+),/.exec(again.stdout)?.[1], /License signing key (\S+),/.exec(first.stdout)?.[1]);
      const org = await runOrs(['backoffice', 'org', 'add', '--data-dir', t.dir, '--id', 'ORG-1'], { env: en });
      assert.equal(org.code, 0, org.stderr);
      await rm(l.signingKey);
      const inst = await runOrs(['backoffice', 'installation', 'add', '--data-dir', t.dir, '--serial', 'S-1', '--org', 'ORG-1', '--product', 'p'], { env: en });
      assert.equal(inst.code, 2);
      assert.match(inst.stderr, /signing-key\.missing/);
      assert.equal(existsSync(l.signingKey), false);
    } finally {
      await t.cleanup();
    }
  });

  it('names a damaged database file and what to do, and leaves it as it was (en, de)', async () => {
    const t = await tempDir();
    try {
      const l = dataDirLayout(t.dir);
      assert.equal((await runOrs(['backoffice', 'init', '--data-dir', t.dir], { env: en })).code, 0);
      const garbage = Buffer.from('this is not an SQLite database, it was overwritten by something else '.repeat(100));
      await writeFile(l.database, garbage);
      const sum = createHash('sha256').update(garbage).digest('hex');
      const r = await runOrs(['backoffice', 'serve', '--port', '0', '--data-dir', t.dir], { env: en });
      assert.equal(r.code, 2);
      assert.ok(r.stderr.includes(l.database), r.stderr);
      assert.match(r.stderr, /damaged or not a database \(SQLITE_NOTADB\).*restore the file from your backup/s);
      const g = await runOrs(['backoffice', 'org', 'add', '--data-dir', t.dir, '--id', 'X'], { env: de });
      assert.match(g.stderr, /ist beschädigt oder keine Datenbank/);
      assert.equal(createHash('sha256').update(await readFile(l.database)).digest('hex'), sum, 'the file is untouched');
      assert.equal(existsSync(path.join(t.dir, 'backoffice.db-wal')) && (await readFile(path.join(t.dir, 'backoffice.db-wal'))).length > 0, false);
    } finally {
      await t.cleanup();
    }
  });
});
