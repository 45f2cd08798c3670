// `ors service install|uninstall|status`: the systemd and Windows SCM back-ends driven through a
// recording command runner (the exact argument arrays, no shell), the generated unit checked by the
// real `systemd-analyze verify`, the refusal without administrator rights from the real CLI, and the
// 'auto' control following an install while the console runs.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BehaviorSubject, firstValueFrom, of, type Observable } from 'rxjs';
import type { ServiceState } from '../../src/common/remote-service/model.js';
import { AutoServiceControl } from '../../src/services/ors-control/auto-service-control.js';
import type { CommandRunner } from '../../src/services/process/command-runner.js';
import { installCommandFor, type PackageLayout } from '../../src/services/ors-control/daemon-command.js';
import { EmbeddedServiceControl } from '../../src/services/ors-control/embedded-service-control.js';
import type { ServiceControl, ServiceControlBackend, ServiceHosting } from '../../src/services/ors-control/service-control.js';
import { SystemdServiceControl, renderUnit } from '../../src/services/ors-control/systemd-service-control.js';
import { WindowsScmServiceControl, renderWinswConfig } from '../../src/services/ors-control/windows-scm-service-control.js';
import { ROOT, run, runOrs, tempDir } from '../support/processes.js';

type Answer = { code?: number; stdout?: string; stderr?: string };

/** Records every command; answers by "command first-arg" (a list is consumed in order, its last entry repeats). */
function recordingRunner(answers: Record<string, Answer | Answer[]> = {}) {
  const calls: { argv: string[]; stdin?: string }[] = [];
  const runner: CommandRunner = {
    run: async (command, args, options) => {
      calls.push({ argv: [command, ...args], ...(options?.stdin !== undefined ? { stdin: options.stdin } : {}) });
      const a = answers[`${command} ${args[0]}`];
      const next = Array.isArray(a) ? (a.length > 1 ? a.shift()! : a[0]!) : (a ?? {});
      return { code: next.code ?? 0, stdout: next.stdout ?? '', stderr: next.stderr ?? '' };
    },
  };
  return { runner, calls, argv: () => calls.map((c) => c.argv) };
}

const fixture = (name: string): Promise<string> => readFile(path.join(ROOT, 'test/fixtures/ors', name), 'utf8');
const LAYOUT: PackageLayout = { dataDir: '/var/lib/remote-service-licenses', serviceUser: 'ors', adminGroup: 'ors-admin', command: 'ors' };
const COMMAND = { command: '/opt/remote-service-licenses/node', args: ['/opt/remote-service-licenses/bin/ors.js'] };
const SHOW = ['systemctl', 'show', '-p', 'LoadState,ActiveState,SubState,MainPID,ExecMainStatus', 'ors.service'];

