// Console benchmark: start → listening, navigation → interactive tree, JS shipped, idle RSS,
// and stream latency (service emit → DOM updated) over 1,000 updates. Baselines measured here.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../test/support/browser.js';
import { startConsole } from '../test/support/console.js';
import { ROOT, tempDir } from '../test/support/processes.js';

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (x: number): string => `${x.toFixed(1)} ms`;

async function timeToLine(cmd: string, args: string[], line: RegExp): Promise<number> {
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (line.test(out)) resolve();
    });
  });
  const t = performance.now() - t0;
  child.kill('SIGKILL');
  return t;
}

console.log('# console benchmark (2 cores; figures from this run)');

// 1. Process start → listening, vs a bare node:http server.
{
  const baseline: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < 8; i++) {
    baseline.push(await timeToLine(process.execPath, ['-e', "require('http').createServer().listen(0,'127.0.0.1',()=>console.log('up'))"], /up/));
    const t = await tempDir('ors-bench-');
    ours.push(await timeToLine(process.execPath, ['bin/ors.js', 'console', '--port', '0', '--data-dir', t.dir], /Console: /));
    await t.cleanup();
  }
  console.log(`start → listening: p50 ${ms(pct(ours, 50))} (bare node:http ${ms(pct(baseline, 50))}, ratio ${(pct(ours, 50) / pct(baseline, 50)).toFixed(1)}×)`);
}

// 2. JS shipped to the browser.
{
  const dir = path.join(ROOT, 'dist/console');
  const files = [...readdirSync(dir).map((f) => path.join(dir, f)), ...readdirSync(path.join(dir, 'chunks')).map((f) => path.join(dir, 'chunks', f))].filter((f) => f.endsWith('.js'));
  const raw = files.reduce((s, f) => s + statSync(f).size, 0);
  const gz = files.reduce((s, f) => s + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  console.log(`JS shipped: ${(raw / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzip (target ≤ 80 KB gzip) in ${files.length} files`);
}

// 3–5. Navigation → interactive tree, idle RSS, stream latency.
{
  const c = await startConsole({ args: ['--plugin', path.join(ROOT, 'bench/fixtures/stream-plugin')] });
  const browser = await launchChromium();
  try {
    const interactive: number[] = [];
    for (let i = 0; i < 10; i++) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.goto(c.loginUrl);
      await page.waitForFunction(() => performance.getEntriesByName('ors:tree-interactive').length > 0);
      interactive.push(await page.evaluate(() => performance.getEntriesByName('ors:tree-interactive')[0]!.startTime));
      await ctx.close();
    }
    console.log(`navigation → interactive tree: p50 ${ms(pct(interactive, 50))}, max ${ms(Math.max(...interactive))} (target ≤ 1000 ms)`);

    const page = await browser.newPage();
    await page.goto(c.loginUrl);
    await page.getByRole('treeitem', { name: 'Stream' }).click();
    await new Promise((r) => setTimeout(r, 2000));
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${c.process.child.pid}/status`, 'utf8'))![1]) / 1024;
    console.log(`idle RSS of the console process (one page connected): ${rss.toFixed(0)} MB (target ≤ 120 MB)`);

    // Record, in the page, when each update reaches the DOM of the result pane.
    await page.evaluate(() => {
      const w = window as unknown as { __lat: number[] };
      w.__lat = [];
      const pane = document.querySelector('ors-console')!.shadowRoot!.querySelector('ors-result-pane')!.shadowRoot!;
      new MutationObserver(() => {
        const cell = pane.querySelector('tbody td span span');
        const [, t] = (cell?.textContent ?? '').split(':');
        if (t) w.__lat.push(performance.timeOrigin + performance.now() - Number(t));
      }).observe(pane, { subtree: true, characterData: true, childList: true });
    });
    await page.evaluate(async () => {
      // Trigger through the console's own command path: the context menu is not needed, the RPC is.
      const ws = new WebSocket(`ws://${location.host}/rpc`);
      await new Promise((r) => (ws.onopen = r));
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'host.executeCommand', params: ['bench.emit', [1000, 4]] }));
    });
    await page.waitForFunction(() => (window as unknown as { __lat: number[] }).__lat.length >= 1000, undefined, { timeout: 60_000 });
    const lat = await page.evaluate(() => (window as unknown as { __lat: number[] }).__lat);
    console.log(`stream latency, service emit → DOM updated (${lat.length} updates): p50 ${ms(pct(lat, 50))}, p99 ${ms(pct(lat, 99))} (targets ≤ 10 / ≤ 50 ms)`);
  } finally {
    await browser.close();
    await c.stop();
  }
}
