// The one CommandRunner: the real spawn runner against real child processes (Node itself), and its
// binding in the platform module, which the service controls, TeamViewer discovery and the OS proxy
// settings use — rebound here with a fake answering from the fixtures (systemd, `teamviewer info`,
// gsettings: the Linux paths).
import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Container } from 'inversify';
import { ProxyResolverFactory } from '../../src/services/proxy/proxy-resolver.js';
import { ServiceControlFactory } from '../../src/services/ors-control/service-control-factory.js';
import { SystemdServiceControl } from '../../src/services/ors-control/systemd-service-control.js';
import { platformModule } from '../../src/services/platform-module.js';
import { CommandRunner, SpawnCommandRunner, type CommandResult } from '../../src/services/process/command-runner.js';
import { TeamViewerDiscovery } from '../../src/services/teamviewer/teamviewer-discovery.js';
import { ROOT, tempDir } from '../support/processes.js';

const node = process.execPath;

describe('the spawn command runner', () => {
  const runner = new SpawnCommandRunner();

  it('passes arguments as they are (no shell), stdin to the child, and returns code and both outputs', async () => {
    const script = 'let s="";process.stdin.on("data",(c)=>s+=c).on("end",()=>{console.log(JSON.stringify(process.argv.slice(1)));console.error("in:"+s);process.exit(3)})';
    const args = ['$(touch pwned)', 'a; echo b', '"quoted" \'single\'', '*'];
    const r = await runner.run(node, ['-e', script, ...args], { stdin: 'sëcret' });
    assert.equal(r.code, 3);
    assert.deepEqual(JSON.parse(r.stdout), args);
    assert.equal(r.stderr.trim(), 'in:sëcret');
  });

  it('keeps a character whole when it arrives split over two chunks', async () => {
    // 'ü' is C3 BC: the child writes the two bytes separately, the second after the first has gone out.
    const script = 'process.stdout.write(Buffer.from([0xc3]),()=>setImmediate(()=>process.stdout.write(Buffer.from([0xbc]))))';
    assert.equal((await runner.run(node, ['-e', script])).stdout, 'ü');
  });

  it('kills the program at the deadline (code null) and rejects a program that does not exist', async () => {
    const r = await runner.run(node, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 300 });
    assert.equal(r.code, null);
    await assert.rejects(runner.run(path.join(ROOT, 'no-such-program'), []), { code: 'ENOENT' });
  });
});

describe('one CommandRunner in the platform module', () => {
  it('the service control, TeamViewer discovery and the OS proxy settings run their programs through the bound runner (rebound with a fake)', async () => {
    const t = await tempDir('ors-runner-');
    try {
      const answers: Record<string, string> = {
        systemctl: await readFile(path.join(ROOT, 'test/fixtures/ors/systemctl-show-active.txt'), 'utf8'),
        TeamViewerQS: await readFile(path.join(ROOT, 'test/fixtures/remote-assistance/teamviewer-info.txt'), 'utf8'),
        gsettings: await readFile(path.join(ROOT, 'test/fixtures/proxy/os/gsettings-manual.txt'), 'utf8'),
      };
      const ran: string[][] = [];
      const fake: CommandRunner = {
        run: async (command, args): Promise<CommandResult> => {
          ran.push([path.basename(command), ...args]);
          return { code: 0, stdout: answers[path.basename(command)] ?? '', stderr: '' };
        },
      };
      const container = new Container();
      container.load(platformModule);
      (await container.rebind(CommandRunner)).toConstantValue(fake);

      const control = container.get<ServiceControlFactory>(ServiceControlFactory).create('systemd', t.dir);
      assert.ok(control instanceof SystemdServiceControl);
      assert.deepEqual(await control.refresh(), { kind: 'running', pid: 2817 });
      await control.dispose();

      const qs = path.join(t.dir, 'qs', 'TeamViewerQS');
      await mkdir(path.dirname(qs), { recursive: true });
      await writeFile(qs, '#!/bin/sh\nexit 0\n');
      await chmod(qs, 0o755);
      const found = await container.get<TeamViewerDiscovery>(TeamViewerDiscovery).discover(qs);
      assert.deepEqual(found, { kind: 'available', installation: { kind: 'quicksupport', executable: qs, source: 'configured', version: '15.48.4' } });

      // The OS proxy settings (auto-detect on a GNOME desktop without proxy variables) as well.
      const resolver = container.get<ProxyResolverFactory>(ProxyResolverFactory).create({ mode: 'auto', host: '', port: 0, username: '', domain: '' }, { XDG_CURRENT_DESKTOP: 'GNOME' });
      const resolved = await resolver.resolve('https://bo.example/');
      resolver.dispose();
      assert.deepEqual([resolved.source, resolved.candidates], ['gnome', [{ kind: 'proxy', host: 'gnome.corp', port: 3128 }]]);

      assert.deepEqual(ran, [
        ['systemctl', 'show', '-p', 'LoadState,ActiveState,SubState,MainPID,ExecMainStatus', 'ors.service'],
        ['TeamViewerQS', 'info'],
        ['gsettings', 'list-recursively', 'org.gnome.system.proxy'],
      ]);
    } finally {
      await t.cleanup();
    }
  });
});
