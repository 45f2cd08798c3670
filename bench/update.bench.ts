// Automatic license update: entitlement change at the back office → the license server serves the
// new license, p50/p99 over N runs, local folder and remote share (Samba) — each against a baseline
// measured in the same run: the same new license written straight into the FLS's folder (what is
// left is the ORS service's own work: long-poll wake, verify, install, confirm). Then the requests
// per hour the idle ORS service sends to the back office (long-poll, heartbeat), from the back
// office's own request log over IDLE_SECONDS.
// Usage: node --import tsx bench/update.bench.ts [RUNS] [IDLE_SECONDS]
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../src/services/fs/atomic-file.js';
import { flsStatus, startFlsProcess } from '../test/support/license-servers.js';
import { prepareDataDir } from '../test/support/ors-daemon.js';
import { ROOT, startOrs, startProcess, tempDir } from '../test/support/processes.js';
import { DEFAULT_SAMBA_USER, startSamba } from '../test/support/samba-server.js';
import { currentArmoured, orsBundle, startUpdateRig, type UpdateRig } from '../test/support/update-fixture.js';
import type { RunningBackoffice } from '../test/support/backoffice-server.js';

const RUNS = Number(process.argv[2] ?? 40);
const IDLE_SECONDS = Number(process.argv[3] ?? 120);
// Production long-poll (55–59 s): an empty value makes the daemon use its default.
const PRODUCTION_ENV = { ORS_UPDATE_WAIT_SECONDS: '' };

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const fmt = (ms: number): string => `${ms.toFixed(0)} ms`;

