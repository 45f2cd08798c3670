import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { BehaviorSubject, firstValueFrom, of, type Observable } from 'rxjs';
import type { LocalizedText, NotificationInfo } from '../../src/common/console-protocol.js';
import { CodedError } from '../../src/common/errors.js';
import { messages } from '../../src/common/messages/index.js';
import type { Locale } from '../../src/common/i18n.js';
import type { EntitlementChange } from '../../src/common/license/compare.js';
import { announcementActions, announcementDetail, announcementMessage, severityOf } from '../../src/common/license-update/announcement.js';
import type { OrsStatus, ServiceState, UpdateEvent, UpdateState } from '../../src/common/remote-service/model.js';
import type { CommandHandler } from '../../src/host/api/index.js';
import type { NotificationCenter } from '../../src/host/server/notification-center.js';
import { licenseUpdateModule } from '../../src/plugin/license-update/license-update-module.js';
import { LicenseUpdateController, UpdateActions } from '../../src/plugin/license-update/license-update-controller.js';
import { pluginModule } from '../../src/plugin/plugin-module.js';
import { ServiceControl, type ServiceHosting } from '../../src/services/ors-control/service-control.js';
import type { AuditTrail } from '../../src/services/settings/audit-trail.js';
import { pluginHarness } from '../support/plugin-container.js';
import { tempDir } from '../support/processes.js';

const more: EntitlementChange[] = [
  { kind: 'maintenance-end', from: '2026-06-30', to: '2027-06-30', worse: false },
  { kind: 'users', from: 5, to: 7, worse: false },
  { kind: 'feature-added', id: 'X', worse: false },
];
const fewer: EntitlementChange[] = [{ kind: 'users', from: 7, to: 4, worse: true }];

let seq = 10;
function event(kind: UpdateEvent['kind'], extra: Partial<UpdateEvent> = {}): UpdateEvent {
  seq++;
  return {
    id: `ev-${seq}`,
    time: new Date(Date.UTC(2026, 10, 27, 8, 0, seq)).toISOString(),
    licenseId: `LIC-${seq}`,
    serial: 'DEMO-0001',
    seq,
    kind,
    changes: kind === 'awaiting-confirmation' ? fewer : kind === 'rejected' || kind === 'failed' ? [] : more,
    ...extra,
  };
}

/** A notification's text as the console shows it: the plugin sends codes, the catalogue words them. */
const inLocale = (l: Locale) => (t: LocalizedText | undefined): string => (t && typeof t === 'object' && 'code' in t ? messages.format(l, t.code, t.params) : String(t));
const en = inLocale('en');
const de = inLocale('de');

