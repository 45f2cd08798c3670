import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import { jsonSchemaOf, PluginSettingsSchema } from '../../src/common/settings/plugin-settings.js';
import { readOrsAccount, readRemoteService, readSelection } from '../../src/common/settings/read-settings.js';
import { ROOT } from '../support/processes.js';

const manifest = JSON.parse(await readFile(path.join(ROOT, 'manifest.json'), 'utf8')) as { contributes: { settings: object } };

describe('the one settings schema', () => {
  it('is what the manifest contributes (run `npm run manifest:settings` after changing it)', () => {
    assert.deepEqual(manifest.contributes.settings, jsonSchemaOf(PluginSettingsSchema));
  });

  it('fills the defaults on a write and refuses a bad value at its path, as the settings store validates', () => {
    const validate = new Ajv({ useDefaults: true, strict: false }).compile(jsonSchemaOf(PluginSettingsSchema));
    const values: Record<string, unknown> = { remoteService: { organisationId: 'ORG' } };
    assert.equal(validate(values), true);
    assert.deepEqual(values['remoteService'], { organisationId: 'ORG', enabled: false, remoteAssistanceFeature: false, allowRemoteAssistance: false, backofficeUrl: '', proxy: { mode: 'none' }, serviceControl: 'auto' });
    assert.equal(validate({ remoteService: { proxy: { mode: 'manual', port: 70000 } } }), false);
    assert.equal(validate.errors?.[0]?.instancePath, '/remoteService/proxy/port');
    assert.equal(validate({ licenseServer: { kind: 'remote', host: 'fls', port: 27000 } }), false);
    assert.equal(validate({ orsAccount: { kind: 'other' } }), false);
  });

  it('reads a file that predates a field with the schema defaults, and ignores a broken part', () => {
    assert.deepEqual(readRemoteService({ remoteService: { enabled: true, proxy: { mode: 'auto' } } }), {
      enabled: true,
      remoteAssistanceFeature: false,
      allowRemoteAssistance: false,
      organisationId: '',
      backofficeUrl: '',
      proxy: { mode: 'auto' },
      serviceControl: 'auto',
    });
    assert.deepEqual(readOrsAccount({ orsAccount: { kind: 'other' } }), { kind: 'localSystem' });
    assert.deepEqual(readOrsAccount({ orsAccount: { kind: 'other', username: 'svc' } }), { kind: 'other', username: 'svc' });
    assert.equal(readSelection({ licenseServer: { kind: 'nfs' } }), undefined);
  });
});
