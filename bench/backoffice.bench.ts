// Back office with simulated installations: today's single SQLite process (HTTPS in Node) against
// two stateless instances + PostgreSQL 15 behind HAProxy terminating TLS, in the same run.
// Each simulated installation holds one long-poll with its ETag (keep-alive), and on a new license
// sends a receipt and polls again. Figures: memory per held long-poll (Node instance, HAProxy),
// one entitlement change → its long-poll answered (p50/p99) with N held, a change of 1,000
// installations at once → all answered (p99), conditional license checks per second (two instances
// vs one behind HAProxy, and the single process). Changes come from another process, as the vendor
// CLI makes them. BENCH_INSTALLATIONS (default 10,000) sets N.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openBackoffice, type BackofficeLocation } from '../src/backoffice/data-dir.js';
import { apiRequest, login, metric, startBackoffice } from '../test/support/backoffice-server.js';
import { startCluster, ORG } from '../test/support/backoffice-cluster.js';
import { startHaproxy } from '../test/support/haproxy.js';

const SELF = fileURLToPath(import.meta.url);
const N = Number(process.env['BENCH_INSTALLATIONS'] ?? 10_000);
const BATCH = Math.min(1_000, N);

// Changer mode: another process that applies entitlement changes given on stdin ("S1 S2 …") and
// prints "<serial> <commit ms>" per commit, so wake-up latency is measured from the commit.
if (process.argv[2] === '--changer') {
  const loc = JSON.parse(process.argv[3]!) as BackofficeLocation;
  const d = await openBackoffice(loc);
  let users = 10;
  for await (const line of createInterface({ input: process.stdin })) {
    users++;
    for (const serial of line.split(' ').filter(Boolean)) {
      await d.service.setEntitlement(serial, { users });
      process.stdout.write(`${serial} ${Date.now()}\n`);
    }
  }
  await d.close();
  process.exit(0);
}

interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  statusCodeStats: Record<string, { count: number }>;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (o: object) => Promise<CannonResult>;
const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]! : NaN);
const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const serials = Array.from({ length: N }, (_, i) => `SIM-${String(i).padStart(6, '0')}`);

// This process holds N client sockets (and HAProxy twice as many): raise the open-file limit. In a
// container without CAP_SYS_RESOURCE the hard limit stays; HAProxy then gets what it allows.
spawnSync('prlimit', [`--pid=${process.pid}`, '--nofile=200000:200000']);
const hardNofile = Number(spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim()) || 200_000;

async function seed(loc: BackofficeLocation, org: string): Promise<void> {
  const d = await openBackoffice(loc);
  try {
    for (let i = 0; i < N; i += 200) {
      await Promise.all(
        serials.slice(i, i + 200).map(async (s) => {
          await d.service.addInstallation(s, org, 'prepress-suite');
          await d.service.setEntitlement(s, { users: 10 });
        }),
      );
    }
  } finally {
    await d.close();
  }
}

