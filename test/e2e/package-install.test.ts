// The product installed as a site would: `npm run package` builds the .deb (and the Windows zip) in
// this run, `dpkg -i` installs it as root into the real filesystem, an upgrade from a package of a
// lower version keeps the data, `dpkg -r` keeps it and `dpkg -P` removes it. No systemd runs here,
// so the test plays the service manager: it starts the installed unit's own ExecStart line as its
// User=, with its groups, umask and a journal stream, and no console running; then it stops it with
// the unit's KillSignal. The package is purged whatever happens.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync, fstatSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildPackages, LAYOUT, OPT, PACKAGE_NAME, type PackageResult } from '../../scripts/package.js';
import type { OrsStatus } from '../../src/common/remote-service/model.js';
import { apiRequest, login, startBackoffice, type RunningBackoffice } from '../support/backoffice-server.js';
import { launchChromium } from '../support/browser.js';
import { flsStatus } from '../support/license-servers.js';
import { waitForStatus } from '../support/ors-daemon.js';
import { freePort, run, runOrs, startProcess, tempDir, type Started } from '../support/processes.js';

const ORS = '/usr/bin/ors';
const DATA = LAYOUT.dataDir;
const PLUGIN_DIR = path.join(DATA, 'plugins', 'remote-service-licenses');
const LICENSES = path.join(PLUGIN_DIR, 'licenses');
const TRUST = path.join(PLUGIN_DIR, 'trust');
/** Left in the data folder while this test's package is installed: only such an install is purged at the start. */
const MARKER = path.join(DATA, '.installed-by-package-test');
const ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', HOME: '/root' };

async function dpkg(...args: string[]): Promise<string> {
  const r = await run('dpkg', args, { env: { ...ENV, DEBIAN_FRONTEND: 'noninteractive' }, timeoutMs: 120_000 });
  assert.equal(r.code, 0, `dpkg ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The installed `ors` from the PATH, as an administrator runs it. */
async function ors(args: readonly string[], input?: string): Promise<string> {
  const r = await run(ORS, args, { env: ENV, ...(input !== undefined ? { input } : {}) });
  assert.equal(r.code, 0, `ors ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function installedState(): Promise<string> {
  const r = await run('dpkg-query', ['-W', '-f=${Status}', PACKAGE_NAME], { env: ENV });
  return r.code === 0 ? r.stdout : 'not-installed';
}

/** Splits an ExecStart= value into words the way systemd does for unquoted and double-quoted words. */
function execWords(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!.replace(/\$\$/g, '$').replace(/%%/g, '%')));
}

function unitValue(unit: string, key: string): string | undefined {
  return new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1];
}

