import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startConsole, type RunningConsole } from '../support/console.js';

describe('npm start (ors console --demo): a new user sees a working system', () => {
  let c: RunningConsole;
  let browser: Browser;
  before(async () => {
    c = await startConsole({ args: ['--demo'] });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await c?.stop();
  });

  it('prints the demo organisation, and the local license server serves the demo license', async () => {
    assert.match(c.process.output(), /\[backoffice\] .*DEMO-ORG/);
    const page = await browser.newPage({ locale: 'en-US' });
    await page.goto(c.loginUrl);
    const row = page.getByRole('row', { name: /DEMO-0001/ });
    await row.waitFor({ timeout: 20_000 });
    assert.match((await row.textContent()) ?? '', /valid/);
    await row.dblclick();
    const dialog = page.getByRole('dialog', { name: 'Licenses' });
    await dialog.getByText('DEMO-0001').first().waitFor();
  });

  it('pre-fills the Remote Service settings, with the verification code only in the encrypted store', async () => {
    const settings = JSON.parse(await readFile(path.join(c.dataDir, 'settings', 'remote-service-licenses.json'), 'utf8'));
    assert.equal(settings.values.remoteService.organisationId, 'DEMO-ORG');
    assert.match(settings.values.remoteService.backofficeUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(settings.values.remoteService.enabled, false);
    const code = /verification code: (\S+)/i.exec(c.process.output())?.[1];
    assert.ok(code);
    assert.ok(!JSON.stringify(settings).includes(code));
    assert.ok(!(await readFile(path.join(c.dataDir, 'secrets', 'secrets.json'), 'utf8')).includes(code));
  });
});
