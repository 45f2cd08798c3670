import assert from 'node:assert/strict';
import { chown, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { addDays, toCalendarDate } from '../../src/common/license/dates.js';
import { axeViolations } from '../support/axe.js';
import { launchChromium } from '../support/browser.js';
import { startConsole, type RunningConsole } from '../support/console.js';
import { samplePayload } from '../support/license-fixtures.js';
import { flsStatus, startFlsProcess, vendorOnDisk, waitForStatus as waitForFlsStatus } from '../support/license-servers.js';
import { tempDir, type Started } from '../support/processes.js';
import { DEFAULT_SAMBA_USER, startSamba, type SambaServer } from '../support/samba-server.js';

const today = toCalendarDate(Date.now());

describe('Licenses in Chromium: select a remote license server (real Samba + real FLS) and see its serial number', () => {
  let dir: string;
  let folder: string;
  let vendor: Awaited<ReturnType<typeof vendorOnDisk>>;
  let cleanup: () => Promise<void>;
  let samba: SambaServer;
  let fls: Started & { url: string };
  let consoleProc: RunningConsole;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-e2e-licenses-'));
    vendor = await vendorOnDisk(dir);
    samba = await startSamba();
    // The FLS watches the folder behind the share \\127.0.0.1\licenses\lic.
    folder = path.join(samba.pathOf('licenses'), 'lic');
    await mkdir(folder, { recursive: true });
    const license = vendor.signer.sign(
      samplePayload({ serial: 'SN-E2E-77', issuedAt: '2026-01-01T00:00:00Z', notBefore: '2026-01-01T00:00:00Z', expiry: addDays(today, 400), maintenance: { start: addDays(today, -20), end: addDays(today, 200) } }),
    );
    await writeFile(path.join(folder, 'SN-E2E-77.lic'), license);
    const owner = await stat(samba.pathOf('licenses'));
    await chown(folder, owner.uid, owner.gid);
    fls = await startFlsProcess(folder, vendor.trustDir);
    consoleProc = await startConsole({ env: { ORS_LICENSE_TRUST: vendor.trustDir } });
    browser = await launchChromium();
    page = await browser.newPage({ locale: 'en-US' });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await consoleProc?.stop();
    await fls?.stop();
    await samba?.stop();
    await cleanup?.();
  });

  async function openLicenses(): Promise<Locator> {
    await page.getByRole('treeitem', { name: 'Licenses' }).dblclick();
    const dialog = page.getByRole('dialog', { name: 'Licenses' });
    await dialog.waitFor();
    return dialog;
  }

  it('selects the remote server (host, port, UNC path, account), passes every check, and shows its serial number', async () => {
    await page.goto(consoleProc.loginUrl);
    const dialog = await openLicenses();
    await dialog.getByText('No license server is selected yet.').waitFor();
    await dialog.getByRole('button', { name: 'Select license server…' }).click();
    await dialog.getByLabel('Remote: a license server on another machine').check();
    await dialog.getByLabel('Host name or IP address').fill('127.0.0.1');
    await dialog.getByLabel('Port of the license server').fill(new URL(fls.url).port);
    await dialog.getByLabel('Shared license folder').fill('\\\\127.0.0.1\\licenses\\lic');
    await dialog.getByLabel('SMB port (optional)').fill(String(samba.port));
    await dialog.getByLabel('Other account').check();
    await dialog.getByLabel('User name').fill(DEFAULT_SAMBA_USER.username);
    await dialog.getByLabel('Password', { exact: true }).fill(DEFAULT_SAMBA_USER.password);
    await dialog.getByRole('button', { name: 'Test', exact: true }).click();
    await dialog.getByText('All checks passed.').waitFor({ timeout: 30_000 });
    const checks = await dialog.locator('li[data-check]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-check')}:${e.className}`));
    assert.deepEqual(checks, ['fls:ok', 'host:ok', 'logon:ok', 'share:ok', 'folder:ok', 'write:ok']);
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.getByRole('tab', { name: 'License', exact: true }).click();
    await dialog.locator('#serial').filter({ hasText: 'SN-E2E-77' }).waitFor({ timeout: 20_000 });
    assert.match((await dialog.locator('#license-state').textContent()) ?? '', /valid/);
    await dialog.getByRole('button', { name: 'OK' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /SN-E2E-77/ }).waitFor();
  });

  it('keeps the selection and the serial number after a reload, and never sends the password to the browser', async () => {
    await page.reload();
    const dialog = await openLicenses();
    await dialog.locator('#serial').filter({ hasText: 'SN-E2E-77' }).waitFor({ timeout: 20_000 });
    await dialog.getByRole('tab', { name: 'License server', exact: true }).click();
    assert.equal(await dialog.getByLabel('Host name or IP address').inputValue(), '127.0.0.1');
    assert.equal(await dialog.getByLabel('Shared license folder').inputValue(), '\\\\127.0.0.1\\licenses\\lic');
    await dialog.getByText('A password is set.').waitFor();
    // Everything the page holds, shadow roots and input values included.
    // (a string: tsx's helpers do not exist in the page)
    const everything = await page.evaluate<string>(`(() => {
      const parts = [document.documentElement.outerHTML];
      const walk = (root) => {
        for (const el of root.querySelectorAll('*')) {
          if (el instanceof HTMLInputElement) parts.push(el.value);
          if (el.shadowRoot) { parts.push(el.shadowRoot.innerHTML); walk(el.shadowRoot); }
        }
      };
      walk(document);
      return parts.join('\\n');
    })()`);
    assert.ok(everything.includes('SN-E2E-77'), 'the walk sees the dialog');
    assert.ok(!everything.includes(DEFAULT_SAMBA_USER.password));
    await page.keyboard.press('Escape');
    assert.deepEqual(pageErrors, []);
  });
  it('refuses a license file for another serial number, naming both; the installed license stays as it was', async () => {
    const dialog = await openLicenses();
    await dialog.locator('#serial').filter({ hasText: 'SN-E2E-77' }).waitFor({ timeout: 20_000 });
    const before = await readFile(path.join(folder, 'SN-E2E-77.lic'));
    const other = path.join(dir, 'SN-OTHER-12.lic');
    await writeFile(other, vendor.signer.sign(samplePayload({ licenseId: 'LIC-OTHER-1', serial: 'SN-OTHER-12', issuedAt: '2026-01-01T00:00:00Z', notBefore: '2026-01-01T00:00:00Z', expiry: addDays(today, 400), maintenance: { start: addDays(today, -20), end: addDays(today, 200) } })));
    await dialog.locator('#license-file').setInputFiles(other);
    const message = dialog.locator('#install-message');
    await message.waitFor({ timeout: 20_000 });
    assert.match((await message.textContent()) ?? '', /serial number SN-OTHER-12, but the license server serves the installation with serial number SN-E2E-77\. It was not installed/);
    // Replacing is offered, not done.
    await dialog.getByRole('button', { name: 'Replace this installation’s license…' }).waitFor();
    assert.deepEqual((await readdir(folder)).filter((n) => n.endsWith('.lic')), ['SN-E2E-77.lic']);
    assert.deepEqual(await readFile(path.join(folder, 'SN-E2E-77.lic')), before);
    assert.deepEqual((await flsStatus(fls.url)).licenses.map((l) => l.payload.serial), ['SN-E2E-77']);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('a console started while the license is expired (in its grace days) shows the notice: German, modal, axe-clean; the banner keeps it', async () => {
    // The vendor's next license for this serial expired yesterday; the FLS serves it during its grace days.
    const expired = vendor.signer.sign(
      samplePayload({ licenseId: 'LIC-E2E-77-2', seq: 2, serial: 'SN-E2E-77', issuedAt: '2026-01-01T00:00:00Z', notBefore: '2026-01-01T00:00:00Z', expiry: addDays(today, -1), graceDays: 14, maintenance: { start: addDays(today, -20), end: addDays(today, 200) } }),
    );
    await writeFile(path.join(folder, 'SN-E2E-77.lic'), expired);
    await waitForFlsStatus(fls.url, (s) => s.licenses[0]?.payload.seq === 2, 20_000);
    const de = await browser.newContext({ locale: 'de-DE' });
    const page2 = await de.newPage();
    await page2.goto(consoleProc.loginUrl);
    const notice = page2.getByRole('dialog', { name: 'Bitte beachten' });
    await notice.waitFor({ timeout: 30_000 });
    assert.match((await notice.textContent()) ?? '', /Die Lizenz SN-E2E-77 ist am .* abgelaufen; sie funktioniert nur noch bis/);
    assert.deepEqual((await axeViolations(page2)).map((v) => `${v.id}: ${v.help}`), []);
    await page2.keyboard.press('Escape');
    await notice.waitFor({ state: 'detached' });
    await page2.locator('ors-attention-banner li', { hasText: 'SN-E2E-77' }).waitFor();
    await page2.locator('ors-scope-tree #node-licenses .badge').waitFor();
    await de.close();
  });
});
