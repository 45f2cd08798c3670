import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { CodedError } from '../../src/common/errors.js';
import { EndpointUpdateActions } from '../../src/plugin/license-update/endpoint-actions.js';
import { endpointFileOf } from '../../src/services/ors-control/daemon-endpoint-client.js';
import { tempDir } from '../support/processes.js';

const TOKEN = 'endpoint-token-abc';

describe('license update actions on the ORS service endpoint', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: Server;
  const seen: { method: string; url: string; auth: string; body: unknown }[] = [];
  let answer: { status: number; body: string } = { status: 202, body: '{"accepted":true}' };

  before(async () => {
    ({ dir, cleanup } = await tempDir('license-update-ep-'));
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization ?? '', body: body ? JSON.parse(body) : undefined });
        res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const file = endpointFileOf(dir);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: TOKEN, pid: process.pid }), { mode: 0o600 });
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await cleanup();
  });

  it('posts check-now, confirm and retry with the license ID and the endpoint token', async () => {
    seen.length = 0;
    answer = { status: 202, body: '{"accepted":true}' };
    const a = new EndpointUpdateActions(dir);
    await a.checkNow();
    await a.confirm('LIC-7');
    await a.retry('LIC-8');
    assert.deepEqual(seen, [
      { method: 'POST', url: '/update/check-now', auth: `Bearer ${TOKEN}`, body: undefined },
      { method: 'POST', url: '/update/confirm', auth: `Bearer ${TOKEN}`, body: { licenseId: 'LIC-7' } },
      { method: 'POST', url: '/update/retry', auth: `Bearer ${TOKEN}`, body: { licenseId: 'LIC-8' } },
    ]);
  });

  it('keeps the code of a refusal, and reports an answer it cannot read as an unreachable service', async () => {
    answer = { status: 409, body: JSON.stringify({ error: { code: 'ors.update.not-pending', params: { licenseId: 'LIC-9' } } }) };
    await assert.rejects(new EndpointUpdateActions(dir).confirm('LIC-9'), (e: CodedError) => e.code === 'ors.update.not-pending' && e.params['licenseId'] === 'LIC-9');
    answer = { status: 500, body: 'oops' };
    await assert.rejects(new EndpointUpdateActions(dir).checkNow(), (e: CodedError) => e.code === 'ors.update.daemon-unreachable');
  });

  it('says the service cannot be reached when it has no endpoint', async () => {
    const { dir: empty, cleanup: done } = await tempDir('license-update-none-');
    try {
      await assert.rejects(new EndpointUpdateActions(empty).checkNow(), (e: CodedError) => e.code === 'ors.update.daemon-unreachable');
    } finally {
      await done();
    }
  });
});
