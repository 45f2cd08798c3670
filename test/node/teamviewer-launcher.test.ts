import assert from 'node:assert/strict';
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { filter, firstValueFrom, timeout, toArray, takeWhile } from 'rxjs';
import { CodedError } from '../../src/common/errors.js';
import type { LaunchState, TeamViewerInstallation } from '../../src/common/remote-assistance/model.js';
import { TeamViewerLauncher, type SpawnFunction } from '../../src/services/teamviewer/launcher.js';
import { proxyHandOff } from '../../src/services/teamviewer/proxy-hand-off.js';
import { createStandIn, isAlive, type StandIn } from '../support/remote-assistance-standin.js';
import { tempDir } from '../support/processes.js';

const until = (l: TeamViewerLauncher, p: (s: LaunchState) => boolean, ms = 10_000) => firstValueFrom(l.state$.pipe(filter(p), timeout(ms)));

function recordingSpawn(): SpawnFunction & { calls: { file: string; args: readonly string[]; options: SpawnOptions }[] } {
  const calls: { file: string; args: readonly string[]; options: SpawnOptions }[] = [];
  const fn = ((file: string, args: readonly string[], options: SpawnOptions): ChildProcess => {
    calls.push({ file, args, options });
    return spawn(file, args, options);
  }) as SpawnFunction & { calls: typeof calls };
  fn.calls = calls;
  return fn;
}

