import { readOrsAccount, readRemoteService, readSelection } from '../common/settings/read-settings.js';
import { Option, type Command } from 'commander';
import { CodedError } from '../common/errors.js';
import { savedSecretEndpoints } from '../common/remote-service/secret-endpoints.js';
import { pickLocale } from '../common/i18n.js';
import { ORS_ACCOUNT_SETTING } from '../common/license-server/selection.js';
import { PLUGIN_ID, SECRET_NAMES } from '../common/remote-service/model.js';
import {
  inputOf,
  REMOTE_SERVICE_SETTING,
  SECRET_LIST,
  validateRemoteService,
  validateSecret,
  type RemoteServiceFieldError,
  type RemoteServiceInput,
  type SecretName,
} from '../common/remote-service/settings-rules.js';
import { messages } from '../common/messages/index.js';
import { defaultDataDir } from './data-dir.js';
import { openPluginStores } from './plugin-stores.js';

const ACTOR = 'cli';
const locale = () => pickLocale([process.env['LC_ALL'], process.env['LC_MESSAGES'], process.env['LANG']]);

/** The keys `ors config` knows: the settings the Remote Service dialog edits, by their stored path. */
const BOOLEAN_KEYS = ['remoteService.enabled', 'remoteService.remoteAssistanceFeature', 'remoteService.allowRemoteAssistance', 'remoteService.proxy.authenticate'];
export const CONFIG_KEYS: readonly string[] = [
  'remoteService.enabled',
  'remoteService.remoteAssistanceFeature',
  'remoteService.allowRemoteAssistance',
  'remoteService.organisationId',
  'remoteService.backofficeUrl',
  'remoteService.caFile',
  'remoteService.serviceControl',
  'remoteService.proxy.mode',
  'remoteService.proxy.host',
  'remoteService.proxy.port',
  'remoteService.proxy.authenticate',
  'remoteService.proxy.username',
  'remoteService.proxy.domain',
  'remoteService.proxy.kerberosServiceName',
  'orsAccount.kind',
  'orsAccount.username',
  'orsAccount.domain',
];

/** Where the command line writes to and reads from (replaceable in tests). */
export interface ConfigIo {
  out(line: string): void;
  err(line: string): void;
  readStdin(): Promise<string>;
}

const processIo: ConfigIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin as AsyncIterable<Buffer>) chunks.push(c);
    return Buffer.concat(chunks).toString('utf8');
  },
};

const keyOfField = (field: string): string => (field.startsWith('orsAccount.') ? field : `${REMOTE_SERVICE_SETTING}.${field}`);

function getPath(obj: unknown, parts: readonly string[]): unknown {
  return parts.reduce<unknown>((o, p) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[p] : undefined), obj);
}

function setPath(obj: Record<string, unknown>, parts: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = parts;
  if (head === undefined) return obj;
  const child = rest.length ? setPath({ ...((obj[head] as Record<string, unknown> | undefined) ?? {}) }, rest, value) : value;
  const next = { ...obj };
  if (child === undefined) delete next[head];
  else next[head] = child;
  return next;
}

function stored(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { [REMOTE_SERVICE_SETTING]: readRemoteService(values), [ORS_ACCOUNT_SETTING]: readOrsAccount(values) };
}

function secretName(name: string): SecretName | undefined {
  return (SECRET_LIST as readonly string[]).includes(name) ? (name as SecretName) : undefined;
}

async function get(dataDir: string, key: string | undefined, json: boolean, io: ConfigIo): Promise<void> {
  const { settings, secrets } = await openPluginStores(dataDir);
  settings.close();
  const plugin = secrets.forPlugin(PLUGIN_ID);
  const values = stored(settings.get().values);
  const secretsSet = Object.fromEntries(SECRET_LIST.map((n) => [n, plugin.isSet(SECRET_NAMES[n])]));
  const endpoints = savedSecretEndpoints(settings.get().values);
  const secretText = (n: SecretName): string => (!secretsSet[n] ? 'not set' : plugin.isSetFor(SECRET_NAMES[n], endpoints[n], endpoints[n]) ? 'set' : 'set for another address');
  if (key !== undefined) {
    const s = secretName(key);
    if (s) return io.out(secretText(s));
    if (!CONFIG_KEYS.includes(key)) throw new CodedError('remote-service.config.unknown-key', { key, keys: CONFIG_KEYS.join(', ') }, { field: key });
    const v = getPath(values, key.split('.'));
    return io.out(json ? JSON.stringify(v ?? null) : v === undefined ? '' : String(v));
  }
  if (json) return io.out(JSON.stringify({ version: settings.get().version, ...values, secretsSet }, null, 2));
  for (const k of CONFIG_KEYS) {
    const v = getPath(values, k.split('.'));
    if (v !== undefined) io.out(`${k} = ${String(v)}`);
  }
  // Secrets: only whether they are set, never a value.
  for (const n of SECRET_LIST) io.out(`${n} = (${secretText(n)})`);
}

function parseValue(key: string, raw: string): unknown {
  if (BOOLEAN_KEYS.includes(key)) {
    if (/^(true|on|yes|1)$/i.test(raw)) return true;
    if (/^(false|off|no|0)$/i.test(raw)) return false;
    throw new CodedError('remote-service.config.not-boolean', { key, value: raw }, { field: key });
  }
  // '' removes an optional value; the rules then say whether it was required.
  return raw === '' ? undefined : raw;
}

