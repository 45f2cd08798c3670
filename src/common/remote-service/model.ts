/**
 * Contracts of the Remote Service area, shared by the console (dialog, plugin), the ORS service
 * (`ors daemon`) and its control. Settings live in the plugin's settings (`remoteService`), the
 * ORS account in `orsAccount` (shared with Licenses); secrets in the secrets store under the
 * names in SECRET_NAMES, never in settings.
 */
import type { ErrorInfo } from '../errors.js';
import type { EntitlementChange } from '../license/compare.js';
import type { AssistanceRequest } from '../backoffice/assistance.js';

export type { ProxyMode, RemoteServiceProxy, RemoteServiceSettings } from '../settings/plugin-settings.js';

export const SECRET_NAMES = {
  verificationCode: 'verificationCode',
  proxyPassword: 'proxyPassword',
  orsAccountPassword: 'orsAccountPassword',
} as const;

/** The plugin id under which settings and secrets are stored (see manifest.json). */
export const PLUGIN_ID = 'remote-service-licenses';

/** The connection to the back office as the ORS service sees it. */
export type ConnectionState =
  | { readonly kind: 'disabled' }
  | { readonly kind: 'not-configured'; readonly missing: readonly string[] }
  | { readonly kind: 'connecting'; readonly since: string }
  | { readonly kind: 'connected'; readonly since: string; readonly lastCheck: string; readonly nextCheck?: string }
  | {
      readonly kind: 'error';
      readonly error: ErrorInfo;
      /** Which hop failed (proxy, tunnel, tls, login, serial…), for the hint. */
      readonly hop?: string;
      readonly lastCheck?: string;
      readonly nextCheck?: string;
    };

/** License information the back office reports for this installation. */
export interface BackofficeLicenseInfo {
  readonly serial: string;
  readonly licenseId?: string;
  readonly seq?: number;
  readonly expiry?: string;
  readonly maintenanceEnd?: string;
  readonly users?: number;
  readonly features?: readonly string[];
}

/**
 * What happened to one license the back office delivered (SPEC F5). `id` is unique per event so the
 * console announces each one once; `licenseId`/`seq` identify the license.
 */
export interface UpdateEvent {
  readonly id: string;
  readonly time: string;
  readonly licenseId: string;
  readonly serial: string;
  readonly seq: number;
  readonly kind:
    | 'installed' // verified, installed, and the license server serves it
    | 'awaiting-confirmation' // it would take something away: waits for the administrator
    | 'manual-pending' // could not be installed: kept in the license path, with the manual steps
    | 'rejected' // failed verification (tampered, other serial, unknown key, older): never installed
    | 'failed' // installed but not served, or another failure; the installed license is untouched
    | 'declined'; // the administrator kept the current license ([Keep current license]); not asked for again
  readonly changes: readonly EntitlementChange[];
  /** Where the file waits (manual-pending, awaiting-confirmation). */
  readonly file?: string;
  /** For manual-pending: where to copy it (the remote license folder, as UNC). */
  readonly target?: string;
  readonly error?: ErrorInfo;
}

/** The automatic license update as the ORS service runs it. */
export interface UpdateState {
  readonly phase: 'idle' | 'waiting' | 'downloading' | 'verifying' | 'installing' | 'confirming' | 'stopped';
  /** Why it stopped (e.g. the back office refused the credentials), until the settings change. */
  readonly stoppedBy?: ErrorInfo;
  readonly lastCheck?: string;
  readonly nextCheck?: string;
  /** Licenses waiting for the administrator (confirmation) or a retry (manual path). */
  readonly pending: readonly UpdateEvent[];
  /** The license path: where a delivered license waits while it is not installed (SPEC §2). */
  readonly licensePath?: string;
  /** The most recent events, newest first (bounded). */
  readonly events: readonly UpdateEvent[];
}

/** What the running ORS service publishes on its local endpoint. */
export interface OrsStatus {
  readonly pid: number;
  readonly startedAt: string;
  /** Version of the settings the service runs with. */
  readonly settingsVersion: number;
  readonly connection: ConnectionState;
  readonly license?: BackofficeLicenseInfo;
  readonly update?: UpdateState;
  /** The help desk's current remote-assistance request, as the service received it (issue 14). */
  readonly assistance?: AssistanceRequest;
}

/** The ORS service as its control sees it. */
export type ServiceState =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'starting' }
  | { readonly kind: 'running'; readonly pid?: number; readonly status?: OrsStatus }
  | { readonly kind: 'stopping' }
  | { readonly kind: 'crashed'; readonly exitCode: number | string | null; readonly restartAt?: string }
  | { readonly kind: 'unknown'; readonly error: ErrorInfo };
