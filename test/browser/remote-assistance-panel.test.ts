import '../support/browser-locale.js';
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { configureLocalization } from '@lit/localize';
import { BehaviorSubject } from 'rxjs';
import type { BrowserPluginContext } from '../../src/common/browser-plugin-api.js';
import type { PrerequisitesView } from '../../src/common/remote-assistance/api.js';
import type { LaunchState, TeamViewerAvailability, TeamViewerInstallation } from '../../src/common/remote-assistance/model.js';
import { allMet, prerequisitesOf } from '../../src/common/remote-assistance/prerequisites.js';
import type { RemoteServiceSettings, ServiceState } from '../../src/common/remote-service/model.js';
import { remoteAssistanceGerman } from '../../src/views/remote-assistance/de.js';
import '../../src/views/remote-assistance/remote-assistance-panel.js';
import type { RemoteAssistancePanel } from '../../src/views/remote-assistance/remote-assistance-panel.js';

const { setLocale } = configureLocalization({
  sourceLocale: 'en',
  targetLocales: ['de'],
  loadLocale: async () => ({ templates: remoteAssistanceGerman }) as never,
});

async function useLocale(l: 'en' | 'de'): Promise<void> {
  document.documentElement.lang = l;
  await setLocale(l);
}

const rs: RemoteServiceSettings = {
  enabled: true,
  remoteAssistanceFeature: true,
  allowRemoteAssistance: false,
  organisationId: 'ORG',
  backofficeUrl: 'https://bo.example',
  proxy: { mode: 'manual', host: 'proxy.corp.example', port: 3128, authenticate: true, username: 'svc', domain: 'CORP' },
  serviceControl: 'embedded',
};
const connected: ServiceState = { kind: 'running', status: { pid: 1, startedAt: 'x', settingsVersion: 1, connection: { kind: 'connected', since: '2026-11-27T08:00Z', lastCheck: 'x' } } };
const installation: TeamViewerInstallation = { kind: 'quicksupport', executable: '/opt/TeamViewerQS', source: 'configured', version: '15.48.4' };
const found: TeamViewerAvailability = { kind: 'available', installation };

function viewOf(settings: RemoteServiceSettings, service: ServiceState, tv: TeamViewerAvailability, version: number): PrerequisitesView {
  const prerequisites = prerequisitesOf(settings, service, tv);
  return {
    prerequisites,
    allMet: allMet(prerequisites),
    allowed: settings.allowRemoteAssistance,
    settingsVersion: version,
    teamViewer: tv,
    teamViewerPath: '',
    proxy: settings.proxy.mode === 'manual' ? { kind: 'dialog', host: settings.proxy.host!, port: settings.proxy.port!, username: 'CORP\\svc', passwordRequired: true } : { kind: 'none' },
  };
}

function fakeService(initial: PrerequisitesView) {
  const view$ = new BehaviorSubject<PrerequisitesView>(initial);
  const state$ = new BehaviorSubject<LaunchState>({ kind: 'ready', installation });
  const calls: string[] = [];
  const service = {
    prerequisites$: () => view$,
    state$: () => state$,
    allow: async (allowed: boolean, version: number) => {
      calls.push(`allow ${allowed} ${version}`);
      const next = { ...view$.value, allowed, settingsVersion: version + 1 };
      view$.next(next);
      return next;
    },
    setTeamViewerPath: async (p: string, version: number) => {
      calls.push(`path ${p} ${version}`);
      const next = { ...view$.value, teamViewerPath: p, settingsVersion: version + 1 };
      view$.next(next);
      return next;
    },
    refresh: async () => {
      calls.push('refresh');
      return view$.value;
    },
    check: async (p: string): Promise<TeamViewerAvailability> => {
      calls.push(`check ${p}`);
      return { kind: 'available', installation: { ...installation, executable: p } };
    },
    start: async () => {
      calls.push('start');
      state$.next({ kind: 'starting', installation });
      state$.next({ kind: 'running', installation, pid: 4711, startedAt: 'now' });
      state$.next({ kind: 'running', installation, pid: 4711, startedAt: 'now', id: '1234567890' });
      return state$.value;
    },
    stop: async () => {
      calls.push('stop');
      state$.next({ kind: 'ended', installation, pid: 4711, exitCode: null, signal: 'SIGTERM', stopped: true, id: '1234567890' });
      return state$.value;
    },
  };
  const context = { pluginId: 'remote-service-licenses', service: () => service, hostService: () => ({}), addTemplates: () => undefined } as unknown as BrowserPluginContext;
  return { context, calls, view$, state$, service };
}

