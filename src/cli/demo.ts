import { copyFile, mkdir, readFile, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { backofficeEndpoint } from '../common/remote-service/secret-endpoints.js';
import { SECRET_NAMES, type RemoteServiceSettings } from '../common/remote-service/model.js';
import { dataDirLayout } from '../backoffice/data-dir.js';
import { writeFileAtomic } from '../services/fs/atomic-file.js';
import { startEmbedded, type EmbeddedService } from './embedded-services.js';
import { openPluginStores } from './plugin-stores.js';
import { mkdirPrivate } from '../services/fs/shared-modes.js';

interface DemoCredentials {
  readonly organisationId: string;
  readonly verificationCode: string;
  readonly serial: string;
}

/**
 * `ors console --demo`: the reference back office in `<data-dir>/backoffice`, its signing key
 * trusted by the console's license server, the demo license installed in the local license folder,
 * and the Remote Service settings pre-filled (still disabled: the administrator enables it).
 */
export async function startDemo(dataDir: string, consolePort: number): Promise<EmbeddedService[]> {
  const boDir = path.join(dataDir, 'backoffice');
  // A stable port next to the console's, so the stored back-office URL stays right across starts.
  const boPort = consolePort === 0 ? 0 : consolePort + 1;
  const backoffice = await startEmbedded('backoffice', ['backoffice', 'serve', '--demo', '--port', String(boPort), '--data-dir', boDir], /(https:\/\/127\.0\.0\.1:\d+)/);
  const layout = dataDirLayout(boDir);
  const creds = JSON.parse(await readFile(layout.demo, 'utf8')) as DemoCredentials;
  const stores = await openPluginStores(dataDir);

  const trustDir = path.join(stores.pluginDir, 'trust');
  await mkdirPrivate(trustDir);
  for (const f of (await readdir(layout.keys)).filter((n) => n.endsWith('.pub'))) await copyFile(path.join(layout.keys, f), path.join(trustDir, f));

  const licenseFolder = path.join(stores.pluginDir, 'licenses');
  await mkdir(licenseFolder, { recursive: true });
  if (!(await readdir(licenseFolder)).some((n) => n.endsWith('.lic'))) {
    const license = await runOrs(['backoffice', 'license', 'show', '--armoured', '--serial', creds.serial, '--data-dir', boDir]);
    await writeFileAtomic(path.join(licenseFolder, `${creds.serial}.lic`), license);
  }

  const current = stores.settings.get();
  const values = current.values as { licenseServer?: unknown; remoteService?: Partial<RemoteServiceSettings> };
  const rs = values.remoteService ?? {};
  const patch: Record<string, unknown> = {};
  if (!values.licenseServer) patch['licenseServer'] = { kind: 'local', folder: licenseFolder };
  if (!rs.organisationId || rs.organisationId === creds.organisationId) {
    patch['remoteService'] = {
      enabled: false,
      remoteAssistanceFeature: false,
      allowRemoteAssistance: false,
      proxy: { mode: 'none' },
      serviceControl: 'auto',
      ...rs,
      organisationId: creds.organisationId,
      backofficeUrl: backoffice.url,
      caFile: layout.caCert,
    };
  }
  if (Object.keys(patch).length) await stores.settings.update(patch, current.version, 'demo');
  const endpoint = backofficeEndpoint(backoffice.url);
  const plugin = stores.secrets.forPlugin('remote-service-licenses');
  if (!plugin.isSetFor(SECRET_NAMES.verificationCode, endpoint)) await plugin.set(SECRET_NAMES.verificationCode, creds.verificationCode, 'demo', endpoint);
  stores.settings.close();
  return [backoffice];
}

/** Runs `ors <args>` (the same binary) and returns its standard output. */
async function runOrs(args: readonly string[]): Promise<string> {
  const { spawn } = await import('node:child_process');
  const entry = process.argv[1] ?? '';
  const runner = entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...runner, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`ors ${args[0]} failed: ${err.trim()}`))));
  });
}
