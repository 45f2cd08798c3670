import { untilStopSignal } from './stop-signal.js';
import * as path from 'node:path';
import { type Command } from 'commander';
import { CodedError } from '../common/errors.js';
import { pickLocale } from '../common/i18n.js';
import { messages } from '../common/messages/index.js';
import type { LicenseFeature } from '../common/license/model.js';
import { randomUUID } from 'node:crypto';
import { openBackoffice, ensureLocalTls, loadSigningKey, loadTlsFiles, type BackofficeLocation, type OpenedDataDir } from '../backoffice/data-dir.js';
import { seedDemo } from '../backoffice/demo.js';
import { startBackofficeServer } from '../backoffice/server.js';
import { createLogger } from '../services/log/logger.js';
import { createLicenseVerifier } from '../services/license/signer.js';
import { readFile } from 'node:fs/promises';
import { PACKAGE_ROOT } from '../host/server/host.js';
import { StaffService } from '../backoffice/staff-service.js';
import { STAFF_ROLES, type StaffRole } from '../common/backoffice/staff-api.js';

/** The password of `user add`: all of standard input, without the line end (never a command-line argument). */
async function passwordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

const locale = () => pickLocale([process.env['LC_ALL'], process.env['LC_MESSAGES'], process.env['LANG']]);
const say = (code: string, params?: Record<string, string | number>) => process.stdout.write(`${messages.format(locale(), code, params)}\n`);

function int(field: string, max: number) {
  return (v: string): number => {
    if (!/^\d{1,9}$/.test(v) || Number(v) > max) throw new CodedError('validation.invalid', { field, reason: `a whole number 0–${max}` }, { field });
    return Number(v);
  };
}

/** `id[:count][@YYYY-MM-DD]`, repeatable. */
function feature(v: string, previous: LicenseFeature[] = []): LicenseFeature[] {
  const m = /^([^:@]+)(?::(\d{1,7}))?(?:@(\d{4}-\d{2}-\d{2}))?$/.exec(v);
  if (!m) throw new CodedError('validation.invalid', { field: 'feature', reason: 'id[:count][@YYYY-MM-DD]' }, { field: 'feature' });
  return [...previous, { id: m[1]!, ...(m[2] ? { count: Number(m[2]) } : {}), ...(m[3] ? { expiry: m[3] } : {}) }];
}

const collect = (v: string, previous: string[] = []): string[] => [...previous, v];

interface LocationOptions {
  dataDir?: string;
  database?: string;
  signingKey?: string;
}

/** The database URL comes from --database, else ORS_BACKOFFICE_DATABASE (so a password stays off command lines). */
const location = (o: LocationOptions): BackofficeLocation => ({
  ...(o.dataDir !== undefined ? { dataDir: path.resolve(o.dataDir) } : {}),
  ...((o.database ?? process.env['ORS_BACKOFFICE_DATABASE']) ? { database: o.database ?? process.env['ORS_BACKOFFICE_DATABASE'] } : {}),
  ...(o.signingKey !== undefined ? { signingKey: o.signingKey } : {}),
});

/** --data-dir, --database and --signing-key: where a back office keeps its state (every command). */
function withLocation(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'data directory (SQLite database, signing key, local certificates)')
    .option('--database <url>', 'sqlite:PATH or postgres://… (default: SQLite in the data directory; or $ORS_BACKOFFICE_DATABASE)')
    .option('--signing-key <file>', 'license signing key (PEM; default: <data-dir>/keys/signing.key); the same file for every instance');
}

