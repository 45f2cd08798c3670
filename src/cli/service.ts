import type { Command } from 'commander';
import * as path from 'node:path';
import { Container } from 'inversify';
import { CodedError } from '../common/errors.js';
import { pickLocale } from '../common/i18n.js';
import { readOrsAccount } from '../common/settings/read-settings.js';
import { messages } from '../common/messages/index.js';
import { PLUGIN_ID, SECRET_NAMES, type ServiceState } from '../common/remote-service/model.js';
import { installCommandFor } from '../services/ors-control/daemon-command.js';
import { platformModule } from '../services/platform-module.js';
import { CommandRunner } from '../services/process/command-runner.js';
import type { ServiceInstaller } from '../services/ors-control/service-installer.js';
import { SystemdServiceControl } from '../services/ors-control/systemd-service-control.js';
import { WindowsScmServiceControl } from '../services/ors-control/windows-scm-service-control.js';
import { defaultDataDir } from './data-dir.js';
import { openPluginStores } from './plugin-stores.js';

const locale = () => pickLocale([process.env['LC_ALL'], process.env['LC_MESSAGES'], process.env['LANG']]);
const say = (code: string, params: Record<string, string | number> = {}): void => void process.stdout.write(`${messages.format(locale(), code, params)}\n`);

type OsInstaller = ServiceInstaller & { readonly backend: 'systemd' | 'windows'; dispose(): Promise<void> };

/** The OS back-end of this platform (systemd on Linux, the SCM on Windows); nothing else has one. */
function installerFor(dataDir: string): OsInstaller {
  const container = new Container();
  container.load(platformModule);
  const runner = container.get<CommandRunner>(CommandRunner);
  if (process.platform === 'linux') return new SystemdServiceControl({ dataDir, runner });
  if (process.platform === 'win32') return new WindowsScmServiceControl({ dataDir, runner });
  throw new CodedError('ors.service.unsupported', { platform: process.platform });
}

const BACKEND_NAME = { systemd: 'systemd', windows: 'Windows SCM', embedded: 'the console' } as const;

function stateText(s: ServiceState | undefined): string {
  if (!s) return messages.format(locale(), 'ors.service.state.unknown', { reason: '?' });
  switch (s.kind) {
    case 'running':
      return messages.format(locale(), 'ors.service.state.running', { pid: s.pid ?? '?' });
    case 'crashed':
      return messages.format(locale(), 'ors.service.state.crashed', { code: String(s.exitCode) });
    case 'unknown':
      return messages.format(locale(), 'ors.service.state.unknown', { reason: messages.formatError(locale(), s.error) });
    default:
      return messages.format(locale(), `ors.service.state.${s.kind}`);
  }
}

/** Runs one action on the installer and releases it (its state polling) afterwards. */
async function withInstaller<T>(dataDir: string, act: (i: OsInstaller) => Promise<T>): Promise<T> {
  const installer = installerFor(dataDir);
  try {
    return await act(installer);
  } finally {
    await installer.dispose();
  }
}

/** Registers `ors service install|uninstall|status`. */
export function registerServiceCommands(program: Command): void {
  const service = program.command('service').description('install the ORS service in the OS service manager (systemd, Windows SCM) so it runs without a console, remove it, or say who runs it');
  const dataDirOption = ['--data-dir <dir>', 'the data folder the service uses (settings, secrets)', defaultDataDir()] as const;

  service
    .command('install')
    .description('register the ORS service with the account from the settings, enable it at boot and start it (administrator rights; idempotent)')
    .option(...dataDirOption)
    .action(async (o: { dataDir: string }) => {
      const dataDir = path.resolve(o.dataDir);
      await withInstaller(dataDir, async (installer) => {
        await installer.assertAdmin();
        const stores = await openPluginStores(dataDir);
        try {
          const account = readOrsAccount(stores.settings.get().values);
          // Windows logs the service on with the password; it goes to the SCM on stdin, never on a command line.
          const accountPassword = installer.backend === 'windows' && account.kind === 'other' ? await stores.secrets.forPlugin(PLUGIN_ID).get(SECRET_NAMES.orsAccountPassword) : undefined;
          const report = await installer.install({ account, ...(accountPassword ? { accountPassword } : {}) });
          say('ors.service.installed', { backend: BACKEND_NAME[report.backend], definition: report.definition, user: report.runAs });
        } finally {
          stores.settings.close();
        }
      });
    });

  service
    .command('uninstall')
    .description('stop the ORS service and remove it from the OS service manager; the data folder is kept (administrator rights)')
    .option(...dataDirOption)
    .action(async (o: { dataDir: string }) => {
      const dataDir = path.resolve(o.dataDir);
      await withInstaller(dataDir, async (installer) => {
        const removed = await installer.uninstall();
        say(removed ? 'ors.service.uninstalled' : 'ors.service.not-installed', { backend: BACKEND_NAME[installer.backend], dataDir });
      });
    });

  service
    .command('status')
    .description('say which back-end runs the ORS service here (systemd, Windows SCM, or the console as its child) and its state')
    .option(...dataDirOption)
    .action(async (o: { dataDir: string }) => {
      const dataDir = path.resolve(o.dataDir);
      await withInstaller(dataDir, async (installer) => {
        const r = await installer.describe();
        if (r.backend === 'embedded') say('ors.service.status-embedded', { command: installCommandFor(dataDir) ?? '' });
        else say('ors.service.status-os', { backend: BACKEND_NAME[r.backend], definition: r.definition ?? '', user: r.runAs ?? '?', state: stateText(r.state) });
      });
    });
}
