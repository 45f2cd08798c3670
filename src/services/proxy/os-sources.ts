import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import type { ProxySource } from '../../common/proxy/diagnostic.js';
import { SpawnCommandRunner, type CommandRunner } from '../process/command-runner.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** What one OS settings source says; `undefined` from a reader means "this source has nothing". */
export interface OsProxyConfig {
  readonly source: ProxySource;
  readonly http?: HostPort;
  readonly https?: HostPort;
  readonly bypass: readonly string[];
  readonly pacUrl?: string;
  /** WPAD: the system is set to detect the proxy automatically. */
  readonly autoDetect?: boolean;
}

export interface OsProxySource {
  readonly name: ProxySource;
  read(): Promise<OsProxyConfig | undefined>;
}

/** The WPAD URL used when a system says "detect settings automatically" (DNS-based WPAD). */
export const WPAD_URL = 'http://wpad/wpad.dat';

function hostPort(text: string, defaultPort = 80): HostPort | undefined {
  const t = text.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  if (t === '') return undefined;
  const spaced = /^(\S+)\s+(\d+)$/.exec(text.trim().replace(/^[a-z]+:\/\//i, ''));
  if (spaced) return { host: spaced[1]!.replace(/\/$/, ''), port: Number(spaced[2]) };
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(t) ?? /^([^:]+)(?::(\d+))?$/.exec(t);
  if (!m) return undefined;
  return { host: m[1]!, port: m[2] ? Number(m[2]) : defaultPort };
}

/** Windows ProxyServer value: `host:port` for every scheme, or `http=h:p;https=h:p;ftp=…`. */
export function parseWindowsProxyServer(value: string): { http?: HostPort; https?: HostPort } {
  const v = value.trim();
  if (v === '') return {};
  if (!v.includes('=')) {
    const hp = hostPort(v);
    return hp ? { http: hp, https: hp } : {};
  }
  const out: { http?: HostPort; https?: HostPort } = {};
  for (const part of v.split(/[;\s]+/)) {
    const [scheme, target] = part.split('=', 2);
    const hp = target ? hostPort(target) : undefined;
    if (!hp) continue;
    if (scheme?.toLowerCase() === 'http') out.http = hp;
    if (scheme?.toLowerCase() === 'https') out.https = hp;
  }
  return out;
}

/**
 * HKCU\…\Internet Settings, either as `reg query` prints it (`    ProxyEnable    REG_DWORD    0x1`) or as a
 * .reg export (`"ProxyEnable"=dword:00000001`). Includes AutoConfigURL and the auto-detect flag of
 * Connections\DefaultConnectionSettings (byte 8, bit 0x08) when present.
 */
export function parseWindowsInternetSettings(text: string): OsProxyConfig | undefined {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const q = /^\s+(\S+)\s+REG_\w+\s+(.*)$/.exec(line);
    if (q) {
      values.set(q[1]!.toLowerCase(), q[2]!.trim());
      continue;
    }
    const r = /^"([^"]+)"=(.*)$/.exec(line.trim());
    if (r) {
      let v = r[2]!.trim();
      if (v.startsWith('"')) v = v.slice(1, -1).replace(/\\\\/g, '\\');
      else if (v.startsWith('dword:')) v = '0x' + v.slice(6);
      else if (v.startsWith('hex:')) v = v.slice(4).replace(/[,\\\s]/g, '');
      values.set(r[1]!.toLowerCase(), v);
    }
  }
  if (values.size === 0) return undefined;
  const enabled = Number(values.get('proxyenable') ?? '0') !== 0;
  const pacUrl = values.get('autoconfigurl') || undefined;
  const conn = values.get('defaultconnectionsettings');
  const autoDetect = conn !== undefined && conn.length >= 18 ? (parseInt(conn.slice(16, 18), 16) & 0x08) !== 0 : false;
  const servers = enabled ? parseWindowsProxyServer(values.get('proxyserver') ?? '') : {};
  if (!pacUrl && !autoDetect && !servers.http && !servers.https) return undefined;
  return {
    source: 'windows-internet-settings',
    ...servers,
    bypass: enabled ? (values.get('proxyoverride') ?? '').split(';').filter(Boolean) : [],
    ...(pacUrl ? { pacUrl } : {}),
    autoDetect,
  };
}

