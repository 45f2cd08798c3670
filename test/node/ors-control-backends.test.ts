import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { firstValueFrom, filter } from 'rxjs';
import type { CommandRunner } from '../../src/services/process/command-runner.js';
import { chooseBackend } from '../../src/services/ors-control/select-service-control.js';
import { SystemdServiceControl, parseIsActive, parseSystemctlShow, quoteSystemdArg, renderUnit } from '../../src/services/ors-control/systemd-service-control.js';
import { WindowsScmServiceControl, parseScQuery } from '../../src/services/ors-control/windows-scm-service-control.js';
import { ROOT, tempDir } from '../support/processes.js';

const fixture = (name: string): Promise<string> => readFile(path.join(ROOT, 'test/fixtures/ors', name), 'utf8');

function recordingRunner(answers: Record<string, { code?: number; stdout?: string; stderr?: string }>) {
  const calls: { command: string; args: readonly string[]; stdin?: string }[] = [];
  const runner: CommandRunner = {
    run: async (command, args, options) => {
      calls.push({ command, args, ...(options?.stdin !== undefined ? { stdin: options.stdin } : {}) });
      const a = answers[`${command} ${args[0]}`] ?? {};
      return { code: a.code ?? 0, stdout: a.stdout ?? '', stderr: a.stderr ?? '' };
    },
  };
  return { runner, calls };
}

describe('Windows SCM: sc.exe output', () => {
  const table: [string, unknown][] = [
    ['sc-queryex-running.txt', { kind: 'running', pid: 4321 }],
    ['sc-queryex-running-de.txt', { kind: 'running', pid: 812 }],
    ['sc-queryex-stopped.txt', { kind: 'stopped' }],
    ['sc-queryex-crashed.txt', { kind: 'crashed', exitCode: 1067 }],
    ['sc-queryex-start-pending.txt', { kind: 'starting' }],
    ['sc-queryex-not-installed.txt', { kind: 'unknown', error: { code: 'ors.control.not-installed', params: { name: 'ORS' } } }],
    ['sc-queryex-access-denied.txt', { kind: 'unknown', error: { code: 'ors.control.access-denied' } }],
  ];
  for (const [file, expected] of table) {
    it(`reads ${file}`, async () => {
      assert.deepEqual(parseScQuery(await fixture(file)), expected);
    });
  }

  it('sets another account with the password on stdin only, never on a command line', async () => {
    const t = await tempDir('ors-scm-');
    const { runner, calls } = recordingRunner({});
    const scm = new WindowsScmServiceControl({ dataDir: t.dir, runner });
    const password = 'Acc0unt-Secret!';
    await scm.setAccount({ kind: 'other', username: 'orssvc', domain: 'CORP' }, password);
    await scm.setAccount({ kind: 'localSystem' });
    assert.equal(calls.length, 2);
    for (const c of calls) assert.equal([c.command, ...c.args].join(' ').includes(password), false);
    assert.equal(calls[0]!.command, 'powershell.exe');
    assert.equal(calls[0]!.stdin, `CORP\\orssvc\n${password}\n`);
    assert.deepEqual([calls[1]!.command, ...calls[1]!.args], ['sc.exe', 'config', 'ORS', 'obj=', 'LocalSystem']);
    await scm.dispose();
    await t.cleanup();
  });

  it('maps a refused sc.exe start to access denied', async () => {
    const t = await tempDir('ors-scm-');
    const { runner } = recordingRunner({ 'sc.exe start': { code: 5, stdout: '[SC] StartService: OpenService FAILED 5:\r\n\r\nAccess is denied.\r\n' } });
    const scm = new WindowsScmServiceControl({ dataDir: t.dir, runner });
    await assert.rejects(scm.start(), { code: 'ors.control.access-denied' });
    await scm.dispose();
    await t.cleanup();
  });

  it('stops, waits for STOPPED, then starts on restart', async () => {
    const t = await tempDir('ors-scm-');
    const stopped = await fixture('sc-queryex-stopped.txt');
    const { runner, calls } = recordingRunner({ 'sc.exe queryex': { stdout: stopped } });
    const scm = new WindowsScmServiceControl({ dataDir: t.dir, runner });
    await scm.restart();
    assert.deepEqual(calls.map((c) => c.args[0]), ['stop', 'queryex', 'start', 'queryex']);
    await scm.dispose();
    await t.cleanup();
  });
});

