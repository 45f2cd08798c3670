// The repository contract: every test runs against both adapters, SQLite (a temp file) and
// PostgreSQL (a fresh database in a private cluster started once for this file).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BackofficeService } from '../../src/backoffice/backoffice-service.js';
import { PostgresBackofficeRepository } from '../../src/backoffice/store/postgres-repository.js';
import type { BackofficeRepository } from '../../src/backoffice/store/repository.js';
import { SqliteBackofficeRepository } from '../../src/backoffice/store/sqlite-repository.js';
import { createLicenseSigner, createLicenseVerifier, generateKeyPair } from '../../src/services/license/signer.js';
import { startPostgres, type PgCluster } from '../support/postgres.js';
import { tempDir } from '../support/processes.js';

const keys = generateKeyPair();
const signer = createLicenseSigner(keys.privateKeyPem);
const verifier = createLicenseVerifier([keys.publicKeyPem]);

interface Adapter {
  readonly name: string;
  /** A fresh, empty store, and a second connection to the same one (another instance). */
  fresh(): Promise<{ repo: BackofficeRepository; other: () => Promise<BackofficeRepository> }>;
}

let cluster: PgCluster | undefined;
let temp: { dir: string; cleanup: () => Promise<void> } | undefined;
let files = 0;
const opened: BackofficeRepository[] = [];
const keep = <T extends BackofficeRepository>(r: T): T => (opened.push(r), r);

const adapters: Adapter[] = [
  {
    name: 'SQLite',
    async fresh() {
      const file = path.join(temp!.dir, `bo-${files++}.db`);
      return { repo: keep(new SqliteBackofficeRepository(file)), other: async () => keep(new SqliteBackofficeRepository(file)) };
    },
  },
  {
    name: 'PostgreSQL',
    async fresh() {
      const url = await cluster!.createDatabase();
      return {
        repo: keep(await PostgresBackofficeRepository.open({ connectionString: url })),
        other: async () => keep(await PostgresBackofficeRepository.open({ connectionString: url })),
      };
    },
  },
];

before(async () => {
  temp = await tempDir();
  cluster = await startPostgres();
});
after(async () => {
  for (const r of opened) await r.close().catch(() => undefined);
  await cluster?.cleanup();
  await temp?.cleanup();
});

async function seeded(repo: BackofficeRepository) {
  const service = new BackofficeService(repo, signer);
  await service.addOrganisation('ORG-1', 'Org', 'correct horse battery staple');
  await service.addInstallation('SER-1', 'ORG-1', 'prepress-suite');
  return service;
}

const codeOf = (e: unknown): string => (e as { code?: string }).code ?? '';

