import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CodedError } from '../common/errors.js';
import { createLicenseSigner, generateKeyPair, kidOf } from '../services/license/signer.js';
import { writeFileAtomic } from '../services/fs/atomic-file.js';
import { BackofficeService } from './backoffice-service.js';
import { openStore } from './store/open-store.js';
import type { BackofficeRepository } from './store/repository.js';
import type { Logger } from '../services/log/logger.js';

const execFileAsync = promisify(execFile);

/** Where a data dir keeps what: one place, so the CLI, the server and the tests agree. */
export function dataDirLayout(dir: string) {
  return {
    database: path.join(dir, 'backoffice.db'),
    keys: path.join(dir, 'keys'),
    signingKey: path.join(dir, 'keys', 'signing.key'),
    publicKey: (kid: string) => path.join(dir, 'keys', `${kid}.pub`),
    tls: path.join(dir, 'tls'),
    caCert: path.join(dir, 'tls', 'ca.pem'),
    caKey: path.join(dir, 'tls', 'ca.key'),
    serverCert: path.join(dir, 'tls', 'server.pem'),
    serverKey: path.join(dir, 'tls', 'server.key'),
    demo: path.join(dir, 'demo.json'),
  };
}

async function readIfExists(file: string): Promise<string | undefined> {
  return fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
}

/**
 * Creates `file` with `content` unless it exists, atomically and without ever overwriting: two
 * processes starting on a fresh data dir at once end up with the same file. Returns what is there.
 */
export async function createOnce(file: string, content: () => string, mode: number): Promise<string> {
  const existing = await readIfExists(file);
  if (existing !== undefined) return existing;
  const tmp = `${file}.new-${randomBytes(6).toString('hex')}`;
  await writeFileAtomic(tmp, content(), { mode });
  try {
    await fs.link(tmp, file); // fails with EEXIST if another process won the race
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    await fs.rm(tmp, { force: true });
  }
  return fs.readFile(file, 'utf8');
}

export interface OpenedDataDir {
  readonly service: BackofficeService;
  readonly repo: BackofficeRepository;
  readonly kid: string;
  readonly publicKeyPath: string;
  close(): Promise<void>;
}

/** Where a back office keeps its state. Every instance of one back office is given the same. */
export interface BackofficeLocation {
  /** Data folder: the SQLite database, the signing key and the local TLS material by default. */
  readonly dataDir?: string;
  /** `sqlite:PATH` or `postgres://…` (see store/open-store.ts); default: SQLite in the data folder. */
  readonly database?: string;
  /** PEM file of the license signing key; default `<data-dir>/keys/signing.key`. */
  readonly signingKey?: string;
}

export interface OpenOptions {
  /**
   * Create the signing key when it is missing: only `ors backoffice init` and the demo do. Anywhere
   * else a missing key is an error — a new key would sign licenses no installation trusts.
   */
  readonly createKey?: boolean;
  /** Where the store reports lost connections (PostgreSQL). */
  readonly logger?: Logger;
}

function signingKeyPath(loc: BackofficeLocation): string {
  if (loc.signingKey) return path.resolve(loc.signingKey);
  if (loc.dataDir) return dataDirLayout(path.resolve(loc.dataDir)).signingKey;
  throw new CodedError('backoffice.signing-key.unset');
}

/** Loads the signing key (creating it only when asked) and exports its public key beside it. */
export async function loadSigningKey(file: string, createKey: boolean) {
  let privateKeyPem: string;
  if (createKey) {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    privateKeyPem = await createOnce(file, () => generateKeyPair().privateKeyPem, 0o600);
  } else {
    try {
      privateKeyPem = await fs.readFile(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      if (code === 'ENOENT') throw new CodedError('backoffice.signing-key.missing', { path: file }, { cause: e });
      throw new CodedError('io.read-failed', { path: file, reason: code }, { cause: e });
    }
  }
  let signer;
  let publicKeyPem: string;
  try {
    signer = createLicenseSigner(privateKeyPem);
    publicKeyPem = createPublicKey(createPrivateKey(privateKeyPem)).export({ format: 'pem', type: 'spki' }).toString();
  } catch (cause) {
    throw new CodedError('backoffice.data-dir.key-invalid', { path: file }, { cause });
  }
  const kid = kidOf(publicKeyPem);
  const publicKeyPath = path.join(path.dirname(file), `${kid}.pub`);
  await createOnce(publicKeyPath, () => publicKeyPem, 0o644);
  return { signer, kid, publicKeyPath };
}

/** Opens a back office: its store (creating the SQLite file and schema on first use) and its signing key. */
export async function openBackoffice(loc: BackofficeLocation, options: OpenOptions = {}): Promise<OpenedDataDir> {
  if (loc.dataDir) await fs.mkdir(path.resolve(loc.dataDir), { recursive: true, mode: 0o700 });
  const key = await loadSigningKey(signingKeyPath(loc), options.createKey === true);
  const database = loc.database ?? (loc.dataDir ? `sqlite:${dataDirLayout(path.resolve(loc.dataDir)).database}` : undefined);
  if (!database) throw new CodedError('backoffice.database.unset');
  const repo = await openStore(database, options.logger);
  const service = new BackofficeService(repo, key.signer);
  return { service, repo, kid: key.kid, publicKeyPath: key.publicKeyPath, close: () => repo.close() };
}

/** Opens the back office kept in a data folder (SQLite and key inside it). */
export function openDataDir(dir: string, options: OpenOptions = {}): Promise<OpenedDataDir> {
  return openBackoffice({ dataDir: dir }, options);
}

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  /** The CA clients must trust (the local CA, or undefined for certificates given with --cert/--key). */
  readonly caPath?: string;
  readonly ca?: string;
}

