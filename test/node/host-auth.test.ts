import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { firstValueFrom } from 'rxjs';
import { HOST_SERVICE, type HostService } from '../../src/common/console-protocol.js';
import { startHost, type RunningHost } from '../../src/host/server/host.js';
import { get, login, openSocket, rpcClient } from '../support/console-client.js';
import { ROOT, tempDir } from '../support/processes.js';

const quiet = new Writable({ write: (_c, _e, done) => done() });

describe('console access', () => {
  let host: RunningHost;
  let cleanup: () => Promise<void>;
  let origin: string;

  before(async () => {
    const t = await tempDir('ors-auth-');
    cleanup = t.cleanup;
    await writeFile(path.join(t.dir, 'index.html'), '<!doctype html><title>console</title>');
    host = await startHost({ dataDir: t.dir, port: 0, staticDir: t.dir, logStream: quiet, pluginDirs: [path.join(ROOT, 'test/fixtures/plugins/good')] });
    origin = new URL(host.url).origin;
  });
  after(async () => {
    await host.close();
    await cleanup();
  });

  it('listens on loopback only', () => {
    assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('answers 401 without a session, and with a wrong token', async () => {
    assert.equal((await get(host.url)).status, 401);
    assert.equal((await get(`${host.url}static/console.js`)).status, 401);
    assert.equal((await get(`${host.url}?token=wrong`)).status, 401);
    assert.equal((await get(host.url, { cookie: `ors_session_${host.port}=forged` })).status, 401);
  });

  it('trades the token for an HttpOnly SameSite=Strict cookie and drops it from the address', async () => {
    const r = await get(host.loginUrl);
    assert.equal(r.status, 303);
    assert.equal(r.headers['location'], '/');
    const cookie = String(r.headers['set-cookie']);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const page = await get(host.url, { cookie: cookie.split(';')[0]! });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    assert.doesNotMatch(String(page.headers['content-security-policy']), /unsafe-inline/);
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
  });

  it('refuses a request for another Host name (DNS rebinding)', async () => {
    const cookie = await login(host.loginUrl);
    assert.equal((await get(host.url, { cookie, host: `evil.example:${host.port}` })).status, 421);
  });

  it('refuses the WebSocket without a session or from a foreign Origin', async () => {
    const cookie = await login(host.loginUrl);
    await assert.rejects(openSocket(origin), /HTTP 401/);
    await assert.rejects(openSocket(origin, { cookie, originHeader: 'http://evil.example' }), /HTTP 401/);
    await assert.rejects(openSocket(origin, { cookie, originHeader: 'null' }), /HTTP 401/);
    const ws = await openSocket(origin, { cookie });
    ws.close();
  });

  it('serves typed calls and streams over the socket, with coded errors', async () => {
    const cookie = await login(host.loginUrl);
    const { client } = rpcClient(origin, cookie);
    const api = client.proxy<HostService>(HOST_SERVICE);
    const layout = await api.layout();
    assert.ok(layout.nodes.some((n) => n.id === 'good-node'));
    const items = await firstValueFrom(api.items$('good-node'));
    assert.equal(items[0]?.id, 'i1');
    await assert.rejects(api.executeCommand('no.such.command'), { code: 'host.unknown-command' });
    const echo = client.proxy<{ echo(x: unknown): Promise<unknown> }>('good.echo');
    assert.deepEqual(await echo.echo({ a: 1 }), { a: 1 });
    // Only listed members are reachable, not whatever the object happens to have.
    await assert.rejects(client.call('good.echo', 'toString', []), /Method not found|rpc/);
    client.close();
  });

  it('never sends a stored secret to the console, even when a service tries to', async () => {
    const secret = 'S3cr3t-v@lue-\u00e9%';
    await host.secrets.set('good/pw', secret);
    const cookie = await login(host.loginUrl);
    const { client, frames } = rpcClient(origin, cookie);
    const leaky = client.proxy<{ secretLeak(): Promise<string> }>('good.echo');
    await assert.rejects(leaky.secretLeak(), { code: 'rpc.secret-refused' });
    const api = client.proxy<HostService>(HOST_SERVICE);
    await api.layout();
    await firstValueFrom(api.notifications$());
    client.close();
    assert.ok(frames.length > 2);
    for (const f of frames) assert.ok(!f.includes(secret) && !f.includes(JSON.stringify(secret).slice(1, -1)), 'a frame carried the secret');
  });
});
