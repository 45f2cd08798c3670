import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseGsettings, parseKioslaverc, parseNetshWinhttp, parseScutilProxy, parseWindowsInternetSettings } from '../../src/services/proxy/os-sources.js';
import { PacEvaluator, PacFetcher } from '../../src/services/proxy/pac.js';
import { DefaultProxyResolver } from '../../src/services/proxy/proxy-resolver.js';
import { startPacServer } from '../support/proxy-servers.js';
import { ROOT, freePort, tempDir } from '../support/processes.js';

const fixture = (n: string): string => readFileSync(path.join(ROOT, 'test/fixtures/proxy/os', n), 'utf8');

describe('OS proxy settings sources (recorded outputs)', () => {
  it('reads per-scheme servers and the override list from `reg query`', () => {
    const c = parseWindowsInternetSettings(fixture('windows-reg-query.txt'));
    assert.deepEqual(c?.http, { host: 'proxy.corp', port: 8080 });
    assert.deepEqual(c?.https, { host: 'secure.corp', port: 8443 });
    assert.deepEqual(c?.bypass, ['*.corp.example', '<local>']);
  });
  it('reads AutoConfigURL and the auto-detect flag from a .reg export', () => {
    const c = parseWindowsInternetSettings(fixture('windows-export.reg'));
    assert.equal(c?.pacUrl, 'http://pac.corp.example/proxy.pac');
    assert.equal(c?.autoDetect, true);
    assert.equal(c?.http, undefined);
  });
  it('reads `netsh winhttp show proxy`, and nothing when it says direct access', () => {
    const c = parseNetshWinhttp(fixture('netsh-winhttp.txt'));
    assert.deepEqual(c?.https, { host: 'winhttp.corp', port: 3128 });
    assert.deepEqual(c?.bypass, ['<local>', '10.*']);
    assert.equal(parseNetshWinhttp(fixture('netsh-winhttp-direct.txt')), undefined);
  });
  it('reads macOS `scutil --proxy` with exceptions and simple host names', () => {
    const c = parseScutilProxy(fixture('scutil-proxy.txt'));
    assert.deepEqual(c?.https, { host: 'mac-secure.corp', port: 8443 });
    assert.deepEqual(c?.bypass, ['*.local', '169.254/16', '<local>']);
  });
  it('reads GNOME gsettings in manual and auto mode', () => {
    const m = parseGsettings(fixture('gsettings-manual.txt'));
    assert.deepEqual(m?.https, { host: 'gnome.corp', port: 3128 });
    assert.ok(m?.bypass.includes('.corp.example'));
    assert.equal(parseGsettings(fixture('gsettings-auto.txt'))?.pacUrl, 'http://pac.corp.example/wpad.dat');
  });
  it('reads KDE kioslaverc, both "host port" and "host:port" forms', () => {
    const c = parseKioslaverc(fixture('kioslaverc'));
    assert.deepEqual(c?.http, { host: 'kde.corp', port: 3128 });
    assert.deepEqual(c?.https, { host: 'kde-secure.corp', port: 8443 });
  });
  it('uses an OS source when the environment has no proxy, honouring its bypass list', async () => {
    const r = new DefaultProxyResolver({
      settings: { mode: 'auto', host: '', port: 0, username: '', domain: '' },
      env: {},
      osSources: [{ name: 'windows-internet-settings', read: async () => parseWindowsInternetSettings(fixture('windows-reg-query.txt')) }],
    });
    assert.deepEqual((await r.resolve('https://bo.example/')).candidates, [{ kind: 'proxy', host: 'secure.corp', port: 8443 }]);
    assert.deepEqual((await r.resolve('https://x.corp.example/')).candidates, [{ kind: 'direct' }]);
    r.dispose();
  });
});

describe('PAC scripts', () => {
  const evaluator = new PacEvaluator(1_500);
  after(() => evaluator.stop());
  const auto = (pacUrl: string): DefaultProxyResolver =>
    new DefaultProxyResolver({
      settings: { mode: 'auto', host: '', port: 0, username: '', domain: '' },
      env: {},
      osSources: [{ name: 'gnome', read: async () => ({ source: 'gnome', bypass: [], pacUrl }) }],
      pacEvaluator: evaluator,
      failedForMs: 60_000,
    });

  it('keeps the order of PAC candidates, DIRECT included, and tries a failed proxy last', async () => {
    const pac = await startPacServer({
      'order.pac': 'function FindProxyForURL(url, host) { if (dnsDomainIs(host, ".direct.example")) return "DIRECT"; return "PROXY a.corp:3128; PROXY b.corp:8080; DIRECT"; }',
    });
    try {
      const r = auto(pac.url('order.pac'));
      const res = await r.resolve('https://bo.example/');
      assert.equal(res.source, 'pac');
      assert.deepEqual(res.candidates, [
        { kind: 'proxy', host: 'a.corp', port: 3128 },
        { kind: 'proxy', host: 'b.corp', port: 8080 },
        { kind: 'direct' },
      ]);
      assert.deepEqual((await r.resolve('https://x.direct.example/')).candidates, [{ kind: 'direct' }]);
      r.markFailed({ kind: 'proxy', host: 'a.corp', port: 3128 });
      assert.deepEqual((await r.resolve('https://bo.example/')).candidates.map((c) => (c.kind === 'proxy' ? c.host : 'DIRECT')), ['b.corp', 'DIRECT', 'a.corp']);
      assert.ok(pac.hits.notModified >= 1, 'the script is revalidated with its ETag');
    } finally {
      await pac.close();
    }
  });

  it('terminates a PAC script that never returns, and evaluates the next one', async () => {
    const pac = await startPacServer({ 'loop.pac': 'function FindProxyForURL(url, host) { while (true) {} }', 'ok.pac': 'function FindProxyForURL() { return "PROXY ok.corp:1"; }' });
    try {
      const started = Date.now();
      const res = await auto(pac.url('loop.pac')).resolve('https://bo.example/');
      assert.equal(res.problem?.code, 'proxy.pac-timeout');
      assert.deepEqual(res.candidates, [{ kind: 'direct' }]);
      assert.ok(Date.now() - started < 5_000);
      const next = await auto(pac.url('ok.pac')).resolve('https://bo.example/');
      assert.deepEqual(next.candidates, [{ kind: 'proxy', host: 'ok.corp', port: 1 }]);
    } finally {
      await pac.close();
    }
  });

  it('falls back to DIRECT with a typed problem when the PAC server is down', async () => {
    const res = await auto(`http://127.0.0.1:${await freePort()}/proxy.pac`).resolve('https://bo.example/');
    assert.equal(res.problem?.code, 'proxy.pac-fetch-failed');
    assert.deepEqual(res.candidates, [{ kind: 'direct' }]);
  });

  it('reads file: scripts, refuses other schemes and scripts over 1 MB', async () => {
    const { dir, cleanup } = await tempDir('ors-pac-');
    try {
      const small = path.join(dir, 'p.pac');
      await writeFile(small, 'function FindProxyForURL() { return "PROXY f.corp:9"; }');
      const big = path.join(dir, 'big.pac');
      await writeFile(big, Buffer.alloc(1024 * 1024 + 1, 0x20));
      const fetcher = new PacFetcher();
      assert.match((await fetcher.fetch(pathToFileURL(small).href)).text, /f\.corp/);
      await assert.rejects(fetcher.fetch(pathToFileURL(big).href), { code: 'proxy.pac-too-large' });
      await assert.rejects(fetcher.fetch('ftp://pac.example/p.pac'), { code: 'proxy.pac-url-invalid' });
    } finally {
      await cleanup();
    }
  });
});
