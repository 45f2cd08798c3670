import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { messages } from '../../src/common/messages/index.js';
import { remoteServiceMessages } from '../../src/common/messages/remote-service.js';
import {
  validateRemoteService,
  validateSecret,
  type RemoteServiceInput,
  type RemoteServiceSecretsInput,
  type RulesContext,
} from '../../src/common/remote-service/settings-rules.js';

const NONE_SET: RulesContext = { secretsSet: { verificationCode: false, proxyPassword: false, orsAccountPassword: false } };
const ALL_SET: RulesContext = { secretsSet: { verificationCode: true, proxyPassword: true, orsAccountPassword: true } };

const GOOD: RemoteServiceInput = {
  enabled: true,
  remoteAssistanceFeature: false,
  organisationId: 'DEMO-ORG',
  backofficeUrl: 'https://backoffice.example.com',
  proxy: { mode: 'manual', host: 'proxy.corp', port: '3128', authenticate: true, username: 'alice', domain: 'CORP' },
  orsAccount: { kind: 'localSystem' },
};

const with_ = (patch: Partial<RemoteServiceInput>): RemoteServiceInput => ({ ...GOOD, ...patch });
const proxy = (patch: NonNullable<RemoteServiceInput['proxy']>): RemoteServiceInput => ({ ...GOOD, proxy: { ...GOOD.proxy, ...patch } });

interface Row {
  readonly rule: string;
  readonly input: RemoteServiceInput;
  readonly secrets?: RemoteServiceSecretsInput;
  readonly ctx?: RulesContext;
  readonly field: string;
  readonly code: string;
  readonly en: string;
  readonly de: string;
}