describe('ors service install on systemd', () => {
  it('writes the unit with the account from the settings, reloads, enables and starts it — with these exact argument arrays', async () => {
    const t = await tempDir('ors-svc-');
    const { runner, argv } = recordingRunner({ 'systemctl show': { stdout: await fixture('systemctl-show-active.txt') } });
    const sd = new SystemdServiceControl({ dataDir: '/var/lib/remote-service-licenses', unitDir: t.dir, runner, command: COMMAND, layout: LAYOUT, isAdmin: async () => true, systemdRunning: () => true });
    const report = await sd.install({ account: { kind: 'other', username: 'orssvc' } });
    assert.deepEqual(report, { backend: 'systemd', definition: path.join(t.dir, 'ors.service'), runAs: 'orssvc', changed: true });
    assert.deepEqual(argv(), [
      ['getent', 'passwd', 'orssvc'],
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', 'ors.service'],
      ['systemctl', 'restart', 'ors.service'],
      SHOW,
    ]);
    const unit = await readFile(report.definition, 'utf8');
    assert.match(unit, /^ExecStart=\/opt\/remote-service-licenses\/node \/opt\/remote-service-licenses\/bin\/ors.js daemon --data-dir \/var\/lib\/remote-service-licenses$/m);
    assert.match(unit, /^User=orssvc$/m);
    assert.match(unit, /^SupplementaryGroups=ors-admin$/m);
    await sd.dispose();
    await t.cleanup();
  });

  it('is idempotent: a second install with the same settings leaves the unit alone and only makes sure it runs', async () => {
    const t = await tempDir('ors-svc-');
    const { runner, argv } = recordingRunner({ 'systemctl show': { stdout: await fixture('systemctl-show-active.txt') } });
    const sd = new SystemdServiceControl({ dataDir: '/var/lib/remote-service-licenses', unitDir: t.dir, runner, command: COMMAND, layout: LAYOUT, isAdmin: async () => true, systemdRunning: () => true });
    await sd.install({ account: { kind: 'localSystem' } });
    const first = await readFile(path.join(t.dir, 'ors.service'), 'utf8');
    const n = argv().length;
    const again = await sd.install({ account: { kind: 'localSystem' } });
    assert.equal(again.changed, false);
    assert.equal(await readFile(path.join(t.dir, 'ors.service'), 'utf8'), first);
    assert.deepEqual(argv().slice(n), [['getent', 'passwd', 'ors'], ['systemctl', 'daemon-reload'], ['systemctl', 'enable', 'ors.service'], ['systemctl', 'start', 'ors.service'], SHOW]);
    assert.match(first, /^User=ors$/m, '"Local System" runs as the package\'s unprivileged service user, not root');
    await sd.dispose();
    await t.cleanup();
  });

  it('uninstalls: disable --now, the unit file removed, systemd reloaded; the data folder is not touched', async () => {
    const t = await tempDir('ors-svc-');
    const data = path.join(t.dir, 'data');
    const { runner, argv } = recordingRunner();
    const sd = new SystemdServiceControl({ dataDir: data, unitDir: t.dir, runner, command: COMMAND, layout: undefined, isAdmin: async () => true, systemdRunning: () => true });
    await writeFile(path.join(t.dir, 'ors.service'), renderUnit({ command: COMMAND, dataDir: data }));
    assert.equal(await sd.uninstall(), true);
    assert.deepEqual(argv(), [['systemctl', 'disable', '--now', 'ors.service'], ['systemctl', 'daemon-reload']]);
    assert.equal(existsSync(path.join(t.dir, 'ors.service')), false);
    assert.equal(await sd.uninstall(), false, 'a second uninstall finds nothing to remove');
    await sd.dispose();
    await t.cleanup();
  });

  it('refuses without administrator rights before touching anything', async () => {
    const t = await tempDir('ors-svc-');
    const { runner, calls } = recordingRunner();
    const sd = new SystemdServiceControl({ dataDir: t.dir, unitDir: t.dir, runner, command: COMMAND, layout: LAYOUT, isAdmin: async () => false, systemdRunning: () => true });
    await assert.rejects(sd.install({ account: { kind: 'localSystem' } }), { code: 'ors.service.admin-required' });
    await assert.rejects(sd.uninstall(), { code: 'ors.service.admin-required' });
    assert.equal(calls.length, 0);
    assert.equal(existsSync(path.join(t.dir, 'ors.service')), false);
    await sd.dispose();
    await t.cleanup();
  });

  it('refuses an account that does not exist on this machine, and a machine without systemd', async () => {
    const t = await tempDir('ors-svc-');
    const { runner, argv } = recordingRunner({ 'getent passwd': { code: 2 } });
    const sd = new SystemdServiceControl({ dataDir: t.dir, unitDir: t.dir, runner, command: COMMAND, layout: LAYOUT, isAdmin: async () => true, systemdRunning: () => true });
    await assert.rejects(sd.install({ account: { kind: 'other', username: 'nosuchuser' } }), { code: 'ors.service.user-unknown', params: { user: 'nosuchuser' } });
    assert.deepEqual(argv(), [['getent', 'passwd', 'nosuchuser']]);
    const noSystemd = new SystemdServiceControl({ dataDir: t.dir, unitDir: t.dir, runner, command: COMMAND, layout: LAYOUT, isAdmin: async () => true, systemdRunning: () => false });
    await assert.rejects(noSystemd.install({ account: { kind: 'localSystem' } }), { code: 'ors.service.no-systemd' });
    assert.equal(existsSync(path.join(t.dir, 'ors.service')), false);
    await sd.dispose();
    await noSystemd.dispose();
    await t.cleanup();
  });

  it('generates a unit that the real systemd-analyze verify accepts (and it does reject a broken one)', async () => {
    const t = await tempDir('ors-svc-');
    const good = path.join(t.dir, 'ors.service');
    await writeFile(good, renderUnit({ command: { command: process.execPath, args: [path.join(ROOT, 'bin/ors.js')] }, dataDir: '/var/lib/ors data', user: 'daemon', adminGroup: 'daemon' }));
    const ok = await run('systemd-analyze', ['verify', good]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stderr.trim(), '');
    const bad = path.join(t.dir, 'ors-bad.service');
    await writeFile(bad, renderUnit({ command: { command: '/nonexistent/node', args: [] }, dataDir: '/d' }));
    const refused = await run('systemd-analyze', ['verify', bad]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /not executable/);
    await t.cleanup();
  });
});

