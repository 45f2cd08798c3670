import { inject, injectable } from 'inversify';
import type { TeamViewerAvailability, TeamViewerInstallation } from '../../common/remote-assistance/model.js';
import { CommandRunner } from '../process/command-runner.js';
import { discoverTeamViewer, readTeamViewerId, type DiscoveryOptions } from './discovery.js';
import { regExeReader } from './registry.js';

/** Finds TeamViewer on this machine and reads its ID; the last configured path is remembered for the ID. */
export interface TeamViewerDiscovery {
  discover(configuredPath: string | undefined): Promise<TeamViewerAvailability>;
  readId(installation: TeamViewerInstallation): Promise<string | undefined>;
}
export const TeamViewerDiscovery = Symbol('TeamViewerDiscovery');

@injectable()
export class PlatformTeamViewerDiscovery implements TeamViewerDiscovery {
  private configured: string | undefined;

  constructor(@inject(CommandRunner) private readonly runner: CommandRunner) {}

  private options(): DiscoveryOptions {
    return {
      platform: process.platform,
      ...(this.configured ? { configuredPath: this.configured } : {}),
      env: process.env,
      ...(process.platform === 'win32' ? { registry: regExeReader(this.runner) } : {}),
      runner: this.runner,
    };
  }

  discover(configuredPath: string | undefined): Promise<TeamViewerAvailability> {
    this.configured = configuredPath;
    return discoverTeamViewer(this.options());
  }

  readId(installation: TeamViewerInstallation): Promise<string | undefined> {
    return readTeamViewerId(this.options(), installation);
  }
}
