import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { addDays, toCalendarDate } from '../../src/common/license/dates.js';
import { SecretStore } from '../../src/services/settings/secret-store.js';
import { samplePayload } from '../support/license-fixtures.js';
import { startFlsProcess, vendorOnDisk } from '../support/license-servers.js';
import { ROOT, run, tempDir, type Started } from '../support/processes.js';

// Runs `ors license-server …` from the sources through a program that registers only these commands
// (the registration line in src/cli/main.ts is the lead's).
const PROGRAM = `import { Command } from 'commander';
import { registerLicenseServerCommands } from './src/cli/license-server.ts';
const p = new Command('ors'); registerLicenseServerCommands(p);
await p.parseAsync(process.argv.slice(1), { from: 'user' });`;

function ors(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  return run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROGRAM, ...args], {
    cwd: ROOT,
    env: { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: 'C', ...options.env },
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
}

const today = toCalendarDate(Date.now());

describe('ors license-server select | status (same settings and secrets files as the console)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let dataDir: string;
  let fls: Started & { url: string };

  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-licenses-cli-'));
    dataDir = path.join(dir, 'data');
    const vendor = await vendorOnDisk(dir);
    const folder = path.join(dir, 'fls');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'SN-3003.lic'), vendor.signer.sign(samplePayload({ serial: 'SN-3003', issuedAt: '2026-01-01T00:00:00Z', notBefore: '2026-01-01T00:00:00Z', expiry: addDays(today, 200), maintenance: { start: addDays(today, -10), end: addDays(today, 100) } })));
    fls = await startFlsProcess(folder, vendor.trustDir);
  });
  after(async () => {
    await fls?.stop();
    await cleanup();
  });

  it('refuses a bad port and a bad UNC path naming the options, in German, and saves nothing', async () => {
    const r = await ors(['license-server', 'select', 'remote', '--host', 'fls', '--port', '0', '--share', 'C:\\lic', '--account-user', 'svc', '--data-dir', dataDir], { env: { LANG: 'de_DE.UTF-8' } });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--port: 0 ist kein gültiger Port.*\[licenses\.invalid-port\]/);
    assert.match(r.stderr, /--share: .*kein UNC-Pfad/);
    assert.match(r.stderr, /--account-password-stdin: .*Passwort/);
    await assert.rejects(readFile(path.join(dataDir, 'settings', 'remote-service-licenses.json')));
  });

  it('selects a remote server with the account password read from stdin into the secrets store only', async () => {
    const password = 'Stdin-Only-Pw-9';
    const r = await ors(['license-server', 'select', 'remote', '--host', '127.0.0.1', '--port', '27001', '--share', '\\\\127.0.0.1\\licenses\\lic', '--account-user', 'svc', '--account-domain', 'example.com', '--account-password-stdin', '--data-dir', dataDir], { input: `${password}\n` });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /License server selected: remote http:\/\/127\.0\.0\.1:27001/);
    const file = JSON.parse(await readFile(path.join(dataDir, 'settings', 'remote-service-licenses.json'), 'utf8')) as { values: Record<string, unknown> };
    assert.deepEqual(file.values['licenseServer'], { kind: 'remote', host: '127.0.0.1', port: 27001, share: '\\\\127.0.0.1\\licenses\\lic' });
    assert.deepEqual(file.values['orsAccount'], { kind: 'other', username: 'svc', domain: 'example.com' });
    assert.ok(!(await readFile(path.join(dataDir, 'secrets', 'secrets.json'), 'utf8')).includes(password));
    assert.equal(await (await SecretStore.open(path.join(dataDir, 'secrets'))).forPlugin('remote-service-licenses').get('orsAccountPassword'), password);
    assert.ok(!`${r.stdout}${r.stderr}`.includes(password));
    const s = await ors(['license-server', 'status', '--json', '--data-dir', dataDir]);
    assert.equal(s.code, 1, 'nothing listens on 27001');
    const json = JSON.parse(s.stdout) as { accountPasswordSet: boolean; reachable: boolean };
    assert.equal(json.accountPasswordSet, true);
    assert.equal(json.reachable, false);
    assert.ok(!s.stdout.includes(password));
  });

  it('selects a local server with its FLS and shows the serial number it serves', async () => {
    const r = await ors(['license-server', 'select', 'local', '--fls', fls.url, '--data-dir', dataDir]);
    assert.equal(r.code, 0, r.stderr);
    const s = await ors(['license-server', 'status', '--json', '--data-dir', dataDir]);
    assert.equal(s.code, 0, s.stderr);
    const json = JSON.parse(s.stdout) as { selection: { kind: string; folder: string }; account: { kind: string }; licenses: { serial: string; state: { kind: string } }[] };
    assert.equal(json.selection.folder, path.join(dataDir, 'plugins', 'remote-service-licenses', 'licenses'));
    assert.equal(json.account.kind, 'other', 'the ORS service account is kept');
    assert.deepEqual(json.licenses.map((l) => [l.serial, l.state.kind]), [['SN-3003', 'valid']]);
    const text = await ors(['license-server', 'status', '--data-dir', dataDir]);
    assert.match(text.stdout, /serial\s+SN-3003/);
    assert.match(text.stdout, /maintenance\s+\d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}/);
  });
});