describe('TeamViewer launcher with a real stand-in program', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let standIn: StandIn;
  let installation: TeamViewerInstallation;
  // A folder name a shell would act on: quotes, $(…), ; and a glob.
  const nasty = `Quick Support "v15" it's $(touch PWNED); echo x*`;
  const others: ChildProcess[] = [];

  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-tv-launcher-'));
    standIn = await createStandIn(path.join(dir, nasty), 'TeamViewerQS', { id: '1234567890', printId: true, lingerMs: 60_000 });
    installation = { kind: 'quicksupport', executable: standIn.executable, source: 'configured' };
  });
  after(async () => {
    for (const c of others) if (c.pid && isAlive(c.pid)) process.kill(c.pid, 'SIGKILL');
    await cleanup();
  });

  it('goes ready → starting → running (pid, ID from its output) → ended (exit code), and the path never reaches a shell', async () => {
    await standIn.configure({ id: '1234567890', printId: true, lingerMs: 300, exitCode: 3 });
    const rec = recordingSpawn();
    const launcher = new TeamViewerLauncher({ spawn: rec });
    launcher.setAvailability({ kind: 'available', installation });
    const seen = firstValueFrom(launcher.state$.pipe(takeWhile((s) => s.kind !== 'ended', true), toArray(), timeout(10_000)));
    const running = await launcher.start(installation, ['--proxy-test', 'a b"c']);
    assert.equal(running.kind, 'running');
    const states = await seen;
    assert.deepEqual(states.map((s) => s.kind), ['ready', 'starting', 'running', 'running', 'ended']);
    const withId = states[3]!;
    assert.equal(withId.kind === 'running' && withId.id, '1234567890');
    const end = states[4]!;
    assert.ok(end.kind === 'ended');
    assert.equal(end.exitCode, 3);
    assert.equal(end.stopped, false);
    assert.equal(end.id, '1234567890');
    // The argv as spawned and as the program received it.
    assert.equal(rec.calls.length, 1);
    assert.equal(rec.calls[0]!.file, standIn.executable);
    assert.deepEqual(rec.calls[0]!.args, ['--proxy-test', 'a b"c']);
    assert.equal(rec.calls[0]!.options.shell, false);
    assert.equal(rec.calls[0]!.options.detached, true);
    const starts = await standIn.starts();
    assert.deepEqual(starts.map((s) => s.argv), [['--proxy-test', 'a b"c']]);
    assert.equal(starts[0]!.pid, running.kind === 'running' ? running.pid : -1);
    assert.equal(existsSync(path.join(dir, nasty, 'PWNED')) || existsSync(path.join(process.cwd(), 'PWNED')), false);
  });

  it('Stop ends only the process it started: another TeamViewer on the machine keeps running', async () => {
    await standIn.configure({ id: '1234567890', lingerMs: 60_000 });
    const other = spawn(standIn.executable, [], { stdio: 'ignore' });
    others.push(other);
    await new Promise((r) => other.once('spawn', r));
    const launcher = new TeamViewerLauncher();
    const running = await launcher.start(installation);
    assert.ok(running.kind === 'running');
    const ended = await launcher.stop();
    assert.ok(ended.kind === 'ended');
    assert.equal(ended.stopped, true);
    assert.equal(ended.signal, 'SIGTERM');
    assert.equal(isAlive(running.pid), false);
    assert.equal(isAlive(other.pid!), true, 'the other TeamViewer process was touched');
    other.kill('SIGKILL');
  });

  it('keeps a session running while what the program started still runs (Linux teamviewer script), and Stop ends that too', async () => {
    await standIn.configure({ handOver: true });
    const launcher = new TeamViewerLauncher({ groupPollMs: 50 });
    const running = await launcher.start(installation);
    assert.ok(running.kind === 'running');
    const started = async () => (await standIn.starts()).find((s) => s.pid === running.pid);
    for (let i = 0; i < 100 && !(await started()); i++) await new Promise((r) => setTimeout(r, 20));
    const record = (await started())!;
    assert.ok(record.helper, 'the stand-in started its helper');
    for (let i = 0; i < 100 && isAlive(running.pid); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(isAlive(running.pid), false, 'the started program itself has exited');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(launcher.state.kind, 'running');
    assert.equal(launcher.active, true);
    const ended = await launcher.stop();
    assert.ok(ended.kind === 'ended');
    assert.equal(ended.stopped, true);
    assert.equal(ended.exitCode, 0);
    assert.equal(isAlive(record.helper), false);
  });

  it('ends the session by itself once the last process of what it started is gone', async () => {
    await standIn.configure({ handOver: true });
    const launcher = new TeamViewerLauncher({ groupPollMs: 50 });
    const running = await launcher.start(installation);
    assert.ok(running.kind === 'running');
    let record;
    for (let i = 0; i < 100 && !(record = (await standIn.starts()).find((s) => s.pid === running.pid)); i++) await new Promise((r) => setTimeout(r, 20));
    process.kill(record!.helper!, 'SIGKILL');
    const ended = await until(launcher, (s) => s.kind === 'ended');
    assert.ok(ended.kind === 'ended');
    assert.equal(ended.stopped, false);
    assert.equal(ended.exitCode, 0);
  });

  it('Stop kills a TeamViewer that ignores SIGTERM after the grace period', async () => {
    await standIn.configure({ lingerMs: 60_000, ignoreTerm: true });
    const launcher = new TeamViewerLauncher({ stopGraceMs: 300 });
    const running = await launcher.start(installation);
    assert.ok(running.kind === 'running');
    // Let the stand-in install its SIGTERM handler.
    await new Promise((r) => setTimeout(r, 400));
    const ended = await launcher.stop();
    assert.ok(ended.kind === 'ended');
    assert.equal(ended.signal, 'SIGKILL');
    assert.equal(isAlive(running.pid), false);
  });

  it('Stop without a session of its own is refused, and a second Start while one runs too', async () => {
    await standIn.configure({ lingerMs: 60_000 });
    const launcher = new TeamViewerLauncher();
    await assert.rejects(launcher.stop(), (e: unknown) => e instanceof CodedError && e.code === 'remote-assistance.not-running');
    const running = await launcher.start(installation);
    assert.throws(() => launcher.start(installation), (e: unknown) => e instanceof CodedError && e.code === 'remote-assistance.already-running');
    await launcher.stop();
    assert.ok(running.kind === 'running' && !isAlive(running.pid));
  });

  it('reads the ID through the injected reader while the program runs (registry / `teamviewer info`)', async () => {
    await standIn.configure({ lingerMs: 60_000 });
    let calls = 0;
    const launcher = new TeamViewerLauncher({ readId: async () => (++calls >= 2 ? '777888999' : undefined), idPollMs: 50 });
    await launcher.start(installation);
    const withId = await until(launcher, (s) => s.kind === 'running' && s.id !== undefined);
    assert.equal(withId.kind === 'running' && withId.id, '777888999');
    await launcher.stop();
  });

  it('reports a program that cannot be started (not executable) as failed, naming the path', async () => {
    const bad = path.join(dir, 'not executable', 'TeamViewerQS');
    await createStandIn(path.dirname(bad), 'TeamViewerQS');
    await chmod(bad, 0o644);
    const launcher = new TeamViewerLauncher();
    const s = await launcher.start({ ...installation, executable: bad });
    assert.equal(s.kind, 'failed');
    assert.deepEqual(s.kind === 'failed' && s.error, { code: 'remote-assistance.spawn-failed', params: { path: bad, reason: 'EACCES' } });
    assert.equal(launcher.active, false);
  });

  it('follows discovery while idle: not-installed when TeamViewer disappears', () => {
    const launcher = new TeamViewerLauncher();
    launcher.setAvailability({ kind: 'available', installation });
    assert.equal(launcher.state.kind, 'ready');
    launcher.setAvailability({ kind: 'not-found', platform: 'linux' });
    assert.equal(launcher.state.kind, 'not-installed');
  });
});

describe('TeamViewer proxy hand-off', () => {
  const i: TeamViewerInstallation = { kind: 'full', executable: '/opt/teamviewer/tv_bin/script/teamviewer', source: 'opt' };
  it('gives the exact values for TeamViewer\'s proxy dialog for a manual proxy, user as DOMAIN\\user, never a password', () => {
    assert.deepEqual(proxyHandOff(i, { mode: 'manual', host: 'proxy.corp.example', port: 3128, authenticate: true, username: 'svc', domain: 'CORP' }), {
      kind: 'dialog',
      host: 'proxy.corp.example',
      port: 3128,
      username: 'CORP\\svc',
      passwordRequired: true,
    });
    assert.deepEqual(proxyHandOff(i, { mode: 'manual', host: '10.0.0.8', port: 8080 }), { kind: 'dialog', host: '10.0.0.8', port: 8080, passwordRequired: false });
  });
  it('has nothing to hand over without a manual proxy', () => {
    assert.deepEqual(proxyHandOff(i, { mode: 'none' }), { kind: 'none' });
    assert.deepEqual(proxyHandOff(undefined, undefined), { kind: 'none' });
  });
});