/** Every rule, with the English and German text the administrator reads at the field. */
const TABLE: readonly Row[] = [
  { rule: 'organisation ID required when enabled', input: with_({ organisationId: '' }), field: 'organisationId', code: 'remote-service.org-id-required', en: 'Enter the service organisation ID', de: 'Geben Sie die Kundendienstorganisation-ID ein' },
  { rule: 'organisation ID format', input: with_({ organisationId: 'ACME ORG' }), field: 'organisationId', code: 'remote-service.org-id-invalid', en: 'ACME ORG is not a service organisation ID', de: 'ACME ORG ist keine Kundendienstorganisation-ID' },
  { rule: 'organisation ID longer than 64', input: with_({ organisationId: 'A'.repeat(65) }), field: 'organisationId', code: 'remote-service.org-id-invalid', en: 'is not a service organisation ID', de: 'ist keine Kundendienstorganisation-ID' },
  { rule: 'verification code required when enabled and not set', input: GOOD, secrets: { proxyPassword: 'pw' }, ctx: { secretsSet: { ...ALL_SET.secretsSet, verificationCode: false } }, field: 'verificationCode', code: 'remote-service.code-required', en: 'Enter the verification code', de: 'Geben Sie den Überprüfungscode' },
  { rule: 'verification code without control characters', input: GOOD, secrets: { verificationCode: 'ab\x07cd' }, field: 'verificationCode', code: 'remote-service.code-invalid', en: 'must not contain control characters', de: 'keine Steuerzeichen' },
  { rule: 'back office address required when enabled', input: with_({ backofficeUrl: '' }), field: 'backofficeUrl', code: 'remote-service.backoffice-url-required', en: 'Enter the address of the remote-service back office', de: 'Geben Sie die Adresse des Remote-Service-Back-Office ein' },
  { rule: 'back office only over https', input: with_({ backofficeUrl: 'http://backoffice.example.com' }), field: 'backofficeUrl', code: 'remote-service.backoffice-url-invalid', en: 'http://backoffice.example.com is not an https:// address', de: 'http://backoffice.example.com ist keine https://-Adresse' },
  { rule: 'no credentials in the back office address', input: with_({ backofficeUrl: 'https://u:p@backoffice.example.com' }), field: 'backofficeUrl', code: 'remote-service.backoffice-url-credentials', en: 'must not contain a user name or password', de: 'darf weder Benutzernamen noch Passwort enthalten' },
  { rule: 'CA file is an absolute path', input: with_({ caFile: 'ca.pem' }), field: 'caFile', code: 'remote-service.ca-file-invalid', en: 'ca.pem is not an absolute path', de: 'ca.pem ist kein absoluter Pfad' },
  { rule: 'service control is known', input: with_({ serviceControl: 'launchd' }), field: 'serviceControl', code: 'remote-service.service-control-invalid', en: 'launchd is not a way to run the ORS service', de: 'launchd ist keine Art, den ORS-Dienst auszuführen' },
  { rule: 'remote assistance refused with auto-detect proxy', input: with_({ remoteAssistanceFeature: true, proxy: { mode: 'auto' } }), field: 'remoteAssistanceFeature', code: 'proxy.auto-not-allowed', en: 'Configure the proxy manually (or choose no proxy), then allow remote assistance', de: 'Konfigurieren Sie den Proxy manuell' },
  { rule: 'allow remote assistance refused with auto-detect proxy', input: with_({ allowRemoteAssistance: true, proxy: { mode: 'auto' } }), field: 'allowRemoteAssistance', code: 'proxy.auto-not-allowed', en: 'cannot use an auto-detected proxy', de: 'keinen automatisch erkannten Proxy' },
  { rule: 'proxy mode is known', input: proxy({ mode: 'pac' }), field: 'proxy.mode', code: 'remote-service.proxy-mode-invalid', en: 'pac is not a proxy setting', de: 'pac ist keine Proxy-Einstellung' },
  { rule: 'manual proxy needs a host', input: proxy({ host: '' }), field: 'proxy.host', code: 'remote-service.proxy-host-required', en: 'Enter the host name or IP address of the proxy server', de: 'Geben Sie den Hostnamen oder die IP-Adresse des Proxy-Servers ein' },
  { rule: 'proxy host is a DNS name or IP', input: proxy({ host: 'proxy_corp!' }), field: 'proxy.host', code: 'proxy.host-invalid', en: 'Proxy host "proxy_corp!" is not a host name or IP address', de: 'Proxy-Host „proxy_corp!“ ist kein Hostname und keine IP-Adresse' },
  { rule: 'proxy host: a malformed IPv4 is no name', input: proxy({ host: '10.0.0.256' }), field: 'proxy.host', code: 'proxy.host-invalid', en: '"10.0.0.256" is not a host name', de: '„10.0.0.256“ ist kein Hostname' },
  { rule: 'proxy host: no scheme or port in it', input: proxy({ host: 'http://proxy:8080' }), field: 'proxy.host', code: 'proxy.host-invalid', en: 'is not a host name or IP address', de: 'ist kein Hostname' },
  { rule: 'manual proxy needs a port', input: proxy({ port: '' }), field: 'proxy.port', code: 'remote-service.proxy-port-required', en: 'Enter the port the proxy server uses (1–65535)', de: 'Geben Sie die vom Proxy-Server verwendete Anschlussnummer ein' },
  { rule: 'proxy port 0 refused', input: proxy({ port: '0' }), field: 'proxy.port', code: 'proxy.port-invalid', en: 'Proxy port "0" must be a number from 1 to 65535', de: 'Proxy-Port „0“ muss eine Zahl von 1 bis 65535 sein' },
  { rule: 'proxy port 65536 refused', input: proxy({ port: 65536 }), field: 'proxy.port', code: 'proxy.port-invalid', en: '"65536" must be a number from 1 to 65535', de: '„65536“ muss eine Zahl von 1 bis 65535 sein' },
  { rule: 'proxy port is a number', input: proxy({ port: '80a' }), field: 'proxy.port', code: 'proxy.port-invalid', en: '"80a" must be a number', de: '„80a“ muss eine Zahl' },
  { rule: 'proxy authentication needs a user', input: proxy({ username: '' }), ctx: ALL_SET, field: 'proxy.username', code: 'remote-service.proxy-user-required', en: 'Enter the user name for the proxy server', de: 'Geben Sie den Benutzernamen für den Proxy-Server ein' },
  { rule: 'proxy user without colon', input: proxy({ username: 'a:b' }), ctx: ALL_SET, field: 'proxy.username', code: 'remote-service.proxy-user-invalid', en: 'a:b is not a valid proxy user name', de: 'a:b ist kein gültiger Proxy-Benutzername' },
  { rule: 'proxy authentication needs a password', input: GOOD, secrets: {}, ctx: { secretsSet: { ...ALL_SET.secretsSet, proxyPassword: false } }, field: 'proxy.password', code: 'remote-service.proxy-password-required', en: 'Enter the password for the proxy server (case-sensitive)', de: 'Geben Sie das Passwort für den Proxy-Server ein' },
  { rule: 'proxy password without line breaks', input: GOOD, secrets: { proxyPassword: 'a\nb' }, ctx: ALL_SET, field: 'proxy.password', code: 'remote-service.password-invalid', en: 'must not contain a line break', de: 'darf keinen Zeilenumbruch enthalten' },
  { rule: 'proxy domain without \\ / @', input: proxy({ domain: 'CORP\\x' }), ctx: ALL_SET, field: 'proxy.domain', code: 'proxy.domain-invalid', en: 'Proxy domain "CORP\\x" must not contain', de: 'Proxy-Domäne „CORP\\x“ darf weder' },
  { rule: 'ORS account kind is known', input: with_({ orsAccount: { kind: 'root' } }), ctx: ALL_SET, field: 'orsAccount.kind', code: 'ors-account.kind-invalid', en: 'Choose Local System or another account', de: 'Wählen Sie „Lokales Systemkonto“ oder „Anderes Konto“' },
  { rule: 'other account: user required with the password', input: with_({ orsAccount: { kind: 'other', username: '' } }), ctx: ALL_SET, field: 'orsAccount.username', code: 'ors-account.user-required', en: 'Enter the user name of the account together with its password', de: 'Geben Sie den Benutzernamen des Kontos zusammen mit seinem Passwort ein' },
  { rule: 'other account: password required with the user', input: with_({ orsAccount: { kind: 'other', username: 'svc-ors' } }), ctx: { secretsSet: { ...ALL_SET.secretsSet, orsAccountPassword: false } }, field: 'orsAccount.password', code: 'ors-account.password-required', en: 'Enter the password of the account together with its user name', de: 'Geben Sie das Passwort des Kontos zusammen mit seinem Benutzernamen ein' },
  { rule: 'other account: user name Windows allows', input: with_({ orsAccount: { kind: 'other', username: 'a/b' } }), ctx: ALL_SET, field: 'orsAccount.username', code: 'ors-account.user-invalid', en: 'a/b is not a valid user name', de: 'a/b ist kein gültiger Benutzername' },
  { rule: 'other account: domain is a name', input: with_({ orsAccount: { kind: 'other', username: 'svc', domain: 'corp domain' } }), ctx: ALL_SET, field: 'orsAccount.domain', code: 'ors-account.domain-invalid', en: 'corp domain is not a valid domain name', de: 'corp domain ist kein gültiger Domänenname' },
  { rule: 'other account: password without leading blank', input: with_({ orsAccount: { kind: 'other', username: 'svc' } }), secrets: { orsAccountPassword: ' secret' }, ctx: ALL_SET, field: 'orsAccount.password', code: 'ors-account.password-invalid', en: 'must not contain a line break or start with a blank', de: 'nicht mit einem Leerzeichen beginnen' },
  { rule: 'Local System refused while the license server is remote', input: GOOD, ctx: { ...ALL_SET, licenseServerRemote: true }, field: 'orsAccount.kind', code: 'ors-account.required-remote', en: 'The license server is remote', de: 'Der Lizenzserver ist remote' },
];

