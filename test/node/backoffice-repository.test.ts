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

    it('keeps staff accounts (refusing a duplicate name and an unknown organisation) and ends their sessions with them', async () => {
      const { repo, other } = await adapter.fresh();
      await seeded(repo);
      const second = await other();
      const u = { name: 'tech-1', organisationId: 'ORG-1', role: 'technician' as const, passwordHash: 'scrypt$x', createdAt: '2030-01-01T00:00:00.000Z' };
      await repo.addStaffUser(u);
      await repo.addStaffUser({ ...u, name: 'admin', role: 'vendor-admin' });
      await assert.rejects(second.addStaffUser(u), (e) => codeOf(e) === 'backoffice.staff.exists');
      await assert.rejects(repo.addStaffUser({ ...u, name: 'x', organisationId: 'NOPE' }), (e) => codeOf(e) === 'backoffice.organisation.unknown');
      assert.deepEqual(await second.getStaffUser('tech-1'), u);
      assert.deepEqual((await repo.listStaffUsers('ORG-1')).map((x) => x.name), ['admin', 'tech-1']);
      await repo.createSession({ tokenHash: 's1', subject: { kind: 'staff', id: 'tech-1' }, expiresAt: 10_000 });
      await repo.createSession({ tokenHash: 's2', subject: { kind: 'staff', id: 'admin' }, expiresAt: 10_000 });
      assert.deepEqual(await second.resolveSession('s1', 1), { kind: 'staff', id: 'tech-1' });
      assert.equal(await second.removeStaffUser('tech-1'), true);
      assert.equal(await repo.removeStaffUser('tech-1'), false);
      assert.equal(await repo.resolveSession('s1', 1), undefined, 'the removed account\'s session ended with it');
      await second.deleteSession('s2');
      assert.equal(await repo.resolveSession('s2', 1), undefined, 'logout ends the session on every instance');
    });

    it('keeps what waits at the installation beside it: fetched reduction → waiting for confirmation, receipts, installed', async () => {
      const { repo, other } = await adapter.fresh();
      const service = await seeded(repo);
      const second = await other();
      const l1 = (await service.setEntitlement('SER-1', { users: 5, features: [{ id: 'x' }] })).license!;
      let row = await second.getInstallationRow('SER-1');
      assert.deepEqual([row?.served?.seq, row?.served?.fetchedAt, row?.pendingKind, row?.installedSeq], [1, null, null, null]);
      await second.addReceipt({ serial: 'SER-1', licenseId: l1.licenseId, seq: 1, kind: 'installed', reason: null, detail: null, receivedAt: '2030-01-01T00:00:00.000Z' });
      const l2 = (await service.setEntitlement('SER-1', { users: 3 })).license!;
      row = await repo.getInstallationRow('SER-1');
      assert.deepEqual([row?.served?.seq, row?.installedSeq, row?.pendingKind], [2, 1, null], 'not fetched yet: nothing waits at the installation');
      await second.markFetched('SER-1', l2.licenseId, '2030-01-01T00:01:00.000Z');
      await repo.markFetched('SER-1', l2.licenseId, '2030-01-01T00:09:00.000Z');
      row = await repo.getInstallationRow('SER-1');
      assert.deepEqual([row?.served?.fetchedAt, row?.pendingKind], ['2030-01-01T00:01:00.000Z', 'awaiting-confirmation'], 'fewer users than installed: waits for the administrator');
      await repo.addReceipt({ serial: 'SER-1', licenseId: l2.licenseId, seq: 2, kind: 'installed', reason: null, detail: null, receivedAt: '2030-01-01T00:02:00.000Z' });
      row = await second.getInstallationRow('SER-1');
      assert.deepEqual([row?.installedSeq, row?.pendingKind], [2, null]);
      const l3 = (await service.setEntitlement('SER-1', { users: 9 })).license!;
      await repo.markFetched('SER-1', l3.licenseId, '2030-01-01T00:03:00.000Z');
      assert.equal((await repo.getInstallationRow('SER-1'))?.pendingKind, null, 'more users is installed without asking');
      await second.addReceipt({ serial: 'SER-1', licenseId: l3.licenseId, seq: 3, kind: 'manual-pending', reason: 'share.access-denied', detail: null, receivedAt: '2030-01-01T00:04:00.000Z' });
      row = await repo.getInstallationRow('SER-1');
      assert.deepEqual([row?.pendingKind, row?.pendingReason], ['manual-pending', 'share.access-denied']);
    });

    it('lists installations filtered, sorted and paged in the database, counting connected ones by their last contact', async () => {
      const { repo } = await adapter.fresh();
      const service = await seeded(repo);
      await service.addOrganisation('ORG-2', 'Other', 'another long verification code');
      for (let i = 0; i < 12; i++) await service.addInstallation(`B-${String(i).padStart(2, '0')}`, i % 3 ? 'ORG-1' : 'ORG-2', i % 2 ? 'suite' : 'viewer');
      const now = Date.parse('2030-06-01T12:00:00.000Z');
      await repo.recordContact('B-03', new Date(now - 30_000).toISOString());
      await repo.recordContact('B-05', new Date(now - 10 * 60_000).toISOString());
      await repo.recordContact('B-05', new Date(now - 20 * 60_000).toISOString()); // older: ignored
      await service.setEntitlement('B-07', { maintenanceEnd: '2030-06-10', maintenanceStart: '2029-06-01' });
      const q = { sort: 'serial' as const, order: 'asc' as const, offset: 0, limit: 5, now };
      const page = await repo.listInstallations(q);
      assert.equal(page.total, 13);
      assert.deepEqual(page.rows.map((r) => r.serial), ['B-00', 'B-01', 'B-02', 'B-03', 'B-04']);
      assert.deepEqual((await repo.listInstallations({ ...q, offset: 10 })).rows.map((r) => r.serial), ['B-10', 'B-11', 'SER-1']);
      assert.deepEqual((await repo.listInstallations({ ...q, order: 'desc', limit: 2 })).rows.map((r) => r.serial), ['SER-1', 'B-11']);
      const org2 = await repo.listInstallations({ ...q, organisationId: 'ORG-2', limit: 50 });
      assert.deepEqual(org2.rows.map((r) => r.serial), ['B-00', 'B-03', 'B-06', 'B-09']);
      assert.deepEqual((await repo.listInstallations({ ...q, status: 'connected' })).rows.map((r) => r.serial), ['B-03']);
      assert.equal((await repo.listInstallations({ ...q, status: 'disconnected' })).total, 12);
      assert.deepEqual((await repo.listInstallations({ ...q, status: 'warning' })).rows.map((r) => r.serial), ['B-07'], 'maintenance ends within 30 days');
      assert.deepEqual((await repo.listInstallations({ ...q, q: 'b-1', limit: 50 })).rows.map((r) => r.serial), ['B-10', 'B-11'], 'case-insensitive part of the serial');
      assert.deepEqual((await repo.listInstallations({ ...q, q: '%', limit: 50 })).total, 0, 'a wildcard is a character');
      const byContact = await repo.listInstallations({ ...q, sort: 'contact', order: 'desc', limit: 3 });
      assert.deepEqual(byContact.rows.map((r) => r.serial), ['B-03', 'B-05', 'B-00'], 'newest contact first, never-seen last');
      assert.deepEqual((await repo.listInstallations({ ...q, sort: 'product', limit: 2 })).rows.map((r) => r.product), ['prepress-suite', 'suite']);
    });

    it('opens one remote-assistance request per installation at a time, on every instance, and changes it under a lock', async () => {
      const { repo, other } = await adapter.fresh();
      await seeded(repo);
      const second = await other();
      const now = Date.parse('2030-01-01T00:00:00.000Z');
      const r = {
        id: '00000000-0000-4000-8000-000000000001', serial: 'SER-1', organisationId: 'ORG-1', requestedBy: 'tech', message: 'Please', state: 'requested' as const,
        createdAt: new Date(now).toISOString(), updatedAt: new Date(now).toISOString(), expiresAt: new Date(now + 600_000).toISOString(), teamViewerId: null, reason: null,
      };
      const results = await Promise.allSettled([repo.createAssistance(r, now), second.createAssistance({ ...r, id: '00000000-0000-4000-8000-000000000002' }, now)]);
      assert.deepEqual(results.map((x) => x.status).sort(), ['fulfilled', 'rejected']);
      assert.equal(codeOf((results.find((x) => x.status === 'rejected') as PromiseRejectedResult).reason), 'backoffice.assistance.open');
      const id = (results.find((x) => x.status === 'fulfilled') as PromiseFulfilledResult<typeof r>).value.id;
      const started = await second.updateAssistance(id, (cur) => ({ ...cur, state: 'started', teamViewerId: '123456789', updatedAt: new Date(now + 1_000).toISOString() }));
      assert.equal(started?.state, 'started');
      assert.deepEqual((await repo.getAssistance(id))?.teamViewerId, '123456789');
      await repo.updateAssistance(id, (cur) => ({ ...cur, state: 'ended', updatedAt: new Date(now + 2_000).toISOString() }));
      assert.equal((await repo.currentAssistance('SER-1', new Date(now).toISOString()))?.state, 'ended', 'finished recently: still current');
      assert.equal(await repo.currentAssistance('SER-1', new Date(now + 60_000).toISOString()), undefined, 'finished long ago: none');
      assert.equal(await repo.updateAssistance('00000000-0000-4000-8000-00000000dead', (c) => c), undefined);
      // An expired one does not block a new request.
      await repo.createAssistance({ ...r, id: '00000000-0000-4000-8000-000000000003' }, now);
      const later = await second.createAssistance({ ...r, id: '00000000-0000-4000-8000-000000000004' }, now + 700_000);
      assert.equal(later.id, '00000000-0000-4000-8000-000000000004');
      assert.deepEqual((await repo.listAssistance('SER-1', 10)).length, 3);
    });

    it('keeps the heartbeat history (newest first, bounded) and the audit log of an installation', async () => {
      const { repo } = await adapter.fresh();
      await seeded(repo);
      for (let i = 0; i < 205; i++) await repo.heartbeat('SER-1', { productVersion: '2', orsVersion: `1.${i}`, hostname: 'h', lastSeenAt: new Date(Date.UTC(2030, 0, 1, 0, i)).toISOString() });
      const beats = await repo.listHeartbeats('SER-1', 500);
      assert.equal(beats.length, 200);
      assert.equal(beats[0]!.orsVersion, '1.204');
      assert.equal((await repo.getInstallationRow('SER-1'))?.lastContactAt, new Date(Date.UTC(2030, 0, 1, 0, 204)).toISOString(), 'a heartbeat is contact');
      await repo.addAudit({ at: '2030-01-01T00:00:00.000Z', actorKind: 'staff', actor: 'tech', organisationId: 'ORG-1', serial: 'SER-1', action: 'entitlement.change', detail: { users: '1 → 2' } });
      await repo.addAudit({ at: '2030-01-01T00:01:00.000Z', actorKind: 'installation', actor: 'SER-1', organisationId: 'ORG-1', serial: 'SER-1', action: 'assistance.report', detail: { kind: 'declined' } });
      assert.deepEqual((await repo.listAudit('SER-1', 10)).map((a) => [a.actor, a.action, a.detail]), [['SER-1', 'assistance.report', { kind: 'declined' }], ['tech', 'entitlement.change', { users: '1 → 2' }]]);
    });

    it('reports changes written through another connection to its watchers, with their organisation', async () => {
      const { repo, other } = await adapter.fresh();
      const service = await seeded(repo);
      const seen: { serial: string; organisationId: string; kind: string }[] = [];
      let notify: () => void = () => undefined;
      const watch = repo.watchChanges((changes) => {
        seen.push(...changes);
        notify();
      }, 20);
      try {
        const until = Date.now() + 10_000;
        while (!(await repo.health()).watching && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
        const writer = await other();
        const kinds = ['heartbeat', 'license', 'receipt', 'contact'];
        const arrived = new Promise<void>((r) => (notify = () => kinds.every((k) => seen.some((c) => c.kind === k)) && r()));
        await writer.heartbeat('SER-1', { productVersion: null, orsVersion: null, hostname: null, lastSeenAt: '2030-01-01T00:00:00.000Z' });
        await new BackofficeService(writer, signer).setEntitlement('SER-1', { users: 2 });
        await writer.addReceipt({ serial: 'SER-1', licenseId: 'L', seq: 1, kind: 'failed', reason: 'x', detail: null, receivedAt: '2030-01-01T00:00:00.000Z' });
        await writer.recordContact('SER-1', '2031-01-01T00:00:00.000Z');
        await arrived;
        assert.ok(seen.every((c) => c.serial === 'SER-1' && c.organisationId === 'ORG-1'));
        void service;
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
