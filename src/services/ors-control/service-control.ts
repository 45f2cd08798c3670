import type { Observable } from 'rxjs';
import type { ServiceState } from '../../common/remote-service/model.js';

/**
 * Starts, stops and watches the ORS service. Back-ends: embedded (the console supervises
 * `ors daemon` as a child process — the default), systemd, Windows SCM.
 */
export interface ServiceControl {
  readonly backend: 'embedded' | 'systemd' | 'windows';
  readonly state$: Observable<ServiceState>;
  start(): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

export const ServiceControl = Symbol('ServiceControl');
