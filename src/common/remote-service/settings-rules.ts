/**
 * The one validation of the Remote Service settings, used by the dialog (in the browser), the
 * plugin's `remoteService.save` and `ors config set`. Every field is checked at once, each error
 * names its field (dotted like the settings key: `proxy.port`, `orsAccount.username`).
 * Isomorphic: nothing from node:*.
 */
import type { ErrorInfo, MessageParams } from '../errors.js';
import type { OrsAccount } from '../license-server/selection.js';
import { validateOrsAccount, validateOrsAccountPassword } from '../ors-account.js';
import { validateKerberosServiceName, validateProxyHost, validateProxyPort, validateRemoteAssistance } from '../proxy/settings.js';
import type { SECRET_NAMES} from './model.js';
import { type ProxyMode, type RemoteServiceProxy, type RemoteServiceSettings } from './model.js';

export const REMOTE_SERVICE_SETTING = 'remoteService';
export type SecretName = keyof typeof SECRET_NAMES;
export const SECRET_LIST: readonly SecretName[] = ['verificationCode', 'proxyPassword', 'orsAccountPassword'];
export const SERVICE_CONTROLS = ['auto', 'embedded', 'systemd', 'windows'] as const;

export type RemoteServiceField =
  | 'enabled'
  | 'remoteAssistanceFeature'
  | 'allowRemoteAssistance'
  | 'organisationId'
  | 'verificationCode'
  | 'backofficeUrl'
  | 'caFile'
  | 'serviceControl'
  | 'proxy.mode'
  | 'proxy.host'
  | 'proxy.port'
  | 'proxy.username'
  | 'proxy.password'
  | 'proxy.domain'
  | 'proxy.kerberosServiceName'
  | 'orsAccount.kind'
  | 'orsAccount.username'
  | 'orsAccount.domain'
  | 'orsAccount.password';

/** The field a secret is entered at. */
export const SECRET_FIELD: Readonly<Record<SecretName, RemoteServiceField>> = {
  verificationCode: 'verificationCode',
  proxyPassword: 'proxy.password',
  orsAccountPassword: 'orsAccount.password',
};

export interface RemoteServiceFieldError extends ErrorInfo {
  readonly field: RemoteServiceField;
}

/** What the dialog or the command line hands in: values as typed (a port may be text). */
export interface RemoteServiceInput {
  readonly enabled: boolean;
  readonly remoteAssistanceFeature?: boolean;
  readonly allowRemoteAssistance?: boolean;
  readonly organisationId?: string;
  readonly backofficeUrl?: string;
  readonly caFile?: string;
  readonly serviceControl?: string;
  readonly proxy?: {
    readonly mode?: string;
    readonly host?: string;
    readonly port?: string | number;
    readonly authenticate?: boolean;
    readonly username?: string;
    readonly domain?: string;
    readonly kerberosServiceName?: string;
  };
  readonly orsAccount?: { readonly kind?: string; readonly username?: string; readonly domain?: string };
}

/** New secret values (write-only); absent or '' = keep the stored one. */
export type RemoteServiceSecretsInput = Partial<Record<SecretName, string>>;

export interface RulesContext {
  /** Which secrets are stored already (their values are never needed here). */
  readonly secretsSet: Readonly<Record<SecretName, boolean>>;
  /** The selected license server is remote: the ORS account must then be able to write to its share. */
  readonly licenseServerRemote?: boolean;
  /**
   * The input is a dialog's form: a greyed-out section (a proxy that is not manual, credentials that
   * are switched off, everything while Enable is off) is not validated, and a malformed value in it
   * is not saved — the previously saved value (`saved`) stays. The command line sets values one by
   * one and is told about every malformed one.
   */
  readonly form?: boolean;
  readonly saved?: RemoteServiceSettings;
  readonly savedAccount?: OrsAccount;
}

