import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { firstValueFrom } from 'rxjs';
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
});
