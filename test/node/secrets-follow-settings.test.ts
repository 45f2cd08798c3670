// Regression tests for findings 4 and 5 of issue 11 (and the damaged secret store of finding 6).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { filter, firstValueFrom, timeout } from 'rxjs';
import type { RemoteServiceInput } from '../../src/common/remote-service/settings-rules.js';
import { startHost } from '../../src/host/server/host.js';
import { LicensesConfig } from '../../src/plugin/licenses/licenses-config.js';
import { LicensesController } from '../../src/plugin/licenses/licenses-controller.js';
import { RemoteServiceController } from '../../src/plugin/remote-service/remote-service-controller.js';
import { ConnectionDiagnostic, type DiagnosticOptions } from '../../src/services/proxy/diagnostic.js';
import { pluginHarness } from '../support/plugin-container.js';
import { SecretStore } from '../../src/services/settings/secret-store.js';
import { vendorOnDisk } from '../support/license-servers.js';
import { ORS_SOURCE, ROOT, runOrs, tempDir } from '../support/processes.js';

const PLUGIN = 'remote-service-licenses';
const quiet = new Writable({ write: (_c, _e, done) => done() });

describe('secrets follow settings across processes (finding 4)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('ors-secrets-x-')));
  after(() => cleanup());

  it('a secret set with `ors config set-secret` while the console runs is shown as set and survives the console\'s next save', async () => {
    const console = await SecretStore.open(path.join(dir, 'secrets'));
    console.watchExternalChanges();
    const plugin = console.forPlugin(PLUGIN);
    await plugin.set('verificationCode', 'Console-Code-1234', 'console');
    const shown = firstValueFrom(plugin.changes$.pipe(filter((names) => names.includes('proxyPassword')), timeout(10_000)));
    const r = await runOrs(['config', 'set-secret', 'proxyPassword', '--data-dir', dir], { input: 'Cli-Proxy-Pass-42\n' });
    assert.equal(r.code, 0, r.stderr);
    await shown; // the console reloaded the store: the secret shows as set
    assert.equal(plugin.isSet('proxyPassword'), true);
    await plugin.set('verificationCode', 'Console-Code-5678', 'console');
    const fresh = (await SecretStore.open(path.join(dir, 'secrets'))).forPlugin(PLUGIN);
    assert.equal(await fresh.get('proxyPassword'), 'Cli-Proxy-Pass-42', 'the console\'s save kept what the CLI wrote');
    assert.equal(await fresh.get('verificationCode'), 'Console-Code-5678');
    console.close();
  });

  it('two stores writing different secrets at the same time lose nothing (lock + re-read per write)', async () => {
    const a = await SecretStore.open(path.join(dir, 'two'));
    const b = await SecretStore.open(path.join(dir, 'two'));
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).set(`p/k${i}`, `value-${i}-xyz`)));
    const fresh = await SecretStore.open(path.join(dir, 'two'));
    for (let i = 0; i < 20; i++) assert.equal(await fresh.forPlugin('p').get(`k${i}`), `value-${i}-xyz`);
  });
});

describe('a damaged secret store faults the plugin, not the console, and is not overwritten (finding 6)', () => {
  it('starts the console with the plugin faulted, naming the file and its .prev', async () => {
    const t = await tempDir('ors-secrets-damaged-');
    try {
      const secrets = path.join(t.dir, 'secrets');
      await (await SecretStore.open(secrets)).set('good/pw', 'Some-Value-123');
      await writeFile(path.join(secrets, 'secrets.json'), '{"version":1,"entries":{"good/pw":{"iv":');
      const before = await readFile(path.join(secrets, 'secrets.json'));
      await writeFile(path.join(t.dir, 'index.html'), '<!doctype html>');
      const host = await startHost({ dataDir: t.dir, port: 0, staticDir: t.dir, logStream: quiet, pluginDirs: [path.join(ROOT, 'test/fixtures/plugins/good')] });
      try {
        const state = host.plugins.pluginStates().find((p) => p.id === 'good');
        assert.equal(state?.state, 'faulted');
        assert.equal(state?.fault?.code, 'secrets.corrupt');
        assert.equal(state?.fault?.params?.['path'], path.join(secrets, 'secrets.json'));
        await assert.rejects(host.secrets.set('good/other', 'x-value'), { code: 'secrets.corrupt' });
        assert.deepEqual(await readFile(path.join(secrets, 'secrets.json')), before, 'the damaged file is left as it was');
      } finally {
        await host.close();
      }
    } finally {
      await t.cleanup();
    }
  });

  it('a damaged entry of another plugin does not fault this one', async () => {
    const t = await tempDir('ors-secrets-entry-');
    try {
      const s = await SecretStore.open(t.dir);
      await s.set('other/pw', 'value-one-1');
      await s.set('good/pw', 'value-two-2');
      const file = JSON.parse(await readFile(path.join(t.dir, 'secrets.json'), 'utf8'));
      file.entries['other/pw'].data = Buffer.from('tampered').toString('base64');
      await writeFile(path.join(t.dir, 'secrets.json'), JSON.stringify(file));
      const again = await SecretStore.open(t.dir);
      assert.equal(await again.forPlugin('good').get('pw'), 'value-two-2');
      assert.throws(() => again.forPlugin('other'), { code: 'secrets.corrupt' });
    } finally {
      await t.cleanup();
    }
  });
});

