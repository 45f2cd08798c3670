import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import type { NotificationInfo } from '../../src/common/console-protocol.js';
import type { OrsStatus } from '../../src/common/remote-service/model.js';
import { endpointFileOf, fetchDaemonStatus } from '../../src/services/ors-control/daemon-endpoint-client.js';
import Database from 'better-sqlite3';
import { axeViolations } from '../support/axe.js';
import { launchChromium } from '../support/browser.js';
import { startConsole, type RunningConsole } from '../support/console.js';
import { ROOT, run } from '../support/processes.js';

// The built console (`npm run build` first) with --demo: a real back office in <data-dir>/backoffice,
// the demo license (5 users) served by the local license server, the Remote Service pre-filled.
// Needs the ORS service's update loop (issue 7 item 1): it must publish OrsStatus.update and accept
// POST /update/confirm; and the wiring (contributeLicenseUpdate in plugin/index.ts, the commands in
// the manifest, licenseUpdateMessages in messages/index.ts).

const ors = (args: readonly string[]) => run(process.execPath, [path.join(ROOT, 'bin/ors.js'), ...args], { cwd: ROOT, timeoutMs: 60_000 });

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('automatic license update announced in the console (Chromium, demo back office, local license server)', () => {
  let c: RunningConsole;
  let browser: Browser;
  let page: Page;

  before(async () => {
    c = await startConsole({ args: ['--demo'] });
    browser = await launchChromium();
    page = await browser.newPage({ locale: 'en-US' });
    await page.goto(c.loginUrl);
    await page.getByRole('row', { name: /DEMO-0001/ }).waitFor({ timeout: 20_000 });
    const enabled = await ors(['config', 'set', 'remoteService.enabled', 'true', '--data-dir', c.dataDir]);
    assert.equal(enabled.code, 0, enabled.stderr);
    // The ORS service connects and its update loop reports (OrsStatus.update).
    const file = endpointFileOf(c.dataDir);
    await until<OrsStatus>(
      'the ORS service to connect and publish OrsStatus.update (the update loop of issue 7)',
      async () => {
        const s = await fetchDaemonStatus(file);
        return s?.connection.kind === 'connected' && s.update ? s : undefined;
      },
      60_000,
    );
    await page.getByRole('button', { name: /^Notifications/ }).click();
  });
  after(async () => {
    await browser?.close();
    await c?.stop();
  });

  const notifications = (): Locator => page.locator('ors-notification-list li');
  const saved = async (): Promise<NotificationInfo[]> => JSON.parse(await readFile(path.join(c.dataDir, 'notifications.json'), 'utf8')) as NotificationInfo[];

  it('announces more users on the Licenses node, and the license server serves them', async () => {
    const set = await ors(['backoffice', 'entitlement', 'set', '--serial', 'DEMO-0001', '--users', '7', '--data-dir', path.join(c.dataDir, 'backoffice')]);
    assert.equal(set.code, 0, set.stderr);
    const note = notifications().filter({ hasText: '2 more users' });
    await note.waitFor({ timeout: 30_000 });
    assert.match((await note.textContent()) ?? '', /License DEMO-0001 updated: 2 more users/);
    // Stored as the code and its parameters: each console shows it in its own language.
    const stored = (await saved()).filter((n) => typeof n.message === 'object' && 'code' in n.message && n.message.code === 'license-update.installed');
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.nodeId, 'licenses');
    assert.equal(stored[0]!.severity, 'info');

    await page.getByRole('row', { name: /DEMO-0001/ }).filter({ hasText: '7 users' }).waitFor({ timeout: 30_000 });
    await page.getByRole('row', { name: /DEMO-0001/ }).dblclick();
    const dialog = page.getByRole('dialog', { name: 'Licenses' });
    await dialog.getByText('DEMO-0001').first().waitFor();
    await dialog.locator('dt:has-text("Number of users") + dd').filter({ hasText: /^7$/ }).waitFor({ timeout: 10_000 });
    const panel = dialog.locator('ors-license-update-panel');
    await dialog.getByRole('tab', { name: 'Automatic license update' }).click();
    await panel.getByRole('heading', { name: 'Automatic license update' }).waitFor();
    await panel.locator('#no-pending').waitFor();
    assert.equal(await panel.getByRole('button', { name: 'Check now' }).isEnabled(), true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // A reload (a new console page) announces nothing again.
    await page.reload();
    await page.getByRole('button', { name: /^Notifications/ }).click();
    await notifications().first().waitFor();
    assert.equal(await notifications().filter({ hasText: '2 more users' }).count(), 1);

    // The Licenses node's context menu asks the service at once, audited as the console's action.
    await page.getByRole('treeitem', { name: 'Licenses' }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Check for license updates now' }).click();
    await until(
      'the audited [Check now]',
      async () => ((await readFile(path.join(c.dataDir, 'audit.log'), 'utf8')).includes('"action":"license.check-now"') ? true : undefined),
      10_000,
    );
  });

  it('holds a license with fewer users for confirmation, and installs it after [Install anyway]', async () => {
    const set = await ors(['backoffice', 'entitlement', 'set', '--serial', 'DEMO-0001', '--users', '4', '--data-dir', path.join(c.dataDir, 'backoffice')]);
    assert.equal(set.code, 0, set.stderr);
    const question = notifications().filter({ hasText: '3 users fewer (now 4)' }).filter({ has: page.getByRole('button', { name: 'Install anyway' }) });
    await question.waitFor({ timeout: 30_000 });
    assert.match((await question.textContent()) ?? '', /waits for your confirmation/);
    // Not installed silently.
    assert.match((await page.getByRole('row', { name: /DEMO-0001/ }).textContent()) ?? '', /7 users/);

    await question.getByRole('button', { name: 'Install anyway' }).click();
    await page.getByRole('row', { name: /DEMO-0001/ }).filter({ hasText: '4 users' }).waitFor({ timeout: 30_000 });
    await notifications().filter({ hasText: 'License DEMO-0001 updated: 3 users fewer (now 4)' }).waitFor({ timeout: 30_000 });
    assert.equal(await notifications().filter({ has: page.getByRole('button', { name: 'Install anyway' }) }).count(), 0, 'the question is replaced by the announcement');

    const audit = (await readFile(path.join(c.dataDir, 'audit.log'), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { actor: string; action: string; target: string; changes?: { key: string; to?: unknown }[] });
    const ours = audit.filter((a) => a.action.startsWith('license.'));
    const mine = ours.filter((a) => a.action !== 'license.check-now').map((a) => `${a.actor} ${a.action} ${a.target}`);
    // Each event once: no action recorded twice for the same license.
    const keys = ours.map((a) => `${a.action} ${String(a.changes?.[0]?.to).split(' ')[0]}`);
    assert.equal(new Set(keys).size, keys.length, JSON.stringify(ours, null, 1));
    // (The service may also report the demo license it found installed at its first check.)
    assert.deepEqual(mine.slice(-4), [
      'ors-service license.installed DEMO-0001',
      'ors-service license.awaiting-confirmation DEMO-0001',
      'console license.confirm DEMO-0001',
      'ors-service license.installed DEMO-0001',
    ], JSON.stringify(ours, null, 1));
  });
  it('a reduction waiting for you: banner and badge, the notice at the next console start (German, axe-clean), [Keep current license] sends a declined receipt and is not asked again', async () => {
    const set = await ors(['backoffice', 'entitlement', 'set', '--serial', 'DEMO-0001', '--users', '2', '--data-dir', path.join(c.dataDir, 'backoffice')]);
    assert.equal(set.code, 0, set.stderr);
    // Began while this console was open: the banner and the node's badge, not the start-up notice.
    const banner = page.locator('ors-attention-banner li', { hasText: 'DEMO-0001' });
    await banner.waitFor({ timeout: 30_000 });
    assert.match((await banner.textContent()) ?? '', /waits for your confirmation/);
    await page.locator('ors-scope-tree #node-licenses .badge', { hasText: '1' }).waitFor();
    assert.equal(await page.locator('ors-startup-notice').count(), 0);
    const waiting = (await fetchDaemonStatus(endpointFileOf(c.dataDir)))!.update!.pending.find((p) => p.kind === 'awaiting-confirmation')!;

    // A console started now (in German) shows it as the start-up notice: modal, with its buttons.
    const de = await browser.newContext({ locale: 'de-DE' });
    const page2 = await de.newPage();
    await page2.goto(c.loginUrl);
    const notice = page2.getByRole('dialog', { name: 'Bitte beachten' });
    await notice.waitFor({ timeout: 20_000 });
    assert.match((await notice.textContent()) ?? '', /DEMO-0001/);
    assert.deepEqual((await axeViolations(page2)).map((v) => `${v.id}: ${v.help}`), []);
    await notice.getByRole('button', { name: 'Aktuelle Lizenz behalten' }).click();
    await notice.waitFor({ state: 'detached' });
    await page2.locator('ors-attention-banner li', { hasText: 'DEMO-0001' }).waitFor({ state: 'detached', timeout: 20_000 });
    await de.close();

    // The back office has the declined receipt; the license server still serves 4 users.
    const db = new Database(path.join(c.dataDir, 'backoffice', 'backoffice.db'), { readonly: true, fileMustExist: true });
    try {
      const receipt = await until(
        'the declined receipt at the back office',
        async () => db.prepare('SELECT kind FROM receipts WHERE license_id = ? AND kind = ?').get(waiting.licenseId, 'declined') as { kind: string } | undefined,
        20_000,
      );
      assert.equal(receipt.kind, 'declined');
    } finally {
      db.close();
    }
    await page.locator('ors-attention-banner li', { hasText: 'DEMO-0001' }).waitFor({ state: 'detached' });
    assert.equal(await page.locator('ors-scope-tree #node-licenses .badge').count(), 0);
    assert.match((await page.getByRole('row', { name: /DEMO-0001/ }).textContent()) ?? '', /4 users/);

    // Asked again? [Check now] fetches the same license: it stays declined, nothing waits.
    const checkedBefore = (await fetchDaemonStatus(endpointFileOf(c.dataDir)))!.update!.lastCheck ?? '';
    await page.getByRole('treeitem', { name: 'Licenses' }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Check for license updates now' }).click();
    const after = await until(
      'a license check after [Check now]',
      async () => {
        const s = await fetchDaemonStatus(endpointFileOf(c.dataDir));
        return s?.update?.lastCheck && s.update.lastCheck > checkedBefore ? s : undefined;
      },
      20_000,
    );
    assert.deepEqual(after.update!.pending, []);
    assert.equal(after.update!.events.filter((e) => e.licenseId === waiting.licenseId && e.kind === 'awaiting-confirmation').length, 1, 'not asked again');
  });
  it('says on the Remote Service node and in its dialog that license update stops with the console while the ORS service runs as its child, with the exact install command', async () => {
    await page.getByRole('treeitem', { name: 'Remote Service' }).click();
    const row = page.getByRole('row', { name: /Runs only while this console runs/ });
    await row.waitFor({ timeout: 20_000 });
    assert.match((await row.textContent()) ?? '', /ors\.js service install --data-dir /);
    await page.getByRole('row', { name: /Remote Service/ }).first().dblclick();
    const dialog = page.getByRole('dialog', { name: 'Remote Service' });
    await dialog.locator('#hosting-text').waitFor();
    assert.match((await dialog.locator('#hosting-text').textContent()) ?? '', /automatic license update stops when you close the console/);
    const command = (await dialog.locator('#hosting-command').textContent()) ?? '';
    assert.ok(command.includes(`service install --data-dir ${c.dataDir}`), command);
    await dialog.getByRole('button', { name: 'Copy command' }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('treeitem', { name: 'Licenses' }).click();
  });
});