/** `netsh winhttp show proxy`. */
export function parseNetshWinhttp(text: string): OsProxyConfig | undefined {
  if (/Direct access \(no proxy server\)/i.test(text)) return undefined;
  const server = /Proxy Server\(s\)\s*:\s*(.+)/i.exec(text)?.[1]?.trim();
  if (!server) return undefined;
  const bypass = /Bypass List\s*:\s*(.+)/i.exec(text)?.[1]?.trim();
  return {
    source: 'windows-winhttp',
    ...parseWindowsProxyServer(server),
    bypass: bypass && !/^\(none\)$/i.test(bypass) ? bypass.split(';').filter(Boolean) : [],
  };
}

/** macOS `scutil --proxy`. */
export function parseScutilProxy(text: string): OsProxyConfig | undefined {
  const values = new Map<string, string>();
  const exceptions: string[] = [];
  let inExceptions = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*ExceptionsList\s*:\s*<array>/.test(line)) {
      inExceptions = true;
      continue;
    }
    if (inExceptions) {
      if (/^\s*}/.test(line)) inExceptions = false;
      else {
        const e = /^\s*\d+\s*:\s*(.+)$/.exec(line);
        if (e) exceptions.push(e[1]!.trim());
      }
      continue;
    }
    const m = /^\s*(\w+)\s*:\s*(.+)$/.exec(line);
    if (m) values.set(m[1]!, m[2]!.trim());
  }
  const on = (k: string): boolean => values.get(k) === '1';
  const hp = (prefix: string): HostPort | undefined =>
    on(`${prefix}Enable`) && values.get(`${prefix}Proxy`)
      ? { host: values.get(`${prefix}Proxy`)!, port: Number(values.get(`${prefix}Port`) ?? 80) }
      : undefined;
  const http = hp('HTTP');
  const https = hp('HTTPS');
  const pacUrl = on('ProxyAutoConfigEnable') ? values.get('ProxyAutoConfigURLString') : undefined;
  const autoDetect = on('ProxyAutoDiscoveryEnable');
  if (!http && !https && !pacUrl && !autoDetect) return undefined;
  if (on('ExcludeSimpleHostnames')) exceptions.push('<local>');
  return { source: 'macos', ...(http ? { http } : {}), ...(https ? { https } : {}), bypass: exceptions, ...(pacUrl ? { pacUrl } : {}), autoDetect };
}

function gvariantString(v: string | undefined): string {
  return (v ?? '').trim().replace(/^'(.*)'$/, '$1');
}

/** GNOME `gsettings list-recursively org.gnome.system.proxy`. */
export function parseGsettings(text: string): OsProxyConfig | undefined {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^(org\.gnome\.system\.proxy(?:\.\w+)?)\s+([\w-]+)\s+(.*)$/.exec(line.trim());
    if (m) values.set(`${m[1]!.replace('org.gnome.system.proxy', '')}.${m[2]}`.replace(/^\./, ''), m[3]!);
  }
  const mode = gvariantString(values.get('mode'));
  const bypass = [...(values.get('ignore-hosts') ?? '').matchAll(/'([^']*)'/g)].map((x) => x[1]!);
  if (mode === 'auto') {
    const pacUrl = gvariantString(values.get('autoconfig-url'));
    return { source: 'gnome', bypass, ...(pacUrl ? { pacUrl } : { autoDetect: true }) };
  }
  if (mode !== 'manual') return undefined;
  const hp = (scheme: string): HostPort | undefined => {
    const host = gvariantString(values.get(`${scheme}.host`));
    const port = Number(values.get(`${scheme}.port`) ?? 0);
    return host && port > 0 ? { host, port } : undefined;
  };
  const http = hp('http');
  const https = hp('https') ?? (values.get('use-same-proxy') === 'true' ? http : undefined);
  if (!http && !https) return undefined;
  return { source: 'gnome', ...(http ? { http } : {}), ...(https ? { https } : {}), bypass };
}

