import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { savedSecretEndpoints } from '../common/remote-service/secret-endpoints.js';
import { Option, type Command } from 'commander';
import { CodedError, type MessageParams } from '../common/errors.js';
import { pickLocale } from '../common/i18n.js';
import { messages } from '../common/messages/index.js';
import type { LicenseFeature, LicensePayload } from '../common/license/model.js';
import { isCalendarDate } from '../common/license/dates.js';
import { entitlementChanges, losses } from '../common/license/compare.js';
import { changesMessage, stateMessage } from '../common/license/describe.js';
import { assertLicenseValid, licenseState, mayInstallRelease } from '../common/license/validity.js';
import { writeFileAtomic } from '../services/fs/atomic-file.js';
import { createLicenseSigner, generateKeyPair, type VerifiedLicense } from '../services/license/signer.js';
import { loadVerifier, readCapped } from '../services/license/trust.js';
import { LicenseWorseError } from '../services/license-server/license-server.js';
import { releaseAllowed } from '../common/backoffice/api.js';
import { PLUGIN_ID, SECRET_NAMES } from '../common/remote-service/model.js';
import { BackofficeClient } from '../services/backoffice-client/backoffice-client.js';
import { resolveDaemonConfig } from '../daemon/daemon-config.js';
import { createSerialSource } from '../daemon/serial-source.js';
import { openPluginStores } from './plugin-stores.js';
import { createLocalLicenseServer } from '../services/license-server/local-license-server.js';

const locale = () => pickLocale([process.env['LC_ALL'], process.env['LC_MESSAGES'], process.env['LANG']]);
const say = (code: string, params?: MessageParams) => process.stdout.write(`${messages.format(locale(), code, params)}\n`);

/** Prints the reason (in the user's language, with its code) and sets a non-zero exit code. */
function fail(e: unknown, exitCode = 1): void {
  if (!(e instanceof CodedError)) throw e;
  process.stderr.write(`ors: ${messages.formatError(locale(), e)} [${e.code}]\n`);
  process.exitCode = exitCode;
}

/** Trusted vendor keys: --trust FILE|DIR (repeatable), else ORS_LICENSE_TRUST (path list). */
function trustPaths(opts: { trust?: string[] }): string[] {
  if (opts.trust?.length) return opts.trust;
  const env = process.env['ORS_LICENSE_TRUST'];
  if (env) return env.split(path.delimiter).filter(Boolean);
  throw new CodedError('license.no-trusted-keys');
}

async function readVerified(file: string, opts: { trust?: string[] }): Promise<VerifiedLicense> {
  const verifier = await loadVerifier(trustPaths(opts));
  return verifier.verify(await readCapped(file));
}

function date(field: string) {
  return (v: string): string => {
    if (!isCalendarDate(v)) throw new CodedError('validation.invalid', { field, reason: 'YYYY-MM-DD' }, { field });
    return v;
  };
}

function positiveInt(field: string) {
  return (v: string): number => {
    if (!/^\d{1,9}$/.test(v)) throw new CodedError('validation.invalid', { field, reason: 'a whole number' }, { field });
    return Number(v);
  };
}

/** --feature id[:count][@YYYY-MM-DD] */
function feature(v: string, acc: LicenseFeature[] = []): LicenseFeature[] {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})(?::(\d{1,7}))?(?:@(\d{4}-\d{2}-\d{2}))?$/.exec(v);
  if (!m || (m[3] !== undefined && !isCalendarDate(m[3]))) throw new CodedError('validation.invalid', { field: '--feature', reason: 'id[:count][@YYYY-MM-DD]' }, { field: 'feature' });
  return [...acc, { id: m[1]!, ...(m[2] !== undefined ? { count: Number(m[2]) } : {}), ...(m[3] !== undefined ? { expiry: m[3] } : {}) }];
}

const trustOption = () => new Option('--trust <file|dir>', 'trusted vendor public key file or folder of *.pub (repeatable; default $ORS_LICENSE_TRUST)').argParser((v: string, acc: string[] = []) => [...acc, v]);

function summary(v: VerifiedLicense): Record<string, string | number> {
  const p = v.payload;
  return {
    serial: p.serial, product: p.product, users: p.users, start: p.maintenance.start, end: p.maintenance.end,
    expiry: messages.format(locale(), 'license.expiry', { expiry: p.expiry }),
  };
}

