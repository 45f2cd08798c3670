import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { launchChromium } from '../support/browser.js';
import { startConsole, type RunningConsole } from '../support/console.js';
import { ROOT, run, tempDir } from '../support/processes.js';
import { createStandIn, isAlive, type StandIn } from '../support/remote-assistance-standin.js';

// Two browsers' worth of pages on one Chromium: the remote-service website (served by the demo back
// office that `ors console --demo` starts in <data-dir>/backoffice, logged in as the printed demo
// technician) and the customer's console of the same demo, whose ORS service is connected to that
// back office. Needs `npm run build` (dist/website, dist/console).

const ors = (args: readonly string[], input?: string) => run(process.execPath, [path.join(ROOT, 'bin/ors.js'), ...args], { cwd: ROOT, timeoutMs: 60_000, ...(input !== undefined ? { input } : {}) });
const PASSWORD_B = 'organisation-B-password';
const PASSWORD_ADMIN = 'vendor-admin-password';

async function clean(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  assert.deepEqual(violations.map((v) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`), [], `axe on ${where}`);
}

describe('the remote-service website in Chromium beside the customer’s console (demo back office)', () => {
  let c: RunningConsole;
  let browser: Browser;
  let site: BrowserContext;
  let web: Page;
  let consolePage: Page;
  let siteUrl: string;
  let password: string;
  let adminPassword: string;
  /** The demo's vendor administrator, in a browser context of its own (only it changes entitlements). */
  let admin: Page;
  let boDir: string;
  let standIn: StandIn;
  let cleanup: (() => Promise<void>) | undefined;

  async function logIn(page: Page, name: string, pw: string, labels = { name: 'Name', password: 'Password', submit: 'Log in' }): Promise<void> {
    await page.getByLabel(labels.name, { exact: true }).fill(name);
    await page.getByLabel(labels.password, { exact: true }).fill(pw);
    await page.getByRole('button', { name: labels.submit, exact: true }).click();
  }

  const row = (page: Page, serial: string): Locator => page.getByRole('row', { name: new RegExp(serial) });
  const notifications = (): Locator => consolePage.locator('ors-notification-list li');

  before(async () => {
    const t = await tempDir('ors-e2e-website-');
    cleanup = t.cleanup;
    standIn = await createStandIn(path.join(t.dir, 'qs'), 'TeamViewerQS', { id: '1234567890', printId: true, lingerMs: 120_000 });
    c = await startConsole({ args: ['--demo'] });
    const out = c.process.output();
    siteUrl = /\[backoffice\] Website: (https:\/\/127\.0\.0\.1:\d+)\//.exec(out)![1]!;
    password = /\[backoffice\] Demo technician .*: demo-technician \/ (\S+)/.exec(out)![1]!;
    adminPassword = /\[backoffice\] Demo vendor administrator .*: demo-admin \/ (\S+)/.exec(out)![1]!;
    boDir = path.join(c.dataDir, 'backoffice');
    const enabled = await ors(['config', 'set', 'remoteService.enabled', 'true', '--data-dir', c.dataDir]);
    assert.equal(enabled.code, 0, enabled.stderr);
    browser = await launchChromium();
    consolePage = await browser.newPage({ locale: 'en-US' });
    await consolePage.goto(c.loginUrl);
    await consolePage.getByRole('row', { name: /DEMO-0001/ }).waitFor({ timeout: 20_000 });
    await consolePage.getByRole('button', { name: /^Notifications/ }).click();
    // The demo back office's certificate chains to its own local CA, which this browser does not know.
    site = await browser.newContext({ locale: 'en-US', ignoreHTTPSErrors: true });
    web = await site.newPage();
    admin = await (await browser.newContext({ locale: 'en-US', ignoreHTTPSErrors: true })).newPage();
  });
  after(async () => {
    await browser?.close();
    await c?.stop();
    for (const x of (await standIn?.starts()) ?? []) if (isAlive(x.pid)) process.kill(x.pid, 'SIGKILL');
    await cleanup?.();
  });

  async function requestAssistance(message: string): Promise<void> {
    await web.getByLabel('Message to the administrator', { exact: true }).fill(message);
    await web.getByRole('button', { name: 'Request remote assistance' }).click();
  }
  const notice = (message: string): Locator => notifications().filter({ hasText: message });

  it('logs the demo technician in (a wrong password is refused with a message) and lists the demo installation as connected; the list is filtered and sorted by the server', async () => {
    await web.goto(`${siteUrl}/`);
    await web.getByRole('heading', { name: 'Log in' }).waitFor();
    await clean(web, 'the login page (en)');
    await logIn(web, 'demo-technician', 'not-the-password');
    await web.getByRole('alert').filter({ hasText: 'The name or the password is wrong.' }).waitFor({ timeout: 15_000 });
    await logIn(web, 'demo-technician', password);
    await web.getByRole('heading', { name: 'Installations' }).waitFor();
    // The ORS service connects after `config set` (it may take a moment; the list follows the clock and the change events).
    await row(web, 'DEMO-0001').locator('td.connection[data-connected="true"]').waitFor({ timeout: 60_000 });
    assert.match((await row(web, 'DEMO-0001').textContent()) ?? '', /prepress-suite.*DEMO-ORG.*Connected.*seq 1/s);
    await clean(web, 'the installations list (en)');
    // Filtering is the server's: an unknown serial leaves no row.
    await web.getByLabel('Filter', { exact: true }).fill('NO-SUCH-SERIAL');
    await web.getByText('No installation matches.').waitFor();
    await web.getByLabel('Filter', { exact: true }).fill('');
    await row(web, 'DEMO-0001').waitFor();
    // Sorting is the server's too; the header says which way.
    const serialHeader = web.getByRole('columnheader', { name: /Serial number/ });
    assert.equal(await serialHeader.getAttribute('aria-sort'), 'ascending');
    await serialHeader.getByRole('button').click();
    await web.locator('th[aria-sort="descending"]').filter({ hasText: 'Serial number' }).waitFor();
    await row(web, 'DEMO-0001').waitFor();
  });

  it('raises the users (vendor administrator): wrong fields named before sending, the preview says what the console will announce, the console announces it, the website shows the receipt; the technician reads the entitlement only', async () => {
    await row(web, 'DEMO-0001').getByRole('link', { name: 'DEMO-0001' }).click();
    await web.getByRole('heading', { name: /Installation DEMO-0001/ }).waitFor();
    await web.locator('#entitlement-users').waitFor();
    assert.equal(await web.getByLabel('Users', { exact: true }).count(), 0, 'a technician gets no entitlement form');
    assert.equal(await web.getByRole('button', { name: 'Issue the new license' }).count(), 0);
    await admin.goto(`${siteUrl}/installations/DEMO-0001`);
    await logIn(admin, 'demo-admin', adminPassword);
    await admin.getByRole('heading', { name: /Installation DEMO-0001/ }).waitFor({ timeout: 15_000 });
    const users = admin.getByLabel('Users', { exact: true });
    const before = Number(await users.inputValue());
    // An empty field is missing (not 0), a feature ID of the wrong form is not added: both named at the field, nothing previewed.
    await users.fill('');
    await admin.locator('#users-error').filter({ hasText: 'Users is missing.' }).waitFor({ timeout: 10_000 });
    assert.equal(await admin.getByRole('button', { name: 'Issue the new license' }).isDisabled(), true);
    await admin.getByLabel('New feature', { exact: true }).fill('not an id');
    await admin.getByRole('button', { name: 'Add', exact: true }).click();
    await admin.locator('#new-feature-error').filter({ hasText: /^New feature may hold letters, digits/ }).waitFor();
    assert.equal(await admin.locator('[data-feature="not an id"]').count(), 0);
    await clean(admin, 'the installation page with field errors (en)');
    await admin.getByLabel('New feature', { exact: true }).fill('');
    await users.fill(String(before + 2));
    await admin.locator('#announcement').filter({ hasText: 'License DEMO-0001 updated: 2 more users' }).waitFor({ timeout: 10_000 });
    await clean(admin, 'the installation page with a preview (en)');
    await admin.getByRole('button', { name: 'Issue the new license' }).click();
    await admin.locator('#entitlement-message').filter({ hasText: /License seq 2 issued/ }).waitFor({ timeout: 10_000 });
    await notifications().filter({ hasText: 'License DEMO-0001 updated: 2 more users' }).waitFor({ timeout: 30_000 });
    // The installation's receipt reaches both pages through the change events, no reload.
    await admin.locator('#receipts li[data-kind="installed"][data-seq="2"]').waitFor({ timeout: 30_000 });
    await web.locator('#receipts li[data-kind="installed"][data-seq="2"]').waitFor({ timeout: 30_000 });
    assert.match((await admin.locator('#installed').textContent()) ?? '', /seq 2 installed/);
    await web.locator('#entitlement-users').filter({ hasText: String(before + 2) }).waitFor({ timeout: 10_000 });
  });

  it('a reduction waits for the administrator’s confirmation, shown on the website until [Install anyway]', async () => {
    const users = admin.getByLabel('Users', { exact: true });
    await users.waitFor();
    const current = Number(await users.inputValue());
    await users.fill(String(current - 1));
    await admin.locator('#announcement').filter({ hasText: `one user fewer (now ${current - 1})` }).waitFor({ timeout: 10_000 });
    assert.match((await admin.locator('#announcement').textContent()) ?? '', /waits for your confirmation/);
    await admin.getByRole('button', { name: 'Issue the new license' }).click();
    await admin.locator('#pending').filter({ hasText: 'Waiting for confirmation (seq 3)' }).waitFor({ timeout: 30_000 });
    await web.locator('#pending').filter({ hasText: 'Waiting for confirmation (seq 3)' }).waitFor({ timeout: 30_000 });
    const question = notifications().filter({ has: consolePage.getByRole('button', { name: 'Install anyway' }) });
    await question.waitFor({ timeout: 30_000 });
    await question.getByRole('button', { name: 'Install anyway' }).click();
    await admin.locator('#receipts li[data-kind="installed"][data-seq="3"]').waitFor({ timeout: 30_000 });
    await admin.locator('#pending').filter({ hasText: 'Nothing pending' }).waitFor({ timeout: 10_000 });
  });

  it('remote assistance while it is not allowed there: the technician reads why, nothing starts', async () => {
    await requestAssistance('Please let us look at the imposition settings');
    await web.locator('#request[data-state="not-allowed"]').waitFor({ timeout: 30_000 });
    assert.match((await web.locator('#request-reason').textContent()) ?? '', /has not allowed remote assistance on this installation/);
    await notice('it was refused because').waitFor({ timeout: 15_000 });
    assert.deepEqual(await standIn.starts(), []);
  });

  it('remote assistance on request: [Decline] goes back; [Start] starts TeamViewer, its ID reaches the website, and so does the end', async () => {
    const feature = await ors(['config', 'set', 'remoteService.remoteAssistanceFeature', 'true', '--data-dir', c.dataDir]);
    assert.equal(feature.code, 0, feature.stderr);
    // The administrator names the QuickSupport program and allows remote assistance in the console.
    const rs = consolePage.getByRole('treeitem', { name: 'Remote Service' });
    await rs.click();
    if ((await rs.getAttribute('aria-expanded')) !== 'true') await consolePage.keyboard.press('ArrowRight');
    await consolePage.getByRole('treeitem', { name: 'Remote assistance' }).dblclick();
    const dialog = consolePage.getByRole('dialog', { name: 'Remote assistance' });
    await dialog.getByLabel('TeamViewer QuickSupport program or folder (optional)').fill(standIn.executable);
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await dialog.locator('li[data-prereq].unmet').first().waitFor({ state: 'detached', timeout: 20_000 });
    await dialog.getByLabel('Allow remote assistance').check();
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await dialog.getByText('Saved.').waitFor();
    await dialog.getByRole('button', { name: 'OK', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await requestAssistance('First request: please decline');
    const first = notice('First request: please decline').filter({ has: consolePage.getByRole('button', { name: 'Decline', exact: true }) });
    await first.waitFor({ timeout: 30_000 });
    await first.getByRole('button', { name: 'Decline', exact: true }).click();
    await web.locator('#request[data-state="declined"]').waitFor({ timeout: 15_000 });
    assert.deepEqual(await standIn.starts(), [], 'declining starts nothing');

    await requestAssistance('Second request: please start');
    const second = notice('Second request: please start').filter({ has: consolePage.getByRole('button', { name: 'Start remote assistance', exact: true }) });
    await second.waitFor({ timeout: 30_000 });
    await second.getByRole('button', { name: 'Start remote assistance', exact: true }).click();
    await web.locator('#request[data-state="started"] #tv-id').filter({ hasText: '1 234 567 890' }).waitFor({ timeout: 30_000 });
    assert.equal((await standIn.starts()).length, 1);
    await clean(web, 'the installation page with a running session (en)');
    // [Start] opens the Remote assistance dialog with the running session, as the context menu's Start does; the administrator stops it there.
    const session = consolePage.getByRole('dialog', { name: 'Remote assistance' });
    await session.locator('#tv-id').filter({ hasText: '1 234 567 890' }).waitFor({ timeout: 15_000 });
    await session.getByRole('button', { name: 'Stop', exact: true }).click();
    await session.locator('#state').filter({ hasText: 'Stopped' }).waitFor({ timeout: 15_000 });
    await web.locator('#request[data-state="ended"]').waitFor({ timeout: 30_000 });
    assert.equal(isAlive((await standIn.starts())[0]!.pid), false);
    await session.getByRole('button', { name: 'OK', exact: true }).click();
    await session.waitFor({ state: 'detached' });
  });

  it('shows the releases and which installations may install each', async () => {
    await web.getByRole('link', { name: 'Releases', exact: true }).click();
    await web.getByRole('heading', { name: 'Releases', exact: true }).waitFor();
    await web.locator('tr[data-release]').first().waitFor();
    await clean(web, 'the releases page (en)');
    assert.equal(await web.getByRole('heading', { name: 'Add a release' }).count(), 0, 'a technician adds no releases');
  });

  it('lets a vendor administrator add a release on the releases page, naming a bad field', async () => {
    const added = await ors(['backoffice', 'user', 'add', '--org', 'DEMO-ORG', '--name', 'vendor-a', '--role', 'vendor-admin', '--data-dir', boDir], `${PASSWORD_ADMIN}\n`);
    assert.equal(added.code, 0, added.stderr);
    const ctx = await browser.newContext({ locale: 'en-US', ignoreHTTPSErrors: true });
    try {
      const page = await ctx.newPage();
      await page.goto(`${siteUrl}/releases`);
      await logIn(page, 'vendor-a', PASSWORD_ADMIN);
      await page.getByRole('heading', { name: 'Add a release' }).waitFor({ timeout: 15_000 });
      await page.getByLabel('Product', { exact: true }).fill('prepress-suite');
      await page.getByLabel('Version', { exact: true }).fill('3.0.0');
      await page.getByLabel('Release date', { exact: true }).fill('2026-11-01');
      await page.getByLabel('Checksum of the installer', { exact: true }).fill('not-a-checksum');
      await page.getByLabel('Download address', { exact: true }).fill('https://downloads.example/prepress-suite-3.0.0.exe');
      await page.getByRole('button', { name: 'Add the release' }).click();
      await page.locator('#checksum[aria-invalid="true"]').waitFor({ timeout: 10_000 });
      await clean(page, 'the releases page with a field error (en)');
      await page.getByLabel('Checksum of the installer', { exact: true }).fill(`sha256:${'ab'.repeat(32)}`);
      await page.getByRole('button', { name: 'Add the release' }).click();
      await page.getByText('Release prepress-suite 3.0.0 added.').waitFor({ timeout: 10_000 });
      await page.locator('tr[data-release="prepress-suite/3.0.0"]').waitFor();
    } finally {
      await ctx.close();
    }
  });

  it('German throughout, axe-clean on every page', async () => {
    const de = await browser.newContext({ locale: 'de-DE', ignoreHTTPSErrors: true });
    try {
      const page = await de.newPage();
      await page.goto(`${siteUrl}/`);
      await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
      await clean(page, 'the login page (de)');
      await logIn(page, 'demo-technician', password, { name: 'Name', password: 'Passwort', submit: 'Anmelden' });
      await row(page, 'DEMO-0001').waitFor({ timeout: 15_000 });
      assert.match((await row(page, 'DEMO-0001').textContent()) ?? '', /Verbunden/);
      await clean(page, 'the installations list (de)');
      await row(page, 'DEMO-0001').getByRole('link', { name: 'DEMO-0001' }).click();
      await page.getByRole('heading', { name: /Installation DEMO-0001/ }).waitFor();
      await page.locator('#receipts li').first().waitFor();
      assert.match((await page.locator('#receipts').textContent()) ?? '', /Installiert/);
      await page.getByText('Nur die Administratoren des Herstellers ändern die Berechtigung.').waitFor();
      await clean(page, 'the installation page (de)');
      await page.getByRole('link', { name: 'Releases', exact: true }).click();
      await page.locator('tr[data-release]').first().waitFor();
      await clean(page, 'the releases page (de)');
    } finally {
      await de.close();
    }
  });

  it('shows a technician of another organisation nothing of the demo organisation: its page is 404 and says not found', async () => {
    assert.equal((await ors(['backoffice', 'org', 'add', '--id', 'ORG-B', '--name', 'Organisation B', '--data-dir', boDir])).code, 0);
    const added = await ors(['backoffice', 'user', 'add', '--org', 'ORG-B', '--name', 'tech-b', '--role', 'technician', '--data-dir', boDir], `${PASSWORD_B}\n`);
    assert.equal(added.code, 0, added.stderr);
    const other = await browser.newContext({ locale: 'en-US', ignoreHTTPSErrors: true });
    try {
      const page = await other.newPage();
      await page.goto(`${siteUrl}/`);
      await logIn(page, 'tech-b', PASSWORD_B);
      await page.getByText('No installation matches.').waitFor({ timeout: 15_000 });
      const res = await page.goto(`${siteUrl}/installations/DEMO-0001`);
      assert.equal(res?.status(), 404);
      await page.getByRole('heading', { name: 'Installation not found' }).waitFor();
      await clean(page, 'the not-found page (en)');
    } finally {
      await other.close();
    }
  });
});