describe('a stored secret goes only where it was saved for (finding 5)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('ors-secret-binding-')));
  after(() => cleanup());

  const INPUT: RemoteServiceInput = {
    enabled: true,
    remoteAssistanceFeature: false,
    organisationId: 'DEMO-ORG',
    backofficeUrl: 'https://127.0.0.1:9',
    proxy: { mode: 'manual', host: '127.0.0.1', port: '3128', authenticate: true, username: 'alice' },
    orsAccount: { kind: 'localSystem' },
  };
  const PROXY_PW = 'Stored-Proxy-Pw-9';

  async function controller(sub: string) {
    const h = await pluginHarness(path.join(dir, sub));
    const settings = h.settings;
    const diagnosed: DiagnosticOptions[] = [];
    (await h.container.rebind(ConnectionDiagnostic)).toConstantValue({
      run: async (o: DiagnosticOptions) => {
        diagnosed.push(o);
        return { url: o.url, mode: o.proxy.mode, candidates: [], hops: [], ok: true, ms: 1 };
      },
    });
    const c = h.container.get(RemoteServiceController);
    await c.save(INPUT, 0, { verificationCode: 'Code-ABC-123-xyz', proxyPassword: PROXY_PW });
    return { c, settings, diagnosed };
  }

  it('[Test connection] with another proxy host asks for the password again instead of sending the stored one', async () => {
    const { c, diagnosed } = await controller('proxy');
    await c.testConnection(INPUT);
    assert.equal(diagnosed.at(-1)?.proxy.password, PROXY_PW, 'the saved proxy gets the stored password');
    for (const proxy of [{ ...INPUT.proxy!, host: 'attacker.example' }, { ...INPUT.proxy!, port: '8080' }]) {
      await assert.rejects(c.testConnection({ ...INPUT, proxy }), (e: { code?: string; field?: string; params?: Record<string, unknown> }) => {
        assert.equal(e.code, 'secrets.other-endpoint');
        assert.equal(e.field, 'proxy.password');
        assert.equal(e.params?.['saved'], 'proxy://127.0.0.1:3128');
        return true;
      });
    }
    assert.equal(diagnosed.length, 1, 'nothing was sent to the other proxy');
    // Typed again, it goes to the new host.
    await c.testConnection({ ...INPUT, proxy: { ...INPUT.proxy!, host: 'proxy2.example' } }, { proxyPassword: 'New-Proxy-Pw-1' });
    assert.equal(diagnosed.at(-1)?.proxy.password, 'New-Proxy-Pw-1');
  });

  it('saving another back-office URL asks for the verification code again (the ORS service would send it there)', async () => {
    const { c, settings } = await controller('bo');
    await assert.rejects(c.save({ ...INPUT, backofficeUrl: 'https://attacker.example' }, settings.get().version), { code: 'secrets.other-endpoint', field: 'verificationCode' });
    const ok = await c.save({ ...INPUT, backofficeUrl: 'https://bo2.example' }, settings.get().version, { verificationCode: 'Code-NEW-456-xyz' });
    assert.equal(ok.secretsSet.verificationCode, true);
  });

  it('[Test] of a remote license server with another host asks for the ORS account password again', async () => {
    const vendor = await vendorOnDisk(path.join(dir, 'ls'));
    const h = await pluginHarness(path.join(dir, 'ls'));
    const settings = h.settings;
    (await h.container.rebind(LicensesConfig)).toConstantValue({ dataDir: path.join(dir, 'ls', 'plugin'), trustPaths: [vendor.trustDir], orsCommand: ORS_SOURCE, pollMs: 200 });
    const licenses = h.container.get(LicensesController);
    const remote = (host: string) => ({ kind: 'remote' as const, host, port: 1, share: `\\\\${host}\\licenses`, smbPort: 1, account: { kind: 'other' as const, username: 'svc' } });
    await licenses.select(remote('127.0.0.1'), settings.get().version, 'Account-Pw-77');
    await assert.rejects(licenses.test(remote('attacker.example')), { code: 'secrets.other-endpoint', field: 'accountPassword' });
    await assert.rejects(licenses.select(remote('attacker.example'), settings.get().version), { code: 'secrets.other-endpoint', field: 'accountPassword' });
    settings.close();
  });
});
