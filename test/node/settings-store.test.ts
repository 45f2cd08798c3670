import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import { readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { filter, firstValueFrom } from 'rxjs';
import { removeStaleTempFiles } from '../../src/services/fs/atomic-file.js';
import { AuditTrail } from '../../src/services/settings/audit-trail.js';
import { SecretStore } from '../../src/services/settings/secret-store.js';
import { SettingsStore } from '../../src/services/settings/settings-store.js';
import { ROOT, tempDir } from '../support/processes.js';

const schema = {
  type: 'object',
  properties: {
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 1, maximum: 65535, default: 8080 },
  },
};

// Two writers at a time, each killed at a random instant (0–40 ms) of its write loop. 200 kills took
// 85 s on a loaded 2-core machine; 80 keep the property tested in well under half of that.
const KILLS = 80;

describe('settings store', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('ors-settings-')));
  after(() => cleanup());

  it('starts from the schema defaults at version 0 and bumps the version on each save', async () => {
    const s = await SettingsStore.open<{ host?: string; port: number }>(dir, 'a', schema);
    assert.deepEqual(s.get(), { version: 0, values: { port: 8080 } });
    const next = await s.update({ host: 'proxy.example' }, 0);
    assert.equal(next.version, 1);
    const reopened = await SettingsStore.open<{ host?: string; port: number }>(dir, 'a', schema);
    assert.deepEqual(reopened.get(), { version: 1, values: { host: 'proxy.example', port: 8080 } });
  });

  it('refuses invalid values naming the field, and keeps the previous good state', async () => {
    const s = await SettingsStore.open<{ host?: string; port: number }>(dir, 'b', schema);
    await s.update({ port: 3128 }, 0);
    await assert.rejects(s.update({ port: 70000 }, 1), { code: 'settings.invalid', field: 'port' });
    assert.equal(s.get().values.port, 3128);
    assert.equal((await SettingsStore.open<{ port: number }>(dir, 'b', schema)).get().values.port, 3128);
  });

  it('gives one of two concurrent saves based on the same version a conflict', async () => {
    const one = await SettingsStore.open<{ host?: string }>(dir, 'c', schema);
    const two = await SettingsStore.open<{ host?: string }>(dir, 'c', schema);
    const results = await Promise.allSettled([one.update({ host: 'one' }, 0), two.update({ host: 'two' }, 0)]);
    const rejected = results.filter((r) => r.status === 'rejected');
    assert.equal(rejected.length, 1);
    assert.equal((rejected[0] as PromiseRejectedResult).reason.code, 'settings.conflict');
    assert.equal((await SettingsStore.open<{ host?: string }>(dir, 'c', schema)).get().version, 1);
  });

  it('keeps the previous version beside the current one', async () => {
    const s = await SettingsStore.open<{ host?: string }>(dir, 'd', schema);
    await s.update({ host: 'first' }, 0);
    await s.update({ host: 'second' }, 1);
    const prev = JSON.parse(await readFile(path.join(dir, 'd.json.prev'), 'utf8'));
    assert.equal(prev.values.host, 'first');
  });

  it('notices a change written by another process (e.g. `ors config set`)', async () => {
    const s = await SettingsStore.open<{ host?: string }>(dir, 'e', schema);
    s.watchExternalChanges();
    const other = await SettingsStore.open<{ host?: string }>(dir, 'e', schema);
    const seen = firstValueFrom(s.changes$.pipe(filter((x) => x.values.host === 'elsewhere')));
    await other.update({ host: 'elsewhere' }, 0);
    assert.equal((await seen).version, 1);
    s.close();
  });

  it('audits who changed which setting, with old and new value', async () => {
    const audit = new AuditTrail(path.join(dir, 'audit.log'));
    const s = await SettingsStore.open<{ host?: string }>(dir, 'f', schema, audit);
    await s.update({ host: 'h1' }, 0, 'alice');
    const last = (await audit.read()).at(-1)!;
    assert.equal(last.actor, 'alice');
    assert.deepEqual(last.changes, [{ key: 'host', to: 'h1' }]);
  });

  it(`survives kill -9 at any instant of a write: ${KILLS} kills, always the old or the new version`, async () => {
    const crashDir = path.join(dir, 'crash');
    const file = path.join(crashDir, 'crash.json');
    let lastVersion = 0;
    let runs = 0;
    // Bundled once so that each writer process starts in plain node, fast.
    const writer = path.join(dir, 'settings-writer.mjs');
    await build({ entryPoints: [path.join(ROOT, 'test/fixtures/host/settings-writer.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: writer, absWorkingDir: ROOT, logLevel: 'error' });
    await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const child = async (): Promise<void> => {
      const p = spawn(process.execPath, [writer, crashDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<number | null>((r) => p.once('exit', (code) => r(code)));
      await Promise.race([new Promise<void>((resolve) => p.stdout!.once('data', () => resolve())), exited]);
      await new Promise((r) => setTimeout(r, Math.random() * 40));
      p.kill('SIGKILL');
      assert.equal(await exited, null, 'the writer ran until it was killed');
    };
    // A first version, so that "the old version" exists even if the first writers die before writing.
    const first = await SettingsStore.open(crashDir, 'crash', { type: 'object' });
    await first.update({ n: 1, pad: '' }, 0);
    first.close();
    while (runs < KILLS) {
      await Promise.all([child(), child()]);
      runs += 2;
      // The file must always parse and validate, and the version never goes back.
      const snapshot = JSON.parse(await readFile(file, 'utf8'));
      assert.equal(typeof snapshot.version, 'number');
      assert.equal(snapshot.values.n >= 1, true);
      assert.ok(snapshot.version >= lastVersion, `version went back from ${lastVersion} to ${snapshot.version}`);
      lastVersion = snapshot.version;
      const reopened = await SettingsStore.open(crashDir, 'crash', { type: 'object' });
      assert.equal(reopened.get().version, snapshot.version);
    }
    assert.ok(lastVersion > 50, `the writers made progress (${lastVersion} versions)`);
    // Temporary files of killed writers may remain: they are hidden, marked, and cleaned up.
    const leftovers = (await readdir(crashDir)).filter((n) => n.includes('.tmp-'));
    assert.deepEqual(leftovers.filter((n) => !n.startsWith('.crash.json')), []);
    assert.deepEqual((await removeStaleTempFiles(crashDir)).sort(), leftovers.sort());
    console.log(`# ${runs} kills, ${lastVersion} versions written`);
  });
});

describe('secret store', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('ors-secrets-')));
  after(() => cleanup());

  it('encrypts at rest, keeps its key in a 0600 file, and reads the value back after a restart', async () => {
    const secret = 'Very$ecret-Proxy-Pass';
    const s = await SecretStore.open(dir);
    await s.forPlugin('p').set('proxyPassword', secret);
    const raw = await readFile(path.join(dir, 'secrets.json'), 'utf8');
    assert.ok(!raw.includes(secret));
    assert.ok(!raw.includes(Buffer.from(secret).toString('base64')));
    assert.equal((await stat(path.join(dir, 'secrets.key'))).mode & 0o777, 0o600);
    assert.equal((await stat(path.join(dir, 'secrets.json'))).mode & 0o777, 0o600);
    const again = await SecretStore.open(dir);
    assert.equal(await again.forPlugin('p').get('proxyPassword'), secret);
    assert.equal(again.forPlugin('p').isSet('proxyPassword'), true);
    assert.equal(again.forPlugin('other').isSet('proxyPassword'), false);
  });

  it('refuses a ciphertext moved to another name (the name is authenticated)', async () => {
    const d = path.join(dir, 'moved');
    const s = await SecretStore.open(d);
    await s.set('p/a', 'value-a');
    const file = JSON.parse(await readFile(path.join(d, 'secrets.json'), 'utf8'));
    file.entries['p/b'] = file.entries['p/a'];
    await writeFile(path.join(d, 'secrets.json'), JSON.stringify(file));
    // The store opens (the console keeps running); the plugin whose secret was moved faults.
    const again = await SecretStore.open(d);
    assert.throws(() => again.forPlugin('p'), { code: 'secrets.corrupt' });
  });

  it('records secret changes in the audit log as "changed", never the value', async () => {
    const audit = new AuditTrail(path.join(dir, 'audit.log'));
    const s = await SecretStore.open(path.join(dir, 'audited'), audit);
    await s.set('p/code', 'Hidden-Code-123', 'bob');
    const text = await readFile(path.join(dir, 'audit.log'), 'utf8');
    assert.ok(!text.includes('Hidden-Code-123'));
    assert.deepEqual((await audit.read()).at(-1)?.changes, [{ key: 'p/code', changed: true }]);
  });
});