/** KDE `kioslaverc` ([Proxy Settings]; ProxyType 0 none, 1 manual, 2 PAC, 3 WPAD, 4 environment). */
export function parseKioslaverc(text: string, env: NodeJS.ProcessEnv = {}): OsProxyConfig | undefined {
  const values = new Map<string, string>();
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    const s = /^\s*\[([^\]]+)\]/.exec(line);
    if (s) {
      section = s[1]!;
      continue;
    }
    const m = /^\s*([^=#]+?)\s*=\s*(.*)$/.exec(line);
    if (m && section === 'Proxy Settings') values.set(m[1]!, m[2]!.trim());
  }
  const type = Number(values.get('ProxyType') ?? 0);
  const bypass = (values.get('NoProxyFor') ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  if (type === 2) {
    const pacUrl = values.get('Proxy Config Script');
    return pacUrl ? { source: 'kde', bypass, pacUrl } : undefined;
  }
  if (type === 3) return { source: 'kde', bypass, autoDetect: true };
  if (type !== 1 && type !== 4) return undefined;
  // Type 4 names environment variables instead of values.
  const read = (k: string): string => (type === 4 ? (env[values.get(k) ?? ''] ?? '') : (values.get(k) ?? ''));
  const http = read('httpProxy') ? hostPort(read('httpProxy')) : undefined;
  const https = read('httpsProxy') ? hostPort(read('httpsProxy')) : undefined;
  if (!http && !https) return undefined;
  return { source: 'kde', ...(http ? { http } : {}), ...(https ? { https } : {}), bypass: type === 4 ? (env[values.get('NoProxyFor') ?? ''] ?? '').split(',').filter(Boolean) : bypass };
}

/** A settings program's output; a program that is missing, fails or overruns its 3 s has nothing to say. */
function reader(runner: CommandRunner): (cmd: string, args: readonly string[]) => Promise<string | undefined> {
  return (cmd, args) =>
    runner.run(cmd, args, { timeoutMs: 3_000 }).then(
      (r) => (r.code === 0 ? r.stdout : undefined),
      () => undefined,
    );
}

const INTERNET_SETTINGS = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings';

/** The OS settings sources of this platform, in the order they are asked. */
export function platformSources(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, runner: CommandRunner = new SpawnCommandRunner()): OsProxySource[] {
  const run = reader(runner);
  if (platform === 'win32') {
    return [
      {
        name: 'windows-internet-settings',
        read: async () => {
          const main = await run('reg', ['query', INTERNET_SETTINGS]);
          const conn = await run('reg', ['query', `${INTERNET_SETTINGS}\\Connections`, '/v', 'DefaultConnectionSettings']);
          return main ? parseWindowsInternetSettings(main + '\n' + (conn ?? '')) : undefined;
        },
      },
      { name: 'windows-winhttp', read: async () => parseNetshWinhttp((await run('netsh', ['winhttp', 'show', 'proxy'])) ?? '') },
    ];
  }
  if (platform === 'darwin') return [{ name: 'macos', read: async () => parseScutilProxy((await run('scutil', ['--proxy'])) ?? '') }];
  const desktop = (env['XDG_CURRENT_DESKTOP'] ?? '').toUpperCase();
  const kde: OsProxySource = {
    name: 'kde',
    read: async () => {
      const file = path.join(env['XDG_CONFIG_HOME'] || path.join(homedir(), '.config'), 'kioslaverc');
      const text = await readFile(file, 'utf8').catch(() => undefined);
      return text === undefined ? undefined : parseKioslaverc(text, env);
    },
  };
  const gnome: OsProxySource = {
    name: 'gnome',
    read: async () => parseGsettings((await run('gsettings', ['list-recursively', 'org.gnome.system.proxy'])) ?? ''),
  };
  if (desktop.includes('KDE')) return [kde];
  if (desktop.includes('GNOME') || desktop.includes('UNITY') || desktop.includes('CINNAMON')) return [gnome];
  return [];
}
