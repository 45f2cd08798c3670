import type { RemoteServiceView } from '../../common/remote-service/remote-service-api.js';
import type { RemoteServiceInput, RemoteServiceSecretsInput } from '../../common/remote-service/settings-rules.js';

/** The Remote Service form as typed (strings kept as typed so nothing the administrator entered is lost). */
export interface FormState {
  enabled: boolean;
  remoteAssistanceFeature: boolean;
  allowRemoteAssistance: boolean;
  organisationId: string;
  backofficeUrl: string;
  caFile: string;
  serviceControl: string;
  proxyMode: 'none' | 'auto' | 'manual';
  proxyHost: string;
  proxyPort: string;
  proxyAuth: boolean;
  proxyUser: string;
  proxyDomain: string;
  proxyKerberos: string;
  accountKind: 'localSystem' | 'other';
  accountUser: string;
  accountDomain: string;
}

/** The write-only secrets, by the field they are entered at. */
export type SecretField = 'verificationCode' | 'proxy.password' | 'orsAccount.password';
export const SECRET_FIELDS: readonly SecretField[] = ['verificationCode', 'proxy.password', 'orsAccount.password'];
export const NO_SECRETS: Readonly<Record<SecretField, string>> = { verificationCode: '', 'proxy.password': '', 'orsAccount.password': '' };
export const NOT_CHANGING: Readonly<Record<SecretField, boolean>> = { verificationCode: false, 'proxy.password': false, 'orsAccount.password': false };

export const EMPTY_FORM: FormState = {
  enabled: false, remoteAssistanceFeature: false, allowRemoteAssistance: false, organisationId: '', backofficeUrl: '', caFile: '', serviceControl: 'auto',
  proxyMode: 'none', proxyHost: '', proxyPort: '', proxyAuth: false, proxyUser: '', proxyDomain: '', proxyKerberos: '', accountKind: 'localSystem', accountUser: '', accountDomain: '',
};

export function formOf(v: RemoteServiceView): FormState {
  const s = v.settings;
  const a = v.account;
  return {
    enabled: s.enabled, remoteAssistanceFeature: s.remoteAssistanceFeature, allowRemoteAssistance: s.allowRemoteAssistance, organisationId: s.organisationId,
    backofficeUrl: s.backofficeUrl, caFile: s.caFile ?? '', serviceControl: s.serviceControl, proxyMode: s.proxy.mode, proxyHost: s.proxy.host ?? '',
    proxyPort: s.proxy.port !== undefined ? String(s.proxy.port) : '', proxyAuth: s.proxy.authenticate === true, proxyUser: s.proxy.username ?? '', proxyDomain: s.proxy.domain ?? '',
    proxyKerberos: s.proxy.kerberosServiceName ?? '',
    accountKind: a.kind, accountUser: a.kind === 'other' ? a.username : '', accountDomain: a.kind === 'other' ? (a.domain ?? '') : '',
  };
}

export function inputOf(f: FormState): RemoteServiceInput {
  return {
    enabled: f.enabled, remoteAssistanceFeature: f.remoteAssistanceFeature, allowRemoteAssistance: f.allowRemoteAssistance, organisationId: f.organisationId,
    backofficeUrl: f.backofficeUrl, caFile: f.caFile, serviceControl: f.serviceControl,
    proxy: { mode: f.proxyMode, host: f.proxyHost, port: f.proxyPort, authenticate: f.proxyAuth, username: f.proxyUser, domain: f.proxyDomain, kerberosServiceName: f.proxyKerberos },
    orsAccount: f.accountKind === 'other' ? { kind: 'other', username: f.accountUser, domain: f.accountDomain } : { kind: 'localSystem' },
  };
}

export function secretsInputOf(s: Readonly<Record<SecretField, string>>): RemoteServiceSecretsInput {
  return {
    ...(s.verificationCode ? { verificationCode: s.verificationCode } : {}),
    ...(s['proxy.password'] ? { proxyPassword: s['proxy.password'] } : {}),
    ...(s['orsAccount.password'] ? { orsAccountPassword: s['orsAccount.password'] } : {}),
  };
}

