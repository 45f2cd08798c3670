import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { SpawnCommandRunner, type CommandRunner } from '../../src/services/process/command-runner.js';
import { discoverTeamViewer, readTeamViewerId, type DiscoveryOptions } from '../../src/services/teamviewer/discovery.js';
import { parseTeamViewerInfo } from '../../src/services/teamviewer/linux-info.js';
import { parseRegQuery, READABLE_VALUES, registryString, type ReadableValue, type RegistryReader, type RegistryView } from '../../src/services/teamviewer/registry.js';
import { createStandIn } from '../support/remote-assistance-standin.js';
import { ROOT, tempDir } from '../support/processes.js';

const FIXTURES = path.join(ROOT, 'test/fixtures/remote-assistance');
const fixture = (name: string) => readFile(path.join(FIXTURES, name), 'utf8');

/** A registry reader answering from recorded `reg query` outputs; it records every query. */
function fakeRegistry(answers: Partial<Record<`${ReadableValue}:${RegistryView}`, string>>): RegistryReader & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async query(key, value, view) {
      asked.push(`${key}|${value}|${view}`);
      return answers[`${value}:${view}`];
    },
  };
}

async function exe(file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '#!/bin/sh\nexit 0\n');
  await chmod(file, 0o755);
  return file;
}

/** What PowerShell's VersionInfo and Get-AuthenticodeSignature report (written from the documented formats). */
function signed(o: { status?: string; publisher?: string; product?: string } = {}): CommandRunner & { ran: string[][] } {
  const ran: string[][] = [];
  return {
    ran,
    run: async (file, args) => {
      ran.push([file, ...args]);
      const v = { product: o.product ?? 'TeamViewer', company: 'TeamViewer Germany GmbH', version: '15.61.3', status: o.status ?? 'Valid', publisher: o.publisher ?? 'CN=TeamViewer Germany GmbH, O=TeamViewer Germany GmbH, L=Göppingen, S=Baden-Württemberg, C=DE' };
      return { code: 0, stdout: JSON.stringify(v), stderr: '' };
    },
  };
}

/** For cases that must run no program: records what was asked (checked after each test) and fails it. */
const unexpectedRuns: string[][] = [];
const noRunner: CommandRunner = {
  run: (file, args) => {
    unexpectedRuns.push([file, ...args]);
    return Promise.reject(new Error('no program may be run here'));
  },
};
afterEach(() => assert.deepEqual(unexpectedRuns.splice(0), [], 'no program may be run here'));
const spawnRunner = new SpawnCommandRunner();

describe('TeamViewer discovery: registry output parsing', () => {
  it('reads a REG_SZ installation directory with spaces and a REG_DWORD ClientID as decimal', async () => {
    assert.equal(registryString((await fixture('reg-installdir-64.txt')).replace('{DIR}', 'C:\\Program Files\\TeamViewer'), 'InstallationDirectory'), 'C:\\Program Files\\TeamViewer');
    assert.equal(registryString(await fixture('reg-clientid-64.txt'), 'ClientID'), '1234567890');
    assert.equal(registryString(await fixture('reg-version-32.txt'), 'Version'), '13.2.26558');
  });

  it('yields nothing for a missing value, and lists password values only as what they are (discovery never asks for them)', async () => {
    assert.equal(registryString(await fixture('reg-missing.txt'), 'InstallationDirectory'), undefined);
    assert.equal(registryString(undefined, 'Version'), undefined);
    const all = parseRegQuery(await fixture('reg-key-full.txt'));
    assert.deepEqual(all.map((v) => v.name), ['InstallationDirectory', 'Version', 'ClientID', 'SecurityPasswordAES', 'OptionsPasswordAES', 'Always Online']);
    assert.equal(registryString(await fixture('reg-key-full.txt'), 'Always Online'), '1');
    assert.deepEqual([...READABLE_VALUES].filter((v) => /password/i.test(v)), []);
  });
});

describe('TeamViewer discovery: `teamviewer info` parsing', () => {
  it('reads the version and the grouped ID', async () => {
    assert.deepEqual(parseTeamViewerInfo(await fixture('teamviewer-info.txt')), { version: '15.48.4', id: '1234567890' });
  });
  it('ignores terminal colours', async () => {
    assert.deepEqual(parseTeamViewerInfo(await fixture('teamviewer-info-ansi.txt')), { version: '15.61.3', id: '987654321' });
  });
  it('reports no ID before TeamViewer has one', async () => {
    assert.deepEqual(parseTeamViewerInfo(await fixture('teamviewer-info-no-id.txt')), { version: '15.61.3' });
  });
});

