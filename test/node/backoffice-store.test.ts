import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { openDataDir } from '../../src/backoffice/data-dir.js';
import { createLicenseVerifier } from '../../src/services/license/signer.js';
import { ROOT, run, runOrs, tempDir } from '../support/processes.js';
import { apiRequest, login, startBackoffice } from '../support/backoffice-server.js';

const WRITER = path.join(ROOT, 'test/support/backoffice-writer.ts');
const writer = (dir: string, serial: string, count: number, firstUsers: number) =>
  run(process.execPath, ['--import', 'tsx', WRITER, dir, serial, String(count), String(firstUsers)], { cwd: ROOT, timeoutMs: 120_000 });

async function seeded(dir: string): Promise<void> {
  const d = await openDataDir(dir, { createKey: true });
  await d.service.addOrganisation('ORG-1', 'Org', 'correct horse battery');
  await d.service.addInstallation('SER-1', 'ORG-1', 'prepress-suite');
  await d.close();
}

async function licensesOf(dir: string, serial: string) {
  const d = await openDataDir(dir);
  try {
    const verifier = createLicenseVerifier([await readFile(d.publicKeyPath, 'utf8')]);
    const list = await d.repo.listLicenses(serial);
    return {
      integrity: await d.repo.integrityCheck(),
      entitlement: await d.repo.getEntitlement(serial),
      licenses: list.map((l) => ({ row: l, payload: verifier.verify(l.armoured).payload })),
      receipts: await d.repo.listReceipts(serial),
    };
  } finally {
    await d.close();
  }
}

describe('back office store', () => {
  it('issues no license when an entitlement change changes nothing', async () => {
    const t = await tempDir();
    try {
      await seeded(t.dir);
      const d = await openDataDir(t.dir);
      const a = await d.service.setEntitlement('SER-1', { users: 3 });
      const b = await d.service.setEntitlement('SER-1', { users: 3 });
      await d.close();
      assert.equal(a.license?.seq, 1);
      assert.equal(b.license, undefined);
    } finally {
      await t.cleanup();
    }
  });

  it('gives strictly increasing seq with no gaps under concurrent changes from several processes', async () => {
    const t = await tempDir();
    try {
      await seeded(t.dir);
      const cli = (users: number) =>
        runOrs(['backoffice', 'entitlement', 'set', '--data-dir', t.dir, '--serial', 'SER-1', '--users', String(100_000 + users)]);
      const results = await Promise.all([writer(t.dir, 'SER-1', 40, 1_000), writer(t.dir, 'SER-1', 40, 2_000), writer(t.dir, 'SER-1', 40, 3_000), cli(1), cli(2), cli(3)]);
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const { licenses, entitlement, integrity } = await licensesOf(t.dir, 'SER-1');
      assert.equal(integrity, 'ok');
      assert.equal(licenses.length, 123);
      assert.deepEqual(licenses.map((l) => l.payload.seq), Array.from({ length: 123 }, (_, i) => i + 1));
      for (let i = 1; i < licenses.length; i++) assert.equal(licenses[i]!.payload.supersedes, licenses[i - 1]!.payload.licenseId);
      // The entitlement row and the newest license were written in one transaction.
      assert.equal(licenses.at(-1)!.payload.users, entitlement!.users);
    } finally {
      await t.cleanup();
    }
  });

  it('survives kill -9 of the server and a writer in the middle of a burst of writes', async () => {
    const t = await tempDir();
    const bo = await startBackoffice({ dataDir: t.dir });
    try {
      const token = await login(bo);
      const child = spawn(process.execPath, ['--import', 'tsx', WRITER, t.dir, bo.serial, '100000', '10'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      const acked: number[] = [];
      let stop = false;
      const burst = async (): Promise<void> => {
        while (!stop) {
          const r = await apiRequest(bo, 'POST', `/v1/installations/${bo.serial}/receipts`, {
            token, json: { licenseId: 'burst', seq: 1, kind: 'installed' },
          }).catch(() => undefined);
          if (r?.status === 201) acked.push((r.body as { id: number }).id);
        }
      };
      const bursts = [burst(), burst(), burst(), burst()];
      const deadline = Date.now() + 60_000;
      while ((!/committed 30 /.test(out) || acked.length < 100) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGKILL');
      bo.process.child.kill('SIGKILL');
      stop = true;
      await Promise.all(bursts);
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));
      const committed = [...out.matchAll(/committed (\d+) users (\d+)/g)].map((m) => Number(m[1]));
      assert.ok(committed.length >= 29, `writer committed ${committed.length}`);

      const { integrity, licenses, entitlement, receipts } = await licensesOf(t.dir, bo.serial);
      assert.equal(integrity, 'ok');
      const seqs = licenses.map((l) => l.payload.seq);
      assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), 'no gaps, no repeats');
      assert.ok(seqs.length >= Math.max(...committed), 'every reported commit is there');
      assert.equal(licenses.at(-1)!.payload.users, entitlement!.users);
      const stored = new Set(receipts.map((r) => r.id));
      assert.ok(acked.every((id) => stored.has(id)), 'every acknowledged receipt is there');

      // And the restarted server serves the newest license.
      const again = await startBackoffice({ dataDir: t.dir });
      try {
        const r = await apiRequest(again, 'GET', `/v1/installations/${again.serial}/license`, { token: await login(again) });
        assert.equal((r.body as { seq: number }).seq, seqs.length);
      } finally {
        await again.stop();
      }
    } finally {
      await bo.stop();
      await t.cleanup();
    }
  });
});
