#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { pickLocale } from '../common/i18n.js';
import { messages } from '../common/messages/index.js';
import { CodedError } from '../common/errors.js';
import { PRODUCT_VERSION } from '../common/version.js';

type Register = (program: Command) => void;

/**
 * Each area's subcommands, loaded only when used: `ors daemon` does not load the console, the back
 * office or SQLite (start time and memory of the long-running processes).
 */
const AREAS: Readonly<Record<string, () => Promise<Register>>> = {
  console: async () => (await import('./console.js')).registerConsoleCommand,
  daemon: async () => (await import('./daemon.js')).registerDaemonCommand,
  license: async () => (await import('./license.js')).registerLicenseCommands,
  'check-update': async () => (await import('./license.js')).registerLicenseCommands,
  'license-server': async () => (await import('./license-server.js')).registerLicenseServerCommands,
  config: async () => (await import('./config.js')).registerConfigCommands,
  diagnose: async () => (await import('./diagnose.js')).registerDiagnoseCommand,
  fls: async () => (await import('./fls.js')).registerFlsCommand,
  backoffice: async () => (await import('./backoffice.js')).registerBackofficeCommands,
  service: async () => (await import('./service.js')).registerServiceCommands,
};

/** `ors` — one binary; each area registers its own subcommands (all of them for help or unknown words). */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('ors')
    .description('Remote Service & Licenses: admin console, ORS service, license server and back office')
    .version(PRODUCT_VERSION)
    .showHelpAfterError();
  const word = argv[2];
  const loaders = word !== undefined && AREAS[word] ? [AREAS[word]!] : Object.values(AREAS);
  const registered = new Set<Register>();
  for (const load of loaders) {
    const register = await load();
    if (!registered.has(register)) register(program);
    registered.add(register);
  }
  return program;
}

/** The language of command-line output, from the usual environment variables. */
export const cliLocale = pickLocale([process.env['LC_ALL'], process.env['LC_MESSAGES'], process.env['LANG']]);

/**
 * `ors config get | head`: the reader went away. That is the reader's choice, not an error: stop
 * quietly (for every command), instead of Node's stack trace for an unhandled EPIPE.
 */
export function quietOnClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') process.exit(0);
      throw e;
    });
  }
}

async function main(): Promise<void> {
  quietOnClosedOutput();
  try {
    await (await buildProgram(process.argv)).parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.exitCode);
    if (e instanceof CodedError) {
      process.stderr.write(`ors: ${messages.formatError(cliLocale, e)} [${e.code}]\n`);
      process.exit(2);
    }
    process.stderr.write(`ors: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
}

const invoked = process.argv[1] ?? '';
if (/(?:^|[\\/])(?:main\.ts|ors(?:\.js)?)$/.test(invoked)) void main();
