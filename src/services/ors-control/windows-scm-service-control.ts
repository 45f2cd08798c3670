import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { of, type Observable } from 'rxjs';
import { CodedError } from '../../common/errors.js';
import type { OrsAccount } from '../../common/license-server/selection.js';
import { sleep } from '../../common/backoff.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import type { CommandResult, CommandRunner } from '../process/command-runner.js';
import { defaultDaemonCommand, packageRoot, type DaemonCommand } from './daemon-command.js';
import { PollingServiceControl, type OsServiceState } from './polling-service-control.js';
import type { ServiceControl, ServiceHosting } from './service-control.js';
import { adminCheckFor, type AdminCheck, type ServiceInstaller, type ServiceInstallReport, type ServiceInstallRequest, type ServiceStatusReport } from './service-installer.js';

export const DEFAULT_SERVICE_NAME = 'ORS';

const STATES: Record<string, OsServiceState['kind']> = {
  STOPPED: 'stopped',
  START_PENDING: 'starting',
  STOP_PENDING: 'stopping',
  RUNNING: 'running',
  CONTINUE_PENDING: 'starting',
  PAUSE_PENDING: 'stopping',
  PAUSED: 'stopped',
};

/**
 * `sc.exe query`/`queryex` output → the service state. The labels are translated on localised
 * Windows (STATE/STATUS, PID, WIN32_EXIT_CODE…), the state words and numbers are not: match those.
 */
export function parseScQuery(text: string, name = DEFAULT_SERVICE_NAME): OsServiceState {
  const fail = /\[SC\][^\n]*FAILED (\d+)/.exec(text);
  if (fail) {
    if (fail[1] === '1060') return { kind: 'unknown', error: { code: 'ors.control.not-installed', params: { name } } };
    if (fail[1] === '5') return { kind: 'unknown', error: { code: 'ors.control.access-denied' } };
    return { kind: 'unknown', error: { code: 'ors.control.command-failed', params: { command: 'sc.exe query', code: Number(fail[1]), detail: text.trim().split(/\r?\n/).pop()?.trim() ?? '' } } };
  }
  const m = /:\s*([1-7])\s+(STOPPED|START_PENDING|STOP_PENDING|RUNNING|CONTINUE_PENDING|PAUSE_PENDING|PAUSED)\b/.exec(text);
  if (!m) return { kind: 'unknown', error: { code: 'ors.control.command-failed', params: { command: 'sc.exe query', code: 0, detail: 'no service state in the output' } } };
  const kind = STATES[m[2]!]!;
  const pid = Number(/\bPID\s*:\s*(\d+)/.exec(text)?.[1] ?? '0');
  // The first two "NNN  (0xNNN)" lines are the Win32 and the service-specific exit code.
  const codes = [...text.matchAll(/:\s*(\d+)\s+\(0x[0-9a-f]+\)/gi)].map((x) => Number(x[1]));
  const win32 = codes[0] ?? 0;
  const exit = win32 === 1066 ? (codes[1] ?? win32) : win32;
  if (kind === 'running') return { kind, ...(pid > 0 ? { pid } : {}) };
  if (kind === 'stopped' && exit !== 0) return { kind: 'crashed', exitCode: exit };
  if (kind === 'starting') return { kind };
  if (kind === 'stopping') return { kind };
  return { kind: 'stopped' };
}

/**
 * Sets the service's log-on account without the password ever being on a command line (which
 * other users can read from the process list): a fixed PowerShell script calls the Win32 API
 * (Win32_Service.Change → ChangeServiceConfig) and reads the user name and password from stdin.
 * Granting "Log on as a service" stays the administrator's (as with sc.exe config).
 */
export const SET_ACCOUNT_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  '$name = $args[0]',
  '$user = [Console]::In.ReadLine()',
  '$password = [Console]::In.ReadLine()',
  "$svc = Get-CimInstance -ClassName Win32_Service -Filter \"Name='$name'\"",
  'if ($null -eq $svc) { exit 1060 }',
  "$r = Invoke-CimMethod -InputObject $svc -MethodName Change -Arguments @{ StartName = $user; StartPassword = $password }",
  'exit [int]$r.ReturnValue',
].join('; ');

/** The service name goes into the script's single quotes: refuse anything but plain name characters. */
function checkName(name: string): string {
  if (!/^[A-Za-z0-9_.-]{1,80}$/.test(name)) throw new CodedError('validation.invalid', { field: 'serviceName', reason: name });
  return name;
}

