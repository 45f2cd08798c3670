// The back office as a vendor runs it: a private PostgreSQL cluster, N stateless instances
// (`ors backoffice serve --plain-http`, the database URL with its password only in the
// environment) and HAProxy terminating TLS in front, configured from deploy/haproxy.cfg.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { openBackoffice } from '../../src/backoffice/data-dir.js';
import { apiRequest, type RunningBackoffice } from './backoffice-server.js';
import { startHaproxy, type Haproxy } from './haproxy.js';
import { BACKOFFICE_HOST } from './ors-backoffice.js';
import { startPostgres, type PgCluster } from './postgres.js';
import { makeTestCa, type TestCa } from './proxy-origin.js';
import { freePort, runOrs, startOrs, tempDir, type Started } from './processes.js';

export interface Instance {
  readonly port: number;
  /** `http://127.0.0.1:PORT` (plain HTTP: only the load balancer and the tests talk to it directly). */
  readonly url: string;
  process: Started;
  /** Starts it again (same port) after a kill. */
  restart(): Promise<void>;
}

export interface Cluster extends RunningBackoffice {
  readonly pg: PgCluster;
  readonly databaseUrl: string;
  readonly signingKey: string;
  readonly instances: Instance[];
  readonly haproxy: Haproxy;
  /** The CA of HAProxy's certificate (its key signs more certificates for benchmarks). */
  readonly ca: TestCa;
  /** `https://backoffice.test:PORT`, for clients that go through a proxy (which maps the name). */
  readonly proxiedUrl: string;
  /** Environment for `ors backoffice …` commands against this cluster (database URL inside). */
  readonly env: NodeJS.ProcessEnv;
  /** `ors backoffice entitlement set` through the cluster's database (another process). */
  setEntitlement(...args: string[]): Promise<string>;
}

export const ORG = 'ACME-PRINT';
export const CODE = 'cluster-test-code-0123456789';
export const SERIAL = 'ACME-0001';

export async function startCluster(options: { instances?: number; pg?: PgCluster; maxconn?: number; nofile?: number } = {}): Promise<Cluster> {
  const temp = await tempDir('ors-cluster-');
  const pg = options.pg ?? (await startPostgres());
  let ca: TestCa | undefined;
  const started: Started[] = [];
  let haproxy: Haproxy | undefined;
  try {
    const databaseUrl = await pg.createDatabase();
    const signingKey = path.join(temp.dir, 'keys', 'signing.key');
    const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', ORS_LOG_LEVEL: 'warn', ORS_BACKOFFICE_DATABASE: databaseUrl };
    const init = await runOrs(['backoffice', 'init', '--signing-key', signingKey], { env });
    if (init.code !== 0) throw new Error(`backoffice init failed: ${init.stderr}`);
    const kid = /License signing key (\S+), public key: (\S+)/.exec(init.stdout)!;
    const d = await openBackoffice({ database: databaseUrl, signingKey });
    try {
      await d.service.addOrganisation(ORG, 'ACME Print', CODE);
      await d.service.addInstallation(SERIAL, ORG, 'prepress-suite');
      await d.service.setEntitlement(SERIAL, { users: 5, maintenanceStart: '2020-01-01', maintenanceEnd: '2099-12-31' });
    } finally {
      await d.close();
    }
    const instances: Instance[] = [];
    for (let i = 0; i < (options.instances ?? 2); i++) {
      const port = await freePort();
      const start = () =>
        startOrs(['backoffice', 'serve', '--plain-http', '--port', String(port), '--signing-key', signingKey, '--trusted-proxy', '127.0.0.1'], {
          waitFor: /Back office listening on http:\/\/127\.0\.0\.1:\d+/,
          env,
          timeoutMs: 60_000,
        });
      const inst: Instance = {
        port,
        url: `http://127.0.0.1:${port}`,
        process: await start(),
        restart: async () => {
          inst.process = await start();
          started.push(inst.process);
        },
      };
      started.push(inst.process);
      instances.push(inst);
    }
    ca = await makeTestCa([BACKOFFICE_HOST, 'localhost']);
    haproxy = await startHaproxy({
      certPem: ca.certPem,
      keyPem: ca.keyPem,
      servers: instances.map((i) => `127.0.0.1:${i.port}`),
      ...(options.maxconn ? { maxconn: options.maxconn } : {}),
      ...(options.nofile ? { nofile: options.nofile } : {}),
    });
    const url = `https://127.0.0.1:${haproxy.port}`;
    // Wait until HAProxy's checks have found every instance ready.
    for (const inst of instances) {
      const until = Date.now() + 20_000;
      while ((await apiRequest(inst, 'GET', '/v1/health/ready')).status !== 200 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    }
    const publicKeyPem = await readFile(kid[2]!, 'utf8');
    const lb = haproxy;
    const testCa = ca;
    return {
      url,
      port: haproxy.port,
      proxiedUrl: `https://${BACKOFFICE_HOST}:${haproxy.port}`,
      caPem: ca.caPem,
      orgId: ORG,
      code: CODE,
      serial: SERIAL,
      dataDir: temp.dir,
      kid: kid[1]!,
      publicKeyPem,
      process: instances[0]!.process,
      ca,
      pg,
      databaseUrl,
      signingKey,
      instances,
      haproxy: lb,
      env,
      async setEntitlement(...args: string[]) {
        const r = await runOrs(['backoffice', 'entitlement', 'set', '--signing-key', signingKey, '--serial', SERIAL, ...args], { env });
        if (r.code !== 0) throw new Error(`entitlement set failed: ${r.stderr}`);
        return r.stdout;
      },
      stop: async () => {
        await lb.stop();
        await Promise.all(instances.map((i) => i.process.stop()));
        if (!options.pg) await pg.cleanup();
        await testCa.cleanup();
        await temp.cleanup();
      },
    };
  } catch (e) {
    await haproxy?.stop();
    await Promise.all(started.map((s) => s.stop()));
    if (!options.pg) await pg.cleanup();
    await ca?.cleanup();
    await temp.cleanup();
    throw e;
  }
}
