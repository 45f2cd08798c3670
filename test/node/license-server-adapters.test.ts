import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import { CodedError } from '../../src/common/errors.js';
import { addDays, toCalendarDate } from '../../src/common/license/dates.js';
import { loadVerifier } from '../../src/services/license/trust.js';
import type { LicenseServer } from '../../src/services/license-server/license-server.js';
import { LicenseWorseError } from '../../src/services/license-server/license-server.js';
import { createLocalLicenseServer } from '../../src/services/license-server/local-license-server.js';
import { createRemoteLicenseServer } from '../../src/services/license-server/remote-license-server.js';
import { samplePayload } from '../support/license-fixtures.js';
import { FolderShareClient } from '../support/license-fake-share.js';
import { flsStatus, startFlsProcess, vendorOnDisk } from '../support/license-servers.js';
import { runOrs, tempDir, type Started } from '../support/processes.js';

const today = toCalendarDate(Date.now());
const lic = (o: Parameters<typeof samplePayload>[0] = {}) =>
  samplePayload({ issuedAt: '2026-01-01T00:00:00Z', notBefore: '2026-01-01T00:00:00Z', expiry: addDays(today, 365), maintenance: { start: addDays(today, -30), end: addDays(today, 300) }, ...o });

async function rejects(p: Promise<unknown>, code: string): Promise<CodedError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof CodedError, String(e));
    assert.equal(e.code, code);
    return e;
  }
  assert.fail(`expected ${code}`);
}