export type RemoteServiceValidation =
  | { readonly ok: true; readonly settings: RemoteServiceSettings; readonly account: OrsAccount; readonly secrets: RemoteServiceSecretsInput }
  | { readonly ok: false; readonly errors: readonly RemoteServiceFieldError[] };

const ORG_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

function err(field: RemoteServiceField, code: string, params: MessageParams = {}): RemoteServiceFieldError {
  return { code, params, field };
}

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
}

/** Checks one new secret value (independently of the other fields). */
export function validateSecret(name: SecretName, value: string): RemoteServiceFieldError | undefined {
  const field = SECRET_FIELD[name];
  if (value === '') return err(field, `remote-service.${name === 'verificationCode' ? 'code' : name === 'proxyPassword' ? 'proxy-password' : 'account-password'}-required`);
  if (name === 'verificationCode') {
    if (value.length > 128 || CONTROL.test(value)) return err(field, 'remote-service.code-invalid');
    return undefined;
  }
  if (name === 'orsAccountPassword') return validateOrsAccountPassword(value);
  if (/[\r\n\0]/.test(value)) return err(field, 'remote-service.password-invalid');
  return undefined;
}

function validateUrl(raw: string, enabled: boolean, errors: RemoteServiceFieldError[]): string {
  if (raw === '') {
    if (enabled) errors.push(err('backofficeUrl', 'remote-service.backoffice-url-required'));
    return '';
  }
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    errors.push(err('backofficeUrl', 'remote-service.backoffice-url-invalid', { value: raw }));
    return raw;
  }
  if (u.protocol !== 'https:' || u.hostname === '') errors.push(err('backofficeUrl', 'remote-service.backoffice-url-invalid', { value: raw }));
  // Secrets never in URLs.
  else if (u.username || u.password) errors.push(err('backofficeUrl', 'remote-service.backoffice-url-credentials'));
  return u.href.replace(/\/$/, '');
}

function validateProxy(input: RemoteServiceInput, secrets: RemoteServiceSecretsInput, ctx: RulesContext, errors: RemoteServiceFieldError[]): RemoteServiceProxy {
  const p = input.proxy ?? {};
  const mode = (p.mode ?? 'none') as ProxyMode;
  if (!['none', 'auto', 'manual'].includes(mode)) {
    errors.push(err('proxy.mode', 'remote-service.proxy-mode-invalid', { value: String(p.mode) }));
    return { mode: 'none' };
  }
  // Host and port are required only for a manual proxy; otherwise kept (if well-formed) for later.
  const manual = mode === 'manual';
  const saved = ctx.saved?.proxy;
  // A greyed-out part of a form: its malformed leftovers are neither reported nor saved.
  const check = (active: boolean, e: RemoteServiceFieldError | undefined): boolean => {
    if (!e) return true;
    if (ctx.form && !active) return false;
    errors.push(e);
    return false;
  };
  let host: string | undefined = text(p.host).replace(/^\[(.*)\]$/, '$1');
  if (host === '') {
    if (manual) errors.push(err('proxy.host', 'remote-service.proxy-host-required'));
    host = undefined;
  } else {
    const e = validateProxyHost(host, 'proxy.host');
    if (!check(manual, e ? err('proxy.host', e.code, { ...e.params }) : undefined)) host = saved?.host;
  }
  const rawPort = text(p.port);
  let port: number | undefined;
  if (rawPort === '') {
    if (manual) errors.push(err('proxy.port', 'remote-service.proxy-port-required'));
  } else {
    const e = validateProxyPort(rawPort, 'proxy.port');
    port = check(manual, e ? err('proxy.port', e.code, { ...e.params }) : undefined) ? Number(rawPort) : saved?.port;
  }
  const authenticate = p.authenticate === true;
  const credentials = manual && authenticate;
  let username: string | undefined = text(p.username);
  let domain: string | undefined = text(p.domain);
  if (authenticate) {
    if (username === '') {
      if (manual) errors.push(err('proxy.username', 'remote-service.proxy-user-required'));
    } else if (username.length > 256 || CONTROL.test(username) || username.includes(':')) {
      // A colon ends the user name in Basic authentication; control characters break the header.
      if (!check(credentials, err('proxy.username', 'remote-service.proxy-user-invalid', { value: username }))) username = saved?.username;
    }
    if (manual && !secrets.proxyPassword && !ctx.secretsSet.proxyPassword) errors.push(err('proxy.password', 'remote-service.proxy-password-required'));
    if (domain !== '' && (/[\\/@]/.test(domain) || CONTROL.test(domain) || domain.length > 253)) {
      if (!check(credentials, err('proxy.domain', 'proxy.domain-invalid', { domain }))) domain = saved?.domain;
    }
  }
  // Kerberos service name of the manual proxy (when it is not HTTP/<host>): with or without credentials, Negotiate may use it.
  let kerberosServiceName: string | undefined = text(p.kerberosServiceName);
  if (kerberosServiceName !== '') {
    const e = validateKerberosServiceName(kerberosServiceName, 'proxy.kerberosServiceName');
    if (!check(manual, e ? err('proxy.kerberosServiceName', e.code, { ...e.params }) : undefined)) kerberosServiceName = saved?.kerberosServiceName;
  }
  return {
    mode,
    ...(host ? { host } : {}),
    ...(port !== undefined ? { port } : {}),
    authenticate,
    ...(authenticate && username ? { username } : {}),
    ...(authenticate && domain ? { domain } : {}),
    ...(kerberosServiceName ? { kerberosServiceName } : {}),
  };
}

