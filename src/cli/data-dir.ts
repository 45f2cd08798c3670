import { homedir } from 'node:os';
import * as path from 'node:path';

/** Where the console, the ORS service and the CLI keep their state unless told otherwise. */
export function defaultDataDir(): string {
  return process.env['ORS_DATA_DIR'] ?? path.join(homedir(), '.local', 'share', 'ors');
}