async function set(dataDir: string, key: string, raw: string, io: ConfigIo): Promise<void> {
  if (secretName(key)) throw new CodedError('remote-service.config.secret-is-write-only', { key }, { field: key });
  if (!CONFIG_KEYS.includes(key)) throw new CodedError('remote-service.config.unknown-key', { key, keys: CONFIG_KEYS.join(', ') }, { field: key });
  const { settings, secrets } = await openPluginStores(dataDir);
  try {
    const plugin = secrets.forPlugin(PLUGIN_ID);
    const current = settings.get();
    const edited = setPath(stored(current.values), key.split('.'), parseValue(key, raw));
    const rs = readRemoteService(edited);
    // The account as edited (maybe incomplete): the rules, not the reader, say what is missing.
    const input: RemoteServiceInput = { ...inputOf(rs, readOrsAccount(edited)), orsAccount: edited[ORS_ACCOUNT_SETTING] as RemoteServiceInput['orsAccount'] };
    const secretsSet = Object.fromEntries(SECRET_LIST.map((n) => [n, plugin.isSet(SECRET_NAMES[n])])) as Record<SecretName, boolean>;
    const r = validateRemoteService(input, {}, { secretsSet, licenseServerRemote: readSelection(current.values)?.kind === 'remote' });
    if (!r.ok) return printErrors(r.errors, io);
    const next = await settings.update({ [REMOTE_SERVICE_SETTING]: r.settings, [ORS_ACCOUNT_SETTING]: r.account }, current.version, ACTOR);
    io.out(messages.format(locale(), 'remote-service.config.saved', { key, version: next.version }));
    // A new address does not take a stored secret along (it is bound to where it was saved for): say which to enter again.
    const before = savedSecretEndpoints(current.values);
    const after = savedSecretEndpoints(next.values);
    for (const n of SECRET_LIST) {
      if (plugin.isSet(SECRET_NAMES[n]) && !plugin.isSetFor(SECRET_NAMES[n], after[n], before[n])) {
        io.err(`ors: ${messages.format(locale(), 'remote-service.config.secret-for-other-endpoint', { name: n, endpoint: after[n] })}`);
      }
    }
  } finally {
    settings.close();
  }
}

async function setSecret(dataDir: string, name: string, io: ConfigIo): Promise<void> {
  const s = secretName(name);
  if (!s) throw new CodedError('remote-service.config.unknown-secret', { name, names: SECRET_LIST.join(', ') }, { field: name });
  const value = (await io.readStdin()).replace(/\r?\n$/, '');
  if (value === '') throw new CodedError('remote-service.config.stdin-empty', {}, { field: name });
  const e = validateSecret(s, value);
  if (e) return printErrors([e], io);
  const { settings, secrets } = await openPluginStores(dataDir);
  settings.close();
  // Bound to where the saved settings send it: changing that address later asks for it again.
  await secrets.forPlugin(PLUGIN_ID).set(SECRET_NAMES[s], value, ACTOR, savedSecretEndpoints(settings.get().values)[s]);
  io.out(messages.format(locale(), 'remote-service.config.secret-saved', { name: s }));
}

function printErrors(errors: readonly RemoteServiceFieldError[], io: ConfigIo): void {
  for (const e of errors) io.err(`ors: ${keyOfField(e.field)}: ${messages.formatError(locale(), e)} [${e.code}]`);
  process.exitCode = 2;
}

/** Runs an action; a CodedError becomes one line on stderr in the user's language and exit code 2. */
function guarded<A extends unknown[]>(io: ConfigIo, f: (...a: A) => Promise<void>): (...a: A) => Promise<void> {
  return async (...a: A) => {
    try {
      await f(...a);
    } catch (e) {
      if (!(e instanceof CodedError)) throw e;
      io.err(`ors: ${e.field ? `${e.field}: ` : ''}${messages.formatError(locale(), e)} [${e.code}]`);
      process.exitCode = e.code === 'settings.conflict' ? 1 : 2;
    }
  };
}

const dataDirOption = () => new Option('--data-dir <dir>', "the console's data folder (settings, secrets)").default(defaultDataDir());

/** Registers `ors config get [KEY]`, `ors config set KEY VALUE` and `ors config set-secret NAME` (value from stdin). */
export function registerConfigCommands(program: Command, io: ConfigIo = processIo): void {
  const cmd = program.command('config').description('read and change the Remote Service settings for unattended roll-outs (the same rules as the dialog)');
  cmd
    .command('get [key]')
    .description(`print the settings, or one of them (${CONFIG_KEYS.length} keys, e.g. remoteService.proxy.port); secrets only as set / not set`)
    .option('--json', 'machine-readable output')
    .addOption(dataDirOption())
    .action(guarded(io, (key: string | undefined, o: { json?: boolean; dataDir: string }) => get(o.dataDir, key, o.json === true, io)));
  cmd
    .command('set <key> <value>')
    .description('change one setting, validated with the dialog\'s rules; an empty value removes an optional one')
    .addOption(dataDirOption())
    .action(guarded(io, (key: string, value: string, o: { dataDir: string }) => set(o.dataDir, key, value, io)));
  cmd
    .command('set-secret <name>')
    .description(`set a secret (${SECRET_LIST.join(', ')}) from standard input; never from the command line`)
    .addOption(dataDirOption())
    .action(guarded(io, (name: string, o: { dataDir: string }) => setSecret(o.dataDir, name, io)));
}