describe('license update announcement text (en/de)', () => {
  const table: { kind: UpdateEvent['kind']; extra?: Partial<UpdateEvent>; severity: string; text: Record<Locale, string>; detail?: Record<Locale, string>; buttons: string[] }[] = [
    {
      kind: 'installed',
      severity: 'info',
      text: {
        en: 'License DEMO-0001 updated: maintenance until 30 Jun 2027 (was 30 Jun 2026); 2 more users; new feature X.',
        de: 'Lizenz DEMO-0001 aktualisiert: Wartung bis 30.06.2027 (bisher 30.06.2026); 2 Benutzer mehr; neue Option X.',
      },
      buttons: ['licenses.properties'],
    },
    {
      kind: 'awaiting-confirmation',
      extra: { file: '/var/lib/ors/license-path/LIC.lic' },
      severity: 'warning',
      text: {
        en: 'A new license for DEMO-0001 takes something away and waits for your confirmation: 3 users fewer (now 4).',
        de: 'Eine neue Lizenz für DEMO-0001 schränkt die Berechtigungen ein und wartet auf Ihre Bestätigung: 3 Benutzer weniger (jetzt 4).',
      },
      detail: {
        en: 'It is installed only when you choose [Install anyway]. The file waits in /var/lib/ors/license-path/LIC.lic.',
        de: 'Sie wird erst installiert, wenn Sie [Trotzdem installieren] wählen. Die Datei liegt in /var/lib/ors/license-path/LIC.lic.',
      },
      buttons: ['licenses.confirmUpdate', 'licenses.declineUpdate', 'licenses.properties'],
    },
    {
      kind: 'manual-pending',
      extra: { file: 'C:\\ProgramData\\ORS\\license-path\\LIC.lic', target: '\\\\fls01\\licenses$\\current' },
      severity: 'warning',
      text: {
        en: 'The new license for DEMO-0001 could not be installed automatically (maintenance until 30 Jun 2027 (was 30 Jun 2026); 2 more users; new feature X).',
        de: 'Die neue Lizenz für DEMO-0001 konnte nicht automatisch installiert werden (Wartung bis 30.06.2027 (bisher 30.06.2026); 2 Benutzer mehr; neue Option X).',
      },
      detail: {
        en: '1. Copy C:\\ProgramData\\ORS\\license-path\\LIC.lic to the license folder \\\\fls01\\licenses$\\current of the license server. 2. Install it there (the license server picks it up from its license folder). Or fix the access to the shared license folder and choose [Retry].',
        de: '1. Kopieren Sie C:\\ProgramData\\ORS\\license-path\\LIC.lic in den Lizenzordner \\\\fls01\\licenses$\\current des Lizenzservers. 2. Installieren Sie sie dort (der Lizenzserver übernimmt sie aus seinem Lizenzordner). Oder beheben Sie den Zugriff auf den freigegebenen Lizenzordner und wählen Sie [Wiederholen].',
      },
      buttons: ['licenses.retryUpdate', 'licenses.properties'],
    },
    {
      kind: 'rejected',
      extra: { error: { code: 'license.signature-invalid' } },
      severity: 'error',
      text: {
        en: 'A license for DEMO-0001 from the back office was rejected and not installed. Reason: The license signature is invalid: the file was altered or not issued by the vendor.',
        de: 'Eine Lizenz für DEMO-0001 vom Back-Office wurde abgelehnt und nicht installiert. Grund: Die Signatur der Lizenz ist ungültig: Die Datei wurde verändert oder nicht vom Hersteller ausgestellt.',
      },
      buttons: ['licenses.properties'],
    },
    {
      kind: 'failed',
      severity: 'error',
      text: {
        en: 'The license update for DEMO-0001 failed; the installed license is unchanged. Reason: none given.',
        de: 'Die Lizenzaktualisierung für DEMO-0001 ist fehlgeschlagen; die installierte Lizenz ist unverändert. Grund: keiner angegeben.',
      },
      buttons: ['licenses.properties'],
    },
  ];
  for (const row of table) {
    it(`announces ${row.kind} as ${row.severity} with the entitlement diff in English and German`, () => {
      const e = event(row.kind, row.extra);
      assert.equal(severityOf(e.kind), row.severity);
      assert.equal(messages.formatMessage('en', announcementMessage(e)), row.text.en);
      assert.equal(messages.formatMessage('de', announcementMessage(e)), row.text.de);
      const detail = announcementDetail(e);
      assert.equal(detail && messages.formatMessage('en', detail), row.detail?.en);
      assert.equal(detail && messages.formatMessage('de', detail), row.detail?.de);
      const actions = announcementActions(e);
      assert.deepEqual(actions.map((a) => a.command), row.buttons);
      for (const a of actions) if (a.command !== 'licenses.properties') assert.deepEqual(a.args, [e.licenseId]);
    });
  }
});

// ---- the plugin part with a fake ServiceControl, the host's real notification list and audit log ----

class FakeServiceControl implements ServiceControl {
  readonly backend = 'embedded' as const;
  readonly hosting$ = of<ServiceHosting>({ backend: 'embedded', childOfConsole: true });
  readonly subject = new BehaviorSubject<ServiceState>({ kind: 'starting' });
  get state$(): Observable<ServiceState> {
    return this.subject.asObservable();
  }
  emit(update: UpdateState | undefined): void {
    const status: OrsStatus = { pid: 4242, startedAt: '2026-11-27T08:00:00Z', settingsVersion: 1, connection: { kind: 'connected', since: 'x', lastCheck: 'x' }, ...(update ? { update } : {}) };
    this.subject.next({ kind: 'running', pid: 4242, status });
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {
    this.subject.next({ kind: 'stopped' });
  }
  async restart(): Promise<void> {}
  async dispose(): Promise<void> {}
}

class FakeActions implements UpdateActions {
  readonly calls: string[] = [];
  fail?: Error;
  async checkNow(): Promise<void> {
    this.calls.push('check-now');
    if (this.fail) throw this.fail;
  }
  async confirm(id: string): Promise<void> {
    this.calls.push(`confirm ${id}`);
    if (this.fail) throw this.fail;
  }
  async retry(id: string): Promise<void> {
    this.calls.push(`retry ${id}`);
    if (this.fail) throw this.fail;
  }
  async decline(id: string): Promise<void> {
    this.calls.push(`decline ${id}`);
    if (this.fail) throw this.fail;
  }
}

interface Console {
  controller: LicenseUpdateController;
  center: NotificationCenter;
  audit: AuditTrail;
  commands: Map<string, CommandHandler>;
  exposed: Map<string, { members: readonly string[] }>;
  stop(): void;
}

/** One console start: the license-update area's module over the files of `dir` (notifications, audit, data). */
async function startConsole(dir: string, control: FakeServiceControl, actions: FakeActions): Promise<Console> {
  const h = await pluginHarness(dir, [pluginModule, licenseUpdateModule]);
  h.container.bind(ServiceControl).toConstantValue(control);
  (await h.container.rebind(UpdateActions)).toConstantValue(actions);
  h.contribute();
  return { controller: h.container.get(LicenseUpdateController), center: h.notifications, audit: h.audit, commands: h.commands, exposed: h.exposed, stop: () => h.dispose() };
}

const list = (c: Console): Promise<readonly NotificationInfo[]> => firstValueFrom(c.center.list$);

async function settle(c: Console): Promise<void> {
  // The announcer runs each state in turn; wait for the last one seen.
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r));
    await c.controller.settled();
  }
}

