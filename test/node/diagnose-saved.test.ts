import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openPluginStores } from '../../src/cli/plugin-stores.js';
import { freePort, runOrs, tempDir } from '../support/processes.js';

describe('ors diagnose with the console’s saved settings', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let proxyPort: number;
  const secret = 'Saved-Proxy-Pa55';

  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-diagnose-saved-'));
    proxyPort = await freePort();
    const stores = await openPluginStores(dir);
    const { version } = stores.settings.get();
    await stores.settings.update(
      {
        remoteService: {
          enabled: true,
          remoteAssistanceFeature: false,
          allowRemoteAssistance: false,
          organisationId: 'ORG-1',
          backofficeUrl: 'https://backoffice.example.test:8443',
          serviceControl: 'auto',
          proxy: { mode: 'manual', host: '127.0.0.1', port: proxyPort, authenticate: true, username: 'proxy-user' },
        },
      },
      version,
    );
    await stores.secrets.forPlugin('remote-service-licenses').set('proxyPassword', secret);
    stores.settings.close();
  });
  after(() => cleanup());

  it('walks to the saved back office through the saved proxy, and says the proxy hop fails', async () => {
    const r = await runOrs(['diagnose', '--data-dir', dir, '--json', '--timeout', '5'], { env: { ...process.env, LC_ALL: 'C' } });
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { url: string; mode: string; hops: { hop: string; status: string; target?: string }[] };
    assert.equal(report.url, 'https://backoffice.example.test:8443/');
    assert.equal(report.mode, 'manual');
    const failed = report.hops.find((h) => h.status === 'failed');
    assert.equal(failed?.target, `127.0.0.1:${proxyPort}`);
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), 'no secret in the output');
  });

  it('lets the command line override the saved proxy', async () => {
    const r = await runOrs(['diagnose', 'https://127.0.0.1:1', '--data-dir', dir, '--proxy-mode', 'none', '--json', '--timeout', '5'], { env: { ...process.env, LC_ALL: 'C' } });
    const report = JSON.parse(r.stdout) as { mode: string };
    assert.equal(report.mode, 'none');
  });
});
