import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodedError } from '../../src/common/errors.js';
import { formatUnc, parseShareHost, parseSharePort, parseUnc, validateShareFileName } from '../../src/common/unc.js';
import { MessageCatalogue } from '../../src/common/i18n.js';
import { shareMessages } from '../../src/common/messages/share.js';

function errorOf(fn: () => unknown): CodedError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof CodedError, `expected a CodedError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

describe('UNC paths of the remote license folder', () => {
  const valid: [string, { host: string; share: string; folder: string }][] = [
    ['\\\\fls01\\licenses', { host: 'fls01', share: 'licenses', folder: '' }],
    ['\\\\fls01\\licenses\\', { host: 'fls01', share: 'licenses', folder: '' }],
    ['\\\\FLS01.corp.example.com\\Lic$\\Product A\\2026', { host: 'fls01.corp.example.com', share: 'Lic$', folder: 'Product A/2026' }],
    ['//10.0.0.5/licenses/flexlm', { host: '10.0.0.5', share: 'licenses', folder: 'flexlm' }],
    ['  \\\\127.0.0.1\\licenses\\lic  ', { host: '127.0.0.1', share: 'licenses', folder: 'lic' }],
    ['\\\\fe80--1.ipv6-literal.net\\licenses', { host: 'fe80::1', share: 'licenses', folder: '' }],
    ['\\\\server\\share with space\\a.b', { host: 'server', share: 'share with space', folder: 'a.b' }],
  ];
  for (const [input, expected] of valid) {
    it(`accepts ${input}`, () => assert.deepEqual(parseUnc(input), expected));
  }

  const invalid: [string, string][] = [
    ['', 'validation.required'],
    ['fls01\\licenses', 'share.invalid-unc'],
    ['\\fls01\\licenses', 'share.invalid-unc'],
    ['\\\\\\licenses', 'share.invalid-unc-host'],
    ['\\\\fls 01\\licenses', 'share.invalid-unc-host'],
    ['\\\\256.1.1.1\\licenses', 'share.invalid-unc-host'],
    ['\\\\-bad-\\licenses', 'share.invalid-unc-host'],
    ['\\\\fls01', 'share.invalid-unc-share'],
    ['\\\\fls01\\', 'share.invalid-unc-share'],
    ['\\\\fls01\\li:c', 'share.invalid-unc-share'],
    ['\\\\fls01\\lic\\..\\etc', 'share.invalid-unc-folder'],
    ['\\\\fls01\\lic\\a\\\\b', 'share.invalid-unc-folder'],
    ['\\\\fls01\\lic\\a*b', 'share.invalid-unc-folder'],
    ['\\\\fls01\\lic\\a"b', 'share.invalid-unc-folder'],
    ['\\\\fls01\\lic\\trailing.', 'share.invalid-unc-folder'],
    ['\\\\fls01\\lic\\' + 'x'.repeat(300), 'share.invalid-unc'],
  ];
  for (const [input, code] of invalid) {
    it(`rejects ${JSON.stringify(input).slice(0, 40)} with ${code} at the field`, () => {
      const e = errorOf(() => parseUnc(input, 'sharePath'));
      assert.equal(e.code, code);
      assert.equal(e.field, 'sharePath');
    });
  }

  it('formats a location back into the UNC form Windows shows', () => {
    assert.equal(formatUnc({ host: 'fls01', share: 'lic', folder: 'a/b' }), '\\\\fls01\\lic\\a\\b');
    assert.equal(formatUnc({ host: 'fe80::1', share: 'lic', folder: '' }), '\\\\fe80--1.ipv6-literal.net\\lic');
    assert.deepEqual(parseUnc(formatUnc({ host: '10.1.2.3', share: 'L', folder: 'x y/z' })), { host: '10.1.2.3', share: 'L', folder: 'x y/z' });
  });
});

describe('host, port and file name of a license server', () => {
  const hosts: [string, string | null][] = [
    ['fls01', 'fls01'],
    ['FLS01.Example.COM.', 'fls01.example.com'],
    ['192.168.1.10', '192.168.1.10'],
    ['[::1]', '::1'],
    ['2001:db8::7', '2001:db8::7'],
    ['::ffff:10.0.0.1', '::ffff:10.0.0.1'],
    ['01.2.3.4', null],
    ['1.2.3', null],
    ['host_name', null],
    ['a..b', null],
    ['x'.repeat(64) + '.com', null],
    ['1:2:3:4:5:6:7:8:9', null],
    ['http://fls01', null],
  ];
  for (const [input, expected] of hosts) {
    it(`${expected ? 'accepts' : 'rejects'} host ${input.slice(0, 30)}`, () => {
      if (expected) assert.equal(parseShareHost(input), expected);
      else {
        const e = errorOf(() => parseShareHost(input));
        assert.equal(e.code, 'share.invalid-host');
        assert.equal(e.field, 'host');
      }
    });
  }

  it('requires a host', () => assert.equal(errorOf(() => parseShareHost(' ')).code, 'validation.required'));

  it('accepts ports 1–65535 and nothing else, naming the field', () => {
    assert.equal(parseSharePort('445'), 445);
    assert.equal(parseSharePort(65535), 65535);
    assert.equal(parseSharePort(''), undefined);
    for (const bad of ['0', '65536', '44a', '-1', '4.5']) {
      const e = errorOf(() => parseSharePort(bad, 'smbPort'));
      assert.equal(e.code, 'share.invalid-port');
      assert.equal(e.field, 'smbPort');
    }
  });

  it('accepts plain license file names and rejects paths and reserved characters', () => {
    assert.equal(validateShareFileName('license-2026.lic'), 'license-2026.lic');
    for (const bad of ['../x.lic', 'a/b', 'a\\b', 'a"b', 'x?', '.', '..', 'trail.', ' lead', 'x'.repeat(256)]) {
      assert.equal(errorOf(() => validateShareFileName(bad)).code, 'share.invalid-file-name', bad);
    }
  });
});

describe('share messages', () => {
  it('has English and German text for every share code', () => {
    for (const [code, texts] of Object.entries(shareMessages)) {
      assert.ok(code.startsWith('share.'), code);
      assert.ok(texts.en.length > 0 && texts.de.length > 0, code);
      assert.notEqual(texts.en, texts.de, code);
    }
  });

  it('fills the parameters into both languages', () => {
    const catalogue = new MessageCatalogue(shareMessages);
    assert.match(catalogue.format('en', 'share.invalid-port', { value: '70000' }), /70000/);
    assert.match(catalogue.format('de', 'share.no-such-share', { host: 'fls01', share: 'lic' }), /fls01.*lic/);
  });
});