async function openssl(args: readonly string[], cwd: string): Promise<void> {
  try {
    await execFileAsync('openssl', args, { cwd, timeout: 30_000 });
  } catch (cause) {
    throw new CodedError('backoffice.tls.generate-failed', { reason: (cause as Error).message.split('\n')[0] ?? '' }, { cause });
  }
}

function ecKeyPem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/**
 * A local CA and a server certificate for 127.0.0.1 / localhost, generated on first start. Keys
 * are made by node:crypto and written 0600; openssl only reads them from files (never an argument).
 */
export async function ensureLocalTls(dir: string): Promise<TlsMaterial> {
  const l = dataDirLayout(dir);
  await fs.mkdir(l.tls, { recursive: true, mode: 0o700 });
  const have = await Promise.all([readIfExists(l.caCert), readIfExists(l.serverCert), readIfExists(l.serverKey)]);
  if (have.every((x) => x !== undefined)) return { ca: have[0]!, cert: have[1]!, key: have[2]!, caPath: l.caCert };

  const work = await fs.mkdtemp(path.join(l.tls, '.gen-'));
  try {
    await writeFileAtomic(path.join(work, 'ca.key'), ecKeyPem(), { mode: 0o600 });
    await writeFileAtomic(path.join(work, 'server.key'), ecKeyPem(), { mode: 0o600 });
    await writeFileAtomic(
      path.join(work, 'ca.cnf'),
      [
        '[req]', 'distinguished_name=dn', 'x509_extensions=v3_ca', 'prompt=no',
        '[dn]', 'CN=ORS Back Office Local CA',
        '[v3_ca]', 'basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign,cRLSign',
        'subjectKeyIdentifier=hash',
        '[server]', 'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth', 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
        'authorityKeyIdentifier=keyid', 'subjectKeyIdentifier=hash',
        '',
      ].join('\n'),
    );
    await openssl(['req', '-x509', '-new', '-config', 'ca.cnf', '-key', 'ca.key', '-sha256', '-days', '3650', '-out', 'ca.pem'], work);
    await openssl(['req', '-new', '-key', 'server.key', '-subj', '/CN=localhost', '-out', 'server.csr'], work);
    await openssl(
      ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', `0x${randomBytes(12).toString('hex')}`,
        '-days', '825', '-sha256', '-extfile', 'ca.cnf', '-extensions', 'server', '-out', 'server.pem'],
      work,
    );
    // Keys first, the CA certificate last: its presence marks a complete set.
    for (const [name, target, mode] of [
      ['ca.key', l.caKey, 0o600],
      ['server.key', l.serverKey, 0o600],
      ['server.pem', l.serverCert, 0o644],
      ['ca.pem', l.caCert, 0o644],
    ] as const) {
      await writeFileAtomic(target, await fs.readFile(path.join(work, name)), { mode });
    }
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
  return ensureLocalTls(dir);
}

/** Certificate and key from PEM files, for real use. */
export async function loadTlsFiles(certPath: string, keyPath: string): Promise<TlsMaterial> {
  try {
    return { cert: await fs.readFile(certPath, 'utf8'), key: await fs.readFile(keyPath, 'utf8') };
  } catch (e) {
    throw new CodedError('io.read-failed', { path: (e as NodeJS.ErrnoException).path ?? certPath, reason: (e as NodeJS.ErrnoException).code ?? 'error' });
  }
}
