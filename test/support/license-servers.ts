import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { FlsStatus } from '../../src/common/license/fls-api.js';
import { generateKeyPair, createLicenseSigner } from '../../src/services/license/signer.js';
import { writeFileAtomic } from '../../src/services/fs/atomic-file.js';
import { freePort, startOrs, type Started } from './processes.js';

/** A vendor key pair written to `<dir>/trust/<kid>.pub`, with a signer. */
export async function vendorOnDisk(dir: string) {
  const keys = generateKeyPair();
  const trustDir = path.join(dir, 'trust');
  await mkdir(trustDir, { recursive: true });
  await writeFileAtomic(path.join(trustDir, `${keys.kid}.pub`), keys.publicKeyPem);
  return { keys, trustDir, signer: createLicenseSigner(keys.privateKeyPem, keys.kid) };
}

/** Starts a real `ors fls` process on a free port. Stop it with `.stop()`. */
export async function startFlsProcess(folder: string, trustDir: string, extra: string[] = []): Promise<Started & { url: string }> {
  await mkdir(folder, { recursive: true });
  const port = await freePort();
  const started = await startOrs(['fls', '--folder', folder, '--port', String(port), '--trust', trustDir, ...extra], {
    waitFor: /FLS listening on (http:\/\/127\.0\.0\.1:\d+)/,
  });
  return Object.assign(started, { url: started.match[1]! });
}

export async function flsStatus(url: string): Promise<FlsStatus> {
  const res = await fetch(`${url}/status`, { signal: AbortSignal.timeout(5000) });
  return (await res.json()) as FlsStatus;
}

export async function flsPost(url: string, route: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Polls /status until `predicate` holds; throws after `deadlineMs`. Returns the elapsed ms. */
export async function waitForStatus(url: string, predicate: (s: FlsStatus) => boolean, deadlineMs = 5000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (predicate(await flsStatus(url))) return performance.now() - t0;
    if (performance.now() - t0 > deadlineMs) throw new Error(`FLS status did not reach the expected state within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
