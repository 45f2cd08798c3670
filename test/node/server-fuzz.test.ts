import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import WebSocket from 'ws';
import { HOST_SERVICE, type HostService } from '../../src/common/console-protocol.js';
import type { EndpointFile } from '../../src/daemon/status-endpoint.js';
import { apiRequest, login as boLogin, startBackoffice, type RunningBackoffice } from '../support/backoffice-server.js';
import { startConsole, type RunningConsole } from '../support/console.js';
import { login, rpcClient } from '../support/console-client.js';
import { startFlsProcess, vendorOnDisk } from '../support/license-servers.js';
import { startOrs, tempDir, type Started } from '../support/processes.js';
import { exchange, isStatusOrClosed, openRaw, requests, rpcMessages, wsFrames, type Target } from '../support/raw-http.js';

// Bounded: a fixed number of runs per property and a fixed seed per run of the suite (printed on failure).
const RUNS = { http: 300, frames: 100, rpc: 300 };

function alive(p: Started): boolean {
  return p.child.exitCode === null && p.child.signalCode === null;
}

/** Every random request gets a status line or a closed socket; the process is alive afterwards. */
async function fuzzHttp(t: Target, proc: Started, ctx: Parameters<typeof requests>[0]): Promise<void> {
  const seen = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(requests(ctx), async (bytes) => {
      const line = await exchange(t, bytes);
      const status = line.slice(9, 12) || 'closed';
      seen.set(status, (seen.get(status) ?? 0) + 1);
      assert.ok(isStatusOrClosed(line), `not a status line: ${JSON.stringify(line)}`);
      assert.ok(alive(proc), `the server died after ${JSON.stringify(bytes.toString('latin1').slice(0, 300))}`);
    }),
    { numRuns: RUNS.http },
  );
  // The run covered both sides of the guard: answers from the handlers and refusals.
  assert.ok(seen.size >= 3, `answers seen: ${JSON.stringify([...seen])}`);
}