describe('TeamViewer discovery on fixture folder trees', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-tv-discovery-'));
  });
  after(async () => cleanup());

  const win = (o: Partial<DiscoveryOptions>): DiscoveryOptions => ({ platform: 'win32', env: {}, runner: noRunner, ...o });

  it('Windows: takes InstallationDirectory from the 64-bit view, with version and ClientID, and never asks for a password value', async () => {
    const install = path.join(dir, 'win64', 'Program Files', 'TeamViewer');
    await exe(path.join(install, 'TeamViewer.exe'));
    const reg = fakeRegistry({
      'InstallationDirectory:64': (await fixture('reg-installdir-64.txt')).replace('{DIR}', install),
      'Version:64': await fixture('reg-version-64.txt'),
      'ClientID:64': await fixture('reg-clientid-64.txt'),
    });
    const a = await discoverTeamViewer(win({ registry: reg }));
    assert.deepEqual(a, { kind: 'available', installation: { kind: 'full', executable: path.join(install, 'TeamViewer.exe'), source: 'registry-64', version: '15.48.4', id: '1234567890' } });
    assert.ok(reg.asked.every((q) => !/password/i.test(q)), reg.asked.join(', '));
    assert.ok(reg.asked.every((q) => q.startsWith('HKLM\\SOFTWARE\\TeamViewer|')));
  });

  it('Windows: falls back to the 32-bit view when the 64-bit view has no installation', async () => {
    const install = path.join(dir, 'win32', 'Program Files (x86)', 'TeamViewer');
    await exe(path.join(install, 'TeamViewer.exe'));
    const reg = fakeRegistry({
      'InstallationDirectory:64': await fixture('reg-missing.txt'),
      'InstallationDirectory:32': (await fixture('reg-installdir-32.txt')).replace('{DIR}', install),
      'Version:32': await fixture('reg-version-32.txt'),
    });
    const a = await discoverTeamViewer(win({ registry: reg }));
    assert.equal(a.kind, 'available');
    assert.equal(a.kind === 'available' && a.installation.source, 'registry-32');
    assert.equal(a.kind === 'available' && a.installation.version, '13.2.26558');
    assert.equal(a.kind === 'available' && a.installation.id, undefined);
  });

  it('Windows: skips a registry entry whose folder no longer holds TeamViewer.exe and finds it under Program Files', async () => {
    const pf = path.join(dir, 'winpf', 'Program Files');
    await exe(path.join(pf, 'TeamViewer', 'TeamViewer.exe'));
    const reg = fakeRegistry({ 'InstallationDirectory:64': (await fixture('reg-installdir-64.txt')).replace('{DIR}', path.join(dir, 'gone')) });
    const a = await discoverTeamViewer(win({ registry: reg, env: { 'ProgramFiles(x86)': path.join(dir, 'nothing'), ProgramFiles: pf } }));
    assert.equal(a.kind === 'available' && a.installation.source, 'program-files');
    assert.equal(a.kind === 'available' && a.installation.executable, path.join(pf, 'TeamViewer', 'TeamViewer.exe'));
  });

  it('Windows: a configured QuickSupport folder wins over the installed client', async () => {
    const qs = path.join(dir, 'winqs', 'Downloads');
    await exe(path.join(qs, 'TeamViewerQS_x64.exe'));
    const install = path.join(dir, 'win64', 'Program Files', 'TeamViewer');
    const reg = fakeRegistry({ 'InstallationDirectory:64': (await fixture('reg-installdir-64.txt')).replace('{DIR}', install) });
    const a = await discoverTeamViewer(win({ registry: reg, configuredPath: qs, runner: signed() }));
    assert.deepEqual(a, { kind: 'available', installation: { kind: 'quicksupport', executable: path.join(qs, 'TeamViewerQS_x64.exe'), source: 'configured', version: '15.61.3' } });
    assert.deepEqual(reg.asked, []);
  });

  it('a configured path that leads to no program is reported as such (and nothing else is used)', async () => {
    const a = await discoverTeamViewer({ platform: 'linux', env: { PATH: '' }, runner: noRunner, configuredPath: path.join(dir, 'nope', 'TeamViewerQS') });
    assert.deepEqual(a, { kind: 'not-found', platform: 'linux', configuredPath: path.join(dir, 'nope', 'TeamViewerQS') });
  });

  it('Windows: nothing anywhere is "not found"', async () => {
    const a = await discoverTeamViewer(win({ registry: fakeRegistry({}), env: { ProgramFiles: path.join(dir, 'empty') } }));
    assert.deepEqual(a, { kind: 'not-found', platform: 'win32' });
  });

  it('macOS: finds /Applications/TeamViewer*.app through its Info.plist, the full client first', async () => {
    const apps = path.join(dir, 'Applications');
    for (const app of ['TeamViewerQS.app', 'TeamViewer.app']) {
      await mkdir(path.join(apps, app, 'Contents', 'MacOS'), { recursive: true });
      await writeFile(path.join(apps, app, 'Contents', 'Info.plist'), (await fixture('Info.plist')).replace('<string>TeamViewer</string>', `<string>${app.replace('.app', '')}</string>`));
      await exe(path.join(apps, app, 'Contents', 'MacOS', app.replace('.app', '')));
    }
    await mkdir(path.join(apps, 'Other.app'));
    const a = await discoverTeamViewer({ platform: 'darwin', env: {}, runner: noRunner, applicationsDir: apps });
    assert.deepEqual(a, { kind: 'available', installation: { kind: 'full', executable: path.join(apps, 'TeamViewer.app', 'Contents', 'MacOS', 'TeamViewer'), source: 'applications', version: '15.48.4' } });
  });

  it('Linux: finds `teamviewer` on PATH and reads version and ID from `teamviewer info` (a real stand-in program)', async () => {
    const bin = path.join(dir, 'linux', 'usr bin');
    const standIn = await createStandIn(bin, 'teamviewer', { id: '1 234 567 890', version: '15.48.4' });
    const o: DiscoveryOptions = { platform: 'linux', env: { PATH: ['relative/bin', path.join(dir, 'nothing'), bin].join(path.delimiter) }, runner: spawnRunner, optDir: path.join(dir, 'no-opt') };
    const a = await discoverTeamViewer(o);
    assert.deepEqual(a, { kind: 'available', installation: { kind: 'full', executable: standIn.executable, source: 'path', version: '15.48.4', id: '1234567890' } });
    await standIn.configure({ id: '555 666 777', version: '15.48.4' });
    assert.equal(await readTeamViewerId(o, a.kind === 'available' ? a.installation : (undefined as never)), '555666777');
    assert.deepEqual(await standIn.starts(), [], '`info` never starts a session');
  });

  it('Linux: falls back to /opt/teamviewer when PATH has no teamviewer', async () => {
    const opt = path.join(dir, 'opt', 'teamviewer');
    const standIn = await createStandIn(path.join(opt, 'tv_bin', 'script'), 'teamviewer', { version: '15.61.3' });
    const a = await discoverTeamViewer({ platform: 'linux', env: { PATH: path.join(dir, 'nothing') }, runner: spawnRunner, optDir: opt });
    assert.deepEqual(a, { kind: 'available', installation: { kind: 'full', executable: standIn.executable, source: 'opt', version: '15.61.3' } });
  });

  it('Linux: a file that is not executable is not TeamViewer', async () => {
    const bin = path.join(dir, 'noexec');
    await mkdir(bin, { recursive: true });
    await writeFile(path.join(bin, 'teamviewer'), 'not a program');
    const a = await discoverTeamViewer({ platform: 'linux', env: { PATH: bin }, runner: noRunner, optDir: path.join(dir, 'no-opt') });
    assert.deepEqual(a, { kind: 'not-found', platform: 'linux' });
  });

  it('a configured QuickSupport must be a TeamViewer program: its name, its version information and (Windows) TeamViewer\'s signature (finding 6)', async () => {
    const qs = path.join(dir, 'qs-check');
    const good = await exe(path.join(qs, 'TeamViewerQS_x64.exe'));
    const other = await exe(path.join(qs, 'evil.exe'));
    const ok = signed();
    assert.equal((await discoverTeamViewer(win({ configuredPath: good, runner: ok }))).kind, 'available');
    assert.ok(ok.ran[0]?.some((a) => a.includes('Get-AuthenticodeSignature')), 'the signature is checked');
    // Any other program, however it is signed, is not taken.
    const never = signed();
    assert.deepEqual(await discoverTeamViewer(win({ configuredPath: other, runner: never })), { kind: 'not-found', platform: 'win32', configuredPath: other });
    assert.deepEqual(never.ran, [], 'a program with another name is not even inspected');
    for (const runner of [signed({ status: 'NotSigned' }), signed({ status: 'HashMismatch' }), signed({ publisher: 'CN=Evil Corp, O=Evil Corp, C=US' }), signed({ product: 'Notepad', publisher: 'CN=x, O=TeamViewerish Ltd' })]) {
      assert.equal((await discoverTeamViewer(win({ configuredPath: good, runner }))).kind, 'not-found');
    }
    // Linux: a program named like TeamViewer that gives no TeamViewer version information is not taken either.
    const fake = await exe(path.join(dir, 'qs-linux', 'TeamViewerQS'));
    assert.equal((await discoverTeamViewer({ platform: 'linux', env: { PATH: '' }, runner: spawnRunner, configuredPath: fake })).kind, 'not-found');
    const sh = await exe(path.join(dir, 'qs-linux', 'sh'));
    assert.equal((await discoverTeamViewer({ platform: 'linux', env: { PATH: '' }, runner: noRunner, configuredPath: sh })).kind, 'not-found');
  });
});
