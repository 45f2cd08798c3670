// The reference back office with a certificate for a non-loopback name (backoffice.test), so that a
// client goes through a proxy (loopback addresses always bypass it). Squid maps the name to 127.0.0.1.
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { RunningBackoffice } from './backoffice-server.js';
import { makeTestCa } from './proxy-origin.js';
import { startOrs, tempDir } from './processes.js';

export const BACKOFFICE_HOST = 'backoffice.test';

export async function startNamedBackoffice(): Promise<RunningBackoffice & { proxiedUrl: string }> {
  const ca = await makeTestCa([BACKOFFICE_HOST, 'localhost']);
  const temp = await tempDir('ors-backoffice-');
  await writeFile(path.join(ca.dir, 'server.crt'), ca.certPem);
  const proc = await startOrs(
    ['backoffice', 'serve', '--demo', '--port', '0', '--data-dir', temp.dir, '--cert', path.join(ca.dir, 'server.crt'), '--key', path.join(ca.dir, 'server.key')],
    { waitFor: /Back office listening on (https:\/\/127\.0\.0\.1:(\d+))/, env: { ...process.env, LC_ALL: 'C', ORS_LOG_LEVEL: 'warn' }, timeoutMs: 60_000 },
  ).catch(async (e: unknown) => {
    await temp.cleanup();
    await ca.cleanup();
    throw e;
  });
  const out = proc.output();
  const pick = (re: RegExp): string => re.exec(out)?.[1] ?? '';
  const port = Number(proc.match[2]);
  return {
    url: proc.match[1]!,
    proxiedUrl: `https://${BACKOFFICE_HOST}:${port}`,
    port,
    caPem: ca.caPem,
    orgId: pick(/Demo service organisation ID: (\S+)/),
    code: pick(/Demo verification code: (\S+)/),
    serial: pick(/Demo serial number: (\S+)/),
    dataDir: temp.dir,
    kid: pick(/License signing key (\S+),/),
    publicKeyPem: await readFile(pick(/License signing key \S+, public key: (\S+)/), 'utf8'),
    process: proc,
    stop: async () => {
      await proc.stop();
      await temp.cleanup();
      await ca.cleanup();
    },
  };
}
