import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request as httpsRequest } from 'node:https';
import { openDataDir } from '../../src/backoffice/data-dir.js';
import { createLicenseVerifier } from '../../src/services/license/signer.js';
import { runOrs } from '../support/processes.js';
import { apiRequest, login, metric, startBackoffice, waitForHeldPolls, type ApiResponse, type RunningBackoffice } from '../support/backoffice-server.js';
import { assertConforms } from '../support/backoffice-contract.js';

const LICENSE = '/v1/installations/{serial}/license';

describe('back office API', () => {
  let bo: RunningBackoffice;
  let token: string;
  const call = async (method: string, template: string, path: string, options: Parameters<typeof apiRequest>[3] = {}): Promise<ApiResponse> => {
    const res = await apiRequest(bo, method, path, { token, ...options });
    assertConforms(method, template, res);
    return res;
  };
  const licensePath = () => `/v1/installations/${bo.serial}/license`;
  const setEntitlement = async (...args: string[]) => {
    const r = await runOrs(['backoffice', 'entitlement', 'set', '--data-dir', bo.dataDir, '--serial', bo.serial, ...args]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };

  before(async () => {
    bo = await startBackoffice();
    token = await login(bo);
  });
  after(async () => bo?.stop());

  it('answers health with the kid of its signing key', async () => {
    const r = await call('GET', '/v1/health', '/v1/health', { token: '' });
    assert.equal(r.status, 200);
    assert.equal((r.body as { kid: string }).kid, bo.kid);
  });

  it('hands out a token for the right organisation ID and verification code', async () => {
    const r = await call('POST', '/v1/sessions', '/v1/sessions', { token: '', json: { organisationId: bo.orgId, verificationCode: bo.code } });
    assert.equal(r.status, 200);
    assert.equal((r.body as { organisationId: string }).organisationId, bo.orgId);
  });

  it('refuses a wrong code and an unknown organisation with the same answer', async () => {
    const wrong = await call('POST', '/v1/sessions', '/v1/sessions', { token: '', json: { organisationId: bo.orgId, verificationCode: 'WRONG-CODE' } });
    const unknown = await call('POST', '/v1/sessions', '/v1/sessions', { token: '', json: { organisationId: 'NO-SUCH-ORG', verificationCode: 'WRONG-CODE' } });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
    assert.deepEqual(wrong.body, { error: { code: 'backoffice.auth.invalid-credentials' } });
  });

  it('refuses calls without a token or with a made-up one', async () => {
    const none = await call('GET', LICENSE, licensePath(), { token: '' });
    assert.equal(none.status, 401);
    assert.equal((none.body as { error: { code: string } }).error.code, 'backoffice.auth.token-missing');
    const bogus = await call('GET', LICENSE, licensePath(), { token: 'A'.repeat(43) });
    assert.equal((bogus.body as { error: { code: string } }).error.code, 'backoffice.auth.token-invalid');
  });

  it('records a heartbeat with versions and last seen', async () => {
    const r = await call('PUT', '/v1/installations/{serial}', `/v1/installations/${bo.serial}`, { json: { productVersion: '2.0.0', orsVersion: '0.1.0', hostname: 'fls-01' } });
    assert.equal(r.status, 200);
    const inst = r.body as { productVersion: string; lastSeenAt: string | null };
    assert.equal(inst.productVersion, '2.0.0');
    assert.ok(inst.lastSeenAt);
  });

  it('treats a serial of another organisation like an unknown one', async () => {
    const add = await runOrs(['backoffice', 'org', 'add', '--data-dir', bo.dataDir, '--id', 'OTHER-ORG']);
    assert.equal(add.code, 0, add.stderr);
    const inst = await runOrs(['backoffice', 'installation', 'add', '--data-dir', bo.dataDir, '--serial', 'OTHER-1', '--org', 'OTHER-ORG', '--product', 'p']);
    assert.equal(inst.code, 0, inst.stderr);
    const theirs = await call('GET', LICENSE, '/v1/installations/OTHER-1/license');
    const nobody = await call('GET', LICENSE, '/v1/installations/NOBODY-1/license');
    assert.equal(theirs.status, 404);
    assert.equal((theirs.body as { error: { code: string } }).error.code, 'backoffice.installation.unknown');
    assert.equal(nobody.status, 404);
  });

  it('serves the current license signed with its key, and 304 for its ETag', async () => {
    const r = await call('GET', LICENSE, licensePath());
    assert.equal(r.status, 200);
    const body = r.body as { license: string; licenseId: string; seq: number };
    assert.equal(r.headers['etag'], `"${body.licenseId}"`);
    const verified = createLicenseVerifier([bo.publicKeyPem]).verify(body.license);
    assert.equal(verified.payload.serial, bo.serial);
    assert.equal(verified.payload.seq, body.seq);
    const again = await call('GET', LICENSE, licensePath(), { headers: { 'If-None-Match': `"${body.licenseId}"` } });
    assert.equal(again.status, 304);
    assert.equal(again.headers['etag'], `"${body.licenseId}"`);
    const stale = await call('GET', LICENSE, licensePath(), { headers: { 'If-None-Match': '"some-old-license"' } });
    assert.equal(stale.status, 200);
  });

  it('answers a long-poll with 304 when nothing changes within wait', async () => {
    const cur = await call('GET', LICENSE, licensePath());
    const etag = String(cur.headers['etag']);
    const t0 = Date.now();
    const r = await call('GET', LICENSE, `${licensePath()}?wait=1`, { headers: { 'If-None-Match': etag } });
    assert.equal(r.status, 304);
    assert.ok(Date.now() - t0 >= 900, 'the request was held for the wait');
  });

  it('wakes a long-poll as soon as the vendor CLI changes the entitlement in another process', async () => {
    const cur = await call('GET', LICENSE, licensePath());
    const before = cur.body as { seq: number };
    const poll = call('GET', LICENSE, `${licensePath()}?wait=60`, { headers: { 'If-None-Match': String(cur.headers['etag']) }, timeoutMs: 70_000 });
    await waitForHeldPolls(bo, 1);
    const out = await setEntitlement('--users', '42', '--feature', 'extra-output:2');
    const changedAt = Date.now();
    assert.match(out, /license .* issued \(seq \d+\)/);
    const r = await poll;
    assert.equal(r.status, 200);
    assert.ok(Date.now() - changedAt < 30_000, 'answered long before the 60 s wait ran out');
    const body = r.body as { seq: number; license: string };
    assert.equal(body.seq, before.seq + 1);
    const p = createLicenseVerifier([bo.publicKeyPem]).verify(body.license).payload;
    assert.equal(p.users, 42);
    assert.deepEqual(p.features.find((f) => f.id === 'extra-output'), { id: 'extra-output', count: 2 });
  });

  it('reports the entitlement', async () => {
    const r = await call('GET', '/v1/installations/{serial}/entitlement', `/v1/installations/${bo.serial}/entitlement`);
    assert.equal(r.status, 200);
    assert.equal((r.body as { users: number }).users, 42);
  });

  it('stores receipts of every kind and requires a reason for failed', async () => {
    const cur = (await call('GET', LICENSE, licensePath())).body as { licenseId: string; seq: number };
    const path = `/v1/installations/${bo.serial}/receipts`;
    for (const kind of ['installed', 'copied-remote', 'manual-pending']) {
      const r = await call('POST', '/v1/installations/{serial}/receipts', path, { json: { licenseId: cur.licenseId, seq: cur.seq, kind } });
      assert.equal(r.status, 201);
      assert.equal((r.body as { kind: string }).kind, kind);
    }
    const noReason = await call('POST', '/v1/installations/{serial}/receipts', path, { json: { licenseId: cur.licenseId, seq: cur.seq, kind: 'failed' } });
    assert.equal(noReason.status, 400);
    assert.equal((noReason.body as { error: { field: string } }).error.field, 'reason');
    const failed = await call('POST', '/v1/installations/{serial}/receipts', path, { json: { licenseId: cur.licenseId, seq: cur.seq, kind: 'failed', reason: 'share.access-denied' } });
    assert.equal((failed.body as { reason: string }).reason, 'share.access-denied');
    const shown = await runOrs(['backoffice', 'license', 'show', '--data-dir', bo.dataDir, '--serial', bo.serial, '--receipts']);
    assert.match(shown.stdout, /failed license seq \d+ share\.access-denied/);
    // A receipt sent again (the client crashed before it saw the answer) is not stored twice.
    const again = await call('POST', '/v1/installations/{serial}/receipts', path, { json: { licenseId: cur.licenseId, seq: cur.seq, kind: 'failed', reason: 'share.access-denied' } });
    assert.equal(typeof (failed.body as { id: number }).id, 'number');
    assert.equal((again.body as { id: number }).id, (failed.body as { id: number }).id);
  });

  it('allows a release only when maintenance covers its date', async () => {
    const list = await call('GET', '/v1/installations/{serial}/releases', `/v1/installations/${bo.serial}/releases`);
    const releases = (list.body as { releases: { version: string; allowed: boolean; reason?: string }[] }).releases;
    assert.deepEqual(releases.map((r) => [r.version, r.allowed, r.reason]), [['1.0.0', false, 'release-before-maintenance'], ['2.0.0', true, undefined]]);
    const tpl = '/v1/installations/{serial}/releases/{version}';
    const ok = await call('GET', tpl, `/v1/installations/${bo.serial}/releases/2.0.0`);
    assert.equal((ok.body as { allowed: boolean }).allowed, true);
    const add = await runOrs(['backoffice', 'release', 'add', '--data-dir', bo.dataDir, '--product', 'prepress-suite', '--release', '9.0.0',
      '--date', '2099-01-01', '--checksum', `sha256:${'a'.repeat(64)}`, '--url', 'https://downloads.example.com/9.0.0']);
    assert.equal(add.code, 0, add.stderr);
    const late = await call('GET', tpl, `/v1/installations/${bo.serial}/releases/9.0.0`);
    assert.deepEqual([(late.body as { allowed: boolean }).allowed, (late.body as { reason: string }).reason], [false, 'maintenance-ended-before-release']);
    const unknown = await call('GET', tpl, `/v1/installations/${bo.serial}/releases/7.7.7`);
    assert.equal((unknown.body as { error: { code: string } }).error.code, 'backoffice.release.unknown');
  });

  it('answers bad JSON, a wrong media type and schema violations with 4xx codes naming the field', async () => {
    const s = '/v1/sessions';
    const bad = await call('POST', s, s, { raw: '{"organisationId": ', headers: { 'Content-Type': 'application/json' } });
    assert.equal((bad.body as { error: { code: string } }).error.code, 'backoffice.request.bad-json');
    const notUtf8 = await call('POST', s, s, { raw: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), headers: { 'Content-Type': 'application/json' } });
    assert.equal(notUtf8.status, 400);
    const form = await call('POST', s, s, { raw: 'a=b', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.status, 415);
    const extra = await call('POST', s, s, { json: { organisationId: 'X', verificationCode: 'y', admin: true } });
    assert.deepEqual([extra.status, (extra.body as { error: { field: string } }).error.field], [400, 'admin']);
    const arr = await call('POST', s, s, { json: [1, 2] });
    assert.equal(arr.status, 400);
    const seq = await call('POST', '/v1/installations/{serial}/receipts', `/v1/installations/${bo.serial}/receipts`, { json: { licenseId: 'x', seq: 'one', kind: 'installed' } });
    assert.deepEqual([seq.status, (seq.body as { error: { field: string } }).error.field], [400, 'seq']);
  });

  it('refuses oversized bodies, declared or streamed, with 413', async () => {
    const big = JSON.stringify({ organisationId: 'X', verificationCode: 'x'.repeat(64 * 1024) });
    const declared = await call('POST', '/v1/sessions', '/v1/sessions', { raw: big, headers: { 'Content-Type': 'application/json' } });
    assert.equal((declared.body as { error: { code: string } }).error.code, 'backoffice.request.too-large');
    const streamed = await new Promise<ApiResponse>((resolve, reject) => {
      const req = httpsRequest(new URL('/v1/sessions', bo.url), { method: 'POST', ca: bo.caPem, agent: false, headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      for (let i = 0; i < 8; i++) req.write('x'.repeat(4096));
      req.end();
    });
    assertConforms('POST', '/v1/sessions', streamed);
    assert.equal(streamed.status, 413);
  });

  it('refuses hostile strings at the edge and stays up', async () => {
    const hostile = ['..%2F..%2Fetc%2Fpasswd', "x'%3B%20DROP%20TABLE%20licenses%3B--", '%00', '%E2%80%AEevil', 'a'.repeat(300), '%ZZ'];
    for (const h of hostile) {
      const r = await apiRequest(bo, 'GET', `/v1/installations/${h}/license`, { token });
      assert.ok(r.status === 400 || r.status === 404, `${h}: ${r.status}`);
      if (r.status === 400) assertConforms('GET', LICENSE, r);
      assert.match((r.body as { error: { code: string } }).error.code, /^backoffice\./);
    }
    const receipts = `/v1/installations/${bo.serial}/receipts`;
    const nul = await call('POST', '/v1/installations/{serial}/receipts', receipts, { json: { licenseId: 'x', seq: 1, kind: 'failed', reason: 'a\u0000b' } });
    assert.equal(nul.status, 400);
    const proto = await call('POST', '/v1/installations/{serial}/receipts', receipts, { raw: '{"__proto__":{"admin":true},"licenseId":"x","seq":1,"kind":"installed"}', headers: { 'Content-Type': 'application/json' } });
    assert.equal(proto.status, 400);
    const sql = await call('POST', '/v1/installations/{serial}/receipts', receipts, { json: { licenseId: 'x', seq: 1, kind: 'failed', reason: "'); DROP TABLE receipts; --" } });
    assert.equal(sql.status, 201);
    assert.equal((sql.body as { reason: string }).reason, "'); DROP TABLE receipts; --");
    const wrongMethod = await apiRequest(bo, 'DELETE', licensePath(), { token });
    assert.deepEqual([wrongMethod.status, wrongMethod.headers['allow']], [405, 'GET']);
    const health = await call('GET', '/v1/health', '/v1/health');
    assert.equal(health.status, 200);
  });
});

describe('back office login throttling', () => {
  let bo: RunningBackoffice;
  before(async () => {
    bo = await startBackoffice({ extraArgs: ['--throttle-base-ms', '200', '--throttle-max-seconds', '1', '--max-long-polls', '1'] });
  });
  after(async () => bo?.stop());

  const attempt = (code: string) => apiRequest(bo, 'POST', '/v1/sessions', { json: { organisationId: bo.orgId, verificationCode: code } });

  it('holds a source longer after each wrong code, never locks it, and lets the right code in', async () => {
    const failedBefore = await metric(bo, 'backoffice_logins_failed_total');
    for (let i = 0; i < 5; i++) {
      const r = await attempt('WRONG-CODE');
      assertConforms('POST', '/v1/sessions', r);
      assert.equal(r.status, 401, 'a wrong code is refused as wrong, never as locked');
    }
    // After four failures this source waits min(200 ms · 2^4, 1 s) before its code is checked.
    const t0 = Date.now();
    const ok = await attempt(bo.code);
    assert.equal(ok.status, 200, 'the right code gets in however many wrong ones came from this address');
    assert.ok(Date.now() - t0 >= 900, 'the failing source was held before its code was checked');
    assert.equal(await metric(bo, 'backoffice_logins_failed_total'), failedBefore + 5, 'failures are counted for the vendor');
    const d = await openDataDir(bo.dataDir);
    try {
      assert.equal(await d.repo.getThrottle(bo.orgId, '127.0.0.1'), undefined, 'a success cleared the source\'s failures');
    } finally {
      await d.close();
    }
    assert.match(bo.process.output(), /"failures":5[,}].*failed login|failed login.*"failures":5/, 'each failure is logged with its count');
  });

  it('answers 503 with Retry-After when it holds as many long-polls as allowed', async () => {
    const token = await login(bo);
    const path = `/v1/installations/${bo.serial}/license`;
    const etag = String((await apiRequest(bo, 'GET', path, { token })).headers['etag']);
    const ac = new AbortController();
    const first = apiRequest(bo, 'GET', `${path}?wait=30`, { token, headers: { 'If-None-Match': etag }, signal: ac.signal, timeoutMs: 40_000 }).catch(() => undefined);
    await waitForHeldPolls(bo, 1);
    const second = await apiRequest(bo, 'GET', `${path}?wait=30`, { token, headers: { 'If-None-Match': etag } });
    assertConforms('GET', LICENSE, second);
    assert.equal(second.status, 503);
    assert.ok(Number(second.headers['retry-after']) >= 1);
    ac.abort();
    await first;
  });
});
