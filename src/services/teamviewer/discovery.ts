import { constants } from 'node:fs';
import { access, readFile, readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { TeamViewerAvailability, TeamViewerInstallation, TeamViewerSource } from '../../common/remote-assistance/model.js';
import type { CommandRunner } from '../process/command-runner.js';
import { parseTeamViewerInfo } from './linux-info.js';
import { registryString, TEAMVIEWER_KEY, type RegistryReader, type RegistryView } from './registry.js';

export interface DiscoveryOptions {
  readonly platform: NodeJS.Platform;
  /** The administrator's QuickSupport (or client) program, or the folder holding it; wins over everything else. */
  readonly configuredPath?: string;
  /** PATH, ProgramFiles, ProgramW6432, ProgramFiles(x86). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Windows only. */
  readonly registry?: RegistryReader;
  /** Runs `teamviewer info` (Linux) and PowerShell's signature check (Windows). */
  readonly runner: CommandRunner;
  /** macOS: where `TeamViewer*.app` bundles are looked for. */
  readonly applicationsDir?: string;
  /** Linux: TeamViewer's installation folder. */
  readonly optDir?: string;
}

/** Finds TeamViewer on this machine. Reads only paths, versions and the ID; never TeamViewer's passwords. */
export async function discoverTeamViewer(o: DiscoveryOptions): Promise<TeamViewerAvailability> {
  const configured = o.configuredPath?.trim();
  if (configured) {
    const found = await fromConfigured(o, configured);
    return found ? { kind: 'available', installation: found } : { kind: 'not-found', platform: o.platform, configuredPath: configured };
  }
  const found = o.platform === 'win32' ? await onWindows(o) : o.platform === 'darwin' ? await onMac(o) : await onLinux(o);
  return found ? { kind: 'available', installation: found } : { kind: 'not-found', platform: o.platform };
}

async function isDir(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isDirectory(), () => false);
}

async function isProgram(p: string, platform: NodeJS.Platform): Promise<boolean> {
  if (!(await stat(p).then((s) => s.isFile(), () => false))) return false;
  if (platform === 'win32') return true;
  return access(p, constants.X_OK).then(() => true, () => false);
}

/** What a program printed; nothing when it could not be started (it is not TeamViewer then). */
async function outputOf(o: DiscoveryOptions, exe: string, args: readonly string[], timeoutMs: number): Promise<string> {
  return (await o.runner.run(exe, args, { timeoutMs }).catch(() => undefined))?.stdout ?? '';
}

const isQuickSupport = (p: string): boolean => /quicksupport|teamviewerqs|(^|[\\/])qs[\\/]/i.test(p);

/** A configured program is QuickSupport unless it is plainly the full client's `TeamViewer(.exe)`. */
const configuredKind = (p: string): TeamViewerInstallation['kind'] =>
  !isQuickSupport(p) && /^teamviewer(\.exe)?$/i.test(path.basename(p)) ? 'full' : 'quicksupport';

function installation(kind: TeamViewerInstallation['kind'], executable: string, source: TeamViewerSource, version?: string, id?: string): TeamViewerInstallation {
  return { kind, executable, source, ...(version ? { version } : {}), ...(id ? { id } : {}) };
}

/** TeamViewer's program names: TeamViewer(.exe), TeamViewerQS(_x64, _en-idc…)(.exe), teamviewer. */
const TEAMVIEWER_NAME = /^teamviewer(qs)?([_-][\w.-]*)?(\.exe)?$/i;
/** The publisher of TeamViewer's Authenticode signatures (TeamViewer Germany GmbH, formerly TeamViewer GmbH). */
const TEAMVIEWER_PUBLISHER = /(^|,\s*)O="?TeamViewer[^,]*GmbH"?(,|$)/i;

/**
 * A configured program runs with the ORS service's rights, so it must be TeamViewer's own: its file
 * name, its version information (Linux: `info`; Windows: the version resource) and on Windows a
 * valid Authenticode signature by TeamViewer. Returns its version, or undefined when it is not one.
 */
