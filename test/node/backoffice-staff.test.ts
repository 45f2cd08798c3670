// The website's side of the back office (issue 14) against a real `ors backoffice serve --demo`
// process: staff accounts made with the vendor CLI, the session cookie, Origin and CSRF on every
// state change, login throttling, organisation scoping (404, never 403), the list, the entitlement
// preview, remote assistance on request from both ends, and the live change stream. Every answer
// is checked against openapi.json.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureLocalTls, openDataDir, type OpenedDataDir } from '../../src/backoffice/data-dir.js';
import { startBackofficeServer } from '../../src/backoffice/server.js';
import { createLogger } from '../../src/services/log/logger.js';
import { assertConforms } from '../support/backoffice-contract.js';
import { apiRequest, login, metric, startBackoffice, type ApiResponse, type RunningBackoffice } from '../support/backoffice-server.js';
import { ROOT, runOrs } from '../support/processes.js';
import type { Locale } from '../../src/common/i18n.js';
import { messages } from '../../src/common/messages/index.js';

const PASSWORD_B = 'organisation-B-password';
const t = (code: string, params: Record<string, string | number>, locale: Locale): string => messages.format(locale, code, params);
const PASSWORD_ADMIN = 'vendor-admin-password';

interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

describe('the website API of the back office (staff sessions, scoping, assistance, live changes)', () => {
  let bo: RunningBackoffice;
  let data: OpenedDataDir;
  let tech: Session;
  let origin: string;
  const demoPassword = (): string => /demo-technician \/ (\S+)/.exec(bo.process.output())![1]!;
  const demoAdminPassword = (): string => /demo-admin \/ (\S+)/.exec(bo.process.output())![1]!;
  let admin: Session;

  /** Opens the live stream of a session; resolves with the answer, its data lines collected in `events`. */
  async function openStream(s: Session): Promise<{ res: IncomingMessage; events: string[]; closed: Promise<void> }> {
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpsRequest(new URL('/v1/staff/events', bo.url), { headers: { Cookie: s.cookie, Accept: 'text/event-stream' }, ca: bo.caPem }, resolve);
      req.on('error', reject);
      req.end();
    });
    assert.equal(res.statusCode, 200);
    const events: string[] = [];
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => events.push(...[...chunk.matchAll(/^data: (.*)$/gm)].map((m) => m[1]!)));
    const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
    return { res, events, closed };
  }

  /** One request with the staff cookie (and, for changes, this site's Origin and the session's CSRF token), checked against openapi.json. */
  async function call(method: string, template: string, target: string, o: { session?: Session; json?: unknown; origin?: string | null; csrf?: string | null; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...o.headers };
    if (o.session) headers['Cookie'] = o.session.cookie;
    const change = method !== 'GET';
    const originHeader = o.origin === undefined ? (change ? origin : undefined) : o.origin;
    if (originHeader) headers['Origin'] = originHeader;
    const csrf = o.csrf === undefined ? (change ? o.session?.csrf : undefined) : o.csrf;
    if (csrf) headers['X-CSRF-Token'] = csrf;
    const res = await apiRequest(bo, method, target, { ...(o.json !== undefined ? { json: o.json } : {}), headers });
    assertConforms(method, template, res);
    return res;
  }

  async function loginAs(name: string, password: string): Promise<Session & { res: ApiResponse }> {
    const res = await call('POST', '/v1/staff/sessions', '/v1/staff/sessions', { json: { name, password } });
    assert.equal(res.status, 200, res.text);
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    return { cookie, csrf: (res.body as { csrfToken: string }).csrfToken, res };
  }

  const addUser = async (org: string, name: string, role: string, password: string): Promise<void> => {
    const r = await runOrs(['backoffice', 'user', 'add', '--data-dir', bo.dataDir, '--org', org, '--name', name, '--role', role], { input: `${password}\n` });
    assert.equal(r.code, 0, r.stderr);
  };

  before(async () => {
    bo = await startBackoffice({ extraArgs: ['--throttle-base-ms', '200'] });
    origin = new URL(bo.url).origin;
    data = await openDataDir(bo.dataDir);
    await data.service.addOrganisation('ORG-B', 'Organisation B', 'organisation B verification code');
    await data.service.addInstallation('B-0001', 'ORG-B', 'prepress-suite');
    await addUser('ORG-B', 'tech-b', 'technician', PASSWORD_B);
    await addUser('ORG-B', 'vendor-admin', 'vendor-admin', PASSWORD_ADMIN);
    tech = await loginAs('demo-technician', demoPassword());
    admin = await loginAs('demo-admin', demoAdminPassword());
  });
  after(async () => {
    await data?.close();
    await bo?.stop();
  });

  it('logs in with an HttpOnly, SameSite=Strict, Secure cookie and a CSRF token; the session works until logout ends it everywhere', async () => {
    const s = await loginAs('demo-technician', demoPassword());
    const setCookie = String(s.res.headers['set-cookie']);
    assert.match(setCookie, /^ors_staff=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=28800; Secure$/);
    assert.ok(!s.res.text.includes(s.cookie.split('=')[1]!), 'the session token never appears in a body the page can read');
    const me = await call('GET', '/v1/staff/session', '/v1/staff/session', { session: s });
    assert.deepEqual((me.body as { user: unknown }).user, { name: 'demo-technician', organisationId: 'DEMO-ORG', role: 'technician' });
    assert.equal((await call('DELETE', '/v1/staff/session', '/v1/staff/session', { session: s })).status, 204);
    assert.equal((await call('GET', '/v1/staff/session', '/v1/staff/session', { session: s })).status, 401);
    const after = await call('GET', '/v1/staff/installations', '/v1/staff/installations', { session: s });
    assert.deepEqual([after.status, (after.body as { error: { code: string } }).error.code], [401, 'backoffice.staff.session-missing']);
  });

  it('refuses every state change without this site’s Origin or without the session’s CSRF token (403), and a login from another site', async () => {
    const body = { message: 'Please allow remote assistance' };
    const target = `/v1/staff/installations/${bo.serial}/assistance`;
    const tpl = '/v1/staff/installations/{serial}/assistance';
    const codes = async (o: Parameters<typeof call>[3]) => {
      const r = await call('POST', tpl, target, { session: tech, json: body, ...o });
      return `${r.status} ${(r.body as { error?: { code: string } }).error?.code ?? ''}`;
    };
    assert.equal(await codes({ origin: 'https://evil.example' }), '403 backoffice.staff.origin');
    assert.equal(await codes({ origin: null }), '403 backoffice.staff.origin');
    // The right host with the wrong scheme: the site is served over HTTPS only.
    assert.equal(await codes({ origin: origin.replace(/^https:/, 'http:') }), '403 backoffice.staff.origin');
    assert.equal(await codes({ csrf: null }), '403 backoffice.staff.csrf');
    assert.equal(await codes({ csrf: 'x'.repeat(43) }), '403 backoffice.staff.csrf');
    const foreignLogin = await call('POST', '/v1/staff/sessions', '/v1/staff/sessions', { json: { name: 'demo-technician', password: demoPassword() }, origin: 'https://evil.example' });
    assert.equal(foreignLogin.status, 403);
    assert.equal(foreignLogin.headers['set-cookie'], undefined);
    const detail = (await call('GET', '/v1/staff/installations/{serial}', `/v1/staff/installations/${bo.serial}`, { session: tech })).body as { assistance: unknown[] };
    assert.deepEqual(detail.assistance, [], 'none of the refused requests was stored');
  });

  it('holds wrong passwords of a name longer each time, never locking out the right one, and counts the failures', async () => {
    const failedBefore = await metric(bo, 'backoffice_logins_failed_total');
    const attempt = async (password: string): Promise<{ status: number; ms: number }> => {
      const t0 = performance.now();
      const r = await call('POST', '/v1/staff/sessions', '/v1/staff/sessions', { json: { name: 'tech-b', password } });
      return { status: r.status, ms: performance.now() - t0 };
    };
    for (let i = 0; i < 3; i++) assert.equal((await attempt(`wrong-password-${i}`)).status, 401);
    // After 3 failures the next check waits at least 200 ms · 2² before the password is even looked at.
    const held = await attempt(PASSWORD_B);
    assert.equal(held.status, 200, 'the right password still gets in');
    assert.ok(held.ms >= 800, `held ${held.ms.toFixed(0)} ms before the check`);
    assert.equal(await metric(bo, 'backoffice_logins_failed_total'), failedBefore + 3);
    const unknown = await call('POST', '/v1/staff/sessions', '/v1/staff/sessions', { json: { name: 'nobody', password: 'whatever-it-is' } });
    assert.deepEqual(unknown.body, { error: { code: 'backoffice.staff.invalid-credentials' } }, 'an unknown name answers like a wrong password');
  });

  it('shows a technician of organisation B nothing of organisation A: 404 for its installation, its pages, its changes', async () => {
    const b = await loginAs('tech-b', PASSWORD_B);
    const list = (await call('GET', '/v1/staff/installations', '/v1/staff/installations?limit=200', { session: b })).body as { items: { serial: string }[] };
    assert.deepEqual(list.items.map((i) => i.serial), ['B-0001']);
    const serialA = bo.serial;
    const probes: [string, string, string, unknown?][] = [
      ['GET', '/v1/staff/installations/{serial}', `/v1/staff/installations/${serialA}`],
      ['POST', '/v1/staff/installations/{serial}/entitlement/preview', `/v1/staff/installations/${serialA}/entitlement/preview`, { users: 1, maintenanceStart: '2030-01-01', maintenanceEnd: '2031-01-01', expiry: 'perpetual', features: [] }],
      ['PUT', '/v1/staff/installations/{serial}/entitlement', `/v1/staff/installations/${serialA}/entitlement`, { users: 1, maintenanceStart: '2030-01-01', maintenanceEnd: '2031-01-01', expiry: 'perpetual', features: [] }],
      ['POST', '/v1/staff/installations/{serial}/assistance', `/v1/staff/installations/${serialA}/assistance`, { message: 'hello' }],
    ];
    for (const [method, tpl, target, json] of probes) {
      const r = await call(method, tpl, target, { session: b, ...(json ? { json } : {}) });
      assert.deepEqual([method, r.status, (r.body as { error: { code: string } }).error.code], [method, 404, 'backoffice.installation.unknown']);
    }
    // The page of A's installation answers 404 too (the same as one that does not exist), B's own 200.
    const page = (p: string, s?: Session) => apiRequest(bo, 'GET', p, { headers: s ? { Cookie: s.cookie } : {} });
    assert.equal((await page(`/installations/${serialA}`, b)).status, 404);
    assert.equal((await page('/installations/NO-SUCH-SERIAL', b)).status, 404);
    assert.equal((await page('/installations/B-0001', b)).status, 200);
    assert.equal((await page(`/installations/${serialA}`, tech)).status, 200);
    const releases = (await call('GET', '/v1/staff/releases/{product}/{version}/installations', '/v1/staff/releases/prepress-suite/2.0.0/installations', { session: b })).body as { items: { serial: string }[] };
    assert.deepEqual(releases.items.map((i) => i.serial), ['B-0001']);
    // A vendor administrator sees both organisations and may add releases; a technician may not.
    const admin = await loginAs('vendor-admin', PASSWORD_ADMIN);
    assert.equal(((await call('GET', '/v1/staff/installations', '/v1/staff/installations', { session: admin })).body as { total: number }).total, 2);
    const release = { product: 'prepress-suite', version: '3.0.0', releaseDate: '2026-12-01', checksum: `sha256:${'b'.repeat(64)}`, url: 'https://downloads.example.com/3.0.0' };
    assert.equal((await call('POST', '/v1/staff/releases', '/v1/staff/releases', { session: b, json: release })).status, 403);
    assert.equal((await call('POST', '/v1/staff/releases', '/v1/staff/releases', { session: admin, json: release })).status, 201);
    assert.equal((await call('POST', '/v1/staff/releases', '/v1/staff/releases', { session: admin, json: release })).status, 409);
  });

  it('lists, sorts, filters and pages; previews the announcement; a change issues the next license and is audited', async () => {
    const list = await call('GET', '/v1/staff/installations', '/v1/staff/installations?sort=seq&order=desc&q=demo&status=disconnected', { session: tech });
    assert.equal(list.status, 200);
    assert.deepEqual((list.body as { items: { serial: string }[] }).items.map((i) => i.serial), [bo.serial]);
    assert.equal((await call('GET', '/v1/staff/installations', '/v1/staff/installations?sort=nonsense', { session: tech })).status, 400);
    assert.equal((await call('GET', '/v1/staff/installations', '/v1/staff/installations?limit=1000', { session: tech })).status, 400);
    const detail = (await call('GET', '/v1/staff/installations/{serial}', `/v1/staff/installations/${bo.serial}`, { session: tech })).body as { entitlement: { users: number; maintenance: { start: string; end: string }; expiry: string; features: { id: string }[] } };
    const e = detail.entitlement;
    const edit = { users: e.users + 2, maintenanceStart: e.maintenance.start, maintenanceEnd: e.maintenance.end, expiry: e.expiry, features: e.features };
    const tplPreview = '/v1/staff/installations/{serial}/entitlement/preview';
    const more = (await call('POST', tplPreview, `/v1/staff/installations/${bo.serial}/entitlement/preview`, { session: tech, json: edit })).body as { kind: string; changes: { kind: string; from: number; to: number }[] };
    assert.equal(more.kind, 'installed');
    assert.deepEqual(more.changes.map((c) => [c.kind, c.from, c.to]), [['users', e.users, e.users + 2]]);
    const fewer = (await call('POST', tplPreview, `/v1/staff/installations/${bo.serial}/entitlement/preview`, { session: tech, json: { ...edit, users: 1, features: [] } })).body as { kind: string; changes: { kind: string }[] };
    assert.equal(fewer.kind, 'awaiting-confirmation', 'fewer users and a lost feature wait for the administrator');
    assert.deepEqual(fewer.changes.map((c) => c.kind).sort(), ['feature-removed', 'users']);
    const bad = await call('POST', tplPreview, `/v1/staff/installations/${bo.serial}/entitlement/preview`, { session: tech, json: { ...edit, maintenanceEnd: '2000-01-01' } });
    assert.deepEqual([bad.status, (bad.body as { error: { field: string } }).error.field], [400, 'maintenanceEnd']);
    const changed = (await call('PUT', '/v1/staff/installations/{serial}/entitlement', `/v1/staff/installations/${bo.serial}/entitlement`, { session: admin, json: edit })).body as { license: { seq: number } };
    assert.equal(changed.license.seq, 2);
    const again = (await call('PUT', '/v1/staff/installations/{serial}/entitlement', `/v1/staff/installations/${bo.serial}/entitlement`, { session: admin, json: edit })).body as { license: null };
    assert.equal(again.license, null, 'the same entitlement issues nothing');
    const after = (await call('GET', '/v1/staff/installations/{serial}', `/v1/staff/installations/${bo.serial}`, { session: tech })).body as { summary: { served: { seq: number } }; audit: { actor: string; action: string; detail: Record<string, unknown> }[] };
    assert.equal(after.summary.served.seq, 2);
    assert.deepEqual(after.audit.map((a) => [a.actor, a.action, a.detail['users']]), [['demo-admin', 'entitlement.change', `${e.users} → ${e.users + 2}`]]);
  });

  it('carries a request for remote assistance to the installation (long-poll woken) and its reports back, one open at a time', async () => {
    const token = await login(bo);
    const bearer = { Authorization: `Bearer ${token}` };
    const current = `/v1/installations/${bo.serial}/assistance`;
    const first = await apiRequest(bo, 'GET', current, { headers: bearer });
    assertConforms('GET', '/v1/installations/{serial}/assistance', first);
    assert.deepEqual(first.body, { request: null });
    // The installation holds a long-poll; the technician's request wakes it.
    const held = apiRequest(bo, 'GET', `${current}?wait=30`, { headers: { ...bearer, 'If-None-Match': String(first.headers['etag']) }, timeoutMs: 40_000 });
    const until = Date.now() + 10_000;
    while ((await metric(bo, 'backoffice_assistance_polls_held')) < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const asked = await call('POST', '/v1/staff/installations/{serial}/assistance', `/v1/staff/installations/${bo.serial}/assistance`, { session: tech, json: { message: 'We would like to look at the license server.' } });
    assert.equal(asked.status, 201);
    const id = (asked.body as { id: string }).id;
    const woken = await held;
    assert.equal(woken.status, 200);
    assert.equal((woken.body as { request: { id: string; state: string } }).request.id, id);
    const again = await call('POST', '/v1/staff/installations/{serial}/assistance', `/v1/staff/installations/${bo.serial}/assistance`, { session: tech, json: { message: 'again' } });
    assert.deepEqual([again.status, (again.body as { error: { code: string } }).error.code], [409, 'backoffice.assistance.open']);
    const report = (kind: string, extra: Record<string, string> = {}) =>
      apiRequest(bo, 'POST', `${current}/${id}/reports`, { headers: bearer, json: { kind, ...extra } }).then((r) => {
        assertConforms('POST', '/v1/installations/{serial}/assistance/{id}/reports', r);
        return r;
      });
    assert.equal((await report('delivered')).status, 200);
    assert.equal((await report('started')).status, 200);
    const withId = await report('started', { teamViewerId: '1234567890' });
    assert.deepEqual([(withId.body as { state: string }).state, (withId.body as { teamViewerId: string }).teamViewerId], ['started', '1234567890']);
    assert.equal((await report('declined')).status, 409, 'a running session cannot be declined any more');
    assert.equal((await report('ended')).status, 200);
    const cancel = await call('POST', '/v1/staff/installations/{serial}/assistance/{id}/cancel', `/v1/staff/installations/${bo.serial}/assistance/${id}/cancel`, { session: tech });
    assert.equal(cancel.status, 409, 'an ended session is not withdrawn');
    const detail = (await call('GET', '/v1/staff/installations/{serial}', `/v1/staff/installations/${bo.serial}`, { session: tech })).body as { assistance: { state: string; teamViewerId: string }[]; audit: { action: string; actor: string }[] };
    assert.deepEqual([detail.assistance[0]!.state, detail.assistance[0]!.teamViewerId], ['ended', '1234567890']);
    assert.deepEqual(detail.audit.filter((a) => a.action.startsWith('assistance.')).map((a) => `${a.actor} ${a.action}`), [
      `${bo.serial} assistance.report`,
      `${bo.serial} assistance.report`,
      `${bo.serial} assistance.report`,
      `${bo.serial} assistance.report`,
      'demo-technician assistance.request',
    ]);
    // Another organisation's token sees none of it.
    assert.equal((await apiRequest(bo, 'GET', '/v1/installations/B-0001/assistance', { headers: bearer })).status, 404);
  });

  it('streams changes of the own organisation’s installations as they happen, from any writer, and not the others’', async () => {
    const received: string[] = [];
    let seenB = false;
    const stream = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpsRequest(new URL('/v1/staff/events', bo.url), { headers: { Cookie: tech.cookie, Accept: 'text/event-stream' }, ca: bo.caPem }, resolve);
      req.on('error', reject);
      req.end();
    });
    assert.equal(stream.statusCode, 200);
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
    const got = new Promise<void>((resolve) => {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        for (const m of chunk.matchAll(/^data: (.*)$/gm)) {
          const serials = (JSON.parse(m[1]!) as { serials: string[] }).serials;
          if (serials.includes('B-0001')) seenB = true;
          received.push(...serials);
          if (received.includes(bo.serial)) resolve();
        }
      });
    });
    // Written by another process (the vendor CLI) while the stream is open.
    await data.service.setEntitlement('B-0001', { users: 3 });
    const r = await runOrs(['backoffice', 'entitlement', 'set', '--data-dir', bo.dataDir, '--serial', bo.serial, '--users', '11']);
    assert.equal(r.code, 0, r.stderr);
    await got;
    stream.destroy();
    assert.equal(seenB, false, 'organisation B’s change is not sent to organisation A’s technician');
  });

  it('lets only a vendor administrator change an entitlement: a technician gets 403 in en and de, nothing issued', async () => {
    const target = `/v1/staff/installations/${bo.serial}/entitlement`;
    const before = (await call('GET', '/v1/staff/installations/{serial}', `/v1/staff/installations/${bo.serial}`, { session: tech })).body as { summary: { served: { seq: number } }; entitlement: { users: number; maintenance: { start: string; end: string }; expiry: string; features: { id: string }[] } };
    const e = before.entitlement;
    const edit = { users: e.users + 5, maintenanceStart: e.maintenance.start, maintenanceEnd: e.maintenance.end, expiry: e.expiry, features: e.features };
    const refused = await call('PUT', '/v1/staff/installations/{serial}/entitlement', target, { session: tech, json: edit });
    assert.deepEqual([refused.status, (refused.body as { error: { code: string } }).error.code], [403, 'backoffice.staff.forbidden']);
    const code = (refused.body as { error: { code: string } }).error.code;
    assert.deepEqual([t(code, {}, 'en'), t(code, {}, 'de')], ['Only the vendor’s administrators may do this.', 'Das dürfen nur die Administratoren des Herstellers.']);
    const after = (await call('GET', '/v1/staff/installations/{serial}', `/v1/staff/installations/${bo.serial}`, { session: tech })).body as typeof before;
    assert.deepEqual([after.entitlement.users, after.summary.served.seq], [e.users, before.summary.served.seq], 'nothing changed, no license issued');
    // The preview changes nothing and stays open to both; the demo's vendor administrator may change it.
    assert.equal((await call('POST', '/v1/staff/installations/{serial}/entitlement/preview', `${target}/preview`, { session: tech, json: edit })).status, 200);
    const changed = await call('PUT', '/v1/staff/installations/{serial}/entitlement', target, { session: admin, json: edit });
    assert.equal(changed.status, 200);
    assert.equal((changed.body as { license: { seq: number } }).license.seq, before.summary.served.seq + 1);
  });

  it('answers every invalid field with a coded message per rule (en + de), never validator English or a free-text reason', async () => {
    const target = `/v1/staff/installations/${bo.serial}/entitlement/preview`;
    const tpl = '/v1/staff/installations/{serial}/entitlement/preview';
    const good = { users: 3, maintenanceStart: '2030-01-01', maintenanceEnd: '2031-01-01', expiry: 'perpetual', features: [] };
    const probes: [string, unknown, string, string, Record<string, string | number>][] = [
      ['users not a number', { ...good, users: 'x' }, 'backoffice.field.integer', 'users', {}],
      ['users too many', { ...good, users: 1_000_001 }, 'backoffice.field.maximum', 'users', { limit: 1_000_000 }],
      ['users missing', { ...good, users: undefined }, 'backoffice.field.required', 'users', {}],
      ['a date that is none', { ...good, maintenanceStart: '1.1.2030' }, 'backoffice.field.date', 'maintenanceStart', {}],
      ['maintenance end before its start', { ...good, maintenanceEnd: '2029-01-01' }, 'backoffice.field.maintenance-order', 'maintenanceEnd', {}],
      ['a feature id of the wrong form', { ...good, features: [{ id: 'a b' }] }, 'backoffice.field.form', 'features.0.id', {}],
      ['a feature twice', { ...good, features: [{ id: 'a' }, { id: 'a' }] }, 'backoffice.field.feature-twice', 'features.1.id', {}],
    ];
    for (const [what, json, code, field, params] of probes) {
      const r = await call('POST', tpl, target, { session: tech, json });
      const err = (r.body as { error: { code: string; field: string; params: Record<string, string | number> } }).error;
      assert.deepEqual([what, r.status, err.code, err.field, err.params], [what, 400, code, field, { field, ...params }]);
      const [en, de] = [t(err.code, { ...err.params, field: 'Users' }, 'en'), t(err.code, { ...err.params, field: 'Benutzer' }, 'de')];
      assert.notEqual(en, de, `${what}: German differs`);
      assert.doesNotMatch(de, /\bmust\b|\bbefore\b|{|}/, `${what}: German throughout (${de})`);
    }
    const list = await call('GET', '/v1/staff/installations', '/v1/staff/installations?sort=nonsense', { session: tech });
    assert.equal((list.body as { error: { code: string } }).error.code, 'backoffice.field.one-of');
    const serial = await call('GET', '/v1/staff/installations/{serial}', '/v1/staff/installations/-bad', { session: tech });
    assert.deepEqual([serial.status, (serial.body as { error: { code: string } }).error.code], [400, 'backoffice.field.serial']);
  });

  it('refuses a request message with control or text-direction characters or too many line breaks (coded, en + de), and one too long', async () => {
    const target = `/v1/staff/installations/B-0001/assistance`;
    const tpl = '/v1/staff/installations/{serial}/assistance';
    const b = await loginAs('vendor-admin', PASSWORD_ADMIN);
    const probes: [string, string, string][] = [
      ['NUL', 'hello\u0000there', 'backoffice.field.control-characters'],
      ['escape sequence', 'look \u001b[2J here', 'backoffice.field.control-characters'],
      ['right-to-left override', 'invoice \u202Egnp.exe', 'backoffice.field.control-characters'],
      ['isolate', 'a \u2066b\u2069', 'backoffice.field.control-characters'],
      ['eleven line breaks', Array.from({ length: 12 }, (_, i) => `line ${i}`).join('\n'), 'backoffice.field.control-characters'],
      ['only blanks', '   ', 'backoffice.field.blank'],
      ['501 characters', 'x'.repeat(501), 'backoffice.field.max-length'],
    ];
    for (const [what, message, code] of probes) {
      const r = await call('POST', tpl, target, { session: b, json: { message } });
      const err = (r.body as { error: { code: string; field: string } }).error;
      assert.deepEqual([what, r.status, err.code, err.field], [what, 400, code, 'message']);
      assert.notEqual(t(code, { field: 'Message', limit: 500 }, 'en'), t(code, { field: 'Nachricht', limit: 500 }, 'de'));
    }
    const detail = (await call('GET', '/v1/staff/installations/{serial}', '/v1/staff/installations/B-0001', { session: b })).body as { assistance: unknown[] };
    assert.deepEqual(detail.assistance, [], 'nothing was stored');
    const fine = await call('POST', tpl, target, { session: b, json: { message: 'Ten lines\tare fine:\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11' } });
    assert.equal(fine.status, 201, fine.text);
    await call('POST', '/v1/staff/installations/{serial}/assistance/{id}/cancel', `${target}/${(fine.body as { id: string }).id}/cancel`, { session: b });
  });

  it('ends a session’s live streams at its logout at once, and a removed account’s before the next change (written by another process)', { timeout: 30_000 }, async () => {
    const s = await loginAs('demo-technician', demoPassword());
    const other = await openStream(tech);
    const stream = await openStream(s);
    assert.equal((await call('DELETE', '/v1/staff/session', '/v1/staff/session', { session: s })).status, 204);
    // Without a change and long before the 60 s re-check.
    await stream.closed;
    assert.equal(other.res.destroyed, false, 'another session’s stream stays open');
    other.res.destroy();

    await addUser('ORG-B', 'tech-b2', 'technician', PASSWORD_B);
    const b2 = await loginAs('tech-b2', PASSWORD_B);
    const removedStream = await openStream(b2);
    const removed = await runOrs(['backoffice', 'user', 'remove', '--data-dir', bo.dataDir, '--name', 'tech-b2']);
    assert.equal(removed.code, 0, removed.stderr);
    const r = await runOrs(['backoffice', 'entitlement', 'set', '--data-dir', bo.dataDir, '--serial', 'B-0001', '--users', '9']);
    assert.equal(r.code, 0, r.stderr);
    await removedStream.closed;
    assert.deepEqual(removedStream.events, [], 'the change was not delivered to the removed account');
  });

  it('logs a failed login’s name only when it is an account (a password typed as the name stays out), and serves source maps only to staff', async () => {
    const typed = 'Correct-Horse-Battery-Staple-42';
    const unknown = await call('POST', '/v1/staff/sessions', '/v1/staff/sessions', { json: { name: typed, password: 'whatever-it-is' } });
    assert.equal(unknown.status, 401);
    const known = await call('POST', '/v1/staff/sessions', '/v1/staff/sessions', { json: { name: 'demo-technician', password: 'not-the-password' } });
    assert.equal(known.status, 401);
    const until = Date.now() + 10_000;
    while (!/"staff":"demo-technician"[^\n]*failed staff login|failed staff login[^\n]*"staff":"demo-technician"/.test(bo.process.output()) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const log = bo.process.output();
    assert.match(log, /"staff":"demo-technician"/, 'an existing account is named');
    assert.ok(!log.includes(typed), 'the typed text that is no account is not in the log');
    assert.match(log, /"staff":"sha256:[0-9a-f]{12}"/);
    const map = (s?: Session) => apiRequest(bo, 'GET', '/static/website.js.map', { headers: s ? { Cookie: s.cookie } : {} });
    assert.equal((await map()).status, 404, 'no source map for anonymous visitors');
    assert.equal((await map(tech)).status, 200);
    assert.equal((await apiRequest(bo, 'GET', '/static/website.js')).status, 200, 'the bundle itself is public (the login page needs it)');
  });

  it('ends a session when its time is up (in-process server with a short session)', async () => {
    const tls = await ensureLocalTls(bo.dataDir);
    const server = await startBackofficeServer({ service: data.service, tls, logger: createLogger({ name: 'test', level: 'silent' }), staffSessionTtlMs: 400, websiteDir: path.join(ROOT, 'dist', 'website') });
    try {
      const local = { url: server.url, caPem: bo.caPem };
      const login = await apiRequest(local, 'POST', '/v1/staff/sessions', { json: { name: 'vendor-admin', password: PASSWORD_ADMIN }, headers: { Origin: new URL(server.url).origin } });
      assert.equal(login.status, 200);
      assert.match(String(login.headers['set-cookie']), /Max-Age=1;/);
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const until = Date.now() + 10_000;
      let status = 200;
      while (status === 200 && Date.now() < until) {
        status = (await apiRequest(local, 'GET', '/v1/staff/session', { headers: { Cookie: cookie } })).status;
        if (status === 200) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(status, 401);
    } finally {
      await server.close();
    }
  });

  it('vendor CLI: user list shows the accounts, user remove ends the account and its sessions at once, bad input is named', async () => {
    const s = await loginAs('tech-b', PASSWORD_B);
    const list = await runOrs(['backoffice', 'user', 'list', '--data-dir', bo.dataDir, '--org', 'ORG-B'], { env: { ...process.env, LC_ALL: 'C' } });
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^tech-b {2}ORG-B {2}technician/m);
    assert.match(list.stdout, /^vendor-admin {2}ORG-B {2}vendor-admin/m);
    assert.ok(!list.stdout.includes('scrypt'), 'no password hash is printed');
    const removed = await runOrs(['backoffice', 'user', 'remove', '--data-dir', bo.dataDir, '--name', 'tech-b']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal((await call('GET', '/v1/staff/session', '/v1/staff/session', { session: s })).status, 401, 'its session ended with it');
    const again = await runOrs(['backoffice', 'user', 'remove', '--data-dir', bo.dataDir, '--name', 'tech-b'], { env: { ...process.env, LC_ALL: 'de_DE.UTF-8' } });
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /Es gibt kein Mitarbeiterkonto tech-b/);
    const short = await runOrs(['backoffice', 'user', 'add', '--data-dir', bo.dataDir, '--org', 'ORG-B', '--name', 'x', '--role', 'technician'], { input: 'short\n', env: { ...process.env, LC_ALL: 'C' } });
    assert.notEqual(short.code, 0);
    assert.match(short.stderr, /password must have 12 to 256 characters/);
    const role = await runOrs(['backoffice', 'user', 'add', '--data-dir', bo.dataDir, '--org', 'ORG-B', '--name', 'x', '--role', 'boss'], { input: 'long enough password\n', env: { ...process.env, LC_ALL: 'C' } });
    assert.match(role.stderr, /role is invalid: vendor-admin, technician/);
  });
});