for (const adapter of adapters) {
  describe(`back office repository contract: ${adapter.name}`, () => {
    it('stores organisations and installations, refusing duplicates and unknown organisations with codes', async () => {
      const { repo } = await adapter.fresh();
      const service = await seeded(repo);
      assert.equal((await repo.getOrganisation('ORG-1'))?.name, 'Org');
      assert.equal(await repo.getOrganisation('NOPE'), undefined);
      await assert.rejects(service.addOrganisation('ORG-1', 'x', 'another long code'), (e) => codeOf(e) === 'backoffice.organisation.exists');
      await assert.rejects(service.addInstallation('SER-1', 'ORG-1', 'p'), (e) => codeOf(e) === 'backoffice.installation.exists');
      await assert.rejects(service.addInstallation('SER-2', 'NOPE', 'p'), (e) => codeOf(e) === 'backoffice.organisation.unknown');
      const inst = await repo.heartbeat('SER-1', { productVersion: '2.0', orsVersion: '1.0', hostname: 'h', lastSeenAt: '2030-01-01T00:00:00.000Z' });
      assert.deepEqual(await repo.getInstallation('SER-1'), inst);
      assert.equal(inst?.hostname, 'h');
      assert.equal(await repo.heartbeat('NOPE', { productVersion: null, orsVersion: null, hostname: null, lastSeenAt: null }), undefined);
    });

    it('issues seq 1, 2, … with supersedes, signed, and nothing when a change changes nothing', async () => {
      const { repo } = await adapter.fresh();
      const service = await seeded(repo);
      const a = await service.setEntitlement('SER-1', { users: 3, features: [{ id: 'b', count: 2 }, { id: 'a' }] });
      const b = await service.setEntitlement('SER-1', { users: 3 });
      const c = await service.setEntitlement('SER-1', { users: 4 });
      assert.deepEqual([a.license?.seq, b.license, c.license?.seq], [1, undefined, 2]);
      assert.deepEqual((await repo.getEntitlement('SER-1'))?.features, [{ id: 'a' }, { id: 'b', count: 2 }]);
      const list = await repo.listLicenses('SER-1');
      assert.deepEqual(list.map((l) => l.seq), [1, 2]);
      const p2 = verifier.verify(list[1]!.armoured).payload;
      assert.equal(p2.supersedes, list[0]!.licenseId);
      assert.equal(p2.users, 4);
      assert.equal((await repo.currentLicense('SER-1'))?.licenseId, list[1]!.licenseId);
      assert.equal(await repo.currentLicenseId('SER-1'), list[1]!.licenseId);
      assert.equal(await repo.currentLicenseId('NOPE'), undefined);
      await assert.rejects(service.setEntitlement('NOPE', { users: 1 }), (e) => codeOf(e) === 'backoffice.installation.unknown');
      assert.equal(await repo.integrityCheck(), 'ok');
    });

    it('keeps seq strictly increasing with concurrent writers on two connections', async () => {
      const { repo, other } = await adapter.fresh();
      const service = await seeded(repo);
      const second = new BackofficeService(await other(), signer);
      const burst = (s: BackofficeService, base: number) => Promise.all(Array.from({ length: 15 }, (_, i) => s.setEntitlement('SER-1', { users: base + i })));
      await Promise.all([burst(service, 100), burst(second, 200), burst(service, 300), burst(second, 400)]);
      const seqs = (await repo.listLicenses('SER-1')).map((l) => l.seq);
      assert.deepEqual(seqs, Array.from({ length: 60 }, (_, i) => i + 1));
      assert.equal(verifier.verify((await repo.currentLicense('SER-1'))!.armoured).payload.users, (await repo.getEntitlement('SER-1'))!.users);
    });

    it('stores a receipt once however often and on whichever connection it is sent', async () => {
      const { repo, other } = await adapter.fresh();
      await seeded(repo);
      const second = await other();
      const r = { serial: 'SER-1', licenseId: 'L-1', seq: 1, kind: 'failed' as const, reason: 'share.access-denied', detail: null, receivedAt: '2030-01-01T00:00:00.000Z' };
      const sent = await Promise.all([repo.addReceipt(r), second.addReceipt(r), repo.addReceipt(r), second.addReceipt({ ...r, receivedAt: '2030-01-02T00:00:00.000Z' })]);
      assert.equal(new Set(sent.map((x) => x.id)).size, 1);
      const other1 = await repo.addReceipt({ ...r, reason: 'other' });
      const nullReason = await repo.addReceipt({ ...r, kind: 'installed', reason: null });
      assert.equal((await repo.addReceipt({ ...r, kind: 'installed', reason: null })).id, nullReason.id);
      assert.deepEqual((await repo.listReceipts('SER-1')).map((x) => x.id), [sent[0]!.id, other1.id, nullReason.id]);
    });

    it('keeps sessions for every instance until they expire', async () => {
      const { repo, other } = await adapter.fresh();
      const second = await other();
      await repo.createSession({ tokenHash: 'h1', subject: { kind: 'organisation', id: 'ORG-1' }, expiresAt: 2_000 });
      await repo.createSession({ tokenHash: 'h2', subject: { kind: 'organisation', id: 'ORG-2' }, expiresAt: 5_000 });
      assert.deepEqual(await second.resolveSession('h1', 1_000), { kind: 'organisation', id: 'ORG-1' });
      assert.equal(await second.resolveSession('h1', 2_000), undefined);
      assert.equal(await repo.resolveSession('nope', 0), undefined);
      assert.equal(await repo.deleteExpiredSessions(3_000), 1);
      assert.deepEqual(await repo.resolveSession('h2', 3_000), { kind: 'organisation', id: 'ORG-2' });
    });

    it('counts login failures atomically across instances, forgets old ones and clears them', async () => {
      const { repo, other } = await adapter.fresh();
      const second = await other();
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? repo : second).recordLoginFailure('ORG', '10.1.1.1', 1_000, 60_000)));
      assert.deepEqual(await repo.getThrottle('ORG', '10.1.1.1'), { failures: 10, lastFailureAt: 1_000 });
      assert.deepEqual(await repo.recordLoginFailure('ORG', '10.1.1.1', 62_000, 60_000), { failures: 1, lastFailureAt: 62_000 }, 'old failures forgotten');
      await second.recordLoginFailure('ORG', '10.1.1.2', 10, 60_000);
      assert.equal(await repo.pruneThrottle(1_000), 1);
      assert.equal(await repo.getThrottle('ORG', '10.1.1.2'), undefined);
      await repo.clearThrottle('ORG', '10.1.1.1');
      assert.equal(await second.getThrottle('ORG', '10.1.1.1'), undefined);
    });

    it('reports licenses issued through another connection to its watchers', async () => {
      const { repo, other } = await adapter.fresh();
      await seeded(repo);
      await new BackofficeService(repo, signer).addInstallation('SER-2', 'ORG-1', 'p');
      const seen: string[] = [];
      let notify: () => void = () => undefined;
      const watch = repo.watchLicenses((serials) => {
        seen.push(...serials);
        notify();
      }, 20);
      try {
        const until = Date.now() + 10_000;
        while (!(await repo.health()).watching && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
        const writer = new BackofficeService(await other(), signer);
        const arrived = new Promise<void>((r) => (notify = () => seen.includes('SER-2') && seen.includes('SER-1') && r()));
        await writer.setEntitlement('SER-1', { users: 9 });
        await writer.setEntitlement('SER-2', { users: 9 });
        await arrived;
        assert.deepEqual([...new Set(seen)].sort(), ['SER-1', 'SER-2']);
      } finally {
        watch.dispose();
      }
    });

    it('lists releases by date and refuses a duplicate', async () => {
      const { repo } = await adapter.fresh();
      const r = (version: string, releaseDate: string) => ({ product: 'p', version, releaseDate, checksum: `sha256:${'a'.repeat(64)}`, url: 'https://x.example/' });
      await repo.addRelease(r('2.0.0', '2030-02-01'));
      await repo.addRelease(r('1.0.0', '2030-01-01'));
      await assert.rejects(repo.addRelease(r('1.0.0', '2030-01-01')), (e) => codeOf(e) === 'backoffice.release.exists');
      assert.deepEqual((await repo.listReleases('p')).map((x) => x.version), ['1.0.0', '2.0.0']);
      assert.deepEqual(await repo.getRelease('p', '2.0.0'), r('2.0.0', '2030-02-01'));
      assert.equal(await repo.getRelease('p', '9'), undefined);
    });

    it('reports itself reachable and migrated', async () => {
      const { repo } = await adapter.fresh();
      const h = await repo.health();
      assert.deepEqual([h.reachable, h.migrationsCurrent], [true, true]);
    });
  });
}
