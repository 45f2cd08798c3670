import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BackofficeErrorCode } from '../../src/common/backoffice/api.js';
import { Backoff } from '../../src/common/backoff.js';
import { parseRetryAfter } from '../../src/services/backoffice-client/backoff.js';
import { BackofficeClient, BackofficeError, classifyFailure } from '../../src/services/backoffice-client/backoffice-client.js';
import { NO_PROXY_SETTINGS } from '../../src/common/proxy/settings.js';
import { openDataDir } from '../../src/backoffice/data-dir.js';
import { startBackoffice, waitForHeldPolls, type RunningBackoffice } from '../support/backoffice-server.js';
import { ROOT, run } from '../support/processes.js';

let bo: RunningBackoffice;

function client(over: { code?: string; org?: string } = {}): BackofficeClient {
  return new BackofficeClient({
    baseUrl: bo.url,
    organisationId: over.org ?? bo.orgId,
    verificationCode: over.code ?? bo.code,
    proxy: NO_PROXY_SETTINGS,
    caPem: bo.caPem,
    env: {},
  });
}

async function issueNewLicense(users: number): Promise<void> {
  const r = await run(process.execPath, ['--import', 'tsx', 'test/support/backoffice-writer.ts', bo.dataDir, bo.serial, '1', String(users)], { cwd: ROOT });
  assert.match(r.stdout, /committed \d+/, r.stderr);
}

