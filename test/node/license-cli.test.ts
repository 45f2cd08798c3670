import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, stat, writeFile, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { addDays, toCalendarDate } from '../../src/common/license/dates.js';
import { runOrs, tempDir } from '../support/processes.js';

describe('ors license (real processes)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let keyFile: string;
  let trust: string;
  const today = toCalendarDate(Date.now());
  const maintenanceEnd = addDays(today, 100);
  const env = { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-license-cli-'));
    trust = path.join(dir, 'keys');
    const r = await runOrs(['license', 'keygen', '--out', trust], { env });
    assert.equal(r.code, 0, r.stderr);
    const names = await readdir(trust);
    keyFile = path.join(trust, names.find((n) => n.endsWith('.key'))!);
    const issue = (seq: string, users: string, until: string, out: string, extra: string[] = []) =>
      runOrs(['license', 'issue', '--key', keyFile, '--serial', 'SN-77', '--org', 'SO-1', '--users', users, '--feature', 'imposition',
        '--maintenance-from', addDays(today, -200), '--maintenance-until', until, '--seq', seq, '--out', path.join(dir, out), ...extra], { env });
    const results = await Promise.all([
      issue('1', '5', maintenanceEnd, 'one.lic'),
      issue('2', '7', addDays(maintenanceEnd, 365), 'two.lic', ['--feature', 'color-proof']),
      issue('3', '3', maintenanceEnd, 'worse.lic', ['--expires', addDays(today, -60), '--grace-days', '0']),
    ]);
    for (const x of results) assert.equal(x.code, 0, x.stderr);
  });
  after(() => cleanup());

  it('keygen writes <kid>.key readable only by its owner and <kid>.pub', async () => {
    const names = (await readdir(trust)).sort();
    assert.equal(names.length, 2);
    const [key, pub] = [names.find((n) => n.endsWith('.key'))!, names.find((n) => n.endsWith('.pub'))!];
    assert.equal(key.replace(/\.key$/, ''), pub.replace(/\.pub$/, ''));
    assert.equal((await stat(path.join(trust, key))).mode & 0o777, 0o600);
    assert.match(await readFile(path.join(trust, pub), 'utf8'), /BEGIN PUBLIC KEY/);
  });

  it('verify exits 0 for a valid license and names its serial', async () => {
    const r = await runOrs(['license', 'verify', path.join(dir, 'one.lic'), '--trust', trust], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /SN-77/);
  });

  it('verify exits non-zero with the reason code for a tampered, an expired and an untrusted license', async () => {
    const text = await readFile(path.join(dir, 'one.lic'), 'utf8');
    const lines = text.split('\n');
    lines[2] = lines[2]!.slice(0, 10) + (lines[2]![10] === 'A' ? 'B' : 'A') + lines[2]!.slice(11);
    await writeFile(path.join(dir, 'tampered.lic'), lines.join('\n'));
    const tampered = await runOrs(['license', 'verify', path.join(dir, 'tampered.lic'), '--trust', trust], { env });
    assert.equal(tampered.code, 1);
    assert.match(tampered.stderr, /\[license\.(signature-invalid|malformed)\]/);
    const expired = await runOrs(['license', 'verify', path.join(dir, 'worse.lic'), '--trust', trust], { env });
    assert.equal(expired.code, 1);
    assert.match(expired.stderr, /\[license\.expired\]/);
    const other = await runOrs(['license', 'keygen', '--out', path.join(dir, 'other')], { env });
    assert.equal(other.code, 0);
    const untrusted = await runOrs(['license', 'verify', path.join(dir, 'one.lic'), '--trust', path.join(dir, 'other')], { env });
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.stderr, /\[license\.unknown-kid\]/);
  });

  it('show prints the entitlement, as JSON with --json, and in German under LANG=de', async () => {
    const json = await runOrs(['license', 'show', path.join(dir, 'one.lic'), '--trust', trust, '--json'], { env });
    assert.equal(json.code, 0, json.stderr);
    const shown = JSON.parse(json.stdout) as { payload: { serial: string; users: number; maintenance: { end: string } } };
    assert.equal(shown.payload.serial, 'SN-77');
    assert.equal(shown.payload.users, 5);
    assert.equal(shown.payload.maintenance.end, maintenanceEnd);
    const de = await runOrs(['license', 'show', path.join(dir, 'one.lic'), '--trust', trust], { env: { ...env, LANG: 'de_DE.UTF-8' } });
    assert.match(de.stdout, /unbefristet/);
  });

  it('diff describes the changes and exits 3 when the new license takes something away', async () => {
    const better = await runOrs(['license', 'diff', path.join(dir, 'one.lic'), path.join(dir, 'two.lic'), '--trust', trust], { env });
    assert.equal(better.code, 0, better.stderr);
    const day = (d: string) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.parse(`${d}T00:00:00Z`));
    assert.equal(better.stdout.trim(), `maintenance until ${day(addDays(maintenanceEnd, 365))} (was ${day(maintenanceEnd)}); 2 more users; new feature color-proof`);
    const worse = await runOrs(['license', 'diff', path.join(dir, 'one.lic'), path.join(dir, 'worse.lic'), '--trust', trust], { env });
    assert.equal(worse.code, 3);
    assert.match(worse.stdout, /2 users fewer/);
  });

  it('check-update allows releases up to the last day of maintenance and denies later ones', async () => {
    const check = (releaseDate: string) =>
      runOrs(['check-update', '--release-date', releaseDate, '--license', path.join(dir, 'one.lic'), '--trust', trust], { env });
    const [inside, boundary, afterEnd] = await Promise.all([check(today), check(maintenanceEnd), check(addDays(maintenanceEnd, 1))]);
    assert.equal(inside.code, 0, inside.stderr);
    assert.equal(boundary.code, 0, boundary.stderr);
    assert.equal(afterEnd.code, 1);
    assert.match(afterEnd.stderr, /not covered by the maintenance period.*\[license\.release-outside-maintenance\]/);
  });

  it('check-update denies every release when the license is for another serial', async () => {
    const r = await runOrs(['check-update', '--release-date', today, '--license', path.join(dir, 'one.lic'), '--trust', trust, '--serial', 'SN-1'], { env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\[license\.wrong-serial\]/);
  });
});
