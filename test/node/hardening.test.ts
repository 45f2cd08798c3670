// Regression tests for the findings of issue 11 (servers, children, single instance); each failed on
// the main branch before the fix.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { of } from 'rxjs';
import { RpcServerConnection, DEFAULT_MAX_STREAMS } from '../../src/common/rpc/rpc-server.js';
import type { EndpointFile } from '../../src/daemon/status-endpoint.js';
import { guardRequests } from '../../src/services/http/server-guard.js';
import { startConsole, type RunningConsole } from '../support/console.js';
import { get, login } from '../support/console-client.js';
import { exchange } from '../support/raw-http.js';
import { freePort, ROOT, run, startOrs, startProcess, tempDir, type Started } from '../support/processes.js';

function alive(p: Started): boolean {
  return p.child.exitCode === null && p.child.signalCode === null;
}

/** PIDs of every process whose parent is `pid`, from /proc. */
async function childrenOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) out.push(Number(name));
  }
  return out;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (let delay = 20; !(await check()); delay = Math.min(delay * 2, 250)) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

describe('one request never ends a server (finding 1)', () => {
  let c: RunningConsole;
  let port: number;
  before(async () => {
    c = await startConsole();
    port = Number(new URL(c.origin).port);
  });
  after(() => c.stop());

  it('console: an unauthenticated target the URL parser refuses gets 400, and the console lives on', async () => {
    const line = await exchange({ port }, Buffer.from(`GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
    assert.equal(line, 'HTTP/1.1 400 Bad Request');
    assert.ok(alive(c.process));
    assert.equal((await get(c.origin + '/')).status, 401, 'still answering');
  });

  it('console: a malformed percent-encoding under /static/ with a session gets 400, and the console lives on', async () => {
    const cookie = await login(c.loginUrl);
    const line = await exchange({ port }, Buffer.from(`GET /static/%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookie}\r\n\r\n`));
    assert.equal(line, 'HTTP/1.1 400 Bad Request');
    assert.ok(alive(c.process));
    assert.equal((await get(c.origin + '/', { cookie })).status, 200);
  });

  it('console: the Host allow-list refuses the literal "undefined:<port>" (finding 6)', async () => {
    const cookie = await login(c.loginUrl);
    assert.equal((await get(c.origin + '/', { cookie, host: `undefined:${port}` })).status, 421);
  });

  it('ORS status endpoint: a target the URL parser refuses gets 400, and the service lives on', async () => {
    const t = await tempDir('ors-harden-daemon-');
    const daemon = await startOrs(['daemon', '--data-dir', t.dir], { waitFor: /status endpoint listening/ });
    try {
      const ep = JSON.parse(await readFile(path.join(t.dir, 'ors', 'endpoint.json'), 'utf8')) as EndpointFile;
      const epPort = Number(new URL(ep.url).port);
      const line = await exchange({ port: epPort }, Buffer.from(`GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${epPort}\r\nAuthorization: Bearer ${ep.token}\r\n\r\n`));
      assert.equal(line, 'HTTP/1.1 400 Bad Request');
      assert.ok(alive(daemon));
      assert.equal((await fetch(`${ep.url}/status`, { headers: { authorization: `Bearer ${ep.token}` } })).status, 200);
    } finally {
      await daemon.stop();
      await t.cleanup();
    }
  });

  it('the guard answers the unexpected with 500 and an incident id that is in the log', async () => {
    const logged: object[] = [];
    const server = createServer(
      guardRequests({ error: (o) => logged.push(o) }, async (req) => {
        if (req.url === '/sync') throw new TypeError('boom');
        await Promise.resolve();
        throw new RangeError('async boom');
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const p of ['/sync', '/async']) {
        const r = await fetch(base + p);
        assert.equal(r.status, 500);
        const body = (await r.json()) as { error: { code: string; params: { incident: string } } };
        assert.equal(body.error.code, 'http.internal-error');
        assert.match(body.error.params.incident, /^[0-9a-f]{12}$/);
        assert.ok(JSON.stringify(logged).includes(body.error.params.incident), 'the incident id is logged');
        assert.ok(!JSON.stringify(body).includes('boom'), 'no detail goes to the client');
      }
    } finally {
      server.close();
    }
  });

  it('an unhandled promise rejection is logged with an incident id and the server process goes on', async () => {
    const script = [
      `import { keepServingOnUnhandledRejection } from ${JSON.stringify(path.join(ROOT, 'src/services/http/server-guard.ts'))};`,
      `keepServingOnUnhandledRejection({ error: (o, m) => console.log(m, JSON.stringify(o)) });`,
      `Promise.reject(new Error('nobody handles this'));`,
      `setTimeout(() => console.log('still alive'), 50);`,
    ].join('\n');
    const r = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /unhandled promise rejection .*"incident":"[0-9a-f]{12}"/);
    assert.match(r.stdout, /still alive/);
  });
});

describe('stream subscriptions per WebSocket are capped (finding 6)', () => {
  it(`refuses subscription ${DEFAULT_MAX_STREAMS + 1} with a coded error, and accepts again after one is dropped`, async () => {
    const sent: string[] = [];
    const conn = new RpcServerConnection({ get: () => ({ impl: { ticks$: () => of(1) }, members: new Set(['ticks$']) }) }, { send: (t) => sent.push(t), bufferedAmount: () => 0 });
    const sub = async (id: string): Promise<unknown> => {
      sent.length = 0;
      await conn.receive(JSON.stringify({ jsonrpc: '2.0', id, method: '$sub', params: { id, service: 's', name: 'ticks$' } }));
      return sent.map((t) => JSON.parse(t) as { id?: string; error?: { data?: { code?: string } } }).find((m) => m.id === id);
    };
    for (let i = 0; i < DEFAULT_MAX_STREAMS; i++) assert.equal((await sub(`s${i}`) as { error?: unknown }).error, undefined);
    const refused = (await sub('one-too-many')) as { error?: { data?: { code?: string } } };
    assert.equal(refused.error?.data?.code, 'rpc.too-many-streams');
    await conn.receive(JSON.stringify({ jsonrpc: '2.0', id: 'u', method: '$unsub', params: { id: 's0' } }));
    assert.equal(((await sub('again')) as { error?: unknown }).error, undefined);
    conn.close();
  });
});

describe('children die with the console; one console and one ORS service per data folder (finding 2)', () => {
  it('kill -9 of the console (demo): no child survives, and the next start works at once on the same port', async () => {
    const t = await tempDir('ors-harden-kill-');
    const port = await freePort();
    const args = [path.join(ROOT, 'bin/ors.js'), 'console', '--demo', '--port', String(port), '--data-dir', t.dir];
    const first = await startProcess(process.execPath, args, { cwd: ROOT, waitFor: /Console: http:\/\/127\.0\.0\.1:\d+\/\?token=/, timeoutMs: 60_000 });
    let second: Started | undefined;
    try {
      const pid = first.child.pid!;
      // The back office, the ORS service and the embedded FLS.
      let children: number[] = [];
      await until('three children', async () => (children = await childrenOf(pid)).length >= 3);
      const cmdlines = await Promise.all(children.map((c) => readFile(`/proc/${c}/cmdline`, 'utf8').then((s) => s.split('\0').join(' '))));
      for (const word of [' backoffice serve', ' daemon ', ' fls ']) assert.ok(cmdlines.some((l) => l.includes(word)), `a child runs${word}: ${cmdlines.join(' | ')}`);

      // A second console on the same data folder is refused and says which process holds it.
      const refused = await run(process.execPath, [path.join(ROOT, 'bin/ors.js'), 'console', '--port', '0', '--data-dir', t.dir], { cwd: ROOT, env: { ...process.env, LC_ALL: 'C' } });
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, new RegExp(`already running for the data folder .* \\(process ${pid}\\).*\\[host\\.already-running\\]`));

      first.child.kill('SIGKILL');
      await until('every child gone', () => children.every((c) => !running(c)), 10_000);

      second = await startProcess(process.execPath, args, { cwd: ROOT, waitFor: /Console: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=)/, timeoutMs: 60_000 });
      assert.equal(Number(second.match[2]), port, 'the same port');
    } finally {
      first.child.kill('SIGKILL');
      await second?.stop();
      await t.cleanup();
    }
  });

  it('a second ORS service on the same data folder is refused and says which process holds it', async () => {
    const t = await tempDir('ors-harden-daemon2-');
    const daemon = await startOrs(['daemon', '--data-dir', t.dir], { waitFor: /status endpoint listening/ });
    try {
      const again = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), 'daemon', '--data-dir', t.dir], { cwd: ROOT, env: { ...process.env, LC_ALL: 'C' } });
      assert.equal(again.code, 2);
      assert.match(again.stderr, new RegExp(`ORS service is already running for the data folder .* \\(process ${daemon.child.pid}\\)`));
    } finally {
      await daemon.stop();
      await t.cleanup();
    }
  });
});
