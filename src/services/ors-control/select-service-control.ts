import { existsSync } from 'node:fs';
import type { RemoteServiceSettings } from '../../common/remote-service/model.js';
import { EmbeddedServiceControl, type EmbeddedServiceControlOptions } from './embedded-service-control.js';
import type { ServiceControl } from './service-control.js';
import { SystemdServiceControl } from './systemd-service-control.js';
import { WindowsScmServiceControl } from './windows-scm-service-control.js';
import type { CommandRunner } from './command-runner.js';

export type ServiceControlBackend = ServiceControl['backend'];

export interface DetectionFacts {
  readonly platform: NodeJS.Platform;
  /** systemd is PID 1 (/run/systemd/system exists). */
  readonly systemdRunning: boolean;
  /** The service is installed in the OS (a unit file / a registered Windows service). */
  readonly installed: boolean;
}

/**
 * The setting wins; 'auto' picks the OS service manager only where the ORS service has been
 * installed in it, and the embedded child process otherwise (the default for a console install).
 */
export function chooseBackend(setting: RemoteServiceSettings['serviceControl'] | undefined, facts: DetectionFacts): ServiceControlBackend {
  if (setting === 'embedded' || setting === 'systemd' || setting === 'windows') return setting;
  if (facts.platform === 'win32' && facts.installed) return 'windows';
  if (facts.platform === 'linux' && facts.systemdRunning && facts.installed) return 'systemd';
  return 'embedded';
}

export function detectFacts(unitFile = '/etc/systemd/system/ors.service'): DetectionFacts {
  return {
    platform: process.platform,
    systemdRunning: existsSync('/run/systemd/system'),
    // Windows: whether the service exists is known only after `sc.exe query`; ask the SCM lazily.
    installed: process.platform === 'win32' ? true : existsSync(unitFile),
  };
}

export function createServiceControl(
  setting: RemoteServiceSettings['serviceControl'] | undefined,
  o: EmbeddedServiceControlOptions & { runner?: CommandRunner },
  facts: DetectionFacts = detectFacts(),
): ServiceControl {
  switch (chooseBackend(setting, facts)) {
    case 'systemd':
      return new SystemdServiceControl({ dataDir: o.dataDir, ...(o.runner ? { runner: o.runner } : {}) });
    case 'windows':
      return new WindowsScmServiceControl({ dataDir: o.dataDir, ...(o.runner ? { runner: o.runner } : {}) });
    default:
      return new EmbeddedServiceControl(o);
  }
}
