import type { CommandRunner } from '../process/command-runner.js';

export type RegistryView = 64 | 32;

/** The TeamViewer key (HKLM). A 32-bit client on 64-bit Windows lives in its 32-bit view (WOW6432Node). */
export const TEAMVIEWER_KEY = 'HKLM\\SOFTWARE\\TeamViewer';

/**
 * The only values discovery may read. TeamViewer keeps its password hashes in the same key
 * (SecurityPasswordAES, OptionsPasswordAES, PermanentPassword…); they are never queried.
 */
export const READABLE_VALUES = ['InstallationDirectory', 'Version', 'ClientID'] as const;
export type ReadableValue = (typeof READABLE_VALUES)[number];

/** Reads one registry value; returns the raw `reg query` output, or undefined when absent. */
export interface RegistryReader {
  query(key: string, value: ReadableValue, view: RegistryView): Promise<string | undefined>;
}

export const RegistryReader = Symbol('RegistryReader');

export interface RegistryValue {
  readonly name: string;
  readonly type: string;
  readonly data: string;
}

/**
 * Parses `reg query` output: a key line, then `    NAME    REG_TYPE    DATA` lines (four-space
 * separated; names and data may contain single spaces). REG_DWORD data is hex (`0x…`).
 */
export function parseRegQuery(output: string): RegistryValue[] {
  const values: RegistryValue[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const m = /^\s+(.+?)\s{4}(REG_[A-Z_]+)(?:\s{4}(.*))?$/.exec(raw);
    if (!m) continue;
    values.push({ name: m[1]!.trim(), type: m[2]!, data: (m[3] ?? '').trim() });
  }
  return values;
}

/** The value's data as a string; REG_DWORD/REG_QWORD as decimal. */
export function registryString(output: string | undefined, name: string): string | undefined {
  if (output === undefined) return undefined;
  const v = parseRegQuery(output).find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!v || v.data === '') return undefined;
  if (v.type === 'REG_DWORD' || v.type === 'REG_QWORD') {
    const n = /^0x[0-9a-f]+$/i.test(v.data) ? BigInt(v.data) : undefined;
    return n === undefined ? undefined : n.toString(10);
  }
  return v.data;
}

/** The real reader: `reg.exe query KEY /v NAME /reg:64|32` (Windows only). */
export function regExeReader(runner: CommandRunner): RegistryReader {
  return {
    async query(key, value, view) {
      if (!(READABLE_VALUES as readonly string[]).includes(value)) throw new Error(`registry value ${value} may not be read`);
      const out = await runner.run('reg.exe', ['query', key, '/v', value, `/reg:${view}`], { timeoutMs: 5_000 }).catch(() => undefined);
      return out?.code === 0 ? out.stdout : undefined;
    },
  };
}
