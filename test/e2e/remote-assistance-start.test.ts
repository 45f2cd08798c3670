import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { launchChromium } from '../support/browser.js';
import { startConsole, type RunningConsole } from '../support/console.js';
import { tempDir } from '../support/processes.js';
import { startSquid, type Squid } from '../support/proxy-squid.js';
import { createStandIn, isAlive, type StandIn } from '../support/remote-assistance-standin.js';

// The built console (`npm run build` first) with --demo (a real back office beside it); the ORS
// service under the console's service control; a real squid as the manual proxy; a stand-in
// TeamViewer QuickSupport (prints its ID, lingers) in a folder whose name a shell would act on.
const PROXY_USER = { username: 'ors-proxy', password: 'Squid-Pa55-ra-e2e' };
const FOLDER = `Quick Support "QS" $(touch PWNED) it's`;

describe('Remote assistance in Chromium: meet the prerequisites, allow, start TeamViewer, read its ID, stop', () => {
  let c: RunningConsole;
  let squid: Squid;
  let browser: Browser;
  let page: Page;
  let standIn: StandIn;
  let dir: string;
  let cleanup: () => Promise<void>;

  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-e2e-ra-'));
    standIn = await createStandIn(path.join(dir, FOLDER), 'TeamViewerQS', { id: '1234567890', printId: true, lingerMs: 120_000 });
    squid = await startSquid({ auth: 'basic', users: [PROXY_USER] });
    c = await startConsole({ args: ['--demo'] });
    browser = await launchChromium();
    page = await browser.newPage({ locale: 'en-US' });
    await page.goto(c.loginUrl);
  });
  after(async () => {
    await browser?.close();
    await c?.stop();
    await squid?.stop();
    for (const s of (await standIn?.starts()) ?? []) if (isAlive(s.pid)) process.kill(s.pid, 'SIGKILL');
    await cleanup?.();
  });

  /** Every prerequisite met (a settings change makes the ORS service reconnect for a moment). */
  async function allMet(dialog: Locator): Promise<void> {
    await dialog.locator('li[data-prereq].unmet').first().waitFor({ state: 'detached', timeout: 20_000 });
    const marks = await dialog.locator('li[data-prereq]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-prereq')}:${e.className}`));
    assert.deepEqual(marks, ['license-update:met', 'feature:met', 'teamviewer:met', 'proxy:met']);
  }

  async function openRemoteAssistance(): Promise<Locator> {
    const rs = page.getByRole('treeitem', { name: 'Remote Service' });
    await rs.click();
    if ((await rs.getAttribute('aria-expanded')) !== 'true') await page.keyboard.press('ArrowRight');
    await page.getByRole('treeitem', { name: 'Remote assistance' }).dblclick();
    const dialog = page.getByRole('dialog', { name: 'Remote assistance' });
    await dialog.waitFor();
    return dialog;
  }

  it('configures automatic license update through a manual proxy with the Remote Assistance feature, and connects', async () => {
    const code = /verification code: (\S+)/i.exec(c.process.output())?.[1] ?? '';
    assert.ok(code, 'the demo prints its verification code');
    await page.getByRole('treeitem', { name: 'Remote Service' }).dblclick();
    const dialog = page.getByRole('dialog', { name: 'Remote Service' });
    await dialog.waitFor();
    const tab = (name: string) => dialog.getByRole('tab', { name, exact: true }).click();
    await tab('Remote Service');
    await dialog.locator('#serial').and(dialog.locator('[readonly]')).waitFor();
    await tab('General');
    await dialog.getByLabel('Enable', { exact: true }).check();
    await dialog.getByLabel('Remote Assistance', { exact: true }).check();
    await tab('Remote Service');
    await dialog.getByLabel('Service organisation ID:').fill('DEMO-ORG');
    const change = dialog.locator('#verificationCode-change');
    if (await change.isVisible()) await change.click();
    await dialog.getByLabel('Verification code:').fill(code);
    await tab('Proxy server');
    await dialog.getByLabel('Enable proxy server (manual settings)').check();
    await dialog.getByLabel('Host name:').fill('127.0.0.1');
    await dialog.getByLabel('Port:').fill(String(squid.port));
    await dialog.getByLabel('Proxy server authentication').check();
    await dialog.locator('#proxy-username').fill(PROXY_USER.username);
    await dialog.locator('#proxy-password').fill(PROXY_USER.password);
    await dialog.getByRole('button', { name: 'Restart' }).click();
    await dialog.locator('#connection-state[data-state="connected"]').waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'OK', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows TeamViewer missing with a fix, then every prerequisite met once the QuickSupport path is saved', async () => {
    const dialog = await openRemoteAssistance();
    await dialog.locator('li[data-prereq="license-update"].met').waitFor({ timeout: 15_000 });
    assert.equal(await dialog.locator('li[data-prereq="teamviewer"]').getAttribute('class'), 'unmet');
    assert.equal(await dialog.getByLabel('Allow remote assistance').isDisabled(), true, '[Allow] waits for every prerequisite');
    await dialog.getByLabel('TeamViewer QuickSupport program or folder (optional)').fill(path.join(dir, FOLDER));
    // Looking again finds it at the typed path before anything is saved; Apply saves it.
    await dialog.getByRole('button', { name: 'Look for TeamViewer again' }).click();
    await dialog.locator('#tv-path-check').filter({ hasText: 'Not saved yet' }).waitFor();
    assert.equal(await dialog.locator('li[data-prereq="teamviewer"]').getAttribute('class'), 'unmet');
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await dialog.locator('li[data-prereq="teamviewer"].met').waitFor({ timeout: 15_000 });
    await allMet(dialog);
  });

  it('allows remote assistance and saves; TeamViewer is not started by that', async () => {
    const dialog = page.getByRole('dialog', { name: 'Remote assistance' });
    await dialog.getByLabel('Allow remote assistance').check();
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await dialog.getByText('Saved.').waitFor();
    await allMet(dialog);
    assert.deepEqual(await standIn.starts(), [], 'allowing never starts TeamViewer');
    // TeamViewer's own proxy dialog gets our manual proxy's exact values; the password never reaches the page.
    assert.equal(await dialog.locator('#proxy-host').textContent(), '127.0.0.1');
    assert.equal(await dialog.locator('#proxy-port').textContent(), String(squid.port));
    assert.equal(await dialog.locator('#proxy-user').textContent(), PROXY_USER.username);
    assert.ok(!(await page.content()).includes(PROXY_USER.password));
    await dialog.getByRole('button', { name: 'OK', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('starts TeamViewer from the Remote Service context menu and shows its ID to read to the help desk', async () => {
    await page.getByRole('treeitem', { name: 'Remote Service' }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Start remote assistance' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remote assistance' });
    await dialog.waitFor();
    await dialog.locator('#tv-id').filter({ hasText: '1 234 567 890' }).waitFor({ timeout: 15_000 });
    assert.match((await dialog.locator('#state').textContent()) ?? '', /^Running \(process \d+\)$/);
    assert.match((await dialog.locator('#helpdesk').textContent()) ?? '', /TeamViewer ID 1 234 567 890/);
    const starts = await standIn.starts();
    assert.equal(starts.length, 1);
    assert.deepEqual(starts[0]!.argv, []);
    assert.ok(isAlive(starts[0]!.pid));
    assert.deepEqual(await axeViolations(page), [], 'no serious accessibility violations in the panel');
    assert.match((await dialog.locator('#state').textContent()) ?? '', new RegExp(`process ${starts[0]!.pid}\\)`));
  });

  it('stops the session it started, and the path never reached a shell', async () => {
    const dialog = page.getByRole('dialog', { name: 'Remote assistance' });
    await dialog.getByRole('button', { name: 'Stop', exact: true }).click();
    await dialog.locator('#state').filter({ hasText: 'Stopped' }).waitFor({ timeout: 15_000 });
    const [start] = await standIn.starts();
    assert.equal(isAlive(start!.pid), false);
    assert.equal(await dialog.getByRole('button', { name: 'Start remote assistance' }).isEnabled(), true);
    const { existsSync } = await import('node:fs');
    assert.equal(existsSync(path.join(dir, FOLDER, 'PWNED')), false);
  });
});
