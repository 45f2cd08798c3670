import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { of, type Observable } from 'rxjs';
import { CodedError } from '../../common/errors.js';
import type { OrsAccount } from '../../common/license-server/selection.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import type { CommandResult, CommandRunner } from '../process/command-runner.js';
import { defaultDaemonCommand, packageLayout, type DaemonCommand, type PackageLayout } from './daemon-command.js';
import { PollingServiceControl, type OsServiceState } from './polling-service-control.js';
import type { ServiceControl, ServiceHosting } from './service-control.js';
import { adminCheckFor, type AdminCheck, type ServiceInstaller, type ServiceInstallReport, type ServiceInstallRequest, type ServiceStatusReport } from './service-installer.js';

export const DEFAULT_UNIT = 'ors.service';

/** `systemctl show -p …` output (KEY=VALUE lines) → the service state. */
export function parseSystemctlShow(text: string, unit = DEFAULT_UNIT): OsServiceState {
  const v = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf('=');
    if (i > 0) v.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  if (v.get('LoadState') === 'not-found') return { kind: 'unknown', error: { code: 'ors.control.not-installed', params: { name: unit } } };
  const pid = Number(v.get('MainPID') ?? '0');
  const exit = v.has('ExecMainStatus') ? Number(v.get('ExecMainStatus')) : null;
  switch (v.get('ActiveState')) {
    case 'active':
    case 'reloading':
      return { kind: 'running', ...(pid > 0 ? { pid } : {}) };
    case 'activating':
      return v.get('SubState') === 'auto-restart' ? { kind: 'crashed', exitCode: exit } : { kind: 'starting' };
    case 'deactivating':
      return { kind: 'stopping' };
    case 'failed':
      return { kind: 'crashed', exitCode: exit };
    case 'inactive':
      return { kind: 'stopped' };
    default:
      return { kind: 'unknown', error: { code: 'ors.control.command-failed', params: { command: 'systemctl show', code: 0, detail: `ActiveState=${v.get('ActiveState') ?? '?'}` } } };
  }
}

/** `systemctl is-active` prints one word (exit code 0 only for active). */
export function parseIsActive(text: string): OsServiceState['kind'] | 'unknown' {
  switch (text.trim().split(/\s+/)[0]) {
    case 'active':
    case 'reloading':
      return 'running';
    case 'activating':
      return 'starting';
    case 'deactivating':
      return 'stopping';
    case 'failed':
      return 'crashed';
    case 'inactive':
      return 'stopped';
    default:
      return 'unknown';
  }
}

