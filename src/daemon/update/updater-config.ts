import type { Logger } from '../../services/log/logger.js';

/** Where the update loop keeps its files, and its logger (what the ORS service's command line decided). */
export interface UpdaterSetup {
  /** `<data-dir>/ors`: the journal lives in its `update/` folder. */
  readonly stateDir: string;
  /** `<data-dir>/plugins/<plugin>`: trusted keys. */
  readonly pluginDir: string;
  /** Where delivered licenses wait while they are not installed (`<data-dir>/license-path`). */
  readonly licensePath: string;
  readonly logger: Logger;
  /** ORS_LICENSE_TRUST (more trusted keys); the process's environment by default. */
  readonly env?: NodeJS.ProcessEnv;
}
export const UpdaterSetup = Symbol('UpdaterSetup');

/** The update loop's timings; the defaults are production's, tests bind shorter ones in the daemon's container. */
export interface UpdaterTimings {
  /** Long-poll hold, seconds (default 55–59, jittered; the back office holds at most 60). */
  readonly waitSeconds?: number;
  /** Interval of plain polling once a proxy is seen to cut long-polls (default 60 s, jittered). */
  readonly pollMs?: number;
  /** How long the license server may take to serve a new license (default 10 s). */
  readonly pickupDeadlineMs?: number;
  /** Deadline of each SMB step on a remote license server (default 15 s). */
  readonly shareTimeoutMs?: number;
  /** A pause after each step (0 in production), so a test can kill the process between steps. */
  readonly stepDelayMs?: number;
}
export const UpdaterTimings = Symbol('UpdaterTimings');
