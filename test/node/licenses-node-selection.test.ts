import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertLicenseServerInput, validateLicenseServerInput, type LicenseServerInput } from '../../src/common/license-server/selection.js';
import { messages } from '../../src/common/messages/index.js';
import { placeholdersOf } from '../../src/common/i18n.js';
import { licensesUiMessages } from '../../src/common/messages/licenses-ui.js';
import { CodedError } from '../../src/common/errors.js';

const account = { kind: 'other' as const, username: 'ors-svc', domain: 'example.com' };
const remote = (o: Partial<LicenseServerInput> = {}): LicenseServerInput => ({ kind: 'remote', host: 'fls.example.com', port: '27000', share: '\\\\fls\\licenses\\lic', account, ...o });
const pw = { passwordSet: true, passwordGiven: false };

/** [what, input, field, code, English fragment, German fragment] */
const REFUSED: [string, LicenseServerInput, string, string, RegExp, RegExp][] = [
  ['an empty host', remote({ host: '  ' }), 'host', 'licenses.host-required', /host name or IP/, /Hostnamen oder die IP-Adresse/],
  ['a host with a blank', remote({ host: 'fls server' }), 'host', 'licenses.invalid-host', /fls server is not a valid host/, /fls server ist kein gültiger Hostname/],
  ['a malformed IPv4 address', remote({ host: '10.0.0.256' }), 'host', 'licenses.invalid-host', /not a valid host/, /kein gültiger Hostname/],
  ['port 0', remote({ port: '0' }), 'port', 'licenses.invalid-port', /0 is not a valid port.*1 to 65535/, /0 ist kein gültiger Port.*1 bis 65535/],
  ['port 65536', remote({ port: 65536 }), 'port', 'licenses.invalid-port', /65536 is not a valid port/, /65536 ist kein gültiger Port/],
  ['a port with letters', remote({ port: '27k' }), 'port', 'licenses.invalid-port', /27k/, /27k/],
  ['an SMB port out of range', remote({ smbPort: '70000' }), 'smbPort', 'licenses.invalid-port', /70000/, /70000/],
  ['an empty UNC path', remote({ share: '' }), 'share', 'licenses.share-required', /\\\\host\\share\\folder/, /\\\\host\\freigabe\\ordner/],
  ['a drive path instead of a UNC path', remote({ share: 'C:\\licenses' }), 'share', 'licenses.invalid-unc', /not a UNC path/, /kein UNC-Pfad/],
  ['a UNC path without a share', remote({ share: '\\\\fls' }), 'share', 'licenses.invalid-unc-share', /share name/, /Freigabenamen/],
  ['a UNC path with a bad host', remote({ share: '\\\\bad host\\licenses' }), 'share', 'licenses.invalid-unc-host', /host in/, /Der Host in/],
  ['a UNC path with ..', remote({ share: '\\\\fls\\licenses\\..\\x' }), 'share', 'licenses.invalid-unc-folder', /folder in/, /Ordner in/],
  ['a remote server with Local System', remote({ account: { kind: 'localSystem' } }), 'accountKind', 'ors-account.required-remote', /Other account/, /Anderes Konto/],
  ['another account without a user name', remote({ account: { kind: 'other', username: '' } }), 'accountUser', 'ors-account.user-required', /user name/, /Benutzernamen/],
  ['a user name with a backslash', remote({ account: { kind: 'other', username: 'DOM\\user' } }), 'accountUser', 'ors-account.user-invalid', /not a valid user name/, /kein gültiger Benutzername/],
  ['a malformed domain', remote({ account: { kind: 'other', username: 'u', domain: 'bad domain' } }), 'accountDomain', 'ors-account.domain-invalid', /domain/, /Domänenname/],
  ['a local server without a folder', { kind: 'local', folder: '' }, 'folder', 'licenses.folder-required', /license folder/, /Lizenzordner/],
  ['a relative folder', { kind: 'local', folder: 'licenses' }, 'folder', 'licenses.folder-invalid', /absolute/, /absoluter/],
  ['an FLS URL that is not http', { kind: 'local', folder: '/srv/lic', flsUrl: 'ftp://x' }, 'flsUrl', 'licenses.invalid-fls-url', /http:\/\//, /http:\/\//],
  ['an FLS URL with credentials', { kind: 'local', folder: '/srv/lic', flsUrl: 'http://u:p@x:1' }, 'flsUrl', 'licenses.fls-url-credentials', /user name or password/, /Benutzernamen noch Passwort/],
];

describe('license-server selection validation (shared by the dialog, the RPC service and the CLI)', () => {
  for (const [what, input, field, code, en, de] of REFUSED) {
    it(`refuses ${what} at the field ${field}, in English and German`, () => {
      const r = validateLicenseServerInput(input, pw);
      assert.equal(r.ok, false);
      const e = !r.ok ? r.errors.find((x) => x.field === field) : undefined;
      assert.ok(e, `no error at ${field}: ${JSON.stringify(r)}`);
      assert.equal(e.code, code);
      assert.match(messages.formatError('en', e), en);
      assert.match(messages.formatError('de', e), de);
    });
  }

  it('reports every wrong field at once', () => {
    const r = validateLicenseServerInput(remote({ host: '', port: '0', share: 'x' }), pw);
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.errors.map((e) => e.field), ['host', 'port', 'share']);
  });

  it('asks for the password of another account unless one is stored or given', () => {
    const none = validateLicenseServerInput(remote(), { passwordSet: false, passwordGiven: false });
    assert.deepEqual(!none.ok && none.errors.map((e) => [e.field, e.code]), [['accountPassword', 'ors-account.password-required']]);
    assert.equal(validateLicenseServerInput(remote(), { passwordSet: false, passwordGiven: true }).ok, true);
  });

  it('normalises a valid remote selection (default FLS port, host lower-cased, UNC with backslashes)', () => {
    const r = assertLicenseServerInput(remote({ host: 'FLS.Example.com', port: '', share: '//fls/licenses/lic/', smbPort: '4450' }), pw);
    assert.deepEqual(r.selection, { kind: 'remote', host: 'fls.example.com', port: 27000, share: '\\\\fls\\licenses\\lic', smbPort: 4450 });
    assert.deepEqual(r.account, account);
  });

  it('accepts IPv4 and bracketed IPv6 hosts', () => {
    assert.equal(assertLicenseServerInput(remote({ host: '127.0.0.1' }), pw).selection.kind, 'remote');
    const v6 = assertLicenseServerInput(remote({ host: '[::1]' }), pw).selection;
    assert.equal(v6.kind === 'remote' && v6.host, '::1');
  });

  it('accepts a local server with a folder and an optional FLS URL', () => {
    const r = assertLicenseServerInput({ kind: 'local', folder: '/srv/licenses', flsUrl: 'http://127.0.0.1:27000/' }, pw);
    assert.deepEqual(r.selection, { kind: 'local', folder: '/srv/licenses', flsUrl: 'http://127.0.0.1:27000' });
    assert.deepEqual(r.account, { kind: 'localSystem' });
  });

  it('throws the first error as a CodedError naming its field', () => {
    assert.throws(() => assertLicenseServerInput(remote({ port: '99999' }), pw), (e: unknown) => e instanceof CodedError && e.field === 'port' && e.code === 'licenses.invalid-port');
  });

  it('has an English and a German text for every code of the Licenses area', () => {
    for (const [code, t] of Object.entries(licensesUiMessages)) {
      // A template of placeholders only (a date range) is the same in both languages.
      const words = t.en.replace(/\{[^}]*\}/g, '').replace(/[\s–:;,.()-]/g, '');
      assert.ok(t.en && t.de && (t.en !== t.de || words === ''), code);
      assert.equal(placeholdersOf(t.en).join(), placeholdersOf(t.de).join(), code);
    }
  });
});