function state(events: UpdateEvent[], pending: UpdateEvent[] = []): UpdateState {
  return { phase: 'waiting', lastCheck: '2026-11-27T08:00:00Z', nextCheck: '2026-11-27T08:01:00Z', pending, events: [...events].reverse() };
}

describe('license update announcements in the console', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let control: FakeServiceControl;
  let actions: FakeActions;
  const consoles: Console[] = [];

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('license-update-'));
    control = new FakeServiceControl();
    actions = new FakeActions();
  });
  afterEach(async () => {
    for (const c of consoles.splice(0)) c.stop();
    await cleanup();
  });

  const open = async () => {
    const c = await startConsole(dir, control, actions);
    consoles.push(c);
    return c;
  };

  it('announces an installed license on the Licenses node with the diff in en and de, and audits it as the ORS service', async () => {
    const c = await open();
    const installed = event('installed');
    control.emit(state([installed]));
    await settle(c);
    const [n, ...rest] = await list(c);
    assert.equal(rest.length, 0);
    assert.equal(n!.severity, 'info');
    assert.equal(n!.nodeId, 'licenses');
    assert.match(en(n!.message), /2 more users/);
    assert.match(de(n!.message), /2 Benutzer mehr/);
    const entries = await c.audit.read();
    assert.equal(entries.length, 1);
    const a = entries[0]!;
    assert.equal(a.actor, 'ors-service');
    assert.equal(a.action, 'license.installed');
    assert.equal(a.target, 'DEMO-0001');
    assert.deepEqual(a.changes, [
      { key: 'license', to: installed.licenseId },
      { key: 'revision', to: installed.seq },
      { key: 'maintenance.end', from: '2026-06-30', to: '2027-06-30' },
      { key: 'users', from: 5, to: 7 },
      { key: 'features.X', to: 'added' },
    ]);
  });

  it('announces each event once, even when the service repeats it and after the console restarts', async () => {
    const first = event('installed');
    let c = await open();
    control.emit(state([first]));
    await settle(c);
    control.emit({ ...state([first]), phase: 'idle' });
    await settle(c);
    const before = await list(c);
    assert.equal(before.length, 1);
    c.stop();

    // A restart of the console: same files, a new plugin instance, the same state from the service.
    c = await open();
    await settle(c);
    assert.deepEqual((await list(c)).map((n) => n.id), before.map((n) => n.id), 'nothing announced again');
    assert.equal((await c.audit.read()).length, 1);

    const second = event('failed', { error: { code: 'license-update.action-failed', params: { reason: 'share read-only' } } });
    control.emit(state([first, second]));
    await settle(c);
    const after = await list(c);
    assert.equal(after.length, 2);
    assert.equal(after[0]!.severity, 'error');
    assert.match(en(after[0]!.message), /share read-only/);
    assert.deepEqual((await c.audit.read()).map((a) => a.action), ['license.installed', 'license.failed']);
  });

  it('asks for confirmation of a reducing license with [Install anyway], carries the click to the service, and replaces the warning once installed', async () => {
    const c = await open();
    const waiting = event('awaiting-confirmation', { file: '/data/ors/license-path/x.lic' });
    control.emit(state([waiting], [waiting]));
    await settle(c);
    const [n] = await list(c);
    assert.equal(n!.severity, 'warning');
    const button = n!.actions.find((a) => a.command === 'licenses.confirmUpdate')!;
    assert.equal(en(button.title), 'Install anyway');
    assert.equal(de(button.title), 'Trotzdem installieren');
    await c.commands.get(button.command)!(...(button.args ?? []));
    assert.deepEqual(actions.calls, [`confirm ${waiting.licenseId}`]);

    const done: UpdateEvent = { ...event('installed'), licenseId: waiting.licenseId, changes: fewer };
    control.emit(state([waiting, done]));
    await settle(c);
    const now = await list(c);
    assert.equal(now.length, 1, 'the installed announcement replaces the question');
    assert.equal(now[0]!.severity, 'info');
    assert.deepEqual(now[0]!.actions.map((a) => a.command), ['licenses.properties']);
    const audit = await c.audit.read();
    assert.deepEqual(
      audit.map((a) => `${a.actor} ${a.action}`),
      ['ors-service license.awaiting-confirmation', 'console license.confirm', 'ors-service license.installed'],
    );
    assert.deepEqual(audit[1]!.changes, [{ key: 'license', to: waiting.licenseId }, { key: 'result', to: 'done' }]);
  });

  it('shows the manual steps for a license kept in the license path and retries with [Retry]', async () => {
    const c = await open();
    const manual = event('manual-pending', { file: '/data/ors/license-path/y.lic', target: '\\\\fls01\\licenses' });
    control.emit(state([manual], [manual]));
    await settle(c);
    const [n] = await list(c);
    assert.match(en(n!.detail), /Copy \/data\/ors\/license-path\/y\.lic to the license folder \\\\fls01\\licenses/);
    assert.match(de(n!.detail), /Kopieren Sie \/data\/ors\/license-path\/y\.lic in den Lizenzordner/);
    const retry = n!.actions.find((a) => a.command === 'licenses.retryUpdate')!;
    await c.commands.get(retry.command)!(...(retry.args ?? []));
    await c.commands.get('licenses.checkNow')!();
    assert.deepEqual(actions.calls, [`retry ${manual.licenseId}`, 'check-now']);
    const audit = (await c.audit.read()).filter((a) => a.actor === 'console');
    assert.deepEqual(audit.map((a) => `${a.action} ${a.target}`), ['license.retry DEMO-0001', 'license.check-now license-update']);
  });

  it('refuses actions for a license that is not waiting, a malformed ID, or a service that is not running, without calling the service', async () => {
    const c = await open();
    const manual = event('manual-pending', { file: '/f.lic' });
    control.emit(state([manual], [manual]));
    await settle(c);
    await assert.rejects(c.controller.confirm(manual.licenseId), (e: CodedError) => e.code === 'license-update.not-pending');
    await assert.rejects(c.controller.retry('../../etc/passwd'), (e: CodedError) => e.code === 'license-update.invalid-license-id' && e.field === 'licenseId');
    await control.stop();
    await assert.rejects(c.controller.checkNow(), (e: CodedError) => e.code === 'license-update.service-not-running');
    assert.deepEqual(actions.calls, []);
  });

  it('reports and audits a refusal by the service with its code', async () => {
    const c = await open();
    control.emit(state([]));
    actions.fail = new CodedError('license-update.not-pending', { licenseId: 'L' });
    await assert.rejects(c.controller.checkNow(), (e: CodedError) => e.code === 'license-update.not-pending');
    actions.fail = new Error('socket hang up');
    await assert.rejects(c.controller.checkNow(), (e: CodedError) => e.code === 'license-update.action-failed' && e.params['reason'] === 'socket hang up');
    assert.deepEqual((await c.audit.read()).map((a) => a.changes?.at(-1)), [
      { key: 'result', to: 'license-update.not-pending' },
      { key: 'result', to: 'license-update.action-failed' },
    ]);
  });

  it('exposes the licenseUpdate service whose state follows the service: the update state while running, undefined otherwise', async () => {
    const c = await open();
    assert.deepEqual(c.exposed.get('licenseUpdate')?.members, ['state$', 'checkNow', 'confirm', 'retry', 'decline']);
    const seen: (UpdateState | undefined)[] = [];
    const sub = c.controller.state$().subscribe((s) => seen.push(s));
    const s = state([]);
    control.emit(s);
    await control.stop();
    sub.unsubscribe();
    assert.deepEqual(seen, [undefined, s, undefined]);
    const announced = JSON.parse(await readFile(path.join(dir, 'plugins', 'remote-service-licenses', 'license-update', 'announced.json'), 'utf8').catch(() => '{"ids":[]}')) as { ids: string[] };
    assert.deepEqual(announced.ids, []);
  });
});
