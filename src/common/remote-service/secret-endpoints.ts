import type { LicenseServerSelection } from '../license-server/selection.js';
import { readRemoteService, readSelection } from '../settings/read-settings.js';
import type { RemoteServiceProxy, RemoteServiceSettings } from './model.js';
import type { SecretName } from './settings-rules.js';

/**
 * Where each secret is sent: a stored secret is bound to the endpoint it was saved for and is only
 * ever handed out for that endpoint (the secret store enforces it). Endpoints are shown to the user
 * when a secret must be entered again, so they read as addresses.
 */
export function proxyEndpoint(proxy: RemoteServiceProxy): string {
  // Automatic detection (PAC, system settings) decides the host at run time: bound to the mode.
  return proxy.mode === 'manual' ? `proxy://${(proxy.host ?? '').toLowerCase()}:${proxy.port ?? 0}` : `proxy:${proxy.mode}`;
}

export function backofficeEndpoint(url: string): string {
  try {
    const u = new URL(url.trim());
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return url.trim();
  }
}

/** The ORS account logs on to the remote license server's share; on a local one it is not sent anywhere. */
export function licenseServerEndpoint(selection: LicenseServerSelection | undefined): string {
  return selection?.kind === 'remote' ? `smb://${selection.host.toLowerCase()}` : 'local';
}

export function secretEndpoints(settings: RemoteServiceSettings, selection: LicenseServerSelection | undefined): Readonly<Record<SecretName, string>> {
  return {
    verificationCode: backofficeEndpoint(settings.backofficeUrl),
    proxyPassword: proxyEndpoint(settings.proxy),
    orsAccountPassword: licenseServerEndpoint(selection),
  };
}

/** The endpoints of the saved settings: where the ORS service and the saved configuration send each secret. */
export function savedSecretEndpoints(values: Readonly<Record<string, unknown>>): Readonly<Record<SecretName, string>> {
  return secretEndpoints(readRemoteService(values), readSelection(values));
}
