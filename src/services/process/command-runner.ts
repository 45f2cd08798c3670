import { spawn } from 'node:child_process';
import { injectable } from 'inversify';

export interface CommandResult {
  /** The exit code; null when the program was killed (at the deadline). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandOptions {
  /** Written to the program's stdin, which is then closed: the only way a secret may reach a child. */
  readonly stdin?: string;
  /** The program is killed after this long (default 30 s). */
  readonly timeoutMs?: number;
}

/**
 * Runs a program with an argument array (never a shell), optional stdin and a deadline; output is
 * capped. Rejects only when the program cannot be started (ENOENT, EACCES). Bound once in the
 * platform module; unit tests rebind it with a fake that answers from recorded or documented outputs.
 */
export interface CommandRunner {
  run(command: string, args: readonly string[], options?: CommandOptions): Promise<CommandResult>;
}
export const CommandRunner = Symbol('CommandRunner');

const MAX_OUTPUT = 256 * 1024;

@injectable()
export class SpawnCommandRunner implements CommandRunner {
  run(command: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, shell: false });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
      // Decoded as a stream, so a character split between two chunks stays whole.
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout = (stdout + c).slice(0, MAX_OUTPUT)));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(0, MAX_OUTPUT)));
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdin ?? '');
    });
  }
}