describe('ors service install on Windows (SCM through WinSW)', () => {
  it('registers the service host, sets the other account with the password on stdin only, and starts it', async () => {
    const t = await tempDir('ors-scm-');
    const exe = path.join(t.dir, 'ors-service.exe');
    await writeFile(exe, '');
    const { runner, calls, argv } = recordingRunner({
      'net.exe session': { code: 0 },
      'sc.exe query': { code: 1060, stdout: '[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n' },
      'sc.exe queryex': { stdout: await fixture('sc-queryex-running.txt') },
    });
    const password = 'Acc0unt-Secret!';
    const scm = new WindowsScmServiceControl({ dataDir: 'C:\\ProgramData\\ORS', runner, wrapperExe: exe, command: { command: 'C:\\Program Files\\ORS\\node.exe', args: ['C:\\Program Files\\ORS\\bin\\ors.js'] } });
    const report = await scm.install({ account: { kind: 'other', username: 'orssvc', domain: 'CORP' }, accountPassword: password });
    assert.equal(report.runAs, 'CORP\\orssvc');
    const scCalls = argv().filter((a) => a[0] !== 'powershell.exe');
    assert.deepEqual(scCalls, [
      ['net.exe', 'session'],
      ['sc.exe', 'query', 'ORS'],
      ['sc.exe', 'create', 'ORS', 'binPath=', exe, 'start=', 'auto', 'DisplayName=', 'ORS service'],
      ['sc.exe', 'description', 'ORS', 'ORS service (Remote Service & Licenses): automatic license update and remote assistance'],
      ['sc.exe', 'failure', 'ORS', 'reset=', '86400', 'actions=', 'restart/5000/restart/5000/restart/30000'],
      ['sc.exe', 'start', 'ORS'],
      ['sc.exe', 'queryex', 'ORS'],
    ]);
    const ps = calls.find((c) => c.argv[0] === 'powershell.exe')!;
    assert.equal(ps.stdin, `CORP\\orssvc\n${password}\n`);
    for (const c of calls) assert.equal(c.argv.join(' ').includes(password), false, 'the password is on no command line');
    const config = await readFile(path.join(t.dir, 'ors-service.xml'), 'utf8');
    assert.equal(config, renderWinswConfig({ name: 'ORS', command: { command: 'C:\\Program Files\\ORS\\node.exe', args: ['C:\\Program Files\\ORS\\bin\\ors.js'] }, dataDir: 'C:\\ProgramData\\ORS' }));
    assert.match(config, /<arguments>&quot;C:\\Program Files\\ORS\\bin\\ors.js&quot; daemon --data-dir C:\\ProgramData\\ORS --log file<\/arguments>/);
    assert.doesNotMatch(config, new RegExp(password));
    await scm.dispose();
    await t.cleanup();
  });

  it('reconfigures an existing service instead of creating it, then restarts it; uninstall stops and deletes it', async () => {
    const t = await tempDir('ors-scm-');
    const exe = path.join(t.dir, 'ors-service.exe');
    await writeFile(exe, '');
    const { runner, argv } = recordingRunner({ 'sc.exe queryex': { stdout: await fixture('sc-queryex-stopped.txt') } });
    const scm = new WindowsScmServiceControl({ dataDir: 'C:\\ORS', runner, wrapperExe: exe, isAdmin: async () => true, command: { command: 'C:\\ORS\\node.exe', args: ['C:\\ORS\\bin\\ors.js'] } });
    await scm.install({ account: { kind: 'localSystem' } });
    assert.deepEqual(argv(), [
      ['sc.exe', 'query', 'ORS'],
      ['sc.exe', 'config', 'ORS', 'binPath=', exe, 'start=', 'auto'],
      ['sc.exe', 'description', 'ORS', 'ORS service (Remote Service & Licenses): automatic license update and remote assistance'],
      ['sc.exe', 'failure', 'ORS', 'reset=', '86400', 'actions=', 'restart/5000/restart/5000/restart/30000'],
      ['sc.exe', 'config', 'ORS', 'obj=', 'LocalSystem'],
      ['sc.exe', 'stop', 'ORS'],
      ['sc.exe', 'queryex', 'ORS'],
      ['sc.exe', 'start', 'ORS'],
      ['sc.exe', 'queryex', 'ORS'],
    ]);
    const n = argv().length;
    assert.equal(await scm.uninstall(), true);
    assert.deepEqual(argv().slice(n), [['sc.exe', 'query', 'ORS'], ['sc.exe', 'stop', 'ORS'], ['sc.exe', 'queryex', 'ORS'], ['sc.exe', 'delete', 'ORS']]);
    assert.equal(existsSync(path.join(t.dir, 'ors-service.xml')), false);
    await scm.dispose();
    await t.cleanup();
  });

  it('refuses without an elevated token (net session fails) before touching the SCM', async () => {
    const { runner, argv } = recordingRunner({ 'net.exe session': { code: 2, stderr: 'System error 5 has occurred.\r\n\r\nAccess is denied.\r\n' } });
    const scm = new WindowsScmServiceControl({ dataDir: 'C:\\ORS', runner, wrapperExe: 'C:\\ORS\\ors-service.exe' });
    await assert.rejects(scm.install({ account: { kind: 'localSystem' } }), { code: 'ors.service.admin-required' });
    await assert.rejects(scm.uninstall(), { code: 'ors.service.admin-required' });
    assert.deepEqual(argv(), [['net.exe', 'session'], ['net.exe', 'session']]);
    await scm.dispose();
  });
});