async function panel(context: BrowserPluginContext): Promise<RemoteAssistancePanel> {
  const el = await fixture<RemoteAssistancePanel>(html`<ors-remote-assistance-panel .context=${context}></ors-remote-assistance-panel>`);
  await el.updateComplete;
  return el;
}
const $ = <T extends Element = HTMLElement>(el: RemoteAssistancePanel, sel: string) => el.shadowRoot!.querySelector<T>(sel)!;

describe('remote assistance panel', () => {
  afterEach(() => useLocale('en'));

  it('lists each prerequisite as met or not, with a link to fix the unmet one, and keeps [Allow] disabled', async () => {
    const f = fakeService(viewOf({ ...rs, proxy: { mode: 'auto' } }, connected, found, 5));
    const el = await panel(f.context);
    const items = [...el.shadowRoot!.querySelectorAll('li[data-prereq]')].map((li) => `${li.getAttribute('data-prereq')}:${li.className}`);
    expect(items).to.deep.equal(['license-update:met', 'feature:met', 'teamviewer:met', 'proxy:unmet']);
    const proxy = $(el, 'li[data-prereq="proxy"]');
    expect(proxy.textContent).to.contain('Not met:');
    expect(proxy.textContent).to.contain('auto-detect');
    const fix = proxy.querySelector<HTMLButtonElement>('button[data-fix]')!;
    expect(fix.dataset['fix']).to.equal('remoteService.properties');
    let asked = '';
    el.addEventListener('open-properties', (e) => (asked = (e as CustomEvent<{ nodeId: string }>).detail.nodeId));
    fix.click();
    expect(asked).to.equal('remote-service');
    expect($<HTMLInputElement>(el, '#allow').disabled).to.equal(true);
    expect($<HTMLButtonElement>(el, '#start').disabled).to.equal(true);
  });

  it('allows and saves once every prerequisite holds, then starts, shows the ID in large type with a copy button, and stops', async () => {
    const f = fakeService(viewOf(rs, connected, found, 5));
    const el = await panel(f.context);
    const allow = $<HTMLInputElement>(el, '#allow');
    expect(allow.disabled).to.equal(false);
    expect(el.dirty).to.equal(false);
    allow.click();
    await el.updateComplete;
    expect(el.dirty).to.equal(true);
    expect(el.shadowRoot!.querySelector('#save'), 'no second [Save] beside the dialog OK/Apply').to.equal(null);
    await el.apply();
    await el.updateComplete;
    expect(f.calls).to.deep.equal(['allow true 5']);
    expect(el.dirty).to.equal(false);
    const start = $<HTMLButtonElement>(el, '#start');
    expect(start.disabled).to.equal(false);
    start.click();
    await new Promise((r) => setTimeout(r, 10));
    await el.updateComplete;
    expect($(el, '#tv-id').textContent).to.equal('1 234 567 890');
    expect(getComputedStyle($(el, '#tv-id')).fontSize).to.equal('32px');
    expect($(el, '#copy').getAttribute('aria-label')).to.equal('Copy TeamViewer ID');
    expect($(el, '#helpdesk').textContent).to.contain('TeamViewer ID 1 234 567 890');
    expect($(el, '#state').textContent).to.equal('Running (process 4711)');
    // TeamViewer's own proxy dialog needs our manual proxy: exact values, never the password.
    expect($(el, '#proxy-host').textContent).to.equal('proxy.corp.example');
    expect($(el, '#proxy-port').textContent).to.equal('3128');
    expect($(el, '#proxy-user').textContent).to.equal('CORP\\svc');
    $<HTMLButtonElement>(el, '#stop').click();
    await new Promise((r) => setTimeout(r, 10));
    await el.updateComplete;
    expect(f.calls).to.deep.equal(['allow true 5', 'start', 'stop']);
    expect($(el, '#state').textContent).to.equal('Stopped');
    expect($<HTMLButtonElement>(el, '#stop').disabled).to.equal(true);
  });

  it('refuses a relative QuickSupport path at the field, without calling the plugin', async () => {
    const f = fakeService(viewOf(rs, connected, { kind: 'not-found', platform: 'linux' }, 2));
    const el = await panel(f.context);
    const input = $<HTMLInputElement>(el, '#tv-path');
    input.focus();
    await sendKeys({ type: 'Downloads/TeamViewerQS' });
    await el.updateComplete;
    let error: unknown;
    await el.apply().catch((e: unknown) => (error = e));
    await el.updateComplete;
    expect((error as { code: string }).code).to.equal('remote-assistance.path-invalid');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(input.getAttribute('aria-describedby')).to.equal('tv-path-error');
    expect($(el, '#tv-path-error').textContent).to.contain('Downloads/TeamViewerQS');
    expect(f.calls).to.deep.equal([]);
  });

  it('keeps a box ticked while a save is on its way: the answer does not undo the newer edit', async () => {
    const f = fakeService(viewOf(rs, connected, { kind: 'not-found', platform: 'linux' }, 3));
    let answer!: () => void;
    const setPath = f.service.setTeamViewerPath;
    f.service.setTeamViewerPath = (p, v) => new Promise<PrerequisitesView>((resolve) => (answer = () => void setPath(p, v).then(resolve)));
    const el = await panel(f.context);
    const input = $<HTMLInputElement>(el, '#tv-path');
    input.focus();
    await sendKeys({ type: '/opt/TeamViewerQS' });
    const saving = el.apply();
    await el.updateComplete;
    // TeamViewer turns up and every prerequisite holds before the save has answered.
    f.view$.next({ ...viewOf(rs, connected, found, 3) });
    await el.updateComplete;
    $<HTMLInputElement>(el, '#allow').click();
    await el.updateComplete;
    answer();
    await saving;
    await el.updateComplete;
    expect(f.calls).to.deep.equal(['path /opt/TeamViewerQS 3']);
    expect($<HTMLInputElement>(el, '#allow').checked).to.equal(true);
    expect(el.dirty, 'the tick is still to be saved').to.equal(true);
  });

  it('[Look for TeamViewer again] looks at a path typed but not saved yet, says so, and saves nothing', async () => {
    const f = fakeService(viewOf(rs, connected, { kind: 'not-found', platform: 'linux' }, 4));
    const el = await panel(f.context);
    $<HTMLInputElement>(el, '#tv-path').focus();
    await sendKeys({ type: '/opt/TeamViewerQS' });
    $<HTMLButtonElement>(el, '#refresh').click();
    await new Promise((r) => setTimeout(r, 10));
    await el.updateComplete;
    expect(f.calls).to.deep.equal(['check /opt/TeamViewerQS']);
    const check = $(el, '#tv-path-check');
    expect(check.textContent).to.contain('TeamViewer QuickSupport 15.48.4: /opt/TeamViewerQS');
    expect(check.textContent).to.contain('Not saved yet: OK or Apply uses this path.');
    expect(check.className).to.equal('hint');
    // The prerequisite itself follows the saved state until OK/Apply.
    expect($(el, 'li[data-prereq="teamviewer"]').className).to.equal('unmet');
    expect(el.dirty).to.equal(true);
    // The saved path unchanged: the button looks again as saved.
    $<HTMLInputElement>(el, '#tv-path').value = '';
    $<HTMLInputElement>(el, '#tv-path').dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect($(el, '#tv-path-check').textContent!.trim()).to.equal('');
    $<HTMLButtonElement>(el, '#refresh').click();
    await new Promise((r) => setTimeout(r, 10));
    expect(f.calls).to.deep.equal(['check /opt/TeamViewerQS', 'refresh']);
  });

  it('is operable by keyboard: Space ticks [Allow], Enter on [Look for TeamViewer again] looks', async () => {
    const f = fakeService(viewOf(rs, connected, found, 9));
    const el = await panel(f.context);
    $<HTMLInputElement>(el, '#allow').focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.dirty).to.equal(true);
    $<HTMLButtonElement>(el, '#refresh').focus();
    await sendKeys({ press: 'Enter' });
    await new Promise((r) => setTimeout(r, 10));
    expect(f.calls).to.deep.equal(['refresh']);
    await el.apply();
    expect(f.calls).to.deep.equal(['refresh', 'allow true 9']);
  });

  it('speaks German', async () => {
    await useLocale('de');
    const f = fakeService(viewOf({ ...rs, enabled: false }, connected, found, 1));
    const el = await panel(f.context);
    expect($(el, 'label[for="allow"]').textContent).to.equal('Fernunterstützung zulassen');
    expect($(el, 'li[data-prereq="license-update"]').textContent).to.contain('Nicht erfüllt:');
    expect($(el, 'li[data-prereq="license-update"]').textContent).to.contain('Der Remote Service ist nicht aktiviert');
    expect($(el, '#start').textContent!.trim()).to.equal('Remote-Unterstützung starten');
  });
});