export interface WindowsScmServiceControlOptions {
  readonly dataDir: string;
  readonly name?: string;
  /** The platform module's CommandRunner. */
  readonly runner: CommandRunner;
  readonly pollMs?: number;
  readonly stopTimeoutMs?: number;
  /** What `ors daemon` is here (default: this very program). */
  readonly command?: DaemonCommand;
  /**
   * The service host program: node.exe cannot answer the SCM itself, so WinSW (shipped in the zip
   * as ors-service.exe, its configuration ors-service.xml beside it) runs `ors daemon` for it.
   */
  readonly wrapperExe?: string;
  readonly isAdmin?: AdminCheck;
}

const xml = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One argument as the Windows C runtime splits a command line (quotes, backslashes before quotes doubled). */
export function windowsArg(a: string): string {
  if (a !== '' && !/[\s"]/.test(a)) return a;
  return `"${a.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
}

/** WinSW in the installed tree (the zip ships it as ors-service.exe). */
export const defaultWrapperExe = (): string => path.join(packageRoot(), 'ors-service.exe');

/** WinSW reads its configuration from the file beside it with the same base name. */
export const winswConfigOf = (exe: string): string => exe.replace(/\.exe$/i, '.xml');

/**
 * WinSW's configuration (1.17, the version node-windows ships; the zip carries it): it starts `ors daemon` with the file log (the journal of Windows services
 * is that file), stops it with Ctrl+C (the daemon's SIGINT) and restarts it after a crash.
 */
export function renderWinswConfig(o: { name: string; command: DaemonCommand; dataDir: string }): string {
  const args = [...o.command.args, 'daemon', '--data-dir', o.dataDir, '--log', 'file'].map(windowsArg).join(' ');
  return [
    '<service>',
    `  <id>${xml(o.name)}</id>`,
    '  <name>ORS service</name>',
    '  <description>ORS service (Remote Service &amp; Licenses): automatic license update and remote assistance</description>',
    `  <executable>${xml(o.command.command)}</executable>`,
    `  <arguments>${xml(args)}</arguments>`,
    '  <stoptimeout>10 sec</stoptimeout>',
    '  <onfailure action="restart" delay="5 sec"/>',
    '  <resetfailure>1 hour</resetfailure>',
    '  <logmode>reset</logmode>',
    '</service>',
    '',
  ].join('\r\n');
}

function failed(command: string, r: CommandResult): CodedError {
  const text = `${r.stdout}\n${r.stderr}`;
  if (/FAILED 5:/.test(text)) return new CodedError('ors.control.access-denied');
  const m = /FAILED (\d+)/.exec(text);
  if (m?.[1] === '1060') return new CodedError('ors.control.not-installed', { name: command });
  return new CodedError('ors.control.command-failed', { command, code: Number(m?.[1] ?? r.code ?? -1), detail: text.trim().split(/\r?\n/).pop()?.trim().slice(0, 300) ?? '' });
}

/** The ORS service as a Windows service, driven with `sc.exe` (argument arrays, never a shell). */
export class WindowsScmServiceControl extends PollingServiceControl implements ServiceControl, ServiceInstaller {
  readonly backend = 'windows' as const;
  readonly hosting$: Observable<ServiceHosting> = of({ backend: 'windows', childOfConsole: false });
  private readonly name: string;
  private readonly runner: CommandRunner;

  constructor(private readonly wo: WindowsScmServiceControlOptions) {
    super(wo.dataDir, wo.pollMs ?? 1_000);
    this.name = checkName(wo.name ?? DEFAULT_SERVICE_NAME);
    this.runner = wo.runner;
  }

  private get wrapperExe(): string {
    return this.wo.wrapperExe ?? defaultWrapperExe();
  }

  /**
   * `ors service install`: WinSW's configuration beside its exe, the service registered (or
   * reconfigured) to start automatically with restarts on failure, the settings' account (password
   * on stdin only), then started (restarted when it existed). Idempotent.
   */
  async install(request: ServiceInstallRequest): Promise<ServiceInstallReport> {
    await this.assertAdmin();
    const exe = this.wrapperExe;
    if (!existsSync(exe)) throw new CodedError('ors.service.wrapper-missing', { file: exe });
    const config = winswConfigOf(exe);
    await writeFileAtomic(config, renderWinswConfig({ name: this.name, command: this.wo.command ?? defaultDaemonCommand(), dataDir: this.wo.dataDir }));
    const existed = await this.exists();
    const binPath = windowsArg(exe);
    if (existed) await this.sc('config', this.name, 'binPath=', binPath, 'start=', 'auto');
    else await this.sc('create', this.name, 'binPath=', binPath, 'start=', 'auto', 'DisplayName=', 'ORS service');
    await this.sc('description', this.name, 'ORS service (Remote Service & Licenses): automatic license update and remote assistance');
    await this.sc('failure', this.name, 'reset=', '86400', 'actions=', 'restart/5000/restart/5000/restart/30000');
    await this.setAccount(request.account, request.accountPassword);
    if (existed) await this.restart();
    else await this.start();
    const runAs = request.account.kind === 'other' ? (request.account.domain ? `${request.account.domain}\\${request.account.username}` : request.account.username) : 'LocalSystem';
    return { backend: 'windows', definition: `${this.name} (${config})`, runAs, changed: true };
  }

  /** `ors service uninstall`: stops and deletes the service; the data stays. */
  async uninstall(): Promise<boolean> {
    await this.assertAdmin();
    if (!(await this.exists())) return false;
    await this.stop();
    await this.sc('delete', this.name);
    await rm(winswConfigOf(this.wrapperExe), { force: true });
    return true;
  }

  async describe(): Promise<ServiceStatusReport> {
    const state = await this.refresh();
    if (state.kind === 'unknown' && state.error.code === 'ors.control.not-installed') return { backend: 'embedded', installed: false };
    return { backend: 'windows', installed: true, definition: this.name, state };
  }

  async start(): Promise<void> {
    const r = await this.runner.run('sc.exe', ['start', this.name], { timeoutMs: 30_000 });
    // 1056: an instance is already running — where start wants it.
    if (r.code !== 0 && !/FAILED 1056/.test(r.stdout + r.stderr)) throw failed('sc.exe start', r);
    await this.refresh();
  }

  private async exists(): Promise<boolean> {
    const r = await this.runner.run('sc.exe', ['query', this.name], { timeoutMs: 10_000 });
    return !/FAILED 1060/.test(r.stdout + r.stderr) && r.code !== 1060;
  }

  async assertAdmin(): Promise<void> {
    if (!(await (this.wo.isAdmin ?? adminCheckFor('win32', this.runner))())) throw new CodedError('ors.service.admin-required');
  }

  async stop(): Promise<void> {
    const r = await this.runner.run('sc.exe', ['stop', this.name], { timeoutMs: 30_000 });
    // 1062: the service has not been started — already where we want it.
    if (r.code !== 0 && !/FAILED 1062/.test(r.stdout + r.stderr)) throw failed('sc.exe stop', r);
    const until = Date.now() + (this.wo.stopTimeoutMs ?? 15_000);
    for (;;) {
      const s = await this.refresh();
      if (s.kind === 'stopped' || s.kind === 'crashed') return;
      if (Date.now() > until) throw new CodedError('ors.control.timeout', { action: 'stop', seconds: (this.wo.stopTimeoutMs ?? 15_000) / 1000 });
      await sleep(250);
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Local System, or another account whose password goes to the script on stdin only. */
  async setAccount(account: OrsAccount, password?: string): Promise<void> {
    if (account.kind === 'localSystem') {
      await this.sc('config', this.name, 'obj=', 'LocalSystem');
      return;
    }
    if (!password) throw new CodedError('ors-account.password-required', {}, { field: 'accountPassword' });
    if (/[\r\n]/.test(password) || /[\r\n]/.test(account.username)) throw new CodedError('ors-account.password-invalid', {}, { field: 'accountPassword' });
    const user = account.domain ? `${account.domain}\\${account.username}` : `.\\${account.username}`;
    const r = await this.runner.run(
      'powershell.exe',
      ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', `& { ${SET_ACCOUNT_SCRIPT} } '${this.name}'`],
      { stdin: `${user}\n${password}\n`, timeoutMs: 60_000 },
    );
    if (r.code !== 0) {
      if (r.code === 2) throw new CodedError('ors.control.access-denied');
      if (r.code === 1060) throw new CodedError('ors.control.not-installed', { name: this.name });
      throw new CodedError('ors.control.account-failed', { code: r.code ?? -1 });
    }
  }

  protected async query(): Promise<OsServiceState> {
    const r = await this.runner.run('sc.exe', ['queryex', this.name], { timeoutMs: 10_000 });
    return parseScQuery(r.stdout + r.stderr, this.name);
  }

  private async sc(...args: string[]): Promise<void> {
    const r = await this.runner.run('sc.exe', args, { timeoutMs: 30_000 });
    if (r.code !== 0) throw failed(`sc.exe ${args[0]}`, r);
  }
}
