// Remote license install (connect + put + keep .prev + rename + read back and verify) against a bare
// `smbclient put` of the same file, on a private Samba on loopback (SMB3, signing mandatory), same run.
// Also shown: the same install done as separate smbclient calls (one logon per command), the
// approach the one-session design replaces.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { SmbclientShareClient } from '../src/services/share/smbclient-share-client.js';
import { tempDir } from '../test/support/processes.js';
import { startSamba } from '../test/support/samba-server.js';

const N = 20;

function smbclient(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('smbclient', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('close', () => (/NT_STATUS_/.test(out) ? reject(new Error(out)) : resolve(out)));
  });
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const samba = await startSamba();
const work = await tempDir('ors-share-bench-');
try {
  const user = samba.users[0]!;
  const auth = path.join(work.dir, 'auth');
  await writeFile(auth, `username=${user.username}\npassword=${user.password}\n`, { mode: 0o600 });
  const license = new Uint8Array(4096).map((_, i) => (i * 31) & 0xff); // a few KB, like a license file
  const local = path.join(work.dir, 'license.lic');
  await writeFile(local, license);
  const base = [`//127.0.0.1/licenses`, '-p', String(samba.port), '-A', auth, '-t', '10', '-D', 'lic'];
  const client = new SmbclientShareClient();
  const loc = { host: samba.host, port: samba.port, share: 'licenses', folder: 'lic' };

  const runs: Record<string, () => Promise<unknown>> = {
    'bare smbclient put': () => smbclient([...base, '-c', 'put license.lic bare.lic'], work.dir),
    'install (one session)': () => client.install(loc, user, 'installed.lic', license),
    'install (separate calls)': async () => {
      await smbclient([...base, '-c', 'put license.lic .sep.lic.tmp-1'], work.dir);
      await smbclient([...base, '-c', 'hardlink sep.lic .sep.lic.prev.tmp-1'], work.dir).catch(() => undefined);
      await smbclient([...base, '-c', 'rename .sep.lic.prev.tmp-1 sep.lic.prev -f'], work.dir).catch(() => undefined);
      await smbclient([...base, '-c', 'rename .sep.lic.tmp-1 sep.lic -f'], work.dir);
      await smbclient([...base, '-c', `get sep.lic ${path.join(work.dir, 'back.lic')}`], work.dir);
    },
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  for (const fn of Object.values(runs)) await fn(); // warm-up
  for (let i = 0; i < N; i++) {
    for (const [name, fn] of Object.entries(runs)) {
      const t0 = performance.now();
      await fn();
      times[name]!.push(performance.now() - t0);
    }
  }
  const stats = Object.fromEntries(
    Object.entries(times).map(([k, v]) => {
      const s = [...v].sort((a, b) => a - b);
      return [k, { p50: pct(s, 50), p99: pct(s, 99) }];
    }),
  );
  console.log(`SMB remote install, ${N} runs each, 4 KiB file, Samba on loopback (SMB3, signing mandatory)`);
  for (const [k, s] of Object.entries(stats)) console.log(`  ${k.padEnd(26)} p50 ${s.p50.toFixed(1).padStart(7)} ms   p99 ${s.p99.toFixed(1).padStart(7)} ms`);
  const bare = stats['bare smbclient put']!;
  for (const k of ['install (one session)', 'install (separate calls)']) {
    console.log(`  ratio ${k} / bare put: p50 ${(stats[k]!.p50 / bare.p50).toFixed(2)}x  p99 ${(stats[k]!.p99 / bare.p99).toFixed(2)}x (target <= 1.5x)`);
  }
} finally {
  await work.cleanup();
  await samba.stop();
}
