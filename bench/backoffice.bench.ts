// Back office: conditional license checks (304) per second and p99 vs a bare HTTPS server answering
// 304 (same certificate, same machine, measured in this run); idle long-polls held and the server's
// RSS; entitlement change (committed by another process) → long-poll answered, p50/p99.
// Load comes from this process; the back office is a separate `ors backoffice serve` child.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openDataDir } from '../src/backoffice/data-dir.js';
import { apiRequest, login, startBackoffice } from '../test/support/backoffice-server.js';
import { freePort } from '../test/support/processes.js';

// Changer mode: a separate process that commits an entitlement change per stdin line and prints
// the commit time, so wake-up latency is measured from the commit, across processes.
if (process.argv[2] === '--changer') {
  const d = await openDataDir(process.argv[3]!);
  let users = 1000;
  for await (const _line of createInterface({ input: process.stdin })) {
    await d.service.setEntitlement(process.argv[4]!, { users: users++ });
    process.stdout.write(`${Date.now()}\n`);
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

const SELF = fileURLToPath(import.meta.url);
const LONG_POLLS = Number(process.env['BENCH_LONG_POLLS'] ?? 10_000);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const bo = await startBackoffice();
const children: ChildProcess[] = [];
try {
  const token = await login(bo);
  const licensePath = `/v1/installations/${bo.serial}/license`;
  const etagOf = async () => String((await apiRequest(bo, 'GET', licensePath, { token })).headers['etag']);
  let etag = await etagOf();

  // --- baseline: bare node:https answering 304, in its own process
  const basePort = await freePort();
  const tlsDir = path.join(bo.dataDir, 'tls');
  const bare = spawn(process.execPath, ['-e', `
    const fs = require('fs');
    require('https').createServer({ cert: fs.readFileSync(${JSON.stringify(path.join(tlsDir, 'server.pem'))}), key: fs.readFileSync(${JSON.stringify(path.join(tlsDir, 'server.key'))}) },
      (req, res) => { res.writeHead(304, { ETag: '"x"', 'Cache-Control': 'no-store' }); res.end(); }).listen(${basePort}, '127.0.0.1', () => console.log('ready'));
  `], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(bare);
  await new Promise((r) => bare.stdout!.once('data', r));

  const cannon = (url: string, headers: Record<string, string>) =>
    autocannon({ url, connections: 32, pipelining: 1, duration: 8, headers, tlsOptions: { ca: bo.caPem } });
  const base = await cannon(`https://127.0.0.1:${basePort}/`, { 'If-None-Match': '"x"' });
  bare.kill('SIGTERM');
  const ours = await cannon(`${bo.url}${licensePath}`, { Authorization: `Bearer ${token}`, 'If-None-Match': etag });
  const s304 = ours.statusCodeStats['304']?.count ?? 0;
  console.log(`conditional license checks (304): ${ours.requests.average.toFixed(0)}/s, p50 ${ours.latency.p50} ms, p99 ${ours.latency.p99} ms ` +
    `(target >= 5000/s, p99 <= 20 ms; 304s ${s304}, other ${ours.non2xx - s304}, errors ${ours.errors})`);
  console.log(`baseline bare https 304: ${base.requests.average.toFixed(0)}/s, p99 ${base.latency.p99} ms`);
  console.log(`ratio checks/baseline: ${(ours.requests.average / base.requests.average).toFixed(2)}`);

  // --- wake-up latency: one held long-poll, a change committed by another process, time to answer
  const changer = spawn(process.execPath, ['--import', 'tsx', SELF, '--changer', bo.dataDir, bo.serial], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(changer);
  const commits = createInterface({ input: changer.stdout! })[Symbol.asyncIterator]();
  const wakes: number[] = [];
  for (let i = 0; i < 60; i++) {
    let answeredAt = 0;
    const poll = apiRequest(bo, 'GET', `${licensePath}?wait=30`, { token, headers: { 'If-None-Match': etag }, timeoutMs: 40_000 }).then((r) => {
      answeredAt = Date.now();
      return r;
    });
    await sleep(20 + Math.random() * 60); // let the poll arrive; random phase against the watch interval
    changer.stdin!.write('change\n');
    const committedAt = Number((await commits.next()).value);
    const r = await poll;
    if (r.status !== 200) throw new Error(`long-poll answered ${r.status}`);
    etag = String(r.headers['etag']);
    wakes.push(answeredAt - committedAt);
  }
  console.log(`entitlement change (other process) -> long-poll answered: p50 ${pct(wakes, 50)} ms, p99 ${pct(wakes, 99)} ms over ${wakes.length} (target p99 <= 200 ms)`);

  // --- N idle long-polls held: ours, and a bare node:https server that never answers (baseline)
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity, ca: bo.caPem });
  let answered = 0;
  const answers: number[] = [];
  const hold = async (url: URL, headers: Record<string, string>, pid: number) => {
    let connected = 0;
    let failed = 0;
    const t0 = Date.now();
    const idle = rssMb(pid);
    for (let i = 0; i < LONG_POLLS; i++) {
      const req = httpsRequest(url, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          answered++;
          answers.push(Date.now());
        });
      });
      req.on('socket', (s) => s.once('secureConnect', () => connected++));
      req.on('error', () => failed++);
      req.end();
      if (i % 200 === 199) await sleep(20); // pace the handshakes a little
    }
    while (connected + failed < LONG_POLLS && Date.now() - t0 < 60_000) await sleep(100);
    await sleep(1_000);
    return { connected, failed, idle, rss: rssMb(pid), seconds: (Date.now() - t0) / 1000 };
  };
  const barePort = await freePort();
  const holder = spawn(process.execPath, ['-e', `
    const fs = require('fs');
    require('https').createServer({ cert: fs.readFileSync(${JSON.stringify(path.join(tlsDir, 'server.pem'))}), key: fs.readFileSync(${JSON.stringify(path.join(tlsDir, 'server.key'))}) },
      () => {}).listen(${barePort}, '127.0.0.1', () => console.log('ready'));
  `], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(holder);
  await new Promise((r) => holder.stdout!.once('data', r));
  const bareHeld = await hold(new URL(`https://127.0.0.1:${barePort}/`), {}, holder.pid!);
  holder.kill('SIGKILL');
  answered = 0;
  answers.length = 0;
  const held = await hold(new URL(`${licensePath}?wait=60`, bo.url), { Authorization: `Bearer ${token}`, 'If-None-Match': etag }, bo.process.child.pid!);
  const connected = held.connected;
  const rssHeld = held.rss;
  const rssIdle = held.idle;
  console.log(`idle long-polls held: ${held.connected} of ${LONG_POLLS} (failed ${held.failed}, answered early ${answered}) in ${held.seconds.toFixed(1)} s; ` +
    `server RSS ${rssHeld.toFixed(0)} MB (before ${rssIdle.toFixed(0)} MB; target <= 300 MB; ulimit -n ${process.env['ULIMIT_N'] ?? 'see shell'})`);
  console.log(`baseline bare node:https holding ${bareHeld.connected} requests: RSS ${bareHeld.rss.toFixed(0)} MB (before ${bareHeld.idle.toFixed(0)} MB), ` +
    `${(((bareHeld.rss - bareHeld.idle) * 1024) / Math.max(1, bareHeld.connected)).toFixed(1)} KB per connection`);
  console.log(`ratio RSS held ours/bare: ${(rssHeld / bareHeld.rss).toFixed(2)}`);
  console.log(`growth per long-poll (ours): ${(((rssHeld - rssIdle) * 1024) / Math.max(1, connected)).toFixed(1)} KB`);
  changer.stdin!.write('change\n');
  const herdAt = Number((await commits.next()).value);
  while (answered < connected && Date.now() - herdAt < 30_000) await sleep(20);
  const herd = answers.map((t) => t - herdAt).filter((t) => t >= 0);
  console.log(`one change wakes all ${answered} held long-polls: p50 ${pct(herd, 50)} ms, p99 ${pct(herd, 99)} ms, last ${Math.max(...herd)} ms`);
  agent.destroy();
  changer.stdin!.end();
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await bo.stop();
}
