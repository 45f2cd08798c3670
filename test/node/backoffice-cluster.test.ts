// The back office as a vendor runs it: PostgreSQL 15, two stateless instances, HAProxy terminating
// TLS in front (deploy/haproxy.cfg). Everything real, started once for this file.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openBackoffice } from '../../src/backoffice/data-dir.js';
import { apiRequest, login, metric, type ApiResponse } from '../support/backoffice-server.js';
import { startCluster, type Cluster } from '../support/backoffice-cluster.js';
import { BACKOFFICE_HOST } from '../support/ors-backoffice.js';
import { prepareDataDir, startDaemon, waitForStatus } from '../support/ors-daemon.js';
import { ROOT, run, tempDir } from '../support/processes.js';
import { startSquid } from '../support/proxy-squid.js';

const WRITER = path.join(ROOT, 'test/support/backoffice-writer.ts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('back office cluster: PostgreSQL, two instances, HAProxy', () => {
  let c: Cluster;
  let token: string;
  const licensePath = () => `/v1/installations/${c.serial}/license`;
  const current = async () => (await apiRequest(c, 'GET', licensePath(), { token })) as ApiResponse & { body: { seq: number; licenseId: string } };
  const held = (i: number) => metric(c.instances[i]!, 'backoffice_long_polls_held');
  const withStore = async <T>(fn: (d: Awaited<ReturnType<typeof openBackoffice>>) => Promise<T>): Promise<T> => {
    const d = await openBackoffice({ database: c.databaseUrl, signingKey: c.signingKey });
    try {
      return await fn(d);
    } finally {
      await d.close();
    }
  };

  before(async () => {
    c = await startCluster({ instances: 2 });
    token = await login(c);
  });
  after(async () => c?.stop());

  it('serves over TLS through HAProxy and believes X-Forwarded-For only from the trusted proxy', async () => {
    const h = await apiRequest(c, 'GET', '/v1/health');
    assert.equal(h.status, 200);
    assert.equal((await apiRequest(c, 'GET', '/metrics')).status, 404, 'metrics stay off the public listener');
    const wrong = { organisationId: 'NOBODY-1', verificationCode: 'wrong' };
    assert.equal((await apiRequest(c, 'POST', '/v1/sessions', { json: wrong, headers: { 'X-Forwarded-For': '203.0.113.9' } })).status, 401);
    assert.equal((await apiRequest(c.instances[0]!, 'POST', '/v1/sessions', { json: wrong, headers: { 'X-Forwarded-For': '198.51.100.7' } })).status, 401);
    await withStore(async (d) => {
      assert.equal((await d.repo.getThrottle('NOBODY-1', '127.0.0.1'))?.failures, 1, 'through HAProxy: its own forwarded address, the client\'s header dropped');
      assert.equal(await d.repo.getThrottle('NOBODY-1', '203.0.113.9'), undefined);
      assert.equal((await d.repo.getThrottle('NOBODY-1', '198.51.100.7'))?.failures, 1, 'from a trusted peer: the forwarded address');
    });
    // The password of the database is in no command line of any instance.
    for (const i of c.instances) {
      const { readFile } = await import('node:fs/promises');
      const cmdline = await readFile(`/proc/${i.process.child.pid}/cmdline`, 'utf8');
      assert.equal(cmdline.includes(c.pg.password), false);
    }
  });

  it('keeps seq without gaps with 3 writer processes and 3 vendor commands at once, while both instances serve', async () => {
    const before = (await current()).body.seq;
    const writer = (first: number) => run(process.execPath, ['--import', 'tsx', WRITER, c.signingKey, c.serial, '15', String(first)], { cwd: ROOT, env: c.env, timeoutMs: 120_000 });
    const results = await Promise.all([writer(1_000), writer(2_000), writer(3_000), c.setEntitlement('--users', '90001'), c.setEntitlement('--users', '90002'), c.setEntitlement('--users', '90003')]);
    for (const r of results.slice(0, 3)) assert.equal((r as { code: number }).code, 0, (r as { stderr: string }).stderr);
    const seqs = await withStore(async (d) => (await d.repo.listLicenses(c.serial)).map((l) => l.seq));
    assert.deepEqual(seqs, Array.from({ length: before + 48 }, (_, i) => i + 1));
    for (const inst of c.instances) {
      const r = await apiRequest(inst, 'GET', licensePath(), { token });
      assert.equal((r.body as { seq: number }).seq, before + 48, 'every instance serves the newest');
    }
  });

  it('wakes long-polls held on both instances when a license is issued elsewhere', async () => {
    const cur = await current();
    const etag = String(cur.headers['etag']);
    const polls = [0, 1].map(() => apiRequest(c, 'GET', `${licensePath()}?wait=60`, { token, headers: { 'If-None-Match': etag }, timeoutMs: 70_000 }));
    await until('a long-poll held on each instance', async () => (await held(0)) >= 1 && (await held(1)) >= 1);
    await c.setEntitlement('--users', '77');
    for (const r of await Promise.all(polls)) {
      assert.equal(r.status, 200);
      assert.equal((r.body as { seq: number }).seq, cur.body.seq + 1);
    }
  });

  it('carries on through the other instance after kill -9 of one: no receipt lost or stored twice, long-polls answered', async () => {
    const perWorker = 30;
    const acked = new Set<number>();
    let failures = 0;
    const sender = async (w: number): Promise<void> => {
      for (let i = 0; i < perWorker; i++) {
        const json = { licenseId: `burst-${w}-${i}`, seq: 1, kind: 'installed' };
        for (let attempt = 0; ; attempt++) {
          const r = await apiRequest(c, 'POST', `/v1/installations/${c.serial}/receipts`, { token, json }).catch(() => undefined);
          if (r?.status === 201) {
            acked.add((r.body as { id: number }).id);
            break;
          }
          failures++;
          if (attempt > 50) throw new Error(`receipt ${json.licenseId} never stored`);
          await sleep(50);
        }
      }
    };
    const start = await current();
    const target = start.body.seq + 1;
    const poller = async (): Promise<number> => {
      let etag = String(start.headers['etag']);
      for (;;) {
        const r = await apiRequest(c, 'GET', `${licensePath()}?wait=30`, { token, headers: { 'If-None-Match': etag }, timeoutMs: 40_000 }).catch(() => undefined);
        if (r?.status === 200 && (r.body as { seq: number }).seq >= target) return (r.body as { seq: number }).seq;
        if (r?.headers['etag']) etag = String(r.headers['etag']);
        if (!r || r.status >= 500) await sleep(50);
      }
    };
    const pollers = Array.from({ length: 4 }, poller);
    const senders = Array.from({ length: 4 }, (_, w) => sender(w));
    await until('receipts flowing and polls held on both instances', async () => acked.size >= 20 && (await held(0)) >= 1 && (await held(1)) >= 1);
    c.instances[0]!.process.child.kill('SIGKILL');
    await Promise.all(senders);
    await c.setEntitlement('--users', '4242');
    assert.deepEqual(await Promise.all(pollers), [target, target, target, target]);
    const stored = await withStore(async (d) => (await d.repo.listReceipts(c.serial)).filter((r) => r.licenseId.startsWith('burst-')));
    assert.equal(stored.length, 4 * perWorker, `every receipt stored exactly once (client retries: ${failures})`);
    assert.equal(new Set(stored.map((r) => r.licenseId)).size, 4 * perWorker);
    assert.ok([...acked].every((id) => stored.some((r) => r.id === id)), 'every acknowledged receipt is there');
    await c.instances[0]!.restart();
  });

  it('recovers from a PostgreSQL restart under load without restarting, reporting not-ready meanwhile', async () => {
    const pids = c.instances.map((i) => i.process.child.pid);
    await until('instance 1 ready again after its restart', async () => (await apiRequest(c.instances[0]!, 'GET', '/v1/health/ready')).status === 200);
    const etag = String((await current()).headers['etag']);
    const statuses = new Map<number, number>();
    let stop = false;
    const load = (async () => {
      while (!stop) {
        const r = await apiRequest(c, 'GET', licensePath(), { token, headers: { 'If-None-Match': etag } }).catch(() => undefined);
        const s = r?.status ?? 0;
        statuses.set(s, (statuses.get(s) ?? 0) + 1);
      }
    })();
    await until('load running', async () => (statuses.get(304) ?? 0) > 5);
    await c.pg.stop('immediate');
    let notReady: unknown;
    await until('instances report not-ready', async () => {
      const r = await apiRequest(c.instances[1]!, 'GET', '/v1/health/ready');
      notReady = r.body;
      return r.status === 503;
    });
    assert.deepEqual(notReady, { status: 'not-ready', database: false, migrations: false, notifications: false });
    await c.pg.start();
    for (const i of c.instances) await until('ready again', async () => (await apiRequest(i, 'GET', '/v1/health/ready')).status === 200, 30_000);
    await until('answers through HAProxy again', async () => (await apiRequest(c, 'GET', licensePath(), { token, headers: { 'If-None-Match': etag } })).status === 304, 30_000);
    stop = true;
    await load;
    assert.deepEqual(c.instances.map((i) => i.process.child.pid), pids, 'no instance was restarted');
    assert.deepEqual([...statuses.keys()].filter((s) => ![304, 503].includes(s)), [], `only 304 and 503 while the database was away: ${JSON.stringify([...statuses])}`);
    // The listeners are back: a license issued now wakes a poll held on each instance.
    const polls = [0, 1].map((i) => apiRequest(c.instances[i]!, 'GET', `${licensePath()}?wait=60`, { token, headers: { 'If-None-Match': etag }, timeoutMs: 70_000 }));
    await until('polls held on both instances', async () => (await held(0)) >= 1 && (await held(1)) >= 1);
    await c.setEntitlement('--users', '31337');
    for (const r of await Promise.all(polls)) assert.equal(r.status, 200);
  });

  it('serves the ORS service (unchanged) through squid as before', async () => {
    const squid = await startSquid({ auth: 'none', hosts: { [BACKOFFICE_HOST]: '127.0.0.1' } });
    const t = await tempDir('ors-daemon-cluster-');
    try {
      await prepareDataDir(t.dir, c, { backofficeUrl: c.proxiedUrl, proxy: { mode: 'manual', host: '127.0.0.1', port: squid.port, authenticate: false } });
      const d = await startDaemon(t.dir);
      try {
        const status = await waitForStatus(t.dir, (s) => s.connection.kind === 'connected', 30_000);
        assert.equal(status.license?.serial, c.serial);
      } finally {
        assert.equal(await d.stop(10_000), 0);
      }
      // squid logs a tunnel when it closes: after the daemon stopped.
      assert.match(await squid.accessLog(), new RegExp(`TCP_TUNNEL/200 .*${BACKOFFICE_HOST}:${c.port}`));
    } finally {
      await squid.stop();
      await t.cleanup();
    }
  });
});
