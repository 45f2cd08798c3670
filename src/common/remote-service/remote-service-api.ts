import type { Observable } from 'rxjs';
import type { ConnectionTestReport } from './connection-test.js';
import type { OrsAccount } from '../license-server/selection.js';
import type { RemoteServiceSettings, ServiceState } from './model.js';
import type { RemoteServiceInput, RemoteServiceSecretsInput, SecretName } from './settings-rules.js';

/** The stored settings as the dialog sees them: never a secret, only whether each one is set. */
export interface RemoteServiceView {
  readonly version: number;
  readonly settings: RemoteServiceSettings;
  readonly account: OrsAccount;
  readonly secretsSet: Readonly<Record<SecretName, boolean>>;
  /** The selected license server is remote (the ORS account must then be another account). */
  readonly licenseServerRemote: boolean;
}

/** The serial number from the Licenses area; `none` says why there is none. */
export type SerialView = { readonly kind: 'loading' } | { readonly kind: 'known'; readonly serial: string } | { readonly kind: 'none' };

/** The ORS service as the Feedback panel follows it. */
export interface RemoteServiceStateView {
  /** Whether the console can start/restart the service (a ServiceControl is bound). */
  readonly controllable: boolean;
  readonly service: ServiceState;
  /** Set while a restart runs (saving → restarting → waiting), for the dialog's progress. */
  readonly restarting?: 'saving' | 'restarting' | 'waiting';
  /** Who runs the ORS service: only as this console's child (with the command that installs it as a service), or the OS. */
  readonly hosting?: ServiceHostingView;
}

/** Whether the ORS service runs only while this console runs (issue 16), and how to install it as a service. */
export interface ServiceHostingView {
  readonly childOfConsole: boolean;
  readonly installCommand?: string;
}

/** The plugin's `remoteService` RPC service. No member ever returns a secret. */
export interface RemoteServiceService {
  settings$(): Observable<RemoteServiceView>;
  /** Validates, then saves settings and secrets; a stale version rejects with settings.conflict and changes nothing. */
  save(input: RemoteServiceInput, expectedVersion: number, secrets?: RemoteServiceSecretsInput): Promise<RemoteServiceView>;
  /** Restarts the ORS service and resolves once it reports again (the dialog saves first). */
  restart(): Promise<ServiceState>;
  startService(): Promise<ServiceState>;
  state$(): Observable<RemoteServiceStateView>;
  /**
   * Walks the ORS service's path with the given (unsaved) or the saved settings — proxy → tunnel →
   * TLS → HTTP → back-office login → serial known → license retrievable — with the stored secrets
   * where they were saved for these addresses (else `secrets.other-endpoint` at the field).
   */
  testConnection(input?: RemoteServiceInput, secrets?: RemoteServiceSecretsInput): Promise<ConnectionTestReport>;
  serial$(): Observable<SerialView>;
}

export const REMOTE_SERVICE_SERVICE = 'remoteService';
