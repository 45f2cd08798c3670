import { readOrsAccount, readSelection } from '../common/settings/read-settings.js';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { licenseServerEndpoint } from '../common/remote-service/secret-endpoints.js';
import { Option, type Command } from 'commander';
import { CodedError, toErrorInfo } from '../common/errors.js';
import { pickLocale } from '../common/i18n.js';
import {
  ORS_ACCOUNT_PASSWORD_KEY,
  remoteFlsUrl,
  validateAccountPassword,
  validateLicenseServerInput,
  type FieldError,
  type LicenseServerInput,
  type LicenseServerSelection,
} from '../common/license-server/selection.js';
import { stateMessage } from '../common/license/describe.js';
import { messages } from '../common/messages/index.js';
import type { LicensePayload } from '../common/license/model.js';
import { licenseState } from '../common/license/validity.js';
import { LicenseFolderScanner } from '../services/license/folder.js';
import { loadVerifier } from '../services/license/trust.js';
import { fetchFlsStatus } from '../services/license-server/fls-client.js';
import { defaultDataDir } from './data-dir.js';
import { openPluginStores } from './plugin-stores.js';
import { PLUGIN_ID } from '../common/remote-service/model.js';

const ACTOR = 'cli';
const locale = () => pickLocale([process.env['LC_ALL'], process.env['LC_MESSAGES'], process.env['LANG']]);

/** The option each form field comes from, so that an error names what the user typed. */
const OPTION_OF: Readonly<Record<string, string>> = {
  folder: '--folder', flsUrl: '--fls', host: '--host', port: '--port', share: '--share', smbPort: '--smb-port',
  accountKind: '--account-user', accountUser: '--account-user', accountDomain: '--account-domain', accountPassword: '--account-password-stdin', kind: 'select',
};

const openStores = openPluginStores;

async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin as AsyncIterable<Buffer>) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw new CodedError('licenses.cli.password-stdin-empty', {}, { field: 'accountPassword' });
  return text;
}

function printErrors(errors: readonly FieldError[]): void {
  for (const e of errors) process.stderr.write(`ors: ${OPTION_OF[e.field] ?? e.field}: ${messages.formatError(locale(), e)} [${e.code}]\n`);
  process.exitCode = 2;
}

function describeSelection(s: LicenseServerSelection): string {
  return s.kind === 'local' ? `local ${s.folder}${s.flsUrl ? ` (${s.flsUrl})` : ''}` : `remote ${remoteFlsUrl(s)} ${s.share}${s.smbPort ? ` (SMB port ${s.smbPort})` : ''}`;
}

async function select(dataDir: string, input: LicenseServerInput, passwordFromStdin: boolean): Promise<void> {
  const { settings, secrets } = await openStores(dataDir);
  try {
    const plugin = secrets.forPlugin(PLUGIN_ID);
    const password = passwordFromStdin ? await readPasswordFromStdin() : undefined;
    const errors: FieldError[] = [];
    const r = validateLicenseServerInput(input, { passwordSet: plugin.isSet(ORS_ACCOUNT_PASSWORD_KEY), passwordGiven: password !== undefined });
    if (!r.ok) errors.push(...r.errors);
    const pwError = password !== undefined ? validateAccountPassword(password) : undefined;
    if (pwError) errors.push(pwError);
    if (!r.ok || errors.length) return printErrors(errors);
    const version = settings.get().version;
    if (password !== undefined) await plugin.set(ORS_ACCOUNT_PASSWORD_KEY, password, ACTOR, licenseServerEndpoint(r.selection));
    await settings.update({ licenseServer: r.selection, orsAccount: r.account }, version, ACTOR);
    process.stdout.write(`${messages.format(locale(), 'licenses.cli.selected', { server: describeSelection(r.selection) })}\n`);
  } finally {
    settings.close();
  }
}

interface StatusJson {
  selection?: LicenseServerSelection;
  account: ReturnType<typeof readOrsAccount>;
  accountPasswordSet: boolean;
  reachable?: boolean;
  error?: ReturnType<typeof toErrorInfo>;
  licenses: { serial: string; product: string; expiry: string; maintenance: { start: string; end: string }; features: string[]; users: number; state: ReturnType<typeof licenseState> }[];
}

async function served(selection: LicenseServerSelection, pluginDir: string): Promise<LicensePayload[]> {
  if (selection.kind === 'remote') return (await fetchFlsStatus(remoteFlsUrl(selection))).licenses.map((l) => l.payload);
  if (selection.flsUrl) return (await fetchFlsStatus(selection.flsUrl)).licenses.map((l) => l.payload);
  // The embedded FLS listens on a port of its own choosing: read its folder with the same keys.
  const own = path.join(pluginDir, 'trust');
  const trust = [...(existsSync(own) ? [own] : []), ...(process.env['ORS_LICENSE_TRUST'] ?? '').split(path.delimiter).filter(Boolean)];
  return (await new LicenseFolderScanner(selection.folder, await loadVerifier(trust)).scan()).served.map((l) => l.payload);
}

