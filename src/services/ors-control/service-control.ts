import type { Observable } from 'rxjs';
import type { ServiceState } from '../../common/remote-service/model.js';

export type ServiceControlBackend = 'embedded' | 'systemd' | 'windows';

/** Who runs the ORS service, and what that means for the administrator. */
export interface ServiceHosting {
  readonly backend: ServiceControlBackend;
  /**
   * The service runs only as this console's child process (embedded back-end): the automatic
   * license update stops the moment the console closes.
   */
  readonly childOfConsole: boolean;
  /** While it runs only as the console's child: the exact command (administrator rights) that installs it as an OS service here. */
  readonly installCommand?: string;
}

/**
 * Starts, stops and watches the ORS service. Back-ends: embedded (the console supervises
 * `ors daemon` as a child process — the default), systemd, Windows SCM.
 */
export interface ServiceControl {
  readonly backend: ServiceControlBackend;
  readonly state$: Observable<ServiceState>;
  /** Which back-end runs the service now (it changes when the service is installed or removed in the OS while the console runs). */
  readonly hosting$: Observable<ServiceHosting>;
  start(): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

export const ServiceControl = Symbol('ServiceControl');