/** N simulated installations against `url`; answers are timed per serial. */
function installations(url: string, ca: string, token: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, ca });
  const etags = new Map<string, string>();
  const answeredAt = new Map<string, number>();
  let held = 0;
  let errors = 0;
  let stopped = false;
  const request = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; etag?: string; text: string }>((resolve, reject) => {
      const req = httpsRequest(new URL(path, url), { method, agent, headers: { Authorization: `Bearer ${token}`, ...headers }, timeout: 120_000 }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ...(res.headers.etag ? { etag: res.headers.etag } : {}), text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const live = async (serial: string): Promise<void> => {
    const first = await request('GET', `/v1/installations/${serial}/license`, {}).catch(() => undefined);
    if (!first?.etag) {
      errors++;
      return;
    }
    etags.set(serial, first.etag);
    while (!stopped) {
      held++;
      const r = await request('GET', `/v1/installations/${serial}/license?wait=60`, { 'If-None-Match': etags.get(serial)! }).catch(() => undefined);
      held--;
      if (!r || r.status >= 500) {
        errors++;
        await sleep(200);
        continue;
      }
      if (r.status === 200) {
        answeredAt.set(serial, Date.now());
        etags.set(serial, r.etag!);
        const l = JSON.parse(r.text) as { licenseId: string; seq: number };
        await request('POST', `/v1/installations/${serial}/receipts`, { 'Content-Type': 'application/json' }, JSON.stringify({ licenseId: l.licenseId, seq: l.seq, kind: 'installed' })).catch(
          () => errors++,
        );
      }
    }
  };
  return {
    async start(): Promise<void> {
      for (let i = 0; i < N; i += 100) {
        for (const s of serials.slice(i, i + 100)) void live(s);
        await sleep(15); // pace the TLS handshakes
      }
    },
    held: () => held,
    errors: () => errors,
    answeredAt,
    stop(): void {
      stopped = true;
      agent.destroy();
    },
  };
}

interface Target {
  readonly name: string;
  readonly url: string;
  readonly ca: string;
  readonly token: string;
  /** PIDs whose memory grows with held long-polls, and what each is. */
  readonly pids: readonly { pid: number; what: string }[];
  /** Held long-polls as the server side counts them. */
  serverHeld(): Promise<number>;
  readonly changer: ChildProcess;
}

async function measure(t: Target): Promise<void> {
  const commits = createInterface({ input: t.changer.stdout! })[Symbol.asyncIterator]();
  const change = async (list: readonly string[]): Promise<Map<string, number>> => {
    t.changer.stdin!.write(`${list.join(' ')}\n`);
    const at = new Map<string, number>();
    while (at.size < list.length) {
      const [s, ms] = String((await commits.next()).value).split(' ');
      at.set(s!, Number(ms));
    }
    return at;
  };
  const before = t.pids.map((p) => rssKb(p.pid));
  const sim = installations(t.url, t.ca, t.token);
  const t0 = Date.now();
  await sim.start();
  while ((await t.serverHeld()) < N && Date.now() - t0 < 180_000) await sleep(250);
  const heldNow = await t.serverHeld();
  await sleep(2_000);
  const after = t.pids.map((p) => rssKb(p.pid));
  console.log(`[${t.name}] ${heldNow} of ${N} long-polls held after ${((Date.now() - t0) / 1000).toFixed(1)} s (client errors ${sim.errors()})`);
  t.pids.forEach((p, i) =>
    console.log(`[${t.name}]   ${p.what}: RSS ${(before[i]! / 1024).toFixed(0)} → ${(after[i]! / 1024).toFixed(0)} MB, ${((after[i]! - before[i]!) / Math.max(1, heldNow / (p.what.startsWith('instance') ? t.pids.filter((x) => x.what.startsWith('instance')).length : 1))).toFixed(1)} KB per held long-poll`),
  );
  // One installation's change while N are held, 30 times.
  const one: number[] = [];
  for (let i = 0; i < 30; i++) {
    const s = serials[(i * 7919) % N]!;
    const at = await change([s]);
    const end = Date.now() + 10_000;
    while (!(sim.answeredAt.get(s)! >= at.get(s)!) && Date.now() < end) await sleep(2);
    one.push((sim.answeredAt.get(s) ?? Infinity) - at.get(s)!);
  }
  console.log(`[${t.name}] one change with ${heldNow} held → its long-poll answered: p50 ${pct(one, 50)} ms, p99 ${pct(one, 99)} ms (target p99 <= 1000 ms)`);
  // A change of BATCH installations at once (one vendor command, one commit each).
  const batch = serials.slice(0, BATCH);
  const at = await change(batch);
  const end = Date.now() + 60_000;
  while (batch.some((s) => !(sim.answeredAt.get(s)! >= at.get(s)!)) && Date.now() < end) await sleep(10);
  const lat = batch.map((s) => (sim.answeredAt.get(s) ?? Infinity) - at.get(s)!);
  const span = Math.max(...batch.map((s) => sim.answeredAt.get(s) ?? Infinity)) - Math.min(...at.values());
  console.log(`[${t.name}] ${BATCH} installations changed at once (commits over ${Math.max(...at.values()) - Math.min(...at.values())} ms): each answered p50 ${pct(lat, 50)} ms, p99 ${pct(lat, 99)} ms after its commit; all answered ${span} ms after the first commit`);
  sim.stop();
}

async function checksPerSecond(url: string, ca: string, token: string, etagFor: string): Promise<CannonResult> {
  return autocannon({
    url: `${url}/v1/installations/${serials[0]}/license`,
    connections: 64,
    duration: 8,
    headers: { Authorization: `Bearer ${token}`, 'If-None-Match': etagFor },
    tlsOptions: { ca },
  });
}
const perSecond = (r: CannonResult) => `${r.requests.average.toFixed(0)}/s (p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, 304s ${r.statusCodeStats['304']?.count ?? 0}, errors ${r.errors})`;

const children: ChildProcess[] = [];
const changer = (loc: BackofficeLocation, env: NodeJS.ProcessEnv = process.env): ChildProcess => {
  const c = spawn(process.execPath, ['--import', 'tsx', SELF, '--changer', JSON.stringify(loc)], { stdio: ['pipe', 'pipe', 'inherit'], env });
  children.push(c);
  return c;
};

console.log(`simulated installations: ${N}; machine: 2 cores, load generator, HAProxy, instances and PostgreSQL share them`);

// --- today's single process: SQLite, TLS in Node
{
  const bo = await startBackoffice({ extraArgs: ['--max-long-polls', String(N + 1_000)] });
  try {
    await seed({ dataDir: bo.dataDir }, bo.orgId);
    const token = await login(bo);
    const etag = String((await apiRequest(bo, 'GET', `/v1/installations/${serials[0]}/license`, { token })).headers['etag']);
    console.log(`[single SQLite process] conditional checks: ${perSecond(await checksPerSecond(bo.url, bo.caPem, token, etag))}`);
    await measure({
      name: 'single SQLite process',
      url: bo.url,
      ca: bo.caPem,
      token,
      pids: [{ pid: bo.process.child.pid!, what: 'instance (Node, TLS)' }],
      serverHeld: () => metric(bo, 'backoffice_long_polls_held'),
      changer: changer({ dataDir: bo.dataDir }),
    });
  } finally {
    for (const c of children.splice(0)) c.kill('SIGTERM');
    await bo.stop();
  }
}

// --- two instances + PostgreSQL behind HAProxy
{
  // HAProxy needs two sockets per connection (client and instance).
  const nofile = Math.min(N * 5 + 10_000, hardNofile);
  const maxconn = Math.min(N * 2 + 2_000, Math.floor((nofile - 500) / 2));
  if (maxconn < N) console.log(`[HAProxy + PostgreSQL] the hard open-file limit here (${hardNofile}) lets HAProxy hold ${maxconn} connections: run with BENCH_INSTALLATIONS <= ${maxconn}`);
  const c = await startCluster({ instances: 2, maxconn, nofile });
  try {
    await seed({ database: c.databaseUrl, signingKey: c.signingKey }, ORG);
    const token = await login(c);
    const etag = String((await apiRequest(c, 'GET', `/v1/installations/${serials[0]}/license`, { token })).headers['etag']);
    await checksPerSecond(c.url, c.caPem, token, etag); // warm-up: JIT, PostgreSQL caches, HAProxy's TLS session cache
    const two = await checksPerSecond(c.url, c.caPem, token, etag);
    const single = await startHaproxy({ certPem: c.ca.certPem, keyPem: c.ca.keyPem, servers: [`127.0.0.1:${c.instances[0]!.port}`] });
    const one = await checksPerSecond(`https://127.0.0.1:${single.port}`, c.caPem, token, etag).finally(() => single.stop());
    console.log(`[HAProxy + PostgreSQL] conditional checks through HAProxy, two instances: ${perSecond(two)}`);
    console.log(`[HAProxy + PostgreSQL] conditional checks through HAProxy, one instance:  ${perSecond(one)}`);
    console.log(`[HAProxy + PostgreSQL] ratio two/one instances: ${(two.requests.average / one.requests.average).toFixed(2)}`);
    await measure({
      name: 'HAProxy + 2 instances + PostgreSQL',
      url: c.url,
      ca: c.caPem,
      token,
      pids: [
        ...c.instances.map((i, n) => ({ pid: i.process.child.pid!, what: `instance ${n + 1} (Node, plain HTTP)` })),
        { pid: c.haproxy.pid, what: 'HAProxy (TLS)' },
      ],
      serverHeld: async () => (await Promise.all(c.instances.map((i) => metric(i, 'backoffice_long_polls_held')))).reduce((a, b) => a + b, 0),
      changer: changer({ database: c.databaseUrl, signingKey: c.signingKey }, c.env),
    });
    const w = await apiRequest(c.instances[0]!, 'GET', '/metrics');
    const sum = /backoffice_wakeup_latency_seconds_sum (\S+)/.exec(w.text);
    const count = /backoffice_wakeup_latency_seconds_count (\S+)/.exec(w.text);
    if (sum && count) console.log(`[HAProxy + PostgreSQL] instance 1's own wake-up metric: ${count[1]} answered, mean ${((Number(sum[1]) / Number(count[1])) * 1000).toFixed(0)} ms from issue to answer`);
  } finally {
    for (const ch of children.splice(0)) ch.kill('SIGTERM');
    await c.stop();
  }
}