/** systemd's quoting for one ExecStart word: double quotes, backslash escapes, `%` and `$` doubled. */
export function quoteSystemdArg(a: string): string {
  const escaped = a.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return /[\s"'\\;]/.test(a) || a === '' ? `"${escaped}"` : escaped;
}

export interface UnitOptions {
  readonly command: DaemonCommand;
  readonly dataDir: string;
  /** The account the service runs as (`User=`); root when absent. */
  readonly user?: string;
  /** The administrators' group that shares the data folder with the service (`SupplementaryGroups=`, umask 007). */
  readonly adminGroup?: string;
  readonly description?: string;
}

const NAME = /^[A-Za-z0-9._@-]{1,200}$/;

/** The user name systemd runs the service as for the settings' account (`name@domain` where a domain is given, as SSSD names them). */
export function unitUserOf(account: OrsAccount): string | undefined {
  return account.kind === 'other' ? (account.domain ? `${account.username}@${account.domain}` : account.username) : undefined;
}

/** The unit file: no secrets in it (they stay in the secrets store the daemon reads). */
export function renderUnit(o: UnitOptions): string {
  const exec = [o.command.command, ...o.command.args, 'daemon', '--data-dir', o.dataDir].map(quoteSystemdArg).join(' ');
  if (o.user !== undefined && !NAME.test(o.user)) throw new CodedError('ors-account.user-invalid', { value: o.user }, { field: 'accountUser' });
  if (o.adminGroup !== undefined && !NAME.test(o.adminGroup)) throw new CodedError('validation.invalid', { field: 'adminGroup', reason: o.adminGroup }, { field: 'adminGroup' });
  return [
    '[Unit]',
    `Description=${o.description ?? 'ORS service (Remote Service & Licenses)'}`,
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${exec}`,
    ...(o.user ? [`User=${o.user}`] : []),
    // The data folder belongs to the administrators' group: what the service writes stays theirs.
    ...(o.adminGroup ? [`SupplementaryGroups=${o.adminGroup}`, 'UMask=0007'] : []),
    'Restart=on-failure',
    'RestartSec=2',
    'KillSignal=SIGTERM',
    'TimeoutStopSec=10',
    'NoNewPrivileges=yes',
    'PrivateTmp=yes',
    'ProtectSystem=full',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

export interface SystemdServiceControlOptions {
  readonly dataDir: string;
  readonly unit?: string;
  /** Where `ors service install` writes the unit (default /etc/systemd/system, the administrator's place). */
  readonly unitDir?: string;
  /** The platform module's CommandRunner. */
  readonly runner: CommandRunner;
  readonly pollMs?: number;
  /** What `ors daemon` is here (default: this very program). */
  readonly command?: DaemonCommand;
  /** The installed package's layout (service user, administrators' group); default: read from the package. */
  readonly layout?: PackageLayout | undefined;
  readonly isAdmin?: AdminCheck;
  /** systemd is the running init (default: /run/systemd/system exists). */
  readonly systemdRunning?: () => boolean;
}

function failed(command: string, r: CommandResult): CodedError {
  const detail = (r.stderr || r.stdout).trim().split('\n')[0]?.slice(0, 300) ?? '';
  if (/access denied|interactive authentication required|permission denied/i.test(detail)) return new CodedError('ors.control.access-denied');
  return new CodedError('ors.control.command-failed', { command, code: r.code ?? -1, detail });
}

/** systemd runs as init: the documented test (sd_booted). */
export const systemdIsRunning = (): boolean => existsSync('/run/systemd/system');

/** The ORS service as a systemd unit, driven with `systemctl` (argument arrays, never a shell). */
export class SystemdServiceControl extends PollingServiceControl implements ServiceControl, ServiceInstaller {
  readonly backend = 'systemd' as const;
  readonly hosting$: Observable<ServiceHosting> = of({ backend: 'systemd', childOfConsole: false });
  private readonly unit: string;
  private readonly runner: CommandRunner;
  private readonly unitDir: string;

  constructor(private readonly so: SystemdServiceControlOptions) {
    super(so.dataDir, so.pollMs ?? 1_000);
    this.unit = so.unit ?? DEFAULT_UNIT;
    this.runner = so.runner;
    this.unitDir = so.unitDir ?? '/etc/systemd/system';
  }

  get unitFile(): string {
    return path.join(this.unitDir, this.unit);
  }

  /**
   * `ors service install`: writes the unit for this data folder and the settings' account, reloads
   * systemd, enables it at boot and starts it (restarts it when the unit changed). Idempotent.
   */
  async install(request: ServiceInstallRequest): Promise<ServiceInstallReport> {
    await this.assertAdmin();
    if (!(this.so.systemdRunning ?? systemdIsRunning)()) throw new CodedError('ors.service.no-systemd');
    const layout = this.layout();
    const user = await this.runAs(request.account, layout);
    const unit = renderUnit({ command: this.so.command ?? defaultDaemonCommand(), dataDir: this.so.dataDir, ...(user ? { user } : {}), ...(layout ? { adminGroup: layout.adminGroup } : {}) });
    const before = await readFile(this.unitFile, 'utf8').catch(() => undefined);
    const changed = before !== unit;
    if (changed) await writeFileAtomic(this.unitFile, unit, { mode: 0o644 });
    await this.systemctl('daemon-reload');
    await this.systemctl('enable', this.unit);
    await this.systemctl(changed ? 'restart' : 'start', this.unit);
    await this.refresh();
    return { backend: 'systemd', definition: this.unitFile, runAs: user ?? 'root', changed };
  }

  /** `ors service uninstall`: disables and stops the unit and removes the file install wrote; the data stays. */
  async uninstall(): Promise<boolean> {
    await this.assertAdmin();
    const present = existsSync(this.unitFile);
    if ((this.so.systemdRunning ?? systemdIsRunning)()) {
      const r = await this.runner.run('systemctl', ['disable', '--now', this.unit], { timeoutMs: 30_000 });
      // A unit systemd does not know is already where uninstall wants it.
      if (r.code !== 0 && !/not (be )?found|does not exist|not loaded/i.test(r.stderr + r.stdout)) throw failed('systemctl disable', r);
    }
    if (present) await rm(this.unitFile, { force: true });
    if ((this.so.systemdRunning ?? systemdIsRunning)()) await this.systemctl('daemon-reload');
    return present;
  }

  /** `ors service status`: enabled in systemd, or run by the console. Needs no administrator rights. */
  async describe(): Promise<ServiceStatusReport> {
    if (!(this.so.systemdRunning ?? systemdIsRunning)()) return { backend: 'embedded', installed: existsSync(this.unitFile), reason: 'systemd is not running' };
    const r = await this.runner.run('systemctl', ['is-enabled', this.unit], { timeoutMs: 10_000 });
    const enabled = r.stdout.trim() === 'enabled';
    if (!enabled) return { backend: 'embedded', installed: false };
    const state = await this.refresh();
    const unit = await readFile(this.unitFile, 'utf8').catch(() => '');
    return { backend: 'systemd', installed: true, definition: this.unitFile, runAs: /^User=(.+)$/m.exec(unit)?.[1] ?? 'root', state };
  }

  async start(): Promise<void> {
    await this.systemctl('start', this.unit);
    await this.refresh();
  }

  async stop(): Promise<void> {
    await this.systemctl('stop', this.unit);
    await this.refresh();
  }

  async restart(): Promise<void> {
    await this.systemctl('restart', this.unit);
    await this.refresh();
  }

  async isActive(): Promise<ReturnType<typeof parseIsActive>> {
    const r = await this.runner.run('systemctl', ['is-active', this.unit], { timeoutMs: 10_000 });
    return parseIsActive(r.stdout);
  }

  protected async query(): Promise<OsServiceState> {
    const r = await this.runner.run('systemctl', ['show', '-p', 'LoadState,ActiveState,SubState,MainPID,ExecMainStatus', this.unit], { timeoutMs: 10_000 });
    if (r.code !== 0) throw failed('systemctl show', r);
    return parseSystemctlShow(r.stdout, this.unit);
  }

  private layout(): PackageLayout | undefined {
    return 'layout' in this.so ? this.so.layout : packageLayout();
  }

  async assertAdmin(): Promise<void> {
    if (!(await (this.so.isAdmin ?? adminCheckFor('linux', this.runner))())) throw new CodedError('ors.service.admin-required');
  }

  /** The settings' other account, else the package's service user; each must exist here. Root where neither applies. */
  private async runAs(account: OrsAccount, layout: PackageLayout | undefined): Promise<string | undefined> {
    const user = unitUserOf(account) ?? layout?.serviceUser;
    if (user === undefined) return undefined;
    if (!NAME.test(user)) throw new CodedError('ors-account.user-invalid', { value: user }, { field: 'accountUser' });
    const r = await this.runner.run('getent', ['passwd', user], { timeoutMs: 10_000 });
    if (r.code !== 0) throw new CodedError('ors.service.user-unknown', { user });
    return user;
  }

  private async systemctl(...args: string[]): Promise<void> {
    const r = await this.runner.run('systemctl', args, { timeoutMs: 30_000 });
    if (r.code !== 0) throw failed(`systemctl ${args[0]}`, r);
  }
}
