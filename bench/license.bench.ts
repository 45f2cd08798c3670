// License verification throughput (vs raw Ed25519 verify of the same bytes) and FLS pickup latency.
import { createPublicKey, verify } from 'node:crypto';
import * as path from 'node:path';
import { LICENSE_SIGNATURE_DOMAIN } from '../src/services/license/signer.js';
import { writeFileAtomic } from '../src/services/fs/atomic-file.js';
import { addDays, toCalendarDate } from '../src/common/license/dates.js';
import { samplePayload, vendor } from '../test/support/license-fixtures.js';
import { startFlsProcess, vendorOnDisk, waitForStatus } from '../test/support/license-servers.js';
import { tempDir } from '../test/support/processes.js';

function rate(fn: () => void, ms = 1500): number {
  for (let i = 0; i < 200; i++) fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
  }
  return (n * 1000) / (performance.now() - t0);
}

const v = vendor();
const text = v.signer.sign(samplePayload());
const verified = v.verifier.verify(text);
const key = createPublicKey(v.keys.publicKeyPem);
const message = Buffer.concat([LICENSE_SIGNATURE_DOMAIN, verified.payloadBytes]);
const env = JSON.parse(Buffer.from(text.split('\n').slice(1, -2).join(''), 'base64').toString()) as { sig: string };
const sig = Buffer.from(env.sig, 'base64');

const baseline = rate(() => {
  if (!verify(null, message, key, sig)) throw new Error('baseline verify failed');
});
const full = rate(() => v.verifier.verify(text));
console.log(`verify (armour + envelope + Ed25519 + schema): ${full.toFixed(0)}/s on one core (target >= 5000/s)`);
console.log(`baseline raw crypto.verify of the same bytes: ${baseline.toFixed(0)}/s`);
console.log(`ratio full/baseline: ${(full / baseline).toFixed(2)}`);

const { dir, cleanup } = await tempDir('ors-bench-license-');
const disk = await vendorOnDisk(dir);
const folder = path.join(dir, 'licenses');
const fls = await startFlsProcess(folder, disk.trustDir);
const today = toCalendarDate(Date.now());
const latencies: number[] = [];
try {
  for (let seq = 1; seq <= 30; seq++) {
    const lic = disk.signer.sign(samplePayload({ seq, issuedAt: '2026-01-01T00:00:00Z', notBefore: '2026-01-01T00:00:00Z', expiry: addDays(today, 365), maintenance: { start: today, end: addDays(today, 300) } }));
    const t0 = performance.now();
    await writeFileAtomic(path.join(folder, `SN-1001.lic`), lic);
    await waitForStatus(fls.url, (s) => s.licenses[0]?.payload.seq === seq, 10_000);
    latencies.push(performance.now() - t0);
  }
} finally {
  await fls.stop();
  await cleanup();
}
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
console.log(`FLS pickup after atomic install over ${latencies.length} installs (polling /status every 20 ms): p50 ${pct(50).toFixed(0)} ms, p99 ${pct(99).toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms (target p99 <= 2000 ms)`);