describe('Remote Service settings rules (one implementation for dialog, plugin and CLI)', () => {
  for (const row of TABLE) {
    it(`refuses at ${row.field}: ${row.rule}, in English and German`, () => {
      const r = validateRemoteService(row.input, row.secrets ?? { verificationCode: 'c0de', proxyPassword: 'pw' }, row.ctx ?? NONE_SET);
      assert.equal(r.ok, false, 'expected a refusal');
      if (r.ok) return;
      const e = r.errors.find((x) => x.field === row.field);
      assert.ok(e, `no error at ${row.field}; got ${JSON.stringify(r.errors)}`);
      assert.equal(e.code, row.code);
      const en = messages.format('en', e.code, e.params);
      const de = messages.format('de', e.code, e.params);
      assert.ok(en.includes(row.en), `en: ${en}`);
      assert.ok(de.includes(row.de), `de: ${de}`);
      assert.notEqual(en, de);
    });
  }

  it('accepts the complete form and normalises it (port as number, trimmed values)', () => {
    const r = validateRemoteService(proxy({ host: ' Proxy.Corp ', port: ' 3128 ' }), { verificationCode: 'c0de', proxyPassword: 'pw' }, NONE_SET);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
    assert.deepEqual(r.settings.proxy, { mode: 'manual', host: 'Proxy.Corp', port: 3128, authenticate: true, username: 'alice', domain: 'CORP' });
    assert.deepEqual(r.secrets, { verificationCode: 'c0de', proxyPassword: 'pw' });
    assert.deepEqual(r.account, { kind: 'localSystem' });
  });

  it('accepts IPv4 and IPv6 proxy hosts, bracketed or not', () => {
    for (const host of ['10.1.2.3', '::1', '[2001:db8::5]', 'fe80::1:2']) {
      const r = validateRemoteService(proxy({ host }), {}, ALL_SET);
      assert.ok(r.ok, `${host}: ${JSON.stringify(!r.ok && r.errors)}`);
      assert.equal(r.settings.proxy.host, host.replace(/^\[|\]$/g, ''));
    }
  });

  it('requires nothing while Enable is off, but still refuses malformed values', () => {
    const off = validateRemoteService({ enabled: false }, {}, NONE_SET);
    assert.ok(off.ok);
    assert.equal(off.settings.enabled, false);
    const bad = validateRemoteService({ enabled: false, proxy: { mode: 'manual', host: 'x', port: '99999' } }, {}, NONE_SET);
    assert.equal(bad.ok, false);
    assert.deepEqual(!bad.ok && bad.errors.map((e) => e.field), ['proxy.port']);
  });

  it('allows remote assistance with a manual proxy or with no proxy', () => {
    assert.ok(validateRemoteService(with_({ remoteAssistanceFeature: true }), {}, ALL_SET).ok);
    assert.ok(validateRemoteService(with_({ remoteAssistanceFeature: true, proxy: { mode: 'none' } }), {}, ALL_SET).ok);
  });

  it('reports every error of a form at once, each at its own field', () => {
    const r = validateRemoteService({ enabled: true, organisationId: '', backofficeUrl: 'ftp://x', proxy: { mode: 'manual', host: '', port: '0' }, orsAccount: { kind: 'other' } }, {}, NONE_SET);
    assert.equal(r.ok, false);
    const fields = !r.ok ? r.errors.map((e) => e.field).sort() : [];
    assert.deepEqual(fields, ['backofficeUrl', 'orsAccount.password', 'orsAccount.username', 'organisationId', 'proxy.host', 'proxy.port', 'verificationCode'].sort());
  });

  it('checks a single secret as `ors config set-secret` does', () => {
    assert.equal(validateSecret('verificationCode', '')?.code, 'remote-service.code-required');
    assert.equal(validateSecret('proxyPassword', 'x\ny')?.field, 'proxy.password');
    assert.equal(validateSecret('orsAccountPassword', 'fine Pass'), undefined);
  });

  it('has an English and a German text for every code of the area, each distinct', () => {
    for (const [code, t] of Object.entries(remoteServiceMessages)) {
      assert.ok(t.en.trim() && t.de.trim(), code);
      assert.notEqual(t.en, t.de, code);
    }
    // Reused codes come from the shared catalogue.
    for (const code of ['proxy.auto-not-allowed', 'proxy.host-invalid', 'proxy.port-invalid', 'proxy.domain-invalid', 'settings.conflict']) assert.ok(messages.has(code), code);
  });
});