describe('the Debian package: install, upgrade, the service without a console, remove, purge', () => {
  let out: Awaited<ReturnType<typeof tempDir>>;
  let previous: PackageResult;
  let current: PackageResult;
  let bo: RunningBackoffice;
  let fls: Started | undefined;
  let flsUrl: string;
  let service: { child: ChildProcess; exited: Promise<number | string | null>; stderrFile: string } | undefined;

  const startFls = async (): Promise<void> => {
    const port = await freePort();
    fls = await startProcess(ORS, ['fls', '--folder', LICENSES, '--port', String(port), '--trust', TRUST], { env: ENV, waitFor: /FLS listening on (http:\/\/127\.0\.0\.1:\d+)/ });
    flsUrl = fls.match[1]!;
  };

  before(async () => {
    // A run that died before its after() would leave the package: start from a clean machine. A real
    // installation (no marker) is never purged by a test.
    if ((await installedState()) !== 'not-installed') {
      assert.ok(existsSync(MARKER), `${PACKAGE_NAME} is installed on this machine and not by this test: remove it (dpkg -r) before running the package test`);
      await dpkg('--purge', PACKAGE_NAME);
    }
    out = await tempDir('ors-package-test-');
    const version = (JSON.parse(await readFile('package.json', 'utf8')) as { version: string }).version;
    // "~" sorts before anything in Debian versions: this is the previous release of the same version.
    previous = await buildPackages({ version: `${version}~previous1`, outDir: out.dir, zip: false, fast: true });
    current = await buildPackages({ outDir: out.dir, fast: true });
    bo = await startBackoffice();
  });

  after(async () => {
    if (service && service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
    await fls?.stop();
    // Leave the machine as it was, whatever failed above.
    if ((await installedState()) !== 'not-installed' && existsSync(MARKER)) await run('dpkg', ['--purge', PACKAGE_NAME], { env: ENV, timeoutMs: 120_000 });
    await bo?.stop();
    await out?.cleanup();
  });

  it('installs the previous version: `ors` on the PATH, the unit verified, the service account and the shared data folder', async () => {
    await dpkg('-i', previous.deb);
    await writeFile(MARKER, '');
    assert.equal((await ors(['--version'])).trim(), previous.version.replace(/~.*/, ''), 'the CLI version is the product version');
    assert.match(await installedState(), /install ok installed/);
    const verify = await run('systemd-analyze', ['verify', '/lib/systemd/system/ors.service'], { env: ENV });
    assert.equal(verify.code, 0, verify.stderr);
    const st = await stat(DATA);
    assert.equal(st.mode & 0o7777, 0o2770, 'setgid, the administrators\' group and nobody else');
    const group = (await run('getent', ['group', LAYOUT.adminGroup])).stdout;
    assert.equal(st.gid, Number(group.split(':')[2]));
    assert.match((await run('id', ['-gn', LAYOUT.serviceUser])).stdout, new RegExp(`^${LAYOUT.adminGroup}$`, 'm'));
    assert.equal(existsSync(`${OPT}/node`), true, 'the Node runtime it was built with');
    assert.equal((await run(`${OPT}/node`, ['--version'])).stdout.trim(), process.version);
    assert.equal(existsSync('/etc/systemd/system/multi-user.target.wants/ors.service'), false, 'installing enables and starts nothing');
  });

  it('keeps a saved setting, a secret and an installed license across an upgrade to the current version', async () => {
    // What an administrator does on the installed version: settings, the verification code, the vendor key, a license.
    await ors(['config', 'set', 'remoteService.backofficeUrl', bo.url]);
    await ors(['config', 'set', 'remoteService.organisationId', bo.orgId]);
    await writeFile(path.join(DATA, 'backoffice-ca.pem'), bo.caPem, { mode: 0o644 });
    await ors(['config', 'set', 'remoteService.caFile', path.join(DATA, 'backoffice-ca.pem')]);
    await ors(['config', 'set-secret', 'verificationCode'], bo.code);
    await ors(['config', 'set', 'remoteService.enabled', 'true']);
    // The vendor's key and the license folder, made by hand as an administrator would (install -d -m 2770).
    for (const dir of [TRUST, LICENSES]) {
      await mkdir(dir, { recursive: true });
      await chmod(dir, 0o2770);
    }
    await writeFile(path.join(TRUST, `${bo.kid}.pub`), bo.publicKeyPem, { mode: 0o644 });
    await startFls();
    await ors(['license-server', 'select', 'local', '--fls', flsUrl]);
    const token = await login(bo);
    const lic = (await apiRequest(bo, 'GET', `/v1/installations/${bo.serial}/license`, { token })).body as { license: string; seq: number };
    const licFile = path.join(out.dir, 'current.lic');
    await writeFile(licFile, lic.license);
    await ors(['license', 'install', licFile, '--folder', LICENSES, '--fls', flsUrl, '--trust', TRUST]);
    await fls!.stop();
    fls = undefined;

    await dpkg('-i', current.deb);
    assert.equal((await ors(['--version'])).trim(), current.version);
    assert.equal((await ors(['config', 'get', 'remoteService.backofficeUrl'])).trim(), bo.url);
    assert.match(await ors(['config', 'get']), /verificationCode.*(set|gesetzt)/i);
    await startFls();
    await ors(['license-server', 'select', 'local', '--fls', flsUrl]);
    const served = (await flsStatus(flsUrl)).licenses.find((l) => l.payload.serial === bo.serial);
    assert.equal(served?.payload.seq, lic.seq, 'the installed license is still there and served');
  });

  it('starts the installed console on a fresh data folder and passes the console smoke test in Chromium', async () => {
    const fresh = await tempDir('ors-package-console-');
    const consoleProc = await startProcess(ORS, ['console', '--port', '0', '--data-dir', fresh.dir], { env: ENV, waitFor: /Console: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/ });
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage({ locale: 'en-US' });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(consoleProc.match[1]!);
      await page.getByRole('treeitem', { name: 'Licenses' }).waitFor();
      await page.getByRole('treeitem', { name: 'Remote Service' }).click();
      await page.getByRole('row', { name: /Remote Service/ }).dblclick();
      const dialog = page.getByRole('dialog', { name: 'Remote Service' });
      await dialog.waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.deepEqual(errors, []);
    } finally {
      await browser?.close();
      assert.equal(await consoleProc.stop(), 0);
      await fresh.cleanup();
    }
  });

  it('runs the installed unit as its User= with no console: a changed entitlement is installed and served within seconds, and the stop signal ends it with 0', async (t) => {
    const unit = await readFile('/lib/systemd/system/ors.service', 'utf8');
    const [program, ...args] = execWords(unitValue(unit, 'ExecStart')!);
    const user = unitValue(unit, 'User')!;
    const groups = unitValue(unit, 'SupplementaryGroups')!;
    const umask = unitValue(unit, 'UMask')!;
    const killSignal = unitValue(unit, 'KillSignal') as NodeJS.Signals;
    assert.equal(user, LAYOUT.serviceUser);
    // stderr into a file whose device:inode is announced as the journal stream, as systemd does.
    const stderrFile = path.join(out.dir, 'journal.log');
    const fd = openSync(stderrFile, 'w');
    const st = fstatSync(fd);
    const child = spawn(
      'setpriv',
      ['--reuid', user, '--regid', LAYOUT.adminGroup, '--groups', groups, '--', '/bin/sh', '-c', `umask ${umask} && exec "$@"`, 'sh', program!, ...args],
      { stdio: ['ignore', 'ignore', fd], env: { PATH: ENV.PATH, LANG: 'C.UTF-8', JOURNAL_STREAM: `${st.dev}:${st.ino}` } },
    );
    closeSync(fd);
    service = { child, exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal))), stderrFile };
    // A failure shows what the service said (its journal).
    const withJournal = async <T>(p: Promise<T>): Promise<T> => {
      try {
        return await p;
      } catch (e) {
        throw new Error(`${(e as Error).message}; the service's journal:\n${(await readFile(stderrFile, 'utf8')).slice(-4000)}`);
      }
    };
    const connected = await withJournal(waitForStatus(DATA, (s) => s.connection.kind === 'connected' && s.update?.phase === 'waiting', 30_000));
    const procStatus = await readFile(`/proc/${connected.pid}/status`, 'utf8');
    const uid = Number((await run('id', ['-u', user])).stdout.trim());
    assert.equal(Number(/^Uid:\s+(\d+)/m.exec(procStatus)?.[1]), uid, 'the service runs as the unit\'s User=');

    const before = (await flsStatus(flsUrl)).licenses.find((l) => l.payload.serial === bo.serial)!.payload;
    const t0 = Date.now();
    const set = await runOrs(['backoffice', 'entitlement', 'set', '--data-dir', bo.dataDir, '--serial', bo.serial, '--users', String(before.users + 3)], { env: { ...process.env, LC_ALL: 'C' } });
    assert.equal(set.code, 0, set.stderr);
    const installed = await withJournal(waitForStatus(DATA, (s: OrsStatus) => (s.update?.events ?? []).some((e) => e.kind === 'installed' && e.seq === before.seq + 1), 20_000));
    const event = installed.update!.events.find((e) => e.kind === 'installed' && e.seq === before.seq + 1)!;
    const served = (await flsStatus(flsUrl)).licenses.find((l) => l.payload.serial === bo.serial)!.payload;
    assert.equal(served.seq, before.seq + 1);
    assert.equal(served.users, before.users + 3);
    assert.equal(served.licenseId, event.licenseId);
    const ms = Date.now() - t0;
    assert.ok(ms < 20_000, 'within seconds');
    t.diagnostic(`entitlement changed at the back office → installed and served by the FLS in ${ms} ms`);

    child.kill(killSignal);
    assert.equal(await service.exited, 0);
    const journal = await readFile(stderrFile, 'utf8');
    assert.match(journal, /"msg":"ORS service started"/);
    assert.doesNotMatch(journal, new RegExp(bo.code), 'no secret in the journal');
    assert.equal(existsSync(path.join(DATA, 'ors', 'daemon.log')), false, 'under the journal the service writes no log file of its own');
  });

  it('builds the Windows zip: the same tree with ors.cmd, the Node runtime for Windows and the service host', async () => {
    const list = (await run('unzip', ['-Z1', current.zip!])).stdout.split('\n');
    const top = `${PACKAGE_NAME}-${current.version}-win-x64/`;
    for (const f of ['ors.cmd', 'node.exe', 'ors-service.exe', 'bin/ors.js', 'dist/ors.js', 'dist/console/index.html', 'manifest.json', 'node_modules/pac-resolver/package.json']) assert.ok(list.includes(top + f), `${f} in the zip`);
    assert.equal(list.some((f) => f.includes('better-sqlite3')), false, 'no Linux-native module in the Windows zip');
    const cmd = (await run('unzip', ['-p', current.zip!, `${top}ors.cmd`])).stdout;
    assert.match(cmd, /"%ORS_NODE%" "%~dp0bin\\ors\.js" %\*\r\n/);
  });

  it('dpkg -r removes the program and keeps the data; dpkg -P removes the data too', async () => {
    // What systemd's stop does on removal: nothing of the package may still run (the account is removed on purge).
    if (service && service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
    await fls?.stop();
    fls = undefined;
    await dpkg('-r', PACKAGE_NAME);
    assert.equal(existsSync(ORS), false);
    assert.equal(existsSync(OPT), false);
    assert.match(await installedState(), /deinstall ok config-files/);
    assert.equal(existsSync(path.join(DATA, 'settings', 'remote-service-licenses.json')), true, 'settings kept');
    assert.equal(existsSync(path.join(DATA, 'secrets')), true, 'secrets kept');
    assert.ok(existsSync(path.join(LICENSES, `${bo.serial}.lic`)), 'licenses kept');
    await dpkg('-P', PACKAGE_NAME);
    assert.equal(existsSync(DATA), false);
    assert.equal(await installedState(), 'not-installed');
    assert.notEqual((await run('getent', ['passwd', LAYOUT.serviceUser])).code, 0, 'the service account is gone');
  });
});