async function status(dataDir: string, json: boolean): Promise<void> {
  const { settings, secrets, pluginDir } = await openStores(dataDir);
  settings.close();
  const values = settings.get().values;
  const selection = readSelection(values);
  const out: StatusJson = { account: readOrsAccount(values), accountPasswordSet: secrets.forPlugin(PLUGIN_ID).isSet(ORS_ACCOUNT_PASSWORD_KEY), licenses: [], ...(selection ? { selection } : {}) };
  if (selection) {
    try {
      const now = Date.now();
      out.licenses = (await served(selection, pluginDir)).map((p) => ({
        serial: p.serial, product: p.product, expiry: p.expiry, maintenance: p.maintenance, features: p.features.map((f) => f.id), users: p.users, state: licenseState(p, { now }),
      }));
      out.reachable = true;
    } catch (e) {
      out.reachable = false;
      out.error = toErrorInfo(e);
    }
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else if (!selection) {
    process.stdout.write(`${messages.format(locale(), 'licenses.cli.none')}\n`);
  } else {
    const rows: [string, string][] = [['server', describeSelection(selection)], ['account', out.account.kind === 'other' ? `${out.account.domain ? `${out.account.domain}\\` : ''}${out.account.username}` : 'Local System']];
    if (out.error) rows.push(['error', messages.format(locale(), 'licenses.cli.unreachable', { reason: messages.formatError(locale(), out.error) })]);
    for (const l of out.licenses) {
      rows.push(
        ['serial', l.serial], ['product', l.product], ['expiry', messages.format(locale(), 'license.expiry', { expiry: l.expiry })],
        ['maintenance', `${l.maintenance.start} – ${l.maintenance.end}`], ['features', l.features.join(', ') || '-'], ['users', String(l.users)],
        ['state', messages.formatMessage(locale(), stateMessage(l.state))],
      );
    }
    if (!out.error && !out.licenses.length) rows.push(['state', messages.formatMessage(locale(), stateMessage({ kind: 'none' }))]);
    process.stdout.write(rows.map(([k, v]) => `${k.padEnd(12)} ${v}`).join('\n') + '\n');
  }
  if (out.error) process.exitCode = 1;
}

const dataDirOption = () => new Option('--data-dir <dir>', 'the console\'s data folder (settings, secrets)').default(defaultDataDir());

/** Registers `ors license-server select local|remote` and `ors license-server status`. */
export function registerLicenseServerCommands(program: Command): void {
  const cmd = program.command('license-server').description('select the floating license server the console and the ORS service use, and show what it serves');
  const sel = cmd.command('select').description('select a local or a remote license server (the same settings as the Licenses dialog)');

  sel
    .command('local')
    .description('the FLS on this machine and its license folder (without --fls the console runs the reference FLS itself)')
    .option('--folder <dir>', 'license folder (default: <data-dir>/plugins/remote-service-licenses/licenses)')
    .option('--fls <url>', 'address of an FLS already running on this machine, e.g. http://127.0.0.1:27000')
    .addOption(dataDirOption())
    .action(async (o: { folder?: string; fls?: string; dataDir: string }) => {
      const folder = path.resolve(o.folder ?? path.join(o.dataDir, 'plugins', PLUGIN_ID, 'licenses'));
      const { settings } = await openStores(o.dataDir);
      settings.close();
      // The ORS service account is shared with the Remote Service: selecting a local server keeps it.
      const account = readOrsAccount(settings.get().values);
      await select(o.dataDir, { kind: 'local', folder, ...(o.fls ? { flsUrl: o.fls } : {}), account }, false);
    });

  sel
    .command('remote')
    .description('a remote FLS (host, port) and its shared license folder \\\\host\\share\\path, written with the ORS service account')
    .requiredOption('--host <host>', 'host name or IP address of the FLS')
    .option('--port <n>', 'FLS port (default 27000)')
    .requiredOption('--share <unc>', 'shared license folder, \\\\host\\share\\path')
    .option('--smb-port <n>', 'SMB port when not 445')
    .option('--account-user <user>', 'ORS service account user name')
    .option('--account-domain <domain>', 'ORS service account domain')
    .option('--account-password-stdin', 'read the account password from standard input (never from the command line)')
    .addOption(dataDirOption())
    .action(async (o: { host: string; port?: string; share: string; smbPort?: string; accountUser?: string; accountDomain?: string; accountPasswordStdin?: boolean; dataDir: string }) => {
      const { settings } = await openStores(o.dataDir);
      settings.close();
      // Without --account-user the stored account is kept (the password is set only through stdin).
      const stored = readOrsAccount(settings.get().values);
      const account = o.accountUser !== undefined ? { kind: 'other' as const, username: o.accountUser, ...(o.accountDomain ? { domain: o.accountDomain } : {}) } : stored;
      await select(
        o.dataDir,
        { kind: 'remote', host: o.host, port: o.port ?? '', share: o.share, smbPort: o.smbPort ?? '', account: account.kind === 'other' ? { kind: 'other', username: account.username, ...(account.domain ? { domain: account.domain } : {}) } : account },
        o.accountPasswordStdin === true,
      );
    });

  cmd
    .command('status')
    .description('the selected license server and what it serves; exit 1 when it cannot be reached')
    .option('--json', 'machine-readable output')
    .addOption(dataDirOption())
    .action(async (o: { json?: boolean; dataDir: string }) => status(o.dataDir, o.json === true));
}