async function servedWithin(url: string, serial: string, seq: number, deadlineMs = 20_000): Promise<void> {
  const t0 = performance.now();
  for (;;) {
    const s = await flsStatus(url).catch(() => undefined);
    if (s?.licenses.some((l) => l.payload.serial === serial && l.payload.seq >= seq)) return;
    if (performance.now() - t0 > deadlineMs) throw new Error(`seq ${seq} not served within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Entitlement change → served, with the daemon running; then the baseline with the daemon stopped. */
async function measure(rig: UpdateRig, folder: string, label: string): Promise<void> {
  let users = 1000;
  const update: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const { seq } = await rig.setUsers(++users);
    await servedWithin(rig.flsUrl, rig.serial, seq);
    update.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 50));
  }
  await rig.daemon?.stop();
  rig.daemon = undefined;
  const direct: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { seq } = await rig.setUsers(++users);
    const lic = await currentArmoured(rig.bo);
    const t0 = performance.now();
    await writeFileAtomic(path.join(folder, `${rig.serial}.lic`), lic.license);
    await servedWithin(rig.flsUrl, rig.serial, seq);
    direct.push(performance.now() - t0);
  }
  const [p50, p99, b50, b99] = [pct(update, 50), pct(update, 99), pct(direct, 50), pct(direct, 99)];
  console.log(`${label}: entitlement change → served  p50 ${fmt(p50)}  p99 ${fmt(p99)}  (${RUNS} runs)`);
  console.log(`${label}: baseline, file written into the FLS folder → served  p50 ${fmt(b50)}  p99 ${fmt(b99)}`);
  console.log(`${label}: ratio vs baseline  p50 ${(p50 / b50).toFixed(1)}×  p99 ${(p99 / b99).toFixed(1)}×  (ORS service's own share p50 ≈ ${fmt(p50 - b50)})`);
}

async function local(): Promise<void> {
  const rig = await startUpdateRig();
  try {
    await rig.startDaemon(PRODUCTION_ENV);
    await rig.waitForStatus((s) => s.update?.phase === 'waiting' && s.connection.kind === 'connected');
    await measure(rig, rig.folder, 'local');
  } finally {
    await rig.stop();
  }
}

async function remote(): Promise<void> {
  const rig = await startUpdateRig();
  const cur = await currentArmoured(rig.bo);
  const samba = await startSamba({ shares: [{ name: 'licenses', files: { [`lic/${rig.serial}.lic`]: cur.license, 'lic/history/.keep': '' } }] });
  const folder = path.join(samba.pathOf('licenses'), 'lic');
  const fls = await startFlsProcess(folder, rig.trustDir);
  try {
    await rig.select({ kind: 'remote', host: '127.0.0.1', port: Number(new URL(fls.url).port), share: '\\\\127.0.0.1\\licenses\\lic', smbPort: samba.port }, DEFAULT_SAMBA_USER);
    rig.flsUrl = fls.url;
    await rig.startDaemon(PRODUCTION_ENV);
    await rig.waitForStatus((s) => s.update?.phase === 'waiting' && s.connection.kind === 'connected');
    await measure(rig, folder, 'remote (SMB)');
  } finally {
    await rig.daemon?.stop();
    await fls.stop();
    await samba.stop();
    await rig.stop();
  }
}

/** A back office that logs every request (debug), for counting what the idle ORS service sends. */
interface CountingBackoffice {
  readonly bo: RunningBackoffice;
  /** Starts counting from now. */
  mark(): void;
  requests(): { all: number; license: number; heartbeat: number };
}

async function countingBackoffice(): Promise<CountingBackoffice> {
  const t = await tempDir('ors-bench-bo-');
  const proc = await startOrs(['backoffice', 'serve', '--demo', '--port', '0', '--data-dir', t.dir], {
    waitFor: /Back office listening on (https:\/\/127\.0\.0\.1:(\d+))/,
    env: { ...process.env, LC_ALL: 'C', ORS_LOG_LEVEL: 'debug' },
    timeoutMs: 60_000,
  });
  const out = proc.output();
  const pick = (re: RegExp): string => re.exec(out)?.[1] ?? '';
  const bo: RunningBackoffice = {
    url: proc.match[1]!,
    port: Number(proc.match[2]),
    caPem: await readFile(pick(/CA certificate \(trust this\): (\S+)/), 'utf8'),
    orgId: pick(/Demo service organisation ID: (\S+)/),
    code: pick(/Demo verification code: (\S+)/),
    serial: pick(/Demo serial number: (\S+)/),
    dataDir: t.dir,
    kid: pick(/License signing key (\S+),/),
    publicKeyPem: await readFile(pick(/License signing key \S+, public key: (\S+)/), 'utf8'),
    process: proc,
    stop: async () => {
      await proc.stop();
      await t.cleanup();
    },
  };
  let from = 0;
  return {
    bo,
    requests: () => {
      const lines = proc.output().slice(from).split('\n').filter((l) => l.includes('"msg":"request"'));
      return { all: lines.length, license: lines.filter((l) => /\/license"/.test(l)).length, heartbeat: lines.filter((l) => /"method":"PUT"/.test(l)).length };
    },
    mark: () => void (from = proc.output().length),
  };
}

async function idle(): Promise<void> {
  const counting = await countingBackoffice();
  const t = await tempDir('ors-bench-idle-');
  const stores = await prepareDataDir(t.dir, counting.bo);
  const folder = path.join(stores.pluginDir, 'licenses');
  const fls = await startFlsProcess(folder, path.join(stores.pluginDir, 'trust'));
  await stores.settings.update({ licenseServer: { kind: 'local', folder, flsUrl: fls.url } }, stores.settings.get().version);
  // The daemon with the CLI's defaults: heartbeat 15 min, long-poll 55–59 s.
  const daemon = await startProcess(process.execPath, [await orsBundle(), 'daemon', '--data-dir', t.dir], {
    cwd: ROOT,
    waitFor: /status endpoint listening/,
    env: { ...process.env, ORS_LOG_LEVEL: 'info' },
  });
  try {
    await new Promise((r) => setTimeout(r, 5_000)); // connected, first long-poll held
    counting.mark();
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const n = counting.requests();
    const perHour = (x: number): string => ((x * 3600) / IDLE_SECONDS).toFixed(0);
    console.log(`idle over ${IDLE_SECONDS} s: ${n.all} requests → ${perHour(n.all)}/h  (license long-polls ${perHour(n.license)}/h, heartbeats ${perHour(n.heartbeat)}/h)`);
    console.log(`idle baseline: one request a minute = 60/h; update loop alone vs baseline ${(Number(perHour(n.license)) / 60).toFixed(2)}×`);
  } finally {
    await daemon.stop();
    await fls.stop();
    stores.settings.close();
    await counting.bo.stop();
    await t.cleanup();
  }
}

await local();
await remote();
await idle();
process.exit(0);
