import { spawn } from 'node:child_process';

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a program with an argument array (never a shell), optional stdin (the only way a secret may
 * reach a child) and a deadline. Injected so the back-ends are unit-tested on recorded outputs.
 */
export type CommandRunner = (command: string, args: readonly string[], options?: { stdin?: string; timeoutMs?: number }) => Promise<CommandResult>;

const MAX_OUTPUT = 256 * 1024;

export const runCommand: CommandRunner = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, shell: false });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.stdout.on('data', (c: Buffer) => (stdout = (stdout + c.toString()).slice(0, MAX_OUTPUT)));
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(0, MAX_OUTPUT)));
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