describe('local license server adapter (real FLS)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let fls: Started & { url: string };
  let vendor: Awaited<ReturnType<typeof vendorOnDisk>>;
  let folder: string;
  let server: LicenseServer;

  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-ls-local-'));
    vendor = await vendorOnDisk(dir);
    folder = path.join(dir, 'licenses');
    fls = await startFlsProcess(folder, vendor.trustDir);
    server = createLocalLicenseServer({ folder, flsUrl: fls.url, verifier: await loadVerifier([vendor.trustDir]), pollMs: 200 });
  });
  after(async () => {
    server?.dispose();
    await fls?.stop();
    await cleanup();
  });

  it('installs a first license and returns once the FLS serves it', async () => {
    const r = await server.install(vendor.signer.sign(lic({ seq: 1, users: 5 })));
    assert.equal(r.file, 'SN-1001.lic');
    assert.equal(r.previous, undefined);
    assert.equal((await flsStatus(fls.url)).licenses[0]?.payload.users, 5);
  });

  it('publishes what the server serves on status$', async () => {
    const s = await firstValueFrom(server.status$.pipe(filter((x) => x.kind === 'reachable')));
    assert.equal(s.kind === 'reachable' && s.fls.licenses[0]?.payload.serial, 'SN-1001');
  });

  it('keeps the previous license in history/ when a better one is installed', async () => {
    const before = await readFile(path.join(folder, 'SN-1001.lic'));
    const r = await server.install(vendor.signer.sign(lic({ seq: 2, users: 7, licenseId: 'L2' })));
    assert.deepEqual(r.changes.map((c) => c.kind), ['users']);
    assert.ok(r.previous?.startsWith(path.join(folder, 'history')));
    assert.deepEqual(await readFile(r.previous!), before);
    assert.equal((await flsStatus(fls.url)).licenses[0]?.payload.seq, 2);
  });

  it('refuses a worse license unless confirmed, and keeps the installed license', async () => {
    const worse = vendor.signer.sign(lic({ seq: 3, users: 2, licenseId: 'L3', features: [] }));
    const installedBytes = await readFile(path.join(folder, 'SN-1001.lic'));
    const e = await rejects(server.install(worse), 'license.worse');
    assert.ok(e instanceof LicenseWorseError);
    assert.deepEqual(e.losses.map((c) => c.kind).sort(), ['feature-removed', 'users']);
    assert.deepEqual(await readFile(path.join(folder, 'SN-1001.lic')), installedBytes);
    assert.equal((await flsStatus(fls.url)).licenses[0]?.payload.seq, 2);
    const r = await server.install(worse, { confirmWorse: true });
    assert.equal((await flsStatus(fls.url)).licenses[0]?.payload.users, 2);
    assert.ok(r.previous);
  });

  it('refuses tampered, older, other-serial and expired licenses without touching the folder', async () => {
    const names = (await readdir(folder)).sort();
    const good = vendor.signer.sign(lic({ seq: 9 }));
    const tampered = good.replace(/\n(.)/, (_m, c: string) => `\n${c === 'A' ? 'B' : 'A'}`);
    const t = await server.install(tampered).then(() => undefined, (x: unknown) => x);
    assert.ok(t instanceof CodedError);
    assert.match(t.code, /^license\.(signature-invalid|malformed)$/);
    await rejects(server.install(vendor.signer.sign(lic({ seq: 1 }))), 'license.not-newer');
    await rejects(server.install(good, { serial: 'SN-OTHER' }), 'license.wrong-serial');
    await rejects(server.install(vendor.signer.sign(lic({ seq: 10, expiry: addDays(today, -90), graceDays: 0 }))), 'license.expired');
    assert.deepEqual((await readdir(folder)).sort(), names);
  });

  it('ors license install refuses a worse license (exit 3, in German) and installs it with --confirm', async () => {
    const file = path.join(dir, 'fewer-users.lic');
    await writeFile(file, vendor.signer.sign(lic({ seq: 11, users: 1, licenseId: 'L11', features: [] })));
    const args = ['license', 'install', file, '--folder', folder, '--fls', fls.url, '--trust', vendor.trustDir];
    const env = { ...process.env, LANG: 'de_DE.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
    const refused = await runOrs(args, { env });
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /ein Benutzer weniger.*nur nach Bestätigung.*\[license\.worse\]/);
    assert.equal((await flsStatus(fls.url)).licenses[0]?.payload.seq, 3);
    const confirmed = await runOrs([...args, '--confirm'], { env });
    assert.equal(confirmed.code, 0, confirmed.stderr);
    assert.equal((await flsStatus(fls.url)).licenses[0]?.payload.seq, 11);
  });

  it('refuses a license for another serial number, naming both, with the installed license untouched (SPEC §4)', async () => {
    const names = (await readdir(folder)).sort();
    const installed = await readFile(path.join(folder, 'SN-1001.lic'));
    const other = vendor.signer.sign(lic({ serial: 'SN-2002', licenseId: 'L-2002', seq: 1 }));
    const e = await rejects(server.install(other), 'license.other-installation');
    assert.deepEqual(e.params, { serial: 'SN-2002', installed: 'SN-1001' });
    assert.deepEqual((await readdir(folder)).sort(), names);
    assert.deepEqual(await readFile(path.join(folder, 'SN-1001.lic')), installed);
    assert.deepEqual((await flsStatus(fls.url)).licenses.map((l) => l.payload.serial), ['SN-1001']);
    // The command line too, in the user's language, without touching anything.
    const file = path.join(dir, 'other-serial.lic');
    await writeFile(file, other);
    const args = ['license', 'install', file, '--folder', folder, '--fls', fls.url, '--trust', vendor.trustDir];
    const refused = await runOrs(args, { env: { ...process.env, LANG: 'de_DE.UTF-8', LC_ALL: '', LC_MESSAGES: '' } });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /gilt für die Seriennummer SN-2002, der Lizenzserver stellt aber die Installation mit der Seriennummer SN-1001 bereit.*\[license\.other-installation\]/s);
    assert.deepEqual((await readdir(folder)).sort(), names);
  });

  it('replaces this installation\'s license only when asked to, keeping the replaced one in history/', async () => {
    const installed = await readFile(path.join(folder, 'SN-1001.lic'));
    const r = await server.install(vendor.signer.sign(lic({ serial: 'SN-2002', licenseId: 'L-2002', seq: 1 })), { replaceInstallation: true });
    assert.equal(r.file, 'SN-2002.lic');
    assert.deepEqual(r.replaced?.map((x) => x.serial), ['SN-1001']);
    assert.deepEqual(await readFile(r.replaced![0]!.kept), installed);
    assert.ok(!(await readdir(folder)).includes('SN-1001.lic'));
    assert.deepEqual((await flsStatus(fls.url)).licenses.map((l) => l.payload.serial), ['SN-2002']);
  });
});

