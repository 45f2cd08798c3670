import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Command } from 'commander';
import { registerConfigCommands, type ConfigIo } from '../../src/cli/config.js';
import { openPluginStores } from '../../src/cli/plugin-stores.js';
import { tempDir } from '../support/processes.js';

const SECRET = 'Very-Secret-Code-9';

describe('ors config get|set|set-secret (the dialog\'s rules on the command line)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let out: string[];
  let err: string[];
  let stdin: string;

  async function ors(...args: string[]): Promise<number> {
    out = [];
    err = [];
    process.exitCode = 0;
    const io: ConfigIo = { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => stdin };
    const program = new Command().exitOverride();
    registerConfigCommands(program, io);
    await program.parseAsync(['config', ...args, '--data-dir', dir], { from: 'user' });
    const code = Number(process.exitCode ?? 0);
    process.exitCode = 0;
    return code;
  }

  before(async () => {
    ({ dir, cleanup } = await tempDir('ors-config-cli-'));
  });
  after(async () => {
    process.env['LC_ALL'] = undefined as unknown as string;
    delete process.env['LC_ALL'];
    await cleanup();
  });
  beforeEach(() => {
    process.env['LC_ALL'] = 'C';
  });

  it('sets a proxy port and reads it back by its key', async () => {
    assert.equal(await ors('set', 'remoteService.proxy.host', 'proxy.corp'), 0);
    assert.equal(await ors('set', 'remoteService.proxy.port', '3128'), 0, err.join('\n'));
    assert.match(out[0]!, /remoteService\.proxy\.port saved \(settings version \d+\)/);
    assert.equal(await ors('set', 'remoteService.proxy.mode', 'manual'), 0, err.join('\n'));
    await ors('get', 'remoteService.proxy.port');
    assert.deepEqual(out, ['3128']);
  });

  it('refuses a port outside 1–65535 with the rule\'s message, naming the key, and keeps the old value', async () => {
    assert.equal(await ors('set', 'remoteService.proxy.port', '70000'), 2);
    assert.match(err[0]!, /^ors: remoteService\.proxy\.port: Proxy port "70000" must be a number from 1 to 65535/);
    await ors('get', 'remoteService.proxy.port');
    assert.deepEqual(out, ['3128']);
  });

  it('answers in German when the locale is German', async () => {
    process.env['LC_ALL'] = 'de_DE.UTF-8';
    assert.equal(await ors('set', 'remoteService.organisationId', 'ACME ORG'), 2);
    assert.match(err[0]!, /remoteService\.organisationId: ACME ORG ist keine Kundendienstorganisation-ID/);
  });

  it('refuses remote assistance with auto-detect, with the explanation', async () => {
    await ors('set', 'remoteService.proxy.mode', 'auto');
    assert.equal(await ors('set', 'remoteService.remoteAssistanceFeature', 'true'), 2);
    assert.match(err[0]!, /remoteService\.remoteAssistanceFeature: Remote assistance cannot use an auto-detected proxy\. Configure the proxy manually/);
  });

  it('refuses to enable before the organisation ID and code are there, then enables', async () => {
    assert.equal(await ors('set', 'remoteService.enabled', 'true'), 2);
    assert.ok(err.some((l) => l.startsWith('ors: remoteService.organisationId:')));
    assert.ok(err.some((l) => l.startsWith('ors: remoteService.verificationCode:')));
    assert.equal(await ors('set', 'remoteService.organisationId', 'DEMO-ORG'), 0);
    assert.equal(await ors('set', 'remoteService.backofficeUrl', 'https://backoffice.example.com'), 0);
    stdin = `${SECRET}\n`;
    assert.equal(await ors('set-secret', 'verificationCode'), 0);
    assert.equal(await ors('set', 'remoteService.enabled', 'true'), 0, err.join('\n'));
    await ors('get', 'remoteService.enabled');
    assert.deepEqual(out, ['true']);
  });

  it('stores a secret from stdin only: never printed, never in the settings file', async () => {
    assert.equal(await ors('set', 'verificationCode', 'x'), 2);
    assert.match(err[0]!, /is a secret: set it with `ors config set-secret verificationCode`/);
    await ors('get');
    assert.ok(out.includes('verificationCode = (set)'), out.join('\n'));
    assert.ok(!out.join('\n').includes(SECRET));
    const stores = await openPluginStores(dir);
    stores.settings.close();
    assert.equal(await stores.secrets.forPlugin('remote-service-licenses').get('verificationCode'), SECRET);
    const file = await readFile(path.join(dir, 'settings', 'remote-service-licenses.json'), 'utf8');
    assert.ok(!file.includes(SECRET));
  });

  it('says which stored secret must be entered again when its address changes, and never sends it there', async () => {
    assert.equal(await ors('set', 'remoteService.backofficeUrl', 'https://other-backoffice.example.com'), 0, err.join('\n'));
    assert.equal(err.length, 1, err.join('\n'));
    assert.match(err[0]!, /^ors: The stored verificationCode was saved for another address and is not sent to https:\/\/other-backoffice\.example\.com\. Enter it again: ors config set-secret verificationCode$/);
    const stores = await openPluginStores(dir);
    stores.settings.close();
    assert.equal(stores.secrets.forPlugin('remote-service-licenses').isSetFor('verificationCode', 'https://other-backoffice.example.com'), false);
    await ors('get');
    assert.ok(out.includes('verificationCode = (set for another address)'), out.join('\n'));
    stdin = `${SECRET}\n`;
    assert.equal(await ors('set-secret', 'verificationCode'), 0);
    assert.equal(await ors('set', 'remoteService.backofficeUrl', 'https://other-backoffice.example.com/'), 0);
    assert.deepEqual(err, []);
  });

  it('refuses an unknown key and an empty secret', async () => {
    assert.equal(await ors('set', 'remoteService.proxy.colour', 'blue'), 2);
    assert.match(err[0]!, /remoteService\.proxy\.colour is not a setting/);
    stdin = '\n';
    assert.equal(await ors('set-secret', 'proxyPassword'), 2);
    assert.match(err[0]!, /Standard input was empty/);
  });

  it('sets the ORS account: user and password together', async () => {
    assert.equal(await ors('set', 'orsAccount.kind', 'other'), 2);
    assert.ok(err.some((l) => l.startsWith('ors: orsAccount.username:')));
  });
});
