// ORS service: [Restart] → status 'connected' (EmbeddedServiceControl.restart() until the new
// daemon reports connected to a real back office on loopback), p50/p99 over 20 runs, against the
// bare cost of starting the same node + tsx with an empty script (measured in this run); then the
// idle daemon's RSS and CPU over 30 s against an idle bare node process — run from the sources
// (node + tsx) and as an esbuild bundle like dist/ (the production shape, no tsx in memory).
import { spawn } from 'node:child_process';
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import { EmbeddedServiceControl } from '../src/services/ors-control/embedded-service-control.js';
import { startBackoffice } from '../test/support/backoffice-server.js';
import { prepareDataDir } from '../test/support/ors-daemon.js';
import { ROOT, tempDir } from '../test/support/processes.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 20);
const IDLE_MS = Number(process.env['BENCH_IDLE_MS'] ?? 30_000);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const TICKS = 100; // USER_HZ on Linux

function procStats(pid: number): { rssMb: number; cpuTicks: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rssMb: rssKb / 1024, cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

async function bareStartMs(): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const c = spawn(process.execPath, ['--import', 'tsx', '-e', 'process.stdout.write("up")'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
    c.stdout.once('data', () => resolve());
  });
  return performance.now() - t0;
}

async function idle(pid: number, ms: number): Promise<{ rssMb: number; cpuPct: number }> {
  const a = procStats(pid);
  await new Promise((r) => setTimeout(r, ms));
  const b = procStats(pid);
  return { rssMb: b.rssMb, cpuPct: ((b.cpuTicks - a.cpuTicks) / TICKS / (ms / 1000)) * 100 };
}

const bo = await startBackoffice();
const t = await tempDir('ors-bench-daemon-');
const control = new EmbeddedServiceControl({
  dataDir: t.dir,
  command: { command: process.execPath, args: ['--import', 'tsx', path.join(ROOT, 'test/support/ors-daemon-main.ts')] },
  endpointRetryMs: 20,
});
try {
  await prepareDataDir(t.dir, bo);
  const connected = (notPid?: number) =>
    firstValueFrom(control.state$.pipe(filter((s) => s.kind === 'running' && s.pid !== notPid && s.status?.connection.kind === 'connected')));
  await control.start();
  let pid = ((await connected()) as { pid: number }).pid;
  const restart: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await control.restart();
    pid = ((await connected(pid)) as { pid: number }).pid;
    restart.push(performance.now() - t0);
    bare.push(await bareStartMs());
  }
  const r50 = pct(restart, 50);
  const b50 = pct(bare, 50);
  console.log(`[Restart] → connected over ${RUNS} runs: p50 ${r50.toFixed(0)} ms, p99 ${pct(restart, 99).toFixed(0)} ms (target ≤ 1500 ms)`);
  console.log(`baseline node+tsx start of an empty script: p50 ${b50.toFixed(0)} ms, p99 ${pct(bare, 99).toFixed(0)} ms; ratio p50 ${(r50 / b50).toFixed(2)}×`);

  // The bundled daemon (as `npm run build` makes dist/ors.js), on its own data dir copy of the settings.
  const bundle = path.join(ROOT, 'node_modules', '.cache', 'ors-bench', 'ors-daemon.mjs');
  await esbuild.build({ entryPoints: [path.join(ROOT, 'test/support/ors-daemon-main.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: bundle, logLevel: 'warning', tsconfig: path.join(ROOT, 'tsconfig.json') });
  const t2 = await tempDir('ors-bench-daemon-');
  await prepareDataDir(t2.dir, bo);
  const bundled = new EmbeddedServiceControl({ dataDir: t2.dir, command: { command: process.execPath, args: [bundle] }, endpointRetryMs: 20 });
  await bundled.start();
  const bpid = ((await firstValueFrom(bundled.state$.pipe(filter((s) => s.kind === 'running' && s.status?.connection.kind === 'connected')))) as { pid: number }).pid;
  const baseline = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  const [d, db, b] = await Promise.all([idle(pid, IDLE_MS), idle(bpid, IDLE_MS), idle(baseline.pid!, IDLE_MS)]);
  baseline.kill('SIGKILL');
  await bundled.dispose();
  await t2.cleanup();
  console.log(`idle daemon over ${IDLE_MS / 1000} s (heartbeat 60 s), from sources (tsx): RSS ${d.rssMb.toFixed(1)} MB, CPU ${d.cpuPct.toFixed(2)} %`);
  console.log(`idle daemon, bundled like dist/: RSS ${db.rssMb.toFixed(1)} MB (target ≤ 80), CPU ${db.cpuPct.toFixed(2)} % (target ≤ 1)`);
  console.log(`baseline idle bare node: RSS ${b.rssMb.toFixed(1)} MB, CPU ${b.cpuPct.toFixed(2)} %; RSS ratio bundled/bare ${(db.rssMb / b.rssMb).toFixed(2)}×`);
} finally {
  await control.dispose();
  await bo.stop();
  await t.cleanup();
}
