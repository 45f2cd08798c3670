// Every screen and dialog of the console in German and in English (Chromium, the demo system):
// any visible text that is the same in both languages fails unless it is a name, number, ID, path
// or URL; no raw ISO timestamp anywhere on screen.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startConsole, type RunningConsole } from '../support/console.js';

type Locale = 'en' | 'de';
type Screens = Map<string, Set<string>>;

/** Words and names that are the same in German and English (product names, protocols, shared words). */
const SAME_IN_BOTH = new Set(
  [
    'Remote Service', 'Remote Assistance', 'TeamViewer', 'QuickSupport', 'ORS', 'FLS', 'OK', 'TLS', 'HTTP', 'HTTPS', 'SMB', 'TCP', 'NTLM', 'CONNECT',
    'Basic', 'Name', 'Status', 'Port', 'Proxy', 'Host', 'Server', 'Info', 'ID', 'UNC', 'CA', 'PEM', 'Deutsch', 'English', 'Floating License Server',
    // The manual's own German label for the status section is 'Feedback'.
    'Feedback', 'Plug-in', 'Remote Service & Licenses', 'System',
  ].map((w) => w.toLowerCase()),
);

/** What remains of a text once names, numbers, IDs, paths and URLs are taken out. */
function words(text: string): string {
  // URLs and paths first: a name inside one (ors in /tmp/ors-console-…/ca.pem) must not break it up.
  let t = ` ${text} `
    .replace(/https?:\/\/\S+/g, ' ') // URLs
    .replace(/(?:[A-Za-z]:)?[\\/][\w.\\/$-]+/g, ' '); // paths, UNC
  for (const name of [...SAME_IN_BOTH].sort((a, b) => b.length - a.length)) t = t.split(new RegExp(`(?<![\\p{L}])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}])`, 'giu')).join(' ');
  return t
    .replace(/\b[A-Z0-9]+(?:[-_][A-Z0-9]+)+\b/g, ' ') // IDs like DEMO-0001, NT_STATUS_…
    .replace(/\b[a-z0-9]+(?:-[a-z0-9]+)+\b/g, ' ') // ids like prepress-suite, remote-service-licenses
    .replace(/[^\p{L}\s]+/gu, ' ') // numbers, punctuation, symbols
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Every visible text node and spoken label of the page, shadow roots included. A string, not a
 * function: tsx would wrap a function with helpers the page does not have.
 */
const COLLECT = `(() => {
  const out = [];
  const visit = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walker.currentNode; n; n = walker.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) {
        const el = n.parentElement;
        const t = n.textContent && n.textContent.trim();
        if (!t || !el || el.closest('style,script,[lang="en"],[translate="no"]') || !el.checkVisibility()) continue;
        out.push(t);
      } else {
        const el = n;
        if (el.shadowRoot) visit(el.shadowRoot);
        if (!el.checkVisibility || !el.checkVisibility()) continue;
        for (const a of ['aria-label', 'title', 'placeholder']) {
          const v = el.getAttribute(a);
          if (v && v.trim()) out.push(v.trim());
        }
      }
    }
  };
  visit(document.body);
  return out;
})()`;

async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(COLLECT) as Promise<string[]>;
}

