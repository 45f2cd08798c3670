import type { BackofficeLicenseInfo } from '../common/remote-service/model.js';
import type { BackofficeClient } from '../services/backoffice-client/backoffice-client.js';
import type { Logger } from '../services/log/logger.js';
import type { ReadyConfig } from './daemon-config.js';

/** A live, logged-in connection to the back office for one installation. */
export interface DaemonSession {
  readonly client: BackofficeClient;
  readonly serial: string;
  readonly config: ReadyConfig;
  readonly logger: Logger;
  /** The ETag of the license last seen (`"<licenseId>"`), for conditional and long-poll requests. */
  readonly licenseEtag?: string;
  /** Publishes what the back office reports about this installation's license (e.g. after a new one was installed). */
  reportLicense(info: Partial<BackofficeLicenseInfo>): void;
  /** Marks a successful exchange with the back office; `nextCheckMs` is when the task talks to it again. */
  checked(nextCheckMs?: number): void;
}

/**
 * Work that runs while the daemon is connected, all tasks side by side. The heartbeat is one; the
 * license-update loop (long-poll → on new license: verify, install, receipt) is meant to be another.
 * A task runs until `signal` aborts (settings changed, SIGTERM); throwing ends the session and the
 * connection loop reconnects with back-off (or stops on refused credentials).
 */
export interface DaemonTask {
  readonly name: string;
  run(session: DaemonSession, signal: AbortSignal): Promise<void>;
}