describe('ors service from the command line', () => {
  for (const [lang, text] of [
    ['C', /needs administrator rights: run it with sudo/],
    ['de_DE.UTF-8', /sind Administratorrechte nötig: Führen Sie den Befehl mit sudo/],
  ] as const) {
    it(`refuses install and uninstall for a user without administrator rights, clearly (${lang})`, async () => {
      const t = await tempDir('ors-svc-cli-');
      for (const action of ['install', 'uninstall']) {
        const r = await run('runuser', ['-u', 'nobody', '--', process.execPath, '--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), 'service', action, '--data-dir', t.dir], { cwd: ROOT, env: { ...process.env, LC_ALL: lang, LANG: lang } });
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, text);
        assert.match(r.stderr, /\[ors\.service\.admin-required\]/);
      }
      await t.cleanup();
    });
  }

  it('status says that the console runs the service as its child here and prints the command that installs it', async () => {
    const t = await tempDir('ors-svc-cli-');
    const r = await runOrs(['service', 'status', '--data-dir', t.dir], { env: { ...process.env, LC_ALL: 'C' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /not installed in the OS: the console runs it as its child, and the automatic license update stops when the console closes/);
    assert.ok(r.stdout.includes(`service install --data-dir ${t.dir}`));
    await t.cleanup();
  });
});

describe('who runs the ORS service: the hosting the console shows', () => {
  it('gives the exact install command: the packaged `ors` with sudo on Linux, the full program quoted for cmd.exe on Windows', () => {
    assert.equal(installCommandFor('/var/lib/remote-service-licenses', { platform: 'linux', layout: LAYOUT }), 'sudo ors service install --data-dir /var/lib/remote-service-licenses');
    assert.equal(
      installCommandFor("/home/a b/it's", { platform: 'linux', layout: undefined, command: { command: '/usr/bin/node', args: ['/src/ors/bin/ors.js'] } }),
      `sudo /usr/bin/node /src/ors/bin/ors.js service install --data-dir '/home/a b/it'\\''s'`,
    );
    assert.equal(
      installCommandFor('C:\\ProgramData\\ORS data', { platform: 'win32', layout: undefined, command: { command: 'C:\\Program Files\\ORS\\node.exe', args: ['C:\\Program Files\\ORS\\bin\\ors.js'] } }),
      '"C:\\Program Files\\ORS\\node.exe" "C:\\Program Files\\ORS\\bin\\ors.js" service install --data-dir "C:\\ProgramData\\ORS data"',
    );
    assert.equal(installCommandFor('/x', { platform: 'darwin', layout: undefined }), undefined);
  });

  it('the embedded back-end says the service runs only as the console\'s child, with the install command', async () => {
    const control = new EmbeddedServiceControl({ dataDir: '/var/lib/x', installCommand: 'sudo ors service install --data-dir /var/lib/x' });
    assert.deepEqual(await firstValueFrom(control.hosting$), { backend: 'embedded', childOfConsole: true, installCommand: 'sudo ors service install --data-dir /var/lib/x' });
    await control.dispose();
  });

  it("'auto' hands over to the OS back-end once the service is installed there, and back to the console's child after uninstall", async () => {
    class Fake implements ServiceControl {
      readonly calls: string[] = [];
      readonly state = new BehaviorSubject<ServiceState>({ kind: 'stopped' });
      constructor(readonly backend: ServiceControlBackend) {}
      get state$(): Observable<ServiceState> {
        return this.state.asObservable();
      }
      get hosting$(): Observable<ServiceHosting> {
        return of({ backend: this.backend, childOfConsole: this.backend === 'embedded', ...(this.backend === 'embedded' ? { installCommand: 'sudo ors service install' } : {}) });
      }
      async start(): Promise<void> {
        this.calls.push('start');
        this.state.next({ kind: 'running', pid: 1 });
      }
      async stop(): Promise<void> {
        this.calls.push('stop');
      }
      async restart(): Promise<void> {
        this.calls.push('restart');
      }
      async dispose(): Promise<void> {
        this.calls.push('dispose');
      }
    }
    const made: Fake[] = [];
    let installed = false;
    const auto = new AutoServiceControl({
      initial: 'embedded',
      create: (b) => {
        const f = new Fake(b);
        made.push(f);
        return f;
      },
      detect: async () => (installed ? 'systemd' : 'embedded'),
      detectMs: 3_600_000,
    });
    const hostings: ServiceHosting[] = [];
    const sub = auto.hosting$.subscribe((h) => hostings.push(h));
    await auto.start();
    await auto.check();
    assert.equal(made.length, 1, 'nothing changes while the service is not installed');
    installed = true;
    await auto.check();
    assert.equal(auto.backend, 'systemd');
    assert.deepEqual(made[0]!.calls, ['start', 'dispose'], "the console's child is stopped (disposed) when the OS takes over");
    installed = false;
    await auto.check();
    assert.equal(auto.backend, 'embedded');
    assert.deepEqual(made[2]!.calls, ['start'], "after uninstall the console runs the service as its child again");
    assert.deepEqual(hostings.map((h) => h.childOfConsole), [true, false, true]);
    assert.equal(hostings[0]!.installCommand, 'sudo ors service install');
    sub.unsubscribe();
    await auto.dispose();
  });
});
