#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { pickLocale } from '../common/i18n.js';
import { messages } from '../common/messages/index.js';
import { CodedError } from '../common/errors.js';
import { registerConsoleCommand } from './console.js';
import { registerLicenseCommands } from './license.js';
import { registerFlsCommand } from './fls.js';
import { registerBackofficeCommands } from './backoffice.js';
import { registerDiagnoseCommand } from './diagnose.js';
import { registerLicenseServerCommands } from './license-server.js';
import { registerConfigCommands } from './config.js';
import { registerDaemonCommand } from './daemon.js';
import { PRODUCT_VERSION } from '../common/version.js';

/** `ors` — one binary; each area registers its own subcommands. */
export function buildProgram(): Command {
  const program = new Command('ors')
    .description('Remote Service & Licenses: admin console, ORS service, license server and back office')
    .version(PRODUCT_VERSION)
    .showHelpAfterError();
  registerConsoleCommand(program);
  registerLicenseCommands(program);
  registerFlsCommand(program);
  registerBackofficeCommands(program);
  registerDiagnoseCommand(program);
  registerLicenseServerCommands(program);
  registerConfigCommands(program);
  registerDaemonCommand(program);
  return program;
}

/** The language of command-line output, from the usual environment variables. */
export const cliLocale = pickLocale([process.env['LC_ALL'], process.env['LC_MESSAGES'], process.env['LANG']]);

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
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
