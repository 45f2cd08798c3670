import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startConsole, type RunningConsole } from '../support/console.js';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { BACKOFFICE_HOST, startNamedBackoffice } from '../support/ors-backoffice.js';
import { startSquid, type Squid } from '../support/proxy-squid.js';

// The built console (`npm run build` first) with --demo: the demo license served by the local
// license server, so that the serial number is known. The ORS service runs under the console's
// embedded service control. The back office it is pointed at has a non-loopback name that only the
// proxy (a real squid with Basic auth) resolves, since loopback addresses always bypass a proxy.
const PROXY_USER = { username: 'ors-proxy', password: 'Squid-Pa55-e2e' };

describe('Remote Service dialog in Chromium: configure, restart, connect through an authenticating proxy', () => {
  let c: RunningConsole;
  let squid: Squid;
  let browser: Browser;
  let page: Page;
  let code: string;
  let bo: Awaited<ReturnType<typeof startNamedBackoffice>>;
  let caFile: string;

  before(async () => {
    [bo, squid] = await Promise.all([startNamedBackoffice(), startSquid({ auth: 'basic', users: [PROXY_USER], hosts: { [BACKOFFICE_HOST]: '127.0.0.1' } })]);
    c = await startConsole({ args: ['--demo'] });
    code = bo.code;
    caFile = path.join(c.dataDir, 'backoffice-test-ca.pem');
    await writeFile(caFile, bo.caPem);
    browser = await launchChromium();
    page = await browser.newPage({ locale: 'en-US' });
    await page.goto(c.loginUrl);
  });
  after(async () => {
    await browser?.close();
    await c?.stop();
    await squid?.stop();
    await bo?.stop();
  });

  async function openRemoteService(): Promise<Locator> {
    await page.getByRole('treeitem', { name: 'Remote Service' }).dblclick();
    const dialog = page.getByRole('dialog', { name: 'Remote Service' });
    await dialog.waitFor();
    return dialog;
  }

  /** Shows one page of the property sheet (WAI-ARIA tabs). */
  async function tab(dialog: Locator, name: string): Promise<void> {
    await dialog.getByRole('tab', { name, exact: true }).click();
  }

  async function enterCode(dialog: Locator, value: string): Promise<void> {
    await tab(dialog, 'Remote Service');
    const change = dialog.locator('#verificationCode-change');
    if (await change.isVisible()) await change.click();
    await dialog.getByLabel('Verification code:').fill(value);
  }

  it('enables, enters organisation ID and code, a manual proxy with authentication, restarts, and Feedback turns connected', async () => {
    const dialog = await openRemoteService();
    await tab(dialog, 'Remote Service');
    await dialog.locator('#serial').and(dialog.locator('[readonly]')).waitFor();
    assert.equal(await dialog.locator('#organisationId').isDisabled(), true, 'greyed while Enable is off');
    await tab(dialog, 'General');
    await dialog.getByRole('checkbox', { name: 'Enable', exact: true }).check();
    await tab(dialog, 'Remote Service');
    await dialog.getByLabel('Service organisation ID:').fill(bo.orgId);
    await dialog.getByLabel('Back-office address:').fill(bo.proxiedUrl);
    await dialog.getByLabel('Additional CA certificates (PEM file, optional):').fill(caFile);
    await enterCode(dialog, code);
    await tab(dialog, 'Proxy server');
    await dialog.getByLabel('Enable proxy server (manual settings)').check();
    await dialog.getByLabel('Host name:').fill('127.0.0.1');
    await dialog.getByLabel('Port:').fill(String(squid.port));
    await dialog.getByLabel('Proxy server authentication').check();
    await dialog.locator('#proxy-username').fill(PROXY_USER.username);
    await dialog.locator('#proxy-password').fill(PROXY_USER.password);
    await dialog.getByRole('button', { name: 'Restart' }).click();
    await dialog.locator('#connection-state[data-state="connected"]').waitFor({ timeout: 30_000 });
    assert.match((await dialog.locator('#backoffice-license').textContent()) ?? '', /DEMO-0001/);
    const html = await page.content();
    assert.ok(!html.includes(code) && !html.includes(PROXY_USER.password), 'no secret in the page');
  });

  it('shows the back office refusing a wrong verification code: [Test connection] fails at the login hop, Feedback with the hint', async () => {
    const dialog = page.getByRole('dialog', { name: 'Remote Service' });
    await enterCode(dialog, 'WRONG-CODE-1234');
    // The whole path with the dialog's values: through the proxy, its authentication and TLS, then the login is refused.
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const login = dialog.locator('#report li[data-hop="login"]');
    await login.and(dialog.locator('[data-status="failed"]')).waitFor({ timeout: 30_000 });
    const statuses = await dialog.locator('#report li[data-hop]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-hop')}:${e.getAttribute('data-status')}`));
    assert.deepEqual(statuses, ['resolve:ok', 'tcp:ok', 'connect:ok', 'tls:ok', 'http:ok', 'login:failed', 'serial:skipped', 'license:skipped']);
    assert.match((await dialog.locator('#report li[data-hop="connect"] [data-auth]').textContent()) ?? '', /used: Basic/);
    assert.match((await dialog.locator('#report-summary').textContent()) ?? '', /fails at: Login at the back office/);
    await dialog.getByRole('button', { name: 'Restart' }).click();
    const state = dialog.locator('#connection-state[data-state="error"]');
    await state.waitFor({ timeout: 30_000 });
    assert.match((await state.textContent()) ?? '', /^Error: /);
    assert.ok(((await dialog.locator('#connection-hint').textContent()) ?? '').trim().length > 0, 'a hint says what to do');
  });

  it('refuses Remote Assistance with an auto-detected proxy, with the explanation', async () => {
    const dialog = page.getByRole('dialog', { name: 'Remote Service' });
    await tab(dialog, 'Proxy server');
    await dialog.getByLabel('Detect proxy server automatically').check();
    await tab(dialog, 'General');
    await dialog.getByLabel('Remote Assistance', { exact: true }).check();
    await dialog.getByRole('button', { name: 'Restart' }).click();
    const error = dialog.locator('#remoteAssistanceFeature-error');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /Configure the proxy manually .* then allow remote assistance/);
  });

  it('went to the back office through the proxy, as the configured proxy user', async () => {
    // squid logs a tunnel when it closes: end the console (and its ORS service) first.
    await browser.close();
    await c.stop();
    assert.match(await squid.accessLog(), new RegExp(`TCP_TUNNEL/200 .*${BACKOFFICE_HOST}:${bo.port} ${PROXY_USER.username}`));
  });
});
