import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { connect } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sinon from 'sinon';
import { openDataDir, type OpenedDataDir } from '../../src/backoffice/data-dir.js';
import { ROUTES, RouteTable } from '../../src/backoffice/http/route-table.js';
import { HttpError } from '../../src/backoffice/http/json-io.js';
import { LongPollHub } from '../../src/backoffice/long-poll-hub.js';
import { BackofficeMetrics } from '../../src/backoffice/metrics.js';
import { openapi } from '../../src/backoffice/openapi.js';
import { startBackofficeServer, type RunningBackofficeServer } from '../../src/backoffice/server.js';
import { createLogger } from '../../src/services/log/logger.js';
import { apiRequest } from '../support/backoffice-server.js';
import { ROOT, startProcess, tempDir } from '../support/processes.js';

/** Sends raw bytes and resolves with the status line's code (0 when the socket closed without one). */
function rawStatus(port: number, bytes: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let text = '';
    s.on('data', (c: Buffer) => (text += c.toString('latin1')));
    s.on('error', reject);
    s.on('close', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0)));
    s.end(bytes);
  });
}

describe('back office request guard (in process, plain HTTP)', () => {
  let t: { dir: string; cleanup: () => Promise<void> };
  let data: OpenedDataDir;
  let server: RunningBackofficeServer;
  const logLines: string[] = [];

  before(async () => {
    t = await tempDir();
    data = await openDataDir(t.dir, { createKey: true });
    await data.service.addOrganisation('ORG', 'Org', 'correct horse battery staple');
    // A store that fails unexpectedly for one serial: the one fake in this file, for the guard's 500 path.
    const repo = data.repo;
    const failing = new Proxy(repo, {
      get(target, prop, receiver) {
        if (prop === 'getInstallation') return async (serial: string) => {
          if (serial === 'EXPLODE') throw new Error('disk on fire');
          return target.getInstallation(serial);
        };
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    Object.defineProperty(data.service, 'repo', { value: failing });
    const destination = { write: (line: string) => void logLines.push(line) };
    server = await startBackofficeServer({ service: data.service, logger: createLogger({ name: 'test', level: 'warn', destination }) });
  });
  after(async () => {
    await server?.close();
    await data?.close();
    await t?.cleanup();
  });

  it('answers bad request targets and bad percent-encodings with 400, and stays up', async () => {
    for (const target of ['%ZZ', 'http://[', '/v1/installations/%E0%A4%A/license', '/v1/installations/%/license', `/v1/installations/${'a'.repeat(500)}/license`, '*']) {
      const status = await rawStatus(server.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.equal(status, 400, target);
    }
    assert.equal((await apiRequest(server, 'GET', '/v1/health')).status, 200);
  });

  it('answers the unexpected with 500 and an incident id that is in the log with its cause', async () => {
    const login = await apiRequest(server, 'POST', '/v1/sessions', { json: { organisationId: 'ORG', verificationCode: 'correct horse battery staple' } });
    const token = (login.body as { token: string }).token;
    const r = await apiRequest(server, 'GET', '/v1/installations/EXPLODE/license', { token });
    assert.equal(r.status, 500);
    const incident = (r.body as { error: { code: string; params: { incident: string } } }).error;
    assert.equal(incident.code, 'backoffice.internal');
    assert.match(incident.params.incident, /^[0-9a-f-]{36}$/);
    assert.ok(!r.text.includes('disk on fire'), 'the cause stays in the log');
    const line = logLines.find((l) => l.includes(incident.params.incident));
    assert.ok(line?.includes('disk on fire'), 'the log line carries the incident id and the cause');
    assert.equal((await apiRequest(server, 'GET', '/v1/health')).status, 200);
  });
});

describe('back office process and stray rejections', () => {
  it('logs an unhandled rejection with an incident id and keeps serving', async () => {
    const t = await tempDir();
    const proc = await startProcess(
      process.execPath,
      ['--import', 'tsx', '--import', path.join(ROOT, 'test/support/backoffice-stray-rejection.ts'), path.join(ROOT, 'src/cli/main.ts'),
        'backoffice', 'serve', '--demo', '--plain-http', '--port', '0', '--data-dir', t.dir],
      { cwd: ROOT, waitFor: /Back office listening on (http:\/\/127\.0\.0\.1:\d+)/, env: { ...process.env, LC_ALL: 'C', ORS_LOG_LEVEL: 'warn' }, timeoutMs: 60_000 },
    );
    try {
      const until = Date.now() + 20_000;
      while (!/unhandled rejection/.test(proc.output()) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      assert.match(proc.output(), /"incident":"[0-9a-f-]{36}".*unhandled rejection/);
      assert.equal((await apiRequest({ url: proc.match[1]! }, 'GET', '/v1/health')).status, 200);
      assert.equal(proc.child.exitCode, null);
    } finally {
      await proc.stop();
      await t.cleanup();
    }
  });
});

describe('back office route table', () => {
  it('holds exactly the operations of openapi.json, with the same operationIds', () => {
    const documented = Object.entries(openapi.paths).flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => `${m.toUpperCase()} ${p} ${op.operationId}`));
    const routed = ROUTES.map((r) => `${r.method} ${r.path} ${r.operationId}`);
    assert.deepEqual([...routed].sort(), [...documented].sort());
  });

  it('decodes parameters, and answers unknown paths 404 and wrong methods 405 with Allow', () => {
    const table = new RouteTable();
    const m = table.match('GET', '/v1/installations/A%2FB/releases/2.0.0?x=1');
    assert.ok(!(m instanceof HttpError));
    assert.deepEqual([m.route.operationId, m.params, m.query.get('x')], ['checkRelease', { serial: 'A/B', version: '2.0.0' }, '1']);
    const notFound = table.match('GET', '/v1/nothing');
    assert.ok(notFound instanceof HttpError && notFound.status === 404);
    const wrong = table.match('DELETE', '/v1/installations/S-1/license');
    assert.ok(wrong instanceof HttpError && wrong.status === 405);
    assert.equal(wrong.headers['Allow'], 'GET');
    const bad = table.match('GET', '/v1/installations/%E0%A4%A/license');
    assert.ok(bad instanceof HttpError && bad.status === 400);
  });
});

/** A response that records what was sent (the hub only writes a status, headers and an end). */
class FakeResponse extends EventEmitter {
  headersSent = false;
  destroyed = false;
  status = 0;
  headers: Record<string, string> = {};
  writeHead(status: number, headers: Record<string, string>): this {
    this.status = status;
    this.headers = headers;
    this.headersSent = true;
    return this;
  }
  end(): this {
    return this;
  }
}

describe('long-poll hub (fake timers)', () => {
  it('refuses beyond its limit, answers 304 when the wait runs out and 200 with the new license on a wake-up', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      let notify: (serials: readonly string[]) => void = () => undefined;
      const body = { licenseId: 'L2', serial: 'S-1', seq: 2, kid: 'k', issuedAt: new Date(0).toISOString(), license: 'x' };
      const hub = new LongPollHub({
        watch: (cb) => ((notify = cb), { dispose: () => undefined }),
        read: async () => ({ body, etag: '"L2"' }),
        max: 2,
        metrics: new BackofficeMetrics(),
        logger: createLogger({ name: 'test', level: 'silent' }),
      });
      const a = new FakeResponse();
      const b = new FakeResponse();
      assert.equal(hub.hold('S-1', '"L1"', 30_000, a as unknown as ServerResponse), true);
      assert.equal(hub.hold('S-2', '"M1"', 10_000, b as unknown as ServerResponse), true);
      assert.equal(hub.hold('S-3', '"N1"', 10_000, new FakeResponse() as unknown as ServerResponse), false, 'full: the caller answers 503');
      assert.equal(hub.held, 2);
      await clock.tickAsync(10_000);
      assert.deepEqual([b.status, b.headers['ETag']], [304, '"M1"'], 'the wait ran out');
      assert.equal(a.status, 0, 'still held');
      notify(['S-1']);
      await clock.tickAsync(0);
      assert.deepEqual([a.status, a.headers['ETag']], [200, '"L2"']);
      assert.equal(hub.held, 0);
      const c = new FakeResponse();
      hub.hold('S-1', '"L2"', 30_000, c as unknown as ServerResponse);
      c.emit('close'); // the client went away: its slot is free at once
      assert.equal(hub.held, 0);
      hub.dispose();
    } finally {
      clock.restore();
    }
  });
});