describe('license server serial binding: the first license and expired ones (real FLS)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let fls: Started & { url: string };
  let vendor: Awaited<ReturnType<typeof vendorOnDisk>>;
  let folder: string;
  let server: LicenseServer;

  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-ls-binding-'));
    vendor = await vendorOnDisk(dir);
    folder = path.join(dir, 'licenses');
    fls = await startFlsProcess(folder, vendor.trustDir);
    server = createLocalLicenseServer({ folder, flsUrl: fls.url, verifier: await loadVerifier([vendor.trustDir]), pollMs: 200 });
  });
  after(async () => {
    server?.dispose();
    await fls?.stop();
    await cleanup();
  });

  it('takes any serial as the first license of an empty server, and an expired license still names the installation', async () => {
    await writeFile(path.join(folder, 'SN-3003.lic'), vendor.signer.sign(lic({ serial: 'SN-3003', licenseId: 'L-3003', expiry: addDays(today, -90), graceDays: 0 })));
    // The folder holds only an expired license: still this installation's.
    const e = await rejects(server.install(vendor.signer.sign(lic({ serial: 'SN-4004', licenseId: 'L-4004' }))), 'license.other-installation');
    assert.deepEqual(e.params, { serial: 'SN-4004', installed: 'SN-3003' });
    const r = await server.install(vendor.signer.sign(lic({ serial: 'SN-3003', licenseId: 'L-3003b', seq: 2 })));
    assert.equal(r.file, 'SN-3003.lic');
  });
});

describe('remote license server adapter (ShareClient onto a folder a real FLS watches)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let fls: Started & { url: string };
  let vendor: Awaited<ReturnType<typeof vendorOnDisk>>;

  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-ls-remote-'));
    vendor = await vendorOnDisk(dir);
    fls = await startFlsProcess(path.join(dir, 'shares', 'licenses', 'fls'), vendor.trustDir);
  });
  after(async () => {
    await fls?.stop();
    await cleanup();
  });

  it('installs through the share, keeps the previous in history/ and confirms through the FLS', async () => {
    const share = new FolderShareClient(path.join(dir, 'shares'));
    const server = createRemoteLicenseServer({
      shareClient: share,
      location: { host: '127.0.0.1', share: 'licenses', folder: 'fls' },
      credentials: { username: 'ors', password: 'not-logged' },
      flsUrl: fls.url,
      verifier: await loadVerifier([vendor.trustDir]),
    });
    await server.install(vendor.signer.sign(lic({ seq: 1 })));
    const r = await server.install(vendor.signer.sign(lic({ seq: 2, maintenance: { start: addDays(today, -30), end: addDays(today, 700) } })));
    assert.match(r.previous ?? '', /^\\\\127\.0\.0\.1\\licenses\\fls\\history\\SN-1001\.seq1\./);
    assert.deepEqual(r.changes.map((c) => c.kind), ['maintenance-end']);
    assert.equal((await flsStatus(fls.url)).licenses[0]?.payload.seq, 2);
    assert.ok(share.calls.includes('install fls/SN-1001.lic'));
    assert.ok(share.calls.some((c) => c.startsWith('install fls/history/')));
    // Another serial: refused; replaced on request, through the share (kept in history/, then removed).
    const other = vendor.signer.sign(lic({ serial: 'SN-2002', licenseId: 'L-2002', seq: 1 }));
    await rejects(server.install(other), 'license.other-installation');
    const replaced = await server.install(other, { replaceInstallation: true });
    assert.match(replaced.replaced?.[0]?.kept ?? '', /^\\\\127\.0\.0\.1\\licenses\\fls\\history\\SN-1001\.lic\.replaced\./);
    assert.ok(share.calls.includes('remove SN-1001.lic'));
    assert.deepEqual((await flsStatus(fls.url)).licenses.map((l) => l.payload.serial), ['SN-2002']);
  });
});