async function teamViewerVersion(o: DiscoveryOptions, exe: string): Promise<string | undefined> {
  if (!TEAMVIEWER_NAME.test(path.basename(exe))) return undefined;
  if (o.platform === 'win32') {
    const quoted = `'${exe.replace(/'/g, "''")}'`;
    const script = `$i=(Get-Item -LiteralPath ${quoted}).VersionInfo; $s=Get-AuthenticodeSignature -LiteralPath ${quoted}; [pscustomobject]@{product=$i.ProductName; company=$i.CompanyName; version=$i.ProductVersion; status=[string]$s.Status; publisher=$s.SignerCertificate.Subject} | ConvertTo-Json -Compress`;
    const out = await outputOf(o, 'powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], 15_000);
    let v: { product?: unknown; company?: unknown; version?: unknown; status?: unknown; publisher?: unknown };
    try {
      v = JSON.parse(out) as typeof v;
    } catch {
      return undefined;
    }
    const text = (x: unknown): string => (typeof x === 'string' ? x : '');
    if (text(v.status) !== 'Valid' || !TEAMVIEWER_PUBLISHER.test(text(v.publisher))) return undefined;
    if (!/TeamViewer/i.test(text(v.product)) && !/TeamViewer/i.test(text(v.company))) return undefined;
    return text(v.version).trim() || undefined;
  }
  if (o.platform === 'darwin') {
    // Inside a bundle: its Info.plist names TeamViewer (configured bundles go through fromBundle).
    const plist = await readFile(path.join(path.dirname(path.dirname(exe)), 'Info.plist'), 'utf8').catch(() => '');
    return /com\.teamviewer\./i.test(plistString(plist, 'CFBundleIdentifier') ?? '') ? (plistString(plist, 'CFBundleShortVersionString') ?? '') : undefined;
  }
  return parseTeamViewerInfo(await outputOf(o, exe, ['info'], 5_000)).version;
}

async function configuredProgram(o: DiscoveryOptions, exe: string): Promise<TeamViewerInstallation | undefined> {
  if (!(await isProgram(exe, o.platform))) return undefined;
  const version = await teamViewerVersion(o, exe);
  return version === undefined ? undefined : installation(configuredKind(exe), exe, 'configured', version || undefined);
}

async function fromConfigured(o: DiscoveryOptions, p: string): Promise<TeamViewerInstallation | undefined> {
  if (!path.isAbsolute(p) && !/^[a-z]:[\\/]/i.test(p)) return undefined;
  if (o.platform === 'darwin' && /\.app\/?$/i.test(p)) return fromBundle(p.replace(/\/$/, ''), 'configured');
  if (await isProgram(p, o.platform)) return configuredProgram(o, p);
  if (!(await isDir(p))) return undefined;
  const names = o.platform === 'win32' ? ['TeamViewerQS_x64.exe', 'TeamViewerQS.exe', 'TeamViewer.exe'] : o.platform === 'darwin' ? [] : ['teamviewer', 'TeamViewerQS'];
  for (const name of names) {
    const found = await configuredProgram(o, path.join(p, name));
    if (found) return found;
  }
  if (o.platform === 'darwin') {
    const apps = (await readdir(p).catch(() => [] as string[])).filter((n) => /^TeamViewer.*\.app$/i.test(n)).sort();
    for (const app of apps) {
      const found = await fromBundle(path.join(p, app), 'configured');
      if (found) return found;
    }
  }
  return undefined;
}

// ---- Windows ------------------------------------------------------------------------------------

async function windowsId(reg: RegistryReader | undefined, view: RegistryView): Promise<string | undefined> {
  const id = registryString(await reg?.query(TEAMVIEWER_KEY, 'ClientID', view).catch(() => undefined), 'ClientID');
  return id && id !== '0' ? id : undefined;
}

async function onWindows(o: DiscoveryOptions): Promise<TeamViewerInstallation | undefined> {
  const reg = o.registry;
  for (const view of [64, 32] as const) {
    const dir = registryString(await reg?.query(TEAMVIEWER_KEY, 'InstallationDirectory', view).catch(() => undefined), 'InstallationDirectory');
    if (!dir) continue;
    const exe = path.join(dir, 'TeamViewer.exe');
    if (!(await isProgram(exe, o.platform))) continue;
    const version = registryString(await reg?.query(TEAMVIEWER_KEY, 'Version', view).catch(() => undefined), 'Version');
    return installation('full', exe, view === 64 ? 'registry-64' : 'registry-32', version, await windowsId(reg, view));
  }
  const roots = [o.env['ProgramFiles'], o.env['ProgramW6432'], o.env['ProgramFiles(x86)']].filter((r): r is string => !!r);
  for (const root of new Set(roots)) {
    const exe = path.join(root, 'TeamViewer', 'TeamViewer.exe');
    if (await isProgram(exe, o.platform)) return installation('full', exe, 'program-files', undefined, (await windowsId(reg, 64)) ?? (await windowsId(reg, 32)));
  }
  return undefined;
}

// ---- macOS --------------------------------------------------------------------------------------

function plistString(plist: string, key: string): string | undefined {
  const m = new RegExp(`<key>${key}</key>\\s*<string>([^<]*)</string>`).exec(plist);
  return m?.[1]?.trim() || undefined;
}

async function fromBundle(app: string, source: TeamViewerSource): Promise<TeamViewerInstallation | undefined> {
  const plist = await readFile(path.join(app, 'Contents', 'Info.plist'), 'utf8').catch(() => '');
  // A bundle the administrator names must be TeamViewer's own (its bundle identifier).
  if (source === 'configured' && !/^com\.teamviewer\./i.test(plistString(plist, 'CFBundleIdentifier') ?? '')) return undefined;
  const name = plistString(plist, 'CFBundleExecutable') ?? path.basename(app, '.app');
  const exe = path.join(app, 'Contents', 'MacOS', name);
  if (!(await isProgram(exe, 'darwin'))) return undefined;
  const kind = isQuickSupport(path.basename(app)) || /QuickSupport|QS$/i.test(name) ? 'quicksupport' : 'full';
  return installation(kind, exe, source, plistString(plist, 'CFBundleShortVersionString'));
}

async function onMac(o: DiscoveryOptions): Promise<TeamViewerInstallation | undefined> {
  const dir = o.applicationsDir ?? '/Applications';
  const apps = (await readdir(dir).catch(() => [] as string[])).filter((n) => /^TeamViewer.*\.app$/i.test(n));
  // The full client before QuickSupport or Host variants.
  apps.sort((a, b) => Number(a !== 'TeamViewer.app') - Number(b !== 'TeamViewer.app') || a.localeCompare(b));
  for (const app of apps) {
    const found = await fromBundle(path.join(dir, app), 'applications');
    if (found) return found;
  }
  return undefined;
}

// ---- Linux --------------------------------------------------------------------------------------

async function onLinux(o: DiscoveryOptions): Promise<TeamViewerInstallation | undefined> {
  const candidates: { exe: string; source: TeamViewerSource }[] = [];
  for (const dir of (o.env['PATH'] ?? '').split(path.delimiter).filter((d) => path.isAbsolute(d))) {
    candidates.push({ exe: path.join(dir, 'teamviewer'), source: 'path' });
  }
  const opt = o.optDir ?? '/opt/teamviewer';
  candidates.push({ exe: path.join(opt, 'tv_bin', 'script', 'teamviewer'), source: 'opt' }, { exe: path.join(opt, 'teamviewer'), source: 'opt' });
  for (const c of candidates) {
    if (!(await isProgram(c.exe, o.platform))) continue;
    const info = parseTeamViewerInfo(await outputOf(o, c.exe, ['info'], 5_000));
    return installation('full', c.exe, c.source, info.version, info.id);
  }
  return undefined;
}

/** Reads the TeamViewer ID again once TeamViewer runs (it may be assigned on the first start). */
export async function readTeamViewerId(o: DiscoveryOptions, i: TeamViewerInstallation): Promise<string | undefined> {
  if (o.platform === 'win32') return (await windowsId(o.registry, 64)) ?? (await windowsId(o.registry, 32));
  if (o.platform === 'linux' && i.kind === 'full') return parseTeamViewerInfo(await outputOf(o, i.executable, ['info'], 5_000)).id;
  return undefined;
}