function validateAccount(input: RemoteServiceInput, secrets: RemoteServiceSecretsInput, ctx: RulesContext, errors: RemoteServiceFieldError[]): OrsAccount {
  const r = validateOrsAccount(input.orsAccount, { remote: ctx.licenseServerRemote === true, passwordSet: ctx.secretsSet.orsAccountPassword, passwordGiven: !!secrets.orsAccountPassword });
  errors.push(...r.errors);
  return r.account;
}

/**
 * Validates the whole form. Enable gating: while `enabled` is off nothing is required (the other
 * options are greyed and keep what they hold), but what is filled in must still be well-formed,
 * so that switching on later never meets a broken stored value.
 */
export function validateRemoteService(input: RemoteServiceInput, secretsIn: RemoteServiceSecretsInput, ctx: RulesContext): RemoteServiceValidation {
  const errors: RemoteServiceFieldError[] = [];
  const enabled = input.enabled === true;
  const secrets: RemoteServiceSecretsInput = {};
  for (const name of SECRET_LIST) {
    const v = secretsIn[name];
    if (typeof v !== 'string' || v === '') continue;
    const e = validateSecret(name, v);
    if (e) errors.push(e);
    else secrets[name] = v;
  }
  // While Enable is off a form is greyed: what it holds is kept when well-formed, else the saved value stays.
  const lenient = ctx.form === true && !enabled;
  const sink: RemoteServiceFieldError[] = [];
  const report = lenient ? sink : errors;
  let organisationId = text(input.organisationId);
  if (organisationId === '') {
    if (enabled) errors.push(err('organisationId', 'remote-service.org-id-required'));
  } else if (!ORG_ID.test(organisationId)) {
    report.push(err('organisationId', 'remote-service.org-id-invalid', { value: organisationId }));
    organisationId = ctx.saved?.organisationId ?? '';
  }
  if (enabled && !secretsIn.verificationCode && !ctx.secretsSet.verificationCode && !errors.some((e) => e.field === 'verificationCode')) {
    errors.push(err('verificationCode', 'remote-service.code-required'));
  }
  const urlErrors: RemoteServiceFieldError[] = [];
  let backofficeUrl = validateUrl(text(input.backofficeUrl), enabled, urlErrors);
  if (urlErrors.length) {
    report.push(...urlErrors);
    if (lenient) backofficeUrl = ctx.saved?.backofficeUrl ?? '';
  }
  let caFile = text(input.caFile);
  if (caFile !== '' && (!isAbsolutePath(caFile) || CONTROL.test(caFile))) {
    report.push(err('caFile', 'remote-service.ca-file-invalid', { value: caFile }));
    caFile = ctx.saved?.caFile ?? '';
  }
  const serviceControl = (input.serviceControl ?? 'auto') as RemoteServiceSettings['serviceControl'];
  if (!SERVICE_CONTROLS.includes(serviceControl)) errors.push(err('serviceControl', 'remote-service.service-control-invalid', { value: String(input.serviceControl) }));
  const proxy = validateProxy(input, secretsIn, ctx, report);
  let remoteAssistanceFeature = input.remoteAssistanceFeature === true;
  let allowRemoteAssistance = input.allowRemoteAssistance === true;
  // SPEC F3 item 2: refused with auto-detect; the message says to configure the proxy manually first.
  const ra = validateRemoteAssistance(remoteAssistanceFeature, proxy.mode, 'remoteAssistanceFeature');
  if (ra) {
    report.push(err('remoteAssistanceFeature', ra.code, { ...ra.params }));
    remoteAssistanceFeature = ctx.saved?.remoteAssistanceFeature ?? false;
  }
  const allow = validateRemoteAssistance(allowRemoteAssistance, proxy.mode, 'allowRemoteAssistance');
  if (allow) {
    report.push(err('allowRemoteAssistance', allow.code, { ...allow.params }));
    allowRemoteAssistance = ctx.saved?.allowRemoteAssistance ?? false;
  }
  const accountErrors: RemoteServiceFieldError[] = [];
  let account = validateAccount(input, secretsIn, ctx, accountErrors);
  if (accountErrors.length) {
    report.push(...accountErrors);
    account = ctx.savedAccount ?? { kind: 'localSystem' };
  }
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      enabled,
      remoteAssistanceFeature,
      allowRemoteAssistance,
      organisationId,
      backofficeUrl,
      ...(caFile ? { caFile } : {}),
      proxy,
      serviceControl,
    },
    account,
    secrets,
  };
}

