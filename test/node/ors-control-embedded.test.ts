import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { firstValueFrom, filter, timeout } from 'rxjs';
import type { ServiceState } from '../../src/common/remote-service/model.js';
import { Backoff } from '../../src/common/backoff.js';
import { EmbeddedServiceControl } from '../../src/services/ors-control/embedded-service-control.js';
import { startBackoffice, type RunningBackoffice } from '../support/backoffice-server.js';
import { prepareDataDir } from '../support/ors-daemon.js';
import { ROOT, tempDir } from '../support/processes.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('embedded service control: the console supervises ors daemon', () => {
  let bo: RunningBackoffice;
  let temp: Awaited<ReturnType<typeof tempDir>>;
  before(async () => {
    bo = await startBackoffice();
    temp = await tempDir('ors-control-');
    await prepareDataDir(temp.dir, bo);
  });
  after(async () => {
    await bo.stop();
    await temp.cleanup();
  });

  it('starts the daemon, restarts it after kill -9 with the gap visible, and stops it', async () => {
    const control = new EmbeddedServiceControl({
      dataDir: temp.dir,
      command: { command: process.execPath, args: ['--import', 'tsx', path.join(ROOT, 'test/support/ors-daemon-main.ts')] },
      extraArgs: ['--heartbeat-seconds', '1'],
      restartBackoff: new Backoff({ baseMs: 300, maxMs: 300, random: () => 1 }),
      endpointRetryMs: 100,
    });
    const seen: ServiceState[] = [];
    const sub = control.state$.subscribe((s) => seen.push(s));
    const until = (p: (s: ServiceState) => boolean, ms = 20_000) =>
      firstValueFrom(control.state$.pipe(filter(p), timeout({ first: ms, with: () => { throw new Error(`no such state; seen ${JSON.stringify(seen.map((s) => s.kind))}`); } })));
    try {
      await control.start();
      const first = await until((s) => s.kind === 'running' && s.status?.connection.kind === 'connected');
      assert.equal(first.kind, 'running');
      if (first.kind !== 'running') return;
      const pid = first.pid!;
      assert.equal(first.status?.pid, pid);
      assert.equal(first.status?.license?.serial, bo.serial);

      process.kill(pid, 'SIGKILL');
      const crashed = await until((s) => s.kind === 'crashed');
      assert.equal(crashed.kind === 'crashed' && crashed.exitCode, 'SIGKILL');
      assert.ok(crashed.kind === 'crashed' && crashed.restartAt);
      const second = await until((s) => s.kind === 'running' && s.pid !== pid && s.status?.connection.kind === 'connected');
      assert.ok(second.kind === 'running' && second.status?.pid === second.pid);
      const kinds = seen.map((s) => s.kind);
      const crashAt = kinds.indexOf('crashed');
      assert.ok(crashAt > 0 && kinds.slice(crashAt).includes('starting'), `the gap shows: ${kinds.join(' → ')}`);
      assert.ok(control.logs().some((l) => /exited unexpectedly/.test(l)));
      assert.ok(control.logs().some((l) => /"msg":"connected"/.test(l)), 'the daemon log lines are kept');

      const newPid = (second as { pid: number }).pid;
      await control.stop();
      assert.equal(seen.at(-1)?.kind, 'stopped');
      assert.equal(alive(newPid), false);
      await new Promise((r) => setTimeout(r, 800));
      assert.equal(seen.at(-1)?.kind, 'stopped', 'a stopped service is not restarted');
    } finally {
      sub.unsubscribe();
      await control.dispose();
    }
  });
});