/** Registers `ors license …` and the installer's `ors check-update`. */
export function registerLicenseCommands(program: Command): void {
  const license = program.command('license').description('signed license files: keys, issue, verify, show, diff');

  license
    .command('keygen')
    .description('generate a vendor signing key pair: <kid>.key (0600, secret) and <kid>.pub')
    .requiredOption('--out <dir>', 'folder to write the key files into')
    .action(async (opts: { out: string }) => {
      const keys = generateKeyPair();
      await mkdir(opts.out, { recursive: true });
      const privateKey = path.join(opts.out, `${keys.kid}.key`);
      const publicKey = path.join(opts.out, `${keys.kid}.pub`);
      await writeFileAtomic(privateKey, keys.privateKeyPem, { mode: 0o600 });
      await writeFileAtomic(publicKey, keys.publicKeyPem);
      say('license.keys-written', { kid: keys.kid, privateKey, publicKey });
    });

  license
    .command('issue')
    .description('sign a license file with a vendor private key')
    .requiredOption('--key <file>', 'vendor private key (<kid>.key)')
    .requiredOption('--serial <serial>', 'serial number of the installation')
    .requiredOption('--org <id>', 'service organisation')
    .option('--users <n>', 'number of concurrent users', positiveInt('--users'), 1)
    .option('--feature <id[:count][@date]>', 'optional feature (repeatable)', feature)
    .option('--maintenance-from <date>', 'maintenance start (default today)', date('--maintenance-from'))
    .requiredOption('--maintenance-until <date>', 'maintenance end', date('--maintenance-until'))
    .option('--expires <date|never>', 'license expiry', (v: string) => (v === 'never' ? 'perpetual' : date('--expires')(v)), 'perpetual')
    .option('--seq <n>', 'sequence number (monotonic per serial)', positiveInt('--seq'), 1)
    .option('--product <name>', 'product', 'PrintPrep')
    .option('--grace-days <n>', 'days the license keeps working after expiry', positiveInt('--grace-days'), 14)
    .option('--license-id <id>', 'license id (default <serial>-<seq>)')
    .option('--supersedes <id>', 'license id this one replaces')
    .option('--not-before <iso>', 'not valid before this ISO timestamp (default now)')
    .requiredOption('--out <file>', 'license file to write')
    .action(async (opts: {
      key: string; serial: string; org: string; users: number; feature?: LicenseFeature[]; maintenanceFrom?: string; maintenanceUntil: string;
      expires: string; seq: number; product: string; graceDays: number; licenseId?: string; supersedes?: string; notBefore?: string; out: string;
    }) => {
      const keyPem = (await readCapped(opts.key, 16 * 1024)).toString('utf8');
      const signer = createLicenseSigner(keyPem);
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const payload: LicensePayload = {
        licenseId: opts.licenseId ?? `${opts.serial}-${opts.seq}`,
        serial: opts.serial,
        serviceOrganisation: opts.org,
        seq: opts.seq,
        ...(opts.supersedes ? { supersedes: opts.supersedes } : {}),
        issuedAt: now,
        notBefore: opts.notBefore ?? now,
        expiry: opts.expires,
        maintenance: { start: opts.maintenanceFrom ?? now.slice(0, 10), end: opts.maintenanceUntil },
        product: opts.product,
        features: opts.feature ?? [],
        users: opts.users,
        graceDays: opts.graceDays,
      };
      await writeFileAtomic(opts.out, signer.sign(payload));
      say('license.issued', { licenseId: payload.licenseId, serial: payload.serial, seq: payload.seq, path: opts.out });
    });

  license
    .command('verify <file>')
    .description('check signature, shape, serial and dates; exit 0 when valid, otherwise 1 and the reason code')
    .addOption(trustOption())
    .option('--serial <serial>', 'the serial number the license must be for')
    .action(async (file: string, opts: { trust?: string[]; serial?: string }) => {
      try {
        const v = await readVerified(file, opts);
        assertLicenseValid(v.payload, { now: Date.now(), ...(opts.serial ? { serial: opts.serial } : {}) });
        say('license.valid', summary(v));
      } catch (e) {
        fail(e);
      }
    });

  license
    .command('show <file>')
    .description('show what a (verified) license grants and its state')
    .addOption(trustOption())
    .option('--json', 'machine-readable output')
    .action(async (file: string, opts: { trust?: string[]; json?: boolean }) => {
      try {
        const v = await readVerified(file, opts);
        const state = licenseState(v.payload, { now: Date.now() });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ kid: v.kid, sha256: v.payloadSha256, payload: v.payload, state }, null, 2)}\n`);
          return;
        }
        const p = v.payload;
        const rows: [string, string][] = [
          ['serial', p.serial], ['product', p.product], ['licenseId', p.licenseId], ['seq', String(p.seq)],
          ['serviceOrganisation', p.serviceOrganisation], ['users', String(p.users)],
          ['expiry', messages.format(locale(), 'license.expiry', { expiry: p.expiry })],
          ['maintenance', `${p.maintenance.start} – ${p.maintenance.end}`],
          ['features', p.features.map((f) => `${f.id}${f.count !== undefined ? `:${f.count}` : ''}${f.expiry ? `@${f.expiry}` : ''}`).join(', ') || '-'],
          ['issuedAt', p.issuedAt], ['kid', v.kid], ['state', messages.formatMessage(locale(), stateMessage(state))],
        ];
        process.stdout.write(rows.map(([k, val]) => `${k.padEnd(20)} ${val}`).join('\n') + '\n');
      } catch (e) {
        fail(e);
      }
    });

  license
    .command('diff <old> <new>')
    .description('what changes from one license to another; exit 3 when the new one takes something away')
    .addOption(trustOption())
    .option('--json', 'machine-readable output')
    .action(async (oldFile: string, newFile: string, opts: { trust?: string[]; json?: boolean }) => {
      try {
        const [a, b] = [await readVerified(oldFile, opts), await readVerified(newFile, opts)];
        const changes = entitlementChanges(a.payload, b.payload);
        const lost = losses(a.payload, b.payload);
        if (opts.json) process.stdout.write(`${JSON.stringify({ changes, worse: lost.length > 0 }, null, 2)}\n`);
        else {
          process.stdout.write(`${messages.format(locale(), 'license.diff', { changes: changesMessage(changes) })}\n`);
          if (lost.length) process.stdout.write(`${messages.format(locale(), 'license.worse', { changes: changesMessage(lost) })}\n`);
        }
        if (lost.length) process.exitCode = 3;
      } catch (e) {
        fail(e);
      }
    });

  license
    .command('install <file>')
    .description('install into a local license server (folder + FLS), with the same checks as the automatic path; exit 3 when it takes something away and --confirm is missing')
    .requiredOption('--folder <dir>', 'the FLS license folder')
    .requiredOption('--fls <url>', 'the FLS base URL, e.g. http://127.0.0.1:27000')
    .option('--serial <serial>', 'the serial number of this installation')
    .option('--confirm', 'install even if the new license takes something away')
    .option('--replace-installation', "replace this installation's license with one for another serial number (the replaced license is kept in history/)")
    .addOption(trustOption())
    .action(async (file: string, opts: { folder: string; fls: string; serial?: string; confirm?: boolean; replaceInstallation?: boolean; trust?: string[] }) => {
      try {
        const server = createLocalLicenseServer({ folder: opts.folder, flsUrl: opts.fls, verifier: await loadVerifier(trustPaths(opts)) });
        const r = await server.install(await readCapped(file), {
          ...(opts.serial ? { serial: opts.serial } : {}),
          ...(opts.confirm ? { confirmWorse: true } : {}),
          ...(opts.replaceInstallation ? { replaceInstallation: true } : {}),
        });
        say('license-server.installed', { file: r.file, ms: Math.round(r.pickupMs), changes: r.changes.length ? changesMessage(r.changes) : '' });
        for (const x of r.replaced ?? []) say('license-server.replaced', { replaced: x.serial, kept: x.kept });
      } catch (e) {
        if (e instanceof LicenseWorseError) {
          process.stderr.write(`ors: ${messages.format(locale(), 'license.worse', { changes: changesMessage(e.losses) })} [license.worse]\n`);
          process.exitCode = 3;
          return;
        }
        fail(e);
      }
    });

  program
    .command('check-update')
    .description('installer check: may a release of this date be installed? Asks the back office when reachable (--data-dir), else the installed license; exit 0 allowed, 1 denied')
    .requiredOption('--release-date <date>', 'the release date', date('--release-date'))
    .option('--release <version>', 'the release version (the back office checks it by version)')
    .option('--license <file>', 'the installed license file (default $ORS_LICENSE_FILE)')
    .option('--serial <serial>', 'the serial number of this installation')
    .option('--data-dir <dir>', "the console's data directory: ask the back office with its Remote Service settings")
    .option('--online-timeout <seconds>', 'deadline for the back office', positiveInt('--online-timeout'), 10)
    .addOption(trustOption())
    .action(async (opts: { releaseDate: string; release?: string; license?: string; serial?: string; dataDir?: string; onlineTimeout: number; trust?: string[] }) => {
      try {
        const file = opts.license ?? process.env['ORS_LICENSE_FILE'];
        let installed: VerifiedLicense | undefined;
        let offlineError: unknown;
        try {
          if (!file) throw new CodedError('license.no-license');
          installed = await readVerified(file, opts);
        } catch (e) {
          offlineError = e;
        }
        let skipped: string = messages.format(locale(), 'ors.update.check.no-data-dir');
        if (opts.dataDir) {
          const serial = opts.serial ?? installed?.payload.serial;
          const online = await askBackoffice(opts.dataDir, serial, opts.releaseDate, opts.release, opts.onlineTimeout * 1000);
          if (online.kind === 'answer') {
            say('ors.update.check.source-backoffice', { url: online.url });
            const release = opts.release ?? opts.releaseDate;
            if (online.allowed) {
              say('ors.update.check.release-allowed', { release, releaseDate: online.releaseDate, start: online.start, end: online.end });
              return;
            }
            process.stderr.write(`ors: ${messages.format(locale(), 'ors.update.check.release-denied', { release, releaseDate: online.releaseDate, reason: messages.format(locale(), `ors.update.check.denial.${online.reason}`) })} [ors.update.check.denied]\n`);
            process.exitCode = 1;
            return;
          }
          skipped = messages.formatError(locale(), online.error);
        }
        if (!installed) throw offlineError;
        say('ors.update.check.source-license', { file: file ?? '', reason: skipped });
        const d = mayInstallRelease(installed.payload, opts.releaseDate, { now: Date.now(), ...(opts.serial ? { serial: opts.serial } : {}) });
        if (!d.allowed) return fail(d.reason);
        say('license.release-allowed', { releaseDate: opts.releaseDate, start: d.start, end: d.end });
      } catch (e) {
        fail(e);
      }
    });
}

type OnlineAnswer =
  | { kind: 'answer'; url: string; allowed: boolean; reason?: string; releaseDate: string; start: string; end: string }
  | { kind: 'unavailable'; error: CodedError };

/**
 * SPEC F6 online: the back office's own answer for this installation (its release check by version,
 * or the shared rule on its current entitlement), within `deadlineMs`; unavailable otherwise.
 */
async function askBackoffice(dataDir: string, serial: string | undefined, releaseDate: string, release: string | undefined, deadlineMs: number): Promise<OnlineAnswer> {
  const unavailable = (e: unknown): OnlineAnswer => ({ kind: 'unavailable', error: e instanceof CodedError ? e : new CodedError('ors.update.check.backoffice-unavailable', { reason: e instanceof Error ? e.message : String(e) }) });
  let client: BackofficeClient | undefined;
  try {
    const stores = await openPluginStores(path.resolve(dataDir));
    const values = stores.settings.get().values;
    stores.settings.close();
    const p = stores.secrets.forPlugin(PLUGIN_ID);
    // Only secrets saved for where the saved settings send them (otherwise: not configured).
    const ep = savedSecretEndpoints(values);
    const usable = (k: 'verificationCode' | 'proxyPassword') => p.getFor(SECRET_NAMES[k], ep[k]).catch(() => undefined);
    const config = resolveDaemonConfig(values, { verificationCode: await usable('verificationCode'), proxyPassword: await usable('proxyPassword') });
    if (config.kind === 'disabled') throw new CodedError('ors.connection.disabled');
    if (config.kind === 'not-configured') throw new CodedError('ors.connection.not-configured', { missing: config.missing.join(', ') });
    const signal = AbortSignal.timeout(deadlineMs);
    let sn = serial;
    if (!sn) {
      const r = await createSerialSource(config.selection, { pluginDir: stores.pluginDir, flsTimeoutMs: Math.min(5_000, deadlineMs) }).read(signal);
      if ('error' in r) throw new CodedError(r.error.code, r.error.params ?? {});
      sn = r.serial;
    }
    const caPem = config.caFile ? await readFile(config.caFile, 'utf8') : undefined;
    client = new BackofficeClient({
      baseUrl: config.backofficeUrl,
      organisationId: config.organisationId,
      verificationCode: config.verificationCode,
      proxy: config.proxy,
      ...(caPem ? { caPem } : {}),
      deadlines: { connectMs: deadlineMs, proxyConnectMs: deadlineMs, tlsMs: deadlineMs, responseMs: deadlineMs, totalMs: deadlineMs },
    });
    const url = new URL(config.backofficeUrl).origin;
    if (release) {
      const r = await client.release(sn, release, signal);
      const m = r.maintenance ?? { start: '', end: '' };
      return { kind: 'answer', url, allowed: r.allowed, ...(r.reason ? { reason: r.reason } : {}), releaseDate: r.release.releaseDate, start: m.start, end: m.end };
    }
    const ent = await client.entitlement(sn, signal);
    const d = releaseAllowed(ent, releaseDate, new Date().toISOString().slice(0, 10));
    return { kind: 'answer', url, allowed: d.allowed, ...(d.allowed ? {} : { reason: d.reason }), releaseDate, start: ent.maintenance.start, end: ent.maintenance.end };
  } catch (e) {
    return unavailable(e);
  } finally {
    client?.close();
  }
}
