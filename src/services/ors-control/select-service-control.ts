import { existsSync } from 'node:fs';
import type { RemoteServiceSettings } from '../../common/remote-service/model.js';
import { AutoServiceControl } from './auto-service-control.js';
import type { CommandRunner } from '../process/command-runner.js';
import { EmbeddedServiceControl, type EmbeddedServiceControlOptions } from './embedded-service-control.js';
import type { ServiceControl, ServiceControlBackend } from './service-control.js';
import { DEFAULT_UNIT, SystemdServiceControl, systemdIsRunning } from './systemd-service-control.js';
import { WindowsScmServiceControl, defaultWrapperExe, winswConfigOf } from './windows-scm-service-control.js';

export type { ServiceControlBackend } from './service-control.js';

export interface DetectionFacts {
  readonly platform: NodeJS.Platform;
  /** systemd is PID 1 (/run/systemd/system exists). */
  readonly systemdRunning: boolean;
  /** The service is installed in the OS (enabled in systemd / a registered Windows service). */
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

/** `systemctl enable` (what `ors service install` does) links the unit here: enabled at boot = installed. */
export const ENABLED_LINK = `/etc/systemd/system/multi-user.target.wants/${DEFAULT_UNIT}`;

/**
 * Installed in the OS: the unit enabled in a running systemd; on Windows the service host's
 * configuration that `ors service install` writes and `uninstall` removes (a file check, no sc.exe).
 */
export function detectFacts(platform: NodeJS.Platform = process.platform): DetectionFacts {
  if (platform === 'win32') return { platform, systemdRunning: false, installed: existsSync(winswConfigOf(defaultWrapperExe())) };
  const systemdRunning = systemdIsRunning();
  return { platform, systemdRunning, installed: systemdRunning && existsSync(ENABLED_LINK) };
}

export function createServiceControl(
  setting: RemoteServiceSettings['serviceControl'] | undefined,
  o: EmbeddedServiceControlOptions & { runner: CommandRunner; detectMs?: number },
  detect: () => DetectionFacts = detectFacts,
): ServiceControl {
  const create = (backend: ServiceControlBackend): ServiceControl => {
    switch (backend) {
      case 'systemd':
        return new SystemdServiceControl({ dataDir: o.dataDir, runner: o.runner });
      case 'windows':
        return new WindowsScmServiceControl({ dataDir: o.dataDir, runner: o.runner });
      default:
        return new EmbeddedServiceControl(o);
    }
  };
  const initial = chooseBackend(setting, detect());
  if (setting !== undefined && setting !== 'auto') return create(initial);
  return new AutoServiceControl({ initial, create, detect: async () => chooseBackend('auto', detect()), ...(o.detectMs !== undefined ? { detectMs: o.detectMs } : {}) });
}
