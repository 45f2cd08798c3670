// Website benchmark (issue 14): the installations list with 10,000 installations against the same
// list with the demo's one installation (the baseline, measured in this run): the list API,
// navigation → interactive list, a live change (a new license issued by another writer) → its row
// updated in the page; and the JS the website ships next to the console's.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { openDataDir } from '../src/backoffice/data-dir.js';
import { launchChromium } from '../test/support/browser.js';
import { apiRequest, startBackoffice, type RunningBackoffice } from '../test/support/backoffice-server.js';
import { ROOT } from '../test/support/processes.js';

const INSTALLATIONS = 10_000;
const NAVIGATIONS = 10;
const CHANGES = 25;

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (x: number): string => `${x.toFixed(1)} ms`;

function jsShipped(dir: string): { raw: number; gz: number; files: number } {
  const files = [dir, path.join(dir, 'chunks')].filter(existsSync).flatMap((d) => readdirSync(d).map((f) => path.join(d, f))).filter((f) => f.endsWith('.js'));
  return {
    raw: files.reduce((s, f) => s + statSync(f).size, 0),
    gz: files.reduce((s, f) => s + gzipSync(readFileSync(f), { level: 9 }).length, 0),
    files: files.length,
  };
}

interface Figures {
  readonly api: number[];
  readonly interactive: number[];
  readonly live: number[];
}

async function measure(bo: RunningBackoffice, browser: Browser, label: string): Promise<Figures> {
  const password = /demo-technician \/ (\S+)/.exec(bo.process.output())![1]!;
  const origin = new URL(bo.url).origin;
  const login = await apiRequest(bo, 'POST', '/v1/staff/sessions', { json: { name: 'demo-technician', password }, headers: { Origin: origin } });
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const api: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const r = await apiRequest(bo, 'GET', `/v1/staff/installations?sort=${i % 2 ? 'contact' : 'serial'}&order=desc&offset=${i * 50}&limit=50`, { headers: { Cookie: cookie } });
    if (r.status !== 200) throw new Error(`list: ${r.status} ${r.text}`);
    api.push(performance.now() - t0);
  }

  const ctx = await browser.newContext({ ignoreHTTPSErrors: true });
  await ctx.addCookies([{ name: cookie.split('=')[0]!, value: cookie.split('=')[1]!, url: `${bo.url}/`, secure: true, httpOnly: true, sameSite: 'Strict' }]);
  const interactive: number[] = [];
  for (let i = 0; i < NAVIGATIONS; i++) {
    const page = await ctx.newPage();
    await page.goto(`${bo.url}/`);
    await page.waitForFunction(() => performance.getEntriesByName('ors:list-interactive').length > 0, undefined, { timeout: 30_000 });
    interactive.push(await page.evaluate(() => performance.getEntriesByName('ors:list-interactive')[0]!.startTime));
    await page.close();
  }

  // A live change: another writer issues a license for the first row; the page shows its new seq.
  const page = await ctx.newPage();
  await page.goto(`${bo.url}/`);
  await page.locator('tr[data-serial="DEMO-0001"] td.license').waitFor();
  await page.evaluate(() => {
    const w = window as unknown as { __seen: Record<string, number> };
    w.__seen = {};
    const root = document.querySelector('ors-website')!.shadowRoot!.querySelector('ors-installations-page')!.shadowRoot!;
    new MutationObserver(() => {
      const text = root.querySelector('tr[data-serial="DEMO-0001"] td.license')?.textContent ?? '';
      const seq = /seq (\d+)/.exec(text)?.[1];
      if (seq && !(seq in w.__seen)) w.__seen[seq] = performance.timeOrigin + performance.now();
    }).observe(root, { subtree: true, characterData: true, childList: true });
  });
  const data = await openDataDir(bo.dataDir);
  const live: number[] = [];
  try {
    for (let i = 0; i < CHANGES; i++) {
      const t0 = performance.timeOrigin + performance.now();
      const issued = await data.service.setEntitlement('DEMO-0001', { users: 10 + i + (label === 'baseline' ? 0 : 1000) });
      const seq = String(issued.license!.seq);
      await page.waitForFunction((s) => s in (window as unknown as { __seen: Record<string, number> }).__seen, seq, { timeout: 30_000 });
      live.push((await page.evaluate((s) => (window as unknown as { __seen: Record<string, number> }).__seen[s]!, seq)) - t0);
      // Past the list's 1 s throttle of change events, so each change is measured on its own.
      await new Promise((r) => setTimeout(r, 1_100));
    }
  } finally {
    await data.close();
    await ctx.close();
  }
  return { api, interactive, live };
}

console.log('# website benchmark (2 cores; figures from this run)');
const site = jsShipped(path.join(ROOT, 'dist/website'));
const consoleJs = jsShipped(path.join(ROOT, 'dist/console'));
console.log(
  `JS shipped: website ${(site.gz / 1024).toFixed(1)} KB gzip (${(site.raw / 1024).toFixed(1)} KB, ${site.files} files); console ${(consoleJs.gz / 1024).toFixed(1)} KB gzip (${(consoleJs.raw / 1024).toFixed(1)} KB, ${consoleJs.files} files); ratio ${(site.gz / consoleJs.gz).toFixed(2)}×`,
);

const browser = await launchChromium();
const results: Record<string, Figures> = {};
try {
  for (const label of ['baseline', 'large'] as const) {
    const bo = await startBackoffice();
    try {
      if (label === 'large') {
        const t0 = performance.now();
        const data = await openDataDir(bo.dataDir);
        try {
          for (let i = 1; i < INSTALLATIONS; i++) await data.service.addInstallation(`INST-${String(i).padStart(5, '0')}`, bo.orgId, 'prepress-suite');
        } finally {
          await data.close();
        }
        console.log(`seeded ${INSTALLATIONS - 1} more installations in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
      results[label] = await measure(bo, browser, label);
    } finally {
      await bo.stop();
    }
  }
} finally {
  await browser.close();
}

const b = results['baseline']!;
const l = results['large']!;
const row = (what: string, xs: number[], base: number[]): string =>
  `${what}: ${INSTALLATIONS.toLocaleString('en')} installations p50 ${ms(pct(xs, 50))}, p99 ${ms(pct(xs, 99))} — 1 installation p50 ${ms(pct(base, 50))}, p99 ${ms(pct(base, 99))} (p50 ratio ${(pct(xs, 50) / pct(base, 50)).toFixed(2)}×)`;
console.log(row('list API, 50 rows of a sorted page', l.api, b.api));
console.log(row(`navigation → interactive list (${NAVIGATIONS} loads)`, l.interactive, b.interactive));
console.log(row(`live change → row updated (${CHANGES} licenses issued by another writer)`, l.live, b.live));