/** The stored values as form input (what validateRemoteService takes back). */
export function inputOf(settings: RemoteServiceSettings, account: OrsAccount): RemoteServiceInput {
  return {
    enabled: settings.enabled,
    remoteAssistanceFeature: settings.remoteAssistanceFeature,
    allowRemoteAssistance: settings.allowRemoteAssistance,
    organisationId: settings.organisationId,
    backofficeUrl: settings.backofficeUrl,
    ...(settings.caFile ? { caFile: settings.caFile } : {}),
    serviceControl: settings.serviceControl,
    proxy: { ...settings.proxy, ...(settings.proxy.port !== undefined ? { port: settings.proxy.port } : {}) },
    orsAccount: account,
  };
}

/** What is still missing before the ORS service can connect (for ConnectionState 'not-configured'). */
export function missingFields(settings: RemoteServiceSettings, secretsSet: Readonly<Record<SecretName, boolean>>): RemoteServiceField[] {
  const out: RemoteServiceField[] = [];
  if (!settings.organisationId) out.push('organisationId');
  if (!secretsSet.verificationCode) out.push('verificationCode');
  if (!settings.backofficeUrl) out.push('backofficeUrl');
  return out;
}

const CONNECTION_FIELDS = new Set<RemoteServiceField>(['organisationId', 'verificationCode', 'backofficeUrl', 'caFile']);

/** What [Test connection] needs right: organisation ID and code, the back-office address, the CA file and the proxy (the one rule for dialog and service). */
export function connectionTestErrors(errors: readonly RemoteServiceFieldError[]): RemoteServiceFieldError[] {
  return errors.filter((e) => CONNECTION_FIELDS.has(e.field) || e.field.startsWith('proxy.'));
}
