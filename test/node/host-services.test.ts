import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { firstValueFrom } from 'rxjs';
import { userInfo } from 'node:os';
import { auditSession, ContextualAudit, sessionLabel } from '../../src/host/server/audit-context.js';
import { auditRows } from '../../src/host/server/audit-rows.js';
import { NotificationCenter } from '../../src/host/server/notification-center.js';
import { ProgressTracker } from '../../src/host/server/progress-tracker.js';
import { AuditTrail } from '../../src/services/settings/audit-trail.js';
import { tempDir } from '../support/processes.js';

describe('host services', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('ors-host-services-')));
  after(() => cleanup());

  it('keeps notifications across a restart, newest first, and replaces one with the same key', async () => {
    const file = path.join(dir, 'notifications.json');
    const a = await NotificationCenter.open(file);
    const n = a.forSource('p');
    await n.notify({ severity: 'warning', message: 'maintenance ends soon', key: 'maint' });
    await n.notify({ severity: 'info', message: 'installed' });
    await n.notify({ severity: 'error', message: 'maintenance ended', key: 'maint' });
    const b = await NotificationCenter.open(file);
    const list = await firstValueFrom(b.list$);
    assert.deepEqual(list.map((x) => x.message), ['maintenance ended', 'installed']);
    await b.dismiss(list[0]!.id);
    assert.deepEqual((await firstValueFrom((await NotificationCenter.open(file)).list$)).map((x) => x.message), ['installed']);
  });

  it('cancels only cancellable progress, through its AbortSignal', async () => {
    const p = new ProgressTracker();
    const fixed = p.start({ title: 'copy' });
    const cancellable = p.start({ title: 'download', cancellable: true });
    cancellable.report({ fraction: 0.5 });
    const list = await firstValueFrom(p.list$);
    assert.equal(list.find((x) => x.title === 'download')?.fraction, 0.5);
    for (const x of list) p.cancel(x.id);
    assert.equal(fixed.signal.aborted, false);
    assert.equal(cancellable.signal.aborted, true);
    fixed.done();
    cancellable.done();
    assert.deepEqual(await firstValueFrom(p.list$), []);
  });

  it('reads the audit log past a torn last line (a crash mid-append)', async () => {
    const file = path.join(dir, 'audit.log');
    const audit = new AuditTrail(file);
    await audit.record({ actor: 'alice', action: 'settings.update', target: 'p', changes: [{ key: 'port', from: 1, to: 2 }] });
    await appendFile(file, '{"time":"2026-11-27T00:00:00Z","actor":"bo');
    const entries = await audit.read();
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.actor, 'alice');
  });

  it('counts notifications as unread until marked read, across a restart; a replacement with the same key is unread again', async () => {
    const file = path.join(dir, 'notifications-read.json');
    const a = await NotificationCenter.open(file);
    const n = a.forSource('p');
    const first = await n.notify({ severity: 'warning', message: 'waits', key: 'k' });
    const other = await n.notify({ severity: 'info', message: 'other' });
    await a.markRead([first.id, other.id, 'no-such-id']);
    const reopened = await NotificationCenter.open(file);
    assert.deepEqual((await firstValueFrom(reopened.list$)).map((x) => x.read === true), [true, true]);
    await reopened.forSource('p').notify({ severity: 'info', message: 'installed', key: 'k' });
    assert.deepEqual((await firstValueFrom(reopened.list$)).map((x) => `${String(x.message)}:${x.read === true}`), ['installed:false', 'other:true']);
  });

  it('audits who made a change: the OS user always, the console session for calls made within one', async () => {
    const audit = new ContextualAudit(new AuditTrail(path.join(dir, 'audit-who.log')));
    await audit.record({ actor: 'ors-service', action: 'license.installed', target: 'SN-1' });
    await auditSession.run({ session: sessionLabel('cookie-value') }, () => audit.record({ actor: 'console', action: 'settings.update', target: 'p' }));
    const [service, console] = await audit.read();
    assert.equal(service!.user, userInfo().username);
    assert.equal(service!.session, undefined);
    assert.equal(console!.session, sessionLabel('cookie-value'));
    assert.match(console!.session!, /^[0-9a-f]{8}$/);
    assert.ok(!JSON.stringify(await audit.read()).includes('cookie-value'), 'never the session cookie itself');
  });

  it('turns audit entries into the audit view: one row per changed value with its node, secrets only as changed, newest first', () => {
    const nodes: Record<string, string> = { remoteService: 'remote-service', licenseServer: 'licenses', verificationCode: 'remote-service' };
    const rows = auditRows(
      [
        { time: '2026-01-01T00:00:00Z', actor: 'console', action: 'settings.update', target: 'p', changes: [{ key: 'remoteService', from: { enabled: false, proxy: { mode: 'none' } }, to: { enabled: true, proxy: { mode: 'manual', host: 'proxy', port: 3128 } } }, { key: 'licenseServer', to: { kind: 'local', folder: '/f' } }] },
        { time: '2026-01-02T00:00:00Z', actor: 'console', action: 'secret.set', target: 'p/verificationCode', changes: [{ key: 'p/verificationCode', changed: true }] },
        { time: '2026-01-03T00:00:00Z', actor: 'ors-service', action: 'license.installed', target: 'SN-1', nodeId: 'licenses', changes: [{ key: 'users', from: 5, to: 7 }] },
      ],
      { pluginIds: ['p'], settingsNode: (_p, key) => nodes[key] },
    );
    assert.deepEqual(
      rows.map((r) => [r.time.slice(0, 10), r.nodeId, r.changes.map((c) => `${c.key}:${JSON.stringify(c.from)}→${JSON.stringify(c.to)}${c.changed ? ' changed' : ''}`)]),
      [
        ['2026-01-03', 'licenses', ['users:5→7']],
        ['2026-01-02', 'remote-service', ['secret.verificationCode:undefined→undefined changed']],
        ['2026-01-01', 'remote-service', ['remoteService.enabled:false→true', 'remoteService.proxy.host:undefined→"proxy"', 'remoteService.proxy.mode:"none"→"manual"', 'remoteService.proxy.port:undefined→3128']],
        ['2026-01-01', 'licenses', ['licenseServer.folder:undefined→"/f"', 'licenseServer.kind:undefined→"local"']],
      ],
    );
  });
});