describe('back-office client against the reference back office', () => {
  before(async () => {
    bo = await startBackoffice({ extraArgs: ['--throttle-base-ms', '10'] });
  });
  after(async () => {
    await bo.stop();
  });

  it('logs in with the organisation ID and verification code and registers the installation by serial', async () => {
    const c = client();
    try {
      const inst = await c.heartbeat(bo.serial, { orsVersion: '1.2.3', hostname: 'test-host' });
      assert.equal(inst.serial, bo.serial);
      assert.equal(inst.orsVersion, '1.2.3');
      assert.ok(inst.lastSeenAt);
      assert.equal(c.logins, 1);
      await c.heartbeat(bo.serial, {});
      assert.equal(c.logins, 1, 'the token is reused');
    } finally {
      c.close();
    }
  });

  it('refuses a wrong verification code with the back office code, once, without retrying', async () => {
    const c = client({ code: 'wrong-code-1234' });
    try {
      const e = await c.heartbeat(bo.serial, {}).then(() => undefined, (x: unknown) => x);
      assert.ok(e instanceof BackofficeError);
      assert.equal(e.code, BackofficeErrorCode.authInvalid);
      assert.equal(e.status, 401);
      assert.equal(classifyFailure(e).kind, 'auth');
      assert.equal(c.logins, 1);
    } finally {
      c.close();
    }
  });

  it('is refused as wrong every time, never locked, and the right code still gets in from the same address', async () => {
    const wrong = client({ code: 'nope-nope-nope' });
    const right = client();
    try {
      for (let i = 0; i < 4; i++) {
        const e = await wrong.login().then(() => undefined, (x: unknown) => x);
        assert.ok(e instanceof BackofficeError);
        assert.equal(e.code, BackofficeErrorCode.authInvalid);
      }
      const s = await right.login();
      assert.equal(s.organisationId, bo.orgId);
    } finally {
      wrong.close();
      right.close();
    }
  });

  it('answers unchanged (304) for the current ETag and the license for an old one', async () => {
    const c = client();
    try {
      const first = await c.currentLicense(bo.serial);
      assert.equal(first.kind, 'license');
      if (first.kind !== 'license') return;
      assert.equal(first.etag, `"${first.license.licenseId}"`);
      assert.match(first.license.license, /BEGIN/);
      const again = await c.currentLicense(bo.serial, { etag: first.etag });
      assert.deepEqual(again, { kind: 'unchanged', etag: first.etag });
      const stale = await c.currentLicense(bo.serial, { etag: '"not-the-current-one"' });
      assert.equal(stale.kind, 'license');
    } finally {
      c.close();
    }
  });

  it('long-polls until the back office issues a new license', async () => {
    const c = client();
    try {
      const first = await c.currentLicense(bo.serial);
      assert.equal(first.kind, 'license');
      if (first.kind !== 'license') return;
      const t0 = Date.now();
      const poll = c.currentLicense(bo.serial, { etag: first.etag, waitSeconds: 30 });
      await waitForHeldPolls(bo, 1);
      await issueNewLicense(17);
      const next = await poll;
      assert.equal(next.kind, 'license');
      if (next.kind !== 'license') return;
      assert.equal(next.license.seq, first.license.seq + 1);
      assert.notEqual(next.etag, first.etag);
      assert.ok(Date.now() - t0 < 25_000, 'woken by the new license, not by the wait running out');
    } finally {
      c.close();
    }
  });

  it('abandons a long-poll when its signal aborts', async () => {
    const c = client();
    try {
      const cur = await c.currentLicense(bo.serial);
      const ac = new AbortController();
      const poll = c.currentLicense(bo.serial, { etag: cur.etag, waitSeconds: 60, signal: ac.signal });
      await waitForHeldPolls(bo, 1);
      ac.abort();
      await assert.rejects(poll, (e: { code?: string }) => e.code === 'http.aborted');
    } finally {
      c.close();
    }
  });

  it('sends receipts and reads entitlement and releases', async () => {
    const c = client();
    try {
      const cur = await c.currentLicense(bo.serial);
      assert.equal(cur.kind, 'license');
      if (cur.kind !== 'license') return;
      const r = await c.sendReceipt(bo.serial, { licenseId: cur.license.licenseId, seq: cur.license.seq, kind: 'installed' });
      assert.equal(r.kind, 'installed');
      assert.equal(r.licenseId, cur.license.licenseId);
      const ent = await c.entitlement(bo.serial);
      assert.equal(ent.serial, bo.serial);
      const list = await c.releases(bo.serial);
      assert.ok(list.releases.length >= 2);
      const one = await c.release(bo.serial, '2.0.0');
      assert.equal(one.allowed, true);
      const e = await c.release(bo.serial, '9.9.9').then(() => undefined, (x: unknown) => x);
      assert.ok(e instanceof BackofficeError);
      assert.equal(e.code, BackofficeErrorCode.releaseUnknown);
    } finally {
      c.close();
    }
  });

  it('keeps its session across a back-office restart (sessions live in the database)', async () => {
    const c = client();
    try {
      await c.heartbeat(bo.serial, {});
      assert.equal(c.logins, 1);
      const first = bo;
      await first.process.stop();
      const second = await startBackoffice({ dataDir: first.dataDir, port: first.port });
      // The first one's stop removes the shared temp data dir: stop the second, then the first.
      bo = { ...second, stop: async () => { await second.stop(); await first.stop(); } };
      await c.heartbeat(bo.serial, {});
      assert.equal(c.logins, 1, 'the token still holds');
    } finally {
      c.close();
    }
  });

  it('logs in again when the back office no longer knows the token', async () => {
    const c = client();
    try {
      await c.heartbeat(bo.serial, {});
      assert.equal(c.logins, 1);
      const d = await openDataDir(bo.dataDir);
      await d.repo.deleteExpiredSessions(Number.MAX_SAFE_INTEGER); // every session gone, as after a revocation
      await d.close();
      await c.heartbeat(bo.serial, {});
      assert.equal(c.logins, 2);
    } finally {
      c.close();
    }
  });
});

describe('back-off and Retry-After', () => {
  it('grows the ceiling exponentially with full jitter up to the cap', () => {
    const b = new Backoff({ baseMs: 100, maxMs: 1_000, random: () => 0.999999 });
    const seen = Array.from({ length: 6 }, () => b.next());
    assert.deepEqual(seen, [99, 199, 399, 799, 999, 999]);
    const zero = new Backoff({ baseMs: 100, maxMs: 1_000, random: () => 0 });
    assert.equal(zero.next(), 0);
    assert.equal(zero.next(2_500), 2_500);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('30'), 30_000);
    assert.equal(parseRetryAfter(new Date(10_000 + 5_000).toUTCString(), 10_000), 5_000);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });

  it('classifies proxy refusals as configuration and network trouble as transient', () => {
    assert.deepEqual(classifyFailure(Object.assign(new BackofficeError('backoffice.overloaded', {}, 503, 1_000))), { kind: 'transient', hop: 'backoffice', retryAfterMs: 1_000 });
    assert.equal(classifyFailure(new BackofficeError('backoffice.installation.unknown', {}, 404)).hop, 'serial');
  });
});
