import * as path from 'node:path';
import { CodedError } from '../../common/errors.js';
import type { OrsAccount } from '../../common/license-server/selection.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import { runCommand, type CommandResult, type CommandRunner } from './command-runner.js';
import type { DaemonCommand } from './daemon-command.js';
import { PollingServiceControl, type OsServiceState } from './polling-service-control.js';
import type { ServiceControl } from './service-control.js';

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
  readonly account: OrsAccount;
  readonly description?: string;
}

/** The unit file: no secrets in it (they stay in the secrets store the daemon reads). */
export function renderUnit(o: UnitOptions): string {
  const exec = [o.command.command, ...o.command.args, 'daemon', '--data-dir', o.dataDir].map(quoteSystemdArg).join(' ');
  const user = o.account.kind === 'other' ? (o.account.domain ? `${o.account.username}@${o.account.domain}` : o.account.username) : undefined;
  if (user !== undefined && !/^[A-Za-z0-9._@-]{1,200}$/.test(user)) throw new CodedError('licenses.account-user-invalid', { value: user }, { field: 'accountUser' });
  return [
    '[Unit]',
    `Description=${o.description ?? 'ORS service (Remote Service & Licenses)'}`,
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${exec}`,
    ...(user ? [`User=${user}`] : []),
    'Restart=on-failure',
    'RestartSec=2',
    'KillSignal=SIGTERM',
    'TimeoutStopSec=10',
    'NoNewPrivileges=yes',
    'PrivateTmp=yes',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

export interface SystemdServiceControlOptions {
  readonly dataDir: string;
  readonly unit?: string;
  readonly unitDir?: string;
  readonly runner?: CommandRunner;
  readonly pollMs?: number;
}

function failed(command: string, r: CommandResult): CodedError {
  const detail = (r.stderr || r.stdout).trim().split('\n')[0]?.slice(0, 300) ?? '';
  if (/access denied|interactive authentication required|permission denied/i.test(detail)) return new CodedError('ors.control.access-denied');
  return new CodedError('ors.control.command-failed', { command, code: r.code ?? -1, detail });
}

/** The ORS service as a systemd unit, driven with `systemctl` (argument arrays, never a shell). */
export class SystemdServiceControl extends PollingServiceControl implements ServiceControl {
  readonly backend = 'systemd' as const;
  private readonly unit: string;
  private readonly runner: CommandRunner;

  constructor(private readonly so: SystemdServiceControlOptions) {
    super(so.dataDir, so.pollMs ?? 1_000);
    this.unit = so.unit ?? DEFAULT_UNIT;
    this.runner = so.runner ?? runCommand;
  }

  /** Writes the unit (User= for the other account), reloads systemd and enables the unit. */
  async install(o: Omit<UnitOptions, 'dataDir'>): Promise<string> {
    const file = path.join(this.so.unitDir ?? '/etc/systemd/system', this.unit);
    await writeFileAtomic(file, renderUnit({ ...o, dataDir: this.so.dataDir }), { mode: 0o644 });
    await this.systemctl('daemon-reload');
    await this.systemctl('enable', this.unit);
    return file;
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
    const r = await this.runner('systemctl', ['is-active', this.unit], { timeoutMs: 10_000 });
    return parseIsActive(r.stdout);
  }

  protected async query(): Promise<OsServiceState> {
    const r = await this.runner('systemctl', ['show', '-p', 'LoadState,ActiveState,SubState,MainPID,ExecMainStatus', this.unit], { timeoutMs: 10_000 });
    if (r.code !== 0) throw failed('systemctl show', r);
    return parseSystemctlShow(r.stdout, this.unit);
  }

  private async systemctl(...args: string[]): Promise<void> {
    const r = await this.runner('systemctl', args, { timeoutMs: 30_000 });
    if (r.code !== 0) throw failed(`systemctl ${args[0]}`, r);
  }
}