/** Walks every screen and dialog; returns the texts of each, by screen. */
async function tour(browser: Browser, loginUrl: string, locale: Locale): Promise<{ screens: Screens; errors: string[] }> {
  const context = await browser.newContext({ locale: locale === 'de' ? 'de-DE' : 'en-GB' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const screens: Screens = new Map();
  const snap = async (name: string): Promise<void> => {
    await page.waitForTimeout(0);
    screens.set(name, new Set(await visibleTexts(page)));
  };
  const close = async (): Promise<void> => {
    await page.keyboard.press('Escape');
    await page.locator('ors-property-dialog, ors-info-dialog, ors-audit-dialog').waitFor({ state: 'detached' });
  };
  await page.goto(loginUrl);
  await page.locator('ors-result-pane tbody tr', { hasText: 'DEMO-0001' }).waitFor({ timeout: 30_000 });
  await snap('main: Licenses');

  // Licenses dialog, its server form, a passing [Test], a field error, the update panel.
  await page.locator('ors-result-pane tbody tr', { hasText: 'DEMO-0001' }).dblclick();
  await page.locator('ors-licenses-dialog #serial', { hasText: 'DEMO-0001' }).waitFor();
  await snap('Licenses dialog');
  await page.locator('ors-licenses-dialog #lic-tab-update').click();
  await page.locator('ors-license-update-panel #phase').waitFor();
  await snap('Licenses dialog: automatic license update');
  await page.locator('ors-licenses-dialog #lic-tab-server').click();
  await page.locator('ors-licenses-dialog #test').click();
  await page.locator('ors-licenses-dialog [data-check]').first().waitFor();
  await snap('Licenses dialog: Select license server, tested');
  await page.locator('ors-licenses-dialog #kind-remote').check();
  await page.locator('ors-licenses-dialog #port').fill('99999');
  await page.locator('ors-licenses-dialog #test').click();
  await page.locator('ors-licenses-dialog [aria-invalid="true"]').first().waitFor();
  await snap('Licenses dialog: field errors');
  await close();

  // Remote Service: the node, its dialog (Feedback, Back office section, a connection test).
  await page.locator('ors-scope-tree [role="treeitem"]').nth(1).click();
  await page.locator('ors-result-pane tbody tr', { hasText: 'Remote Service' }).waitFor();
  await snap('main: Remote Service');
  await page.locator('ors-result-pane tbody tr').first().dblclick();
  await page.locator('ors-remote-service-dialog #feedback-state').waitFor();
  await page.locator('ors-remote-service-dialog #enabled').check();
  await snap('Remote Service dialog');
  for (const tab of ['service', 'proxy', 'account']) {
    await page.locator(`ors-remote-service-dialog #rs-tab-${tab}`).click();
    await snap(`Remote Service dialog: ${tab}`);
  }
  await page.locator('ors-remote-service-dialog #test').click();
  await page.locator('ors-remote-service-dialog #report [data-hop]').first().waitFor({ timeout: 20_000 });
  await snap('Remote Service dialog: connection test');
  await close();

  // Remote assistance: the node and its panel.
  await page.locator('ors-scope-tree [role="treeitem"]').nth(1).press('ArrowRight');
  await page.locator('ors-scope-tree [role="treeitem"]').nth(2).click();
  await page.locator('ors-result-pane tbody tr').first().waitFor();
  await snap('main: Remote assistance');
  await page.locator('ors-result-pane tbody tr').first().dblclick();
  await page.locator('ors-remote-assistance-panel [data-prereq]').first().waitFor();
  await snap('Remote assistance panel');
  await close();

  // Menus, the Log, About, the notifications.
  await page.locator('[role="menubar"] [data-menu="view"]').click();
  await page.locator('ors-popup-menu [role="menu"]').waitFor();
  await snap('View menu');
  await page.keyboard.press('Escape');
  await page.locator('[role="menubar"] [data-menu="view"]').click();
  await page.locator('ors-popup-menu [data-id="log"]').click();
  await page.locator('ors-info-dialog [role="log"] time').first().waitFor();
  await snap('Log dialog');
  await close();
  await page.locator('[role="menubar"] [data-menu="view"]').click();
  await page.locator('ors-popup-menu [data-id="audit"]').click();
  await page.locator('ors-audit-dialog tbody tr').first().waitFor();
  await snap('Audit log');
  await close();
  await page.locator('[role="menubar"] [data-menu="help"]').click();
  await page.locator('ors-popup-menu [role="menuitem"]').first().click();
  await page.locator('ors-info-dialog dl').last().waitFor();
  await snap('About');
  await close();
  await page.locator('ors-status-bar #notifications-button').click();
  await page.locator('ors-notification-list').waitFor();
  await snap('Notifications');
  await context.close();
  return { screens, errors };
}

describe('every screen in German and in English', () => {
  let c: RunningConsole;
  let browser: Browser;
  const seen = new Map<Locale, Screens>();

  before(async () => {
    c = await startConsole({ args: ['--demo'] });
    browser = await launchChromium();
    for (const locale of ['en', 'de'] as const) {
      const { screens, errors } = await tour(browser, c.loginUrl, locale);
      assert.deepEqual(errors, [], `script errors in ${locale}`);
      seen.set(locale, screens);
    }
  });
  after(async () => {
    await browser?.close();
    await c?.stop();
  });

  it('visits the same screens in both languages', () => {
    assert.deepEqual([...seen.get('de')!.keys()], [...seen.get('en')!.keys()]);
    assert.ok(seen.get('de')!.size >= 13);
  });

  it('shows no text the same in German and English that is not a name, number, ID, path or URL', () => {
    const same: string[] = [];
    for (const [screen, de] of seen.get('de')!) {
      const en = seen.get('en')!.get(screen)!;
      for (const t of de) if (en.has(t) && words(t) !== '') same.push(`${screen}: ${JSON.stringify(t)}`);
    }
    assert.deepEqual(same, []);
  });

  it('shows no raw ISO timestamp or date anywhere', () => {
    const raw: string[] = [];
    for (const [locale, screens] of seen) {
      for (const [screen, texts] of screens) for (const t of texts) if (/\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?\b/.test(t)) raw.push(`${locale} ${screen}: ${t}`);
    }
    assert.deepEqual(raw, []);
  });
});
