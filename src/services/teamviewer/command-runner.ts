import { execFile } from 'node:child_process';

export interface CommandOutput {
  readonly stdout: string;
  /** null when the program could not be run or was killed at the deadline. */
  readonly exitCode: number | null;
}

/** Runs a program with an argument array (never a shell), a deadline and an output cap. */
export interface CommandRunner {
  run(file: string, args: readonly string[], timeoutMs?: number): Promise<CommandOutput>;
}

export const CommandRunner = Symbol('CommandRunner');

export const execFileRunner: CommandRunner = {
  run(file, args, timeoutMs = 5_000) {
    return new Promise((resolve) => {
      execFile(file, [...args], { timeout: timeoutMs, maxBuffer: 256 * 1024, windowsHide: true, shell: false, encoding: 'utf8' }, (err, stdout) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null) : 0;
        resolve({ stdout: stdout ?? '', exitCode: code });
      });
    });
  },
};