describe('fuzz: every server answers any request with a status or a closed socket, and lives on', () => {
  const stops: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  });

  describe('console host', () => {
    let c: RunningConsole;
    let cookie: string;
    let port: number;
    before(async () => {
      c = await startConsole();
      stops.push(() => c.stop());
      cookie = await login(c.loginUrl);
      port = Number(new URL(c.origin).port);
    });

    it('HTTP: random request lines, targets, headers and encodings, with and without a session', async () => {
      const token = new URL(c.loginUrl).searchParams.get('token')!;
      await fuzzHttp({ port }, c.process, { port, auth: { Cookie: cookie, Origin: c.origin }, known: ['/', '/static/', '/static/console.js', '/rpc', `/?token=${token}`, '/plugins/', '/?token='] });
      const page = await fetch(`${c.origin}/`, { headers: { cookie } });
      assert.equal(page.status, 200, 'the console still serves its page');
    });

    it('WebSocket: random frames after a real handshake', async () => {
      const upgrade = Buffer.from(
        [`GET /rpc HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', `Origin: ${c.origin}`, `Cookie: ${cookie}`, '', ''].join('\r\n'),
      );
      let upgraded = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(wsFrames, { minLength: 1, maxLength: 4 }), async (frames) => {
          await new Promise<void>((resolve, reject) => {
            const s = openRaw({ port });
            const timer = setTimeout(() => reject(new Error('the socket neither answered nor closed')), 5_000);
            let head = '';
            s.once('connect', () => s.write(upgrade));
            s.on('data', (d: Buffer) => {
              if (head.startsWith('HTTP/1.1 101')) return;
              head += d.toString('latin1');
              if (head.startsWith('HTTP/1.1 101') && head.includes('\r\n\r\n')) {
                upgraded++;
                s.write(Buffer.concat([...frames, Buffer.from([0x88, 0x80, 1, 2, 3, 4])]));
                s.end();
              }
            });
            s.on('error', () => undefined);
            s.on('close', () => {
              clearTimeout(timer);
              resolve();
            });
          });
          assert.ok(alive(c.process));
        }),
        { numRuns: RUNS.frames },
      );
      assert.equal(upgraded, RUNS.frames, 'every run got past the handshake');
    });

    it('JSON-RPC: random messages on an open session, then real calls still work', async () => {
      const ws = new WebSocket(`${c.origin.replace('http', 'ws')}/rpc`, { headers: { cookie }, origin: c.origin });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      let answers = 0;
      ws.on('message', () => answers++);
      await fc.assert(
        fc.asyncProperty(rpcMessages(['host.layout', 'host.items$', 'host.notifications$', 'host.about$', 'host.logs$', 'host.progress$', 'good.echo']), async (text) => {
          ws.send(text);
          assert.ok(alive(c.process));
        }),
        { numRuns: RUNS.rpc },
      );
      // A last raw frame and a round trip, so every message above was processed before we look.
      await new Promise<void>((resolve) => {
        ws.on('message', (d) => {
          if (String(d).includes('"id":"last"')) resolve();
        });
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'last', method: 'host.layout' }));
      });
      ws.close();
      assert.ok(answers > 1, `the server answered (${answers} frames)`);
      const { client } = rpcClient(c.origin, cookie);
      const layout = await client.proxy<HostService>(HOST_SERVICE).layout();
      assert.ok(layout.nodes.length > 0, 'the console still serves its layout');
      client.close();
      assert.ok(alive(c.process));
    });
  });

  describe('ORS status endpoint', () => {
    it('HTTP: random requests with and without the bearer token', async () => {
      const t = await tempDir('ors-fuzz-daemon-');
      const daemon = await startOrs(['daemon', '--data-dir', t.dir], { waitFor: /status endpoint listening/ });
      stops.push(async () => {
        await daemon.stop();
        await t.cleanup();
      });
      const ep = JSON.parse(await readFile(path.join(t.dir, 'ors', 'endpoint.json'), 'utf8')) as EndpointFile;
      const port = Number(new URL(ep.url).port);
      await fuzzHttp({ port }, daemon, { port, auth: { Authorization: `Bearer ${ep.token}` }, known: ['/status', '/status/stream', '/update/check-now', '/update/confirm', '/update/retry', '/assistance/report', '/'] });
      const r = await fetch(`${ep.url}/status`, { headers: { authorization: `Bearer ${ep.token}` } });
      assert.equal(r.status, 200);
    });
  });

  describe('reference FLS', () => {
    it('HTTP: random requests and bodies', async () => {
      const t = await tempDir('ors-fuzz-fls-');
      const vendor = await vendorOnDisk(t.dir);
      const fls = await startFlsProcess(path.join(t.dir, 'licenses'), vendor.trustDir);
      stops.push(async () => {
        await fls.stop();
        await t.cleanup();
      });
      const port = Number(new URL(fls.url).port);
      await fuzzHttp({ port }, fls, { port, auth: { 'Content-Type': 'application/json' }, known: ['/status', '/seats/checkout', '/seats/heartbeat', '/seats/release', '/'] });
      assert.equal((await fetch(`${fls.url}/status`)).status, 200);
    });
  });

  describe('reference back office', () => {
    let bo: RunningBackoffice;
    before(async () => {
      bo = await startBackoffice();
      stops.push(() => bo.stop());
    });

    it('HTTPS: random requests with and without a session token', async () => {
      const token = await boLogin(bo);
      await fuzzHttp({ port: bo.port, tls: true }, bo.process, {
        port: bo.port,
        auth: { Authorization: `Bearer ${token}` },
        known: [
          '/v1/health', '/v1/sessions', `/v1/installations/${bo.serial}`, `/v1/installations/${bo.serial}/license?wait=1`, `/v1/installations/${bo.serial}/receipts`, '/v1/releases', '/',
          `/v1/installations/${bo.serial}/assistance?wait=1`, `/v1/installations/${bo.serial}/assistance/00000000-0000-4000-8000-000000000000/reports`,
        ],
      });
      assert.ok(alive(bo.process));
    });

    it('HTTPS: the website and its API with and without a staff session (cookie, Origin, CSRF token)', async () => {
      const password = /demo-technician \/ (\S+)/.exec(bo.process.output())![1]!;
      const origin = new URL(bo.url).origin;
      const r = await apiRequest(bo, 'POST', '/v1/staff/sessions', { json: { name: 'demo-technician', password }, headers: { Origin: origin } });
      assert.equal(r.status, 200);
      const cookie = String(r.headers['set-cookie']).split(';')[0]!;
      const s = `/v1/staff/installations/${bo.serial}`;
      await fuzzHttp({ port: bo.port, tls: true }, bo.process, {
        port: bo.port,
        auth: { Cookie: cookie, Origin: origin, 'X-CSRF-Token': (r.body as { csrfToken: string }).csrfToken },
        known: [
          '/v1/staff/sessions', '/v1/staff/session', '/v1/staff/installations?sort=contact&order=desc&q=x&status=pending&offset=0&limit=5', s, `${s}/entitlement`,
          `${s}/entitlement/preview`, `${s}/assistance`, `${s}/assistance/00000000-0000-4000-8000-000000000000/cancel`, '/v1/staff/releases',
          '/v1/staff/releases/prepress-suite/2.0.0/installations', '/v1/staff/events', '/', '/releases', `/installations/${bo.serial}`, '/static/website.js', '/static/../index.html',
        ],
      });
      const page = await apiRequest(bo, 'GET', '/', { headers: { Cookie: cookie } });
      assert.equal(page.status, 200, 'the website still serves its page');
      assert.ok(alive(bo.process));
    });
  });
});