describe('systemd: systemctl output and the unit file', () => {
  const table: [string, unknown][] = [
    ['systemctl-show-active.txt', { kind: 'running', pid: 2817 }],
    ['systemctl-show-inactive.txt', { kind: 'stopped' }],
    ['systemctl-show-failed.txt', { kind: 'crashed', exitCode: 1 }],
    ['systemctl-show-auto-restart.txt', { kind: 'crashed', exitCode: 9 }],
    ['systemctl-show-not-found.txt', { kind: 'unknown', error: { code: 'ors.control.not-installed', params: { name: 'ors.service' } } }],
  ];
  for (const [file, expected] of table) {
    it(`reads ${file}`, async () => {
      assert.deepEqual(parseSystemctlShow(await fixture(file)), expected);
    });
  }

  it('reads is-active words', () => {
    assert.deepEqual(['active\n', 'inactive\n', 'failed\n', 'activating\n', 'deactivating\n', 'bogus'].map(parseIsActive), ['running', 'stopped', 'crashed', 'starting', 'stopping', 'unknown']);
  });

  it('writes a unit with User= for the other account and no secret, quoting paths with spaces', () => {
    const unit = renderUnit({ command: { command: '/usr/bin/node', args: ['/opt/ors app/bin/ors.js'] }, dataDir: '/var/lib/ors 100%', user: 'orssvc' });
    assert.match(unit, /^ExecStart=\/usr\/bin\/node "\/opt\/ors app\/bin\/ors.js" daemon --data-dir "\/var\/lib\/ors 100%%"$/m);
    assert.match(unit, /^User=orssvc$/m);
    assert.doesNotMatch(renderUnit({ command: { command: '/usr/bin/node', args: [] }, dataDir: '/d' }), /User=/);
    assert.equal(quoteSystemdArg('a$b'), 'a$$b');
    assert.throws(() => renderUnit({ command: { command: 'n', args: [] }, dataDir: '/d', user: 'x\nExecStartPre=/bin/sh' }));
  });

  it('drives systemctl with argument arrays and publishes the state it reads', async () => {
    const t = await tempDir('ors-systemd-');
    const { runner, calls } = recordingRunner({ 'systemctl show': { stdout: await fixture('systemctl-show-active.txt') } });
    const sd = new SystemdServiceControl({ dataDir: t.dir, unitDir: t.dir, runner, pollMs: 50 });
    await sd.restart();
    const s = await firstValueFrom(sd.state$.pipe(filter((x) => x.kind === 'running')));
    assert.deepEqual(s, { kind: 'running', pid: 2817 });
    assert.deepEqual(calls.slice(0, 2).map((c) => [c.command, ...c.args].join(' ')), [
      'systemctl restart ors.service',
      'systemctl show -p LoadState,ActiveState,SubState,MainPID,ExecMainStatus ors.service',
    ]);
    await sd.dispose();
    await t.cleanup();
  });
});

describe('choosing the back-end', () => {
  it('follows the setting, and auto-detects the OS service manager only where the service is installed', () => {
    const linux = { platform: 'linux' as const, systemdRunning: true, installed: true };
    assert.equal(chooseBackend('embedded', linux), 'embedded');
    assert.equal(chooseBackend('auto', linux), 'systemd');
    assert.equal(chooseBackend('auto', { ...linux, installed: false }), 'embedded');
    assert.equal(chooseBackend('auto', { ...linux, systemdRunning: false }), 'embedded');
    assert.equal(chooseBackend('auto', { platform: 'win32', systemdRunning: false, installed: true }), 'windows');
    assert.equal(chooseBackend(undefined, { platform: 'darwin', systemdRunning: false, installed: false }), 'embedded');
    assert.equal(chooseBackend('windows', linux), 'windows');
  });
});
