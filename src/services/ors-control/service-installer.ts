import type { OrsAccount } from '../../common/license-server/selection.js';
import type { ServiceState } from '../../common/remote-service/model.js';
import type { CommandRunner } from '../process/command-runner.js';

/** What `ors service install` needs: the account from the settings and, for another account on Windows, its password (stdin only). */
export interface ServiceInstallRequest {
  readonly account: OrsAccount;
  readonly accountPassword?: string;
}

export interface ServiceInstallReport {
  readonly backend: 'systemd' | 'windows';
  /** The unit file or the service name and wrapper configuration written. */
  readonly definition: string;
  /** The account the service runs as. */
  readonly runAs: string;
  /** The definition changed (so the service was restarted, not just started). */
  readonly changed: boolean;
}

export interface ServiceStatusReport {
  /** Which back-end runs the service on this machine: an OS service manager, or the console (embedded) when none has it. */
  readonly backend: 'systemd' | 'windows' | 'embedded';
  readonly installed: boolean;
  readonly definition?: string;
  readonly runAs?: string;
  readonly state?: ServiceState;
  /** Why no OS back-end applies (e.g. systemd is not running). */
  readonly reason?: string;
}

/** Installs the ORS service in the OS service manager, removes it (keeping the data) and reports who runs it. */
export interface ServiceInstaller {
  /** Refuses (ors.service.admin-required) unless this process has administrator rights. */
  assertAdmin(): Promise<void>;
  install(request: ServiceInstallRequest): Promise<ServiceInstallReport>;
  /** Stops and removes the service; the data folder stays. Resolves whether something was removed. */
  uninstall(): Promise<boolean>;
  describe(): Promise<ServiceStatusReport>;
}

/** Whether this process has administrator rights (root; an elevated token on Windows). */
export type AdminCheck = () => Promise<boolean>;

/**
 * root on Linux and other Unix; on Windows `net session` succeeds only in an elevated process
 * (the usual test, no extra module, no shell).
 */
export function adminCheckFor(platform: NodeJS.Platform, runner: CommandRunner): AdminCheck {
  if (platform === 'win32') return async () => (await runner.run('net.exe', ['session'], { timeoutMs: 15_000 }).catch(() => ({ code: 1 }))).code === 0;
  return async () => process.getuid?.() === 0;
}
