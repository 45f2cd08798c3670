import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { launchChromium } from '../support/browser.js';
import { startConsole, type RunningConsole } from '../support/console.js';

describe('the admin console as a new user sees it', () => {
  let consoleProc: RunningConsole;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    consoleProc = await startConsole();
    browser = await launchChromium();
    page = await browser.newPage({ locale: 'en-US' });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  });
  after(async () => {
    await browser?.close();
    await consoleProc?.stop();
  });

  it('opens the printed URL, drops the token from the address bar and shows both nodes', async () => {
    await page.goto(consoleProc.loginUrl);
    assert.equal(page.url(), `${consoleProc.origin}/`);
    const tree = page.getByRole('tree');
    await tree.getByRole('treeitem', { name: 'Licenses' }).waitFor();
    await tree.getByRole('treeitem', { name: 'Remote Service' }).waitFor();
    await page.getByRole('row', { name: /Licenses/ }).waitFor();
  });

  it('opens each node’s property dialog by double-click and closes it with Escape and Cancel', async () => {
    await page.getByRole('treeitem', { name: 'Licenses' }).dblclick();
    const dialog = page.getByRole('dialog', { name: 'Licenses' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('treeitem', { name: 'Remote Service' }).click();
    await page.getByRole('row', { name: /Remote Service/ }).dblclick();
    const rs = page.getByRole('dialog', { name: 'Remote Service' });
    await rs.waitFor();
    await rs.getByRole('button', { name: 'Cancel' }).click();
    await rs.waitFor({ state: 'detached' });
  });

  it('works by keyboard: arrows in the tree, Enter opens the dialog, focus returns after Escape', async () => {
    await page.getByRole('treeitem', { name: 'Remote Service' }).focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Licenses' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const focused = await page.evaluate(() => {
      let a: Element | null = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return a?.getAttribute('role') + ':' + a?.textContent?.trim();
    });
    assert.equal(focused, 'treeitem:Licenses');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Remote Service' }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('switches to German from the View menu, and keeps the choice after a reload (same session)', async () => {
    await page.getByRole('menuitem', { name: 'View' }).click();
    await page.getByRole('menuitemradio', { name: 'Deutsch' }).click();
    await page.getByRole('treeitem', { name: 'Lizenzen' }).waitFor();
    await page.getByRole('button', { name: 'Aktualisieren' }).waitFor();
    await page.reload();
    await page.getByRole('treeitem', { name: 'Lizenzen' }).waitFor();
    assert.equal(page.url(), `${consoleProc.origin}/`, 'the session cookie carried the reload');
    await page.getByRole('menuitem', { name: 'Ansicht' }).click();
    await page.getByRole('menuitemradio', { name: 'English' }).click();
    await page.getByRole('treeitem', { name: 'Licenses' }).waitFor();
  });

  it('shows the console version in Help → About', async () => {
    await page.getByRole('menuitem', { name: 'Help' }).click();
    await page.getByRole('menuitem', { name: 'About…' }).click();
    const about = page.getByRole('dialog', { name: 'About' });
    await about.getByText('0.1.0').waitFor();
    await about.getByRole('button', { name: 'Close' }).click();
    await about.waitFor({ state: 'detached' });
  });

  it('has no serious or critical accessibility violations on the main screen and in an open dialog', async () => {
    const main = await axeViolations(page);
    assert.deepEqual(main.map((v) => `${v.id}: ${v.help}`), []);
    await page.getByRole('treeitem', { name: 'Licenses' }).dblclick();
    await page.getByRole('dialog', { name: 'Licenses' }).waitFor();
    const dialog = await axeViolations(page);
    assert.deepEqual(dialog.map((v) => `${v.id}: ${v.help}`), []);
    await page.keyboard.press('Escape');
  });

  it('refuses a fresh browser without the token', async () => {
    const context = await browser.newContext();
    const other = await context.newPage();
    const response = await other.goto(consoleProc.origin + '/');
    assert.equal(response?.status(), 401);
    await context.close();
  });

  it('ran without script errors or CSP violations', () => {
    assert.deepEqual(pageErrors, []);
  });
});