async function withDataDir<T>(o: LocationOptions, fn: (d: OpenedDataDir) => Promise<T>): Promise<T> {
  const d = await openBackoffice(location(o));
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

/** Registers `ors backoffice …`: the reference back office and its vendor CLI. */
export function registerBackofficeCommands(program: Command): void {
  const bo = program.command('backoffice').description('Reference remote-service back office (vendor side)');

  withLocation(bo.command('serve').description('Run the back office API (HTTPS, or plain HTTP behind a TLS-terminating load balancer)'))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port (0 = any free port)', int('port', 65535), 8443)
    .option('--cert <file>', 'server certificate (PEM); default: a local CA and certificate in the data dir')
    .option('--key <file>', 'server private key (PEM)')
    .option('--plain-http', 'serve plain HTTP: TLS is terminated by the load balancer in front')
    .option('--trusted-proxy <address>', 'believe X-Forwarded-For from this address or CIDR range (repeatable)', collect)
    .option('--demo', 'create the signing key if missing, seed a demo organisation, installation and entitlement and print their credentials')
    .option('--throttle-base-ms <n>', 'hold of a login after the first failure from its source; doubles per failure', int('throttle-base-ms', 60_000), 250)
    .option('--throttle-max-seconds <n>', 'longest hold of a login from a failing source', int('throttle-max-seconds', 19), 15)
    .option('--max-long-polls <n>', 'long-polls held at once before 503 + Retry-After', int('max-long-polls', 1_000_000), 20_000)
    .option('--staff-session-minutes <n>', 'how long a login to the website lasts', int('staff-session-minutes', 7 * 24 * 60), 480)
    .action(async (o: LocationOptions & {
      host: string; port: number; cert?: string; key?: string; plainHttp?: boolean; trustedProxy?: string[]; demo?: boolean;
      throttleBaseMs: number; throttleMaxSeconds: number; maxLongPolls: number; staffSessionMinutes: number;
    }) => {
      if ((o.cert === undefined) !== (o.key === undefined)) throw new CodedError('backoffice.tls.cert-and-key');
      if (o.plainHttp && o.cert) throw new CodedError('backoffice.tls.plain-and-cert');
      if (o.demo && !o.dataDir) throw new CodedError('backoffice.demo.data-dir');
      if (!o.plainHttp && !o.cert && !o.dataDir) throw new CodedError('backoffice.tls.none');
      const logger = createLogger({ name: 'backoffice' });
      // A stray rejection is logged with an incident id; it never ends the server.
      process.on('unhandledRejection', (e: unknown) => {
        logger.error({ incident: randomUUID(), err: e instanceof Error ? { message: e.message, stack: e.stack } : String(e) }, 'unhandled rejection');
      });
      const data = await openBackoffice(location(o), { createKey: o.demo === true, logger });
      const tls = o.plainHttp ? undefined : o.cert && o.key ? await loadTlsFiles(o.cert, o.key) : await ensureLocalTls(path.resolve(o.dataDir!));
      const demo = o.demo ? await seedDemo(path.resolve(o.dataDir!), data.service) : undefined;
      const server = await startBackofficeServer({
        service: data.service,
        ...(tls ? { tls } : {}),
        trustedProxies: o.trustedProxy ?? [],
        host: o.host,
        port: o.port,
        logger,
        throttle: { baseMs: o.throttleBaseMs, maxMs: o.throttleMaxSeconds * 1000 },
        maxLongPolls: o.maxLongPolls,
        websiteDir: path.join(PACKAGE_ROOT, 'dist', 'website'),
        staffSessionTtlMs: o.staffSessionMinutes * 60_000,
      });
      if (tls?.caPath) say('backoffice.cli.ca', { path: tls.caPath });
      say('backoffice.cli.signing-key', { kid: data.kid, path: data.publicKeyPath });
      if (demo) {
        say('backoffice.cli.demo-org', { id: demo.organisationId });
        say('backoffice.cli.demo-code', { code: demo.verificationCode });
        say('backoffice.cli.demo-serial', { serial: demo.serial });
        say('backoffice.cli.demo-technician', { name: demo.technician.name, password: demo.technician.password });
        say('backoffice.cli.demo-admin', { name: demo.vendorAdmin.name, password: demo.vendorAdmin.password });
      }
      say('backoffice.cli.website', { url: `${server.url}/` });
      say('backoffice.cli.listening', { url: server.url });
      await untilStopSignal();
      await server.close();
      await data.close();
    });

  withLocation(bo.command('init').description('Create the license signing key of a new back office (never replaces one)')).action(
    async (o: LocationOptions) => {
      const loc = location(o);
      const file = loc.signingKey ?? (loc.dataDir ? path.join(loc.dataDir, 'keys', 'signing.key') : undefined);
      if (!file) throw new CodedError('backoffice.signing-key.unset');
      const key = await loadSigningKey(path.resolve(file), true);
      if (loc.database || loc.dataDir) await (await openBackoffice(loc)).close(); // creates the schema
      say('backoffice.cli.signing-key', { kid: key.kid, path: key.publicKeyPath });
    },
  );

  const user = bo.command('user').description('Staff accounts of the website (vendor administrators and technicians)');
  withLocation(user.command('add').description('Create a staff account; the password is read from standard input'))
    .requiredOption('--org <id>', 'service organisation ID of the account')
    .requiredOption('--name <name>', 'login name')
    .requiredOption('--role <role>', STAFF_ROLES.join(' or '))
    .action(async (o: LocationOptions & { org: string; name: string; role: string }) => {
      if (!(STAFF_ROLES as readonly string[]).includes(o.role)) throw new CodedError('validation.invalid', { field: 'role', reason: STAFF_ROLES.join(', ') }, { field: 'role' });
      const password = await passwordFromStdin();
      await withDataDir(o, async (d) => {
        await new StaffService(d.service).addUser(o.org, o.name, o.role as StaffRole, password);
        say('backoffice.cli.user-added', { name: o.name, org: o.org, role: o.role });
      });
    });
  withLocation(user.command('list').description('List the staff accounts'))
    .option('--org <id>', 'only this organisation')
    .action(async (o: LocationOptions & { org?: string }) => {
      await withDataDir(o, async (d) => {
        const users = await d.repo.listStaffUsers(o.org);
        if (!users.length) say('backoffice.cli.none');
        for (const u of users) say('backoffice.cli.user', { name: u.name, org: u.organisationId, role: u.role, createdAt: u.createdAt });
      });
    });
  withLocation(user.command('remove').description('Remove a staff account and end its sessions'))
    .requiredOption('--name <name>', 'login name')
    .action(async (o: LocationOptions & { name: string }) => {
      await withDataDir(o, async (d) => {
        if (!(await new StaffService(d.service).removeUser(o.name))) throw new CodedError('backoffice.staff.unknown', { name: o.name });
        say('backoffice.cli.user-removed', { name: o.name });
      });
    });

  const org = bo.command('org').description('Service organisations');
  withLocation(org.command('add').description('Create a service organisation and print its verification code once'))
    .requiredOption('--id <id>', 'organisation ID')
    .option('--name <name>', 'display name', '')
    .option('--code-stdin', 'read the verification code from stdin instead of generating one')
    .action(async (o: LocationOptions & { id: string; name: string; codeStdin?: boolean }) => {
      let code: string | undefined;
      if (o.codeStdin) {
        const chunks: Buffer[] = [];
        for await (const c of process.stdin) chunks.push(c as Buffer);
        code = Buffer.concat(chunks).toString('utf8').trim();
      }
      await withDataDir(o, async (d) => {
        const r = await d.service.addOrganisation(o.id, o.name || o.id, code);
        say('backoffice.cli.org-added', { id: r.id });
        if (!o.codeStdin) say('backoffice.cli.code-once', { code: r.code });
      });
    });

  withLocation(bo.command('installation').description('Installations').command('add'))
    .requiredOption('--serial <serial>', 'serial number')
    .requiredOption('--org <id>', 'service organisation ID')
    .requiredOption('--product <product>', 'product')
    .action(async (o: LocationOptions & { serial: string; org: string; product: string }) => {
      await withDataDir(o, async (d) => {
        await d.service.addInstallation(o.serial, o.org, o.product);
        say('backoffice.cli.installation-added', { serial: o.serial, product: o.product, org: o.org });
      });
    });

  withLocation(
    bo.command('entitlement')
      .description('Entitlements')
      .command('set')
      .description('Change the entitlement of an installation; issues a new signed license when anything changed'),
  )
    .requiredOption('--serial <serial>', 'serial number')
    .option('--maintenance-start <date>', 'maintenance start (YYYY-MM-DD)')
    .option('--maintenance-until <date>', 'maintenance end (YYYY-MM-DD)')
    .option('--expiry <date>', 'license expiry (YYYY-MM-DD or "perpetual")')
    .option('--users <n>', 'number of users', int('users', 1_000_000))
    .option('--feature <id[:count][@date]>', 'add or replace a feature (repeatable)', feature)
    .option('--remove-feature <id>', 'remove a feature (repeatable)', collect)
    .option('--grace-days <n>', 'grace days', int('grace-days', 365))
    .action(async (o: LocationOptions & {
      serial: string; maintenanceStart?: string; maintenanceUntil?: string; expiry?: string;
      users?: number; feature?: LicenseFeature[]; removeFeature?: string[]; graceDays?: number;
    }) => {
      await withDataDir(o, async (d) => {
        const r = await d.service.setEntitlement(o.serial, {
          ...(o.maintenanceStart !== undefined ? { maintenanceStart: o.maintenanceStart } : {}),
          ...(o.maintenanceUntil !== undefined ? { maintenanceEnd: o.maintenanceUntil } : {}),
          ...(o.expiry !== undefined ? { expiry: o.expiry } : {}),
          ...(o.users !== undefined ? { users: o.users } : {}),
          ...(o.feature ? { features: o.feature } : {}),
          ...(o.removeFeature ? { removeFeatures: o.removeFeature } : {}),
          ...(o.graceDays !== undefined ? { graceDays: o.graceDays } : {}),
        });
        if (r.license) say('backoffice.cli.license-issued', { serial: o.serial, licenseId: r.license.licenseId, seq: r.license.seq });
        else say('backoffice.cli.entitlement-unchanged', { serial: o.serial });
      });
    });

  withLocation(bo.command('release').description('Releases').command('add'))
    .requiredOption('--product <product>', 'product')
    .requiredOption('--release <version>', 'release version (--version is the program version)')
    .requiredOption('--date <date>', 'release date (YYYY-MM-DD)')
    .requiredOption('--checksum <sha256:hex>', 'checksum of the installer')
    .requiredOption('--url <url>', 'download URL')
    .action(async (o: LocationOptions & { product: string; release: string; date: string; checksum: string; url: string }) => {
      await withDataDir(o, async (d) => {
        await d.service.addRelease({ product: o.product, version: o.release, releaseDate: o.date, checksum: o.checksum, url: o.url });
        say('backoffice.cli.release-added', { product: o.product, version: o.release, date: o.date });
      });
    });

  withLocation(
    bo.command('license').description('Licenses').command('show').description('Show the current license of an installation (or all, or the armoured file)'),
  )
    .requiredOption('--serial <serial>', 'serial number')
    .option('--all', 'every license issued, oldest first')
    .option('--armoured', 'print the armoured license file text')
    .option('--receipts', 'also list the receipts the installation sent')
    .action(async (o: LocationOptions & { serial: string; all?: boolean; armoured?: boolean; receipts?: boolean }) => {
      await withDataDir(o, async (d) => {
        const list = o.all ? await d.repo.listLicenses(o.serial) : [await d.repo.currentLicense(o.serial)].filter((l) => l !== undefined);
        if (!list.length) throw new CodedError('backoffice.license.none', { serial: o.serial });
        const verifier = createLicenseVerifier([await readFile(d.publicKeyPath, 'utf8')]);
        for (const l of list) {
          if (o.armoured) {
            process.stdout.write(l.armoured.endsWith('\n') ? l.armoured : `${l.armoured}\n`);
            continue;
          }
          const p = verifier.verify(l.armoured).payload;
          say('backoffice.cli.license', {
            licenseId: l.licenseId, seq: l.seq, kid: l.kid, issuedAt: l.issuedAt, users: p.users,
            start: p.maintenance.start, end: p.maintenance.end, expiry: p.expiry,
            features: p.features.map((f) => f.id + (f.count !== undefined ? `:${f.count}` : '') + (f.expiry ? `@${f.expiry}` : '')).join(', ') ||
              messages.format(locale(), 'backoffice.cli.none'),
          });
        }
        if (o.receipts) {
          for (const r of await d.repo.listReceipts(o.serial)) say('backoffice.cli.receipt', { receivedAt: r.receivedAt, kind: r.kind, seq: r.seq, reason: r.reason ?? '' });
        }
      });
    });
}
