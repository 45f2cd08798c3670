// HTTPS origin with its own CA, for proxy tests. It records every request and flags any
// Proxy-Authorization header that reaches it (credentials meant for the proxy must never leak on).
import * as https from 'node:https';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { run, tempDir } from './processes.js';

export interface TestCa {
  readonly dir: string;
  readonly caPem: string;
  readonly caFile: string;
  readonly certPem: string;
  readonly keyPem: string;
  cleanup(): Promise<void>;
}

/** A fresh CA and a server certificate for origin.test, localhost and 127.0.0.1, made with openssl. */
export async function makeTestCa(names: readonly string[] = ['origin.test', 'localhost']): Promise<TestCa> {
  const { dir, cleanup } = await tempDir('ors-proxy-ca-');
  const f = (n: string): string => path.join(dir, n);
  const ok = async (args: string[]): Promise<void> => {
    const r = await run('openssl', args, { timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  };
  await ok(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=ORS Test Root CA']);
  await ok(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', `/CN=${names[0]}`]);
  const san = [...names.map((n) => `DNS:${n}`), 'IP:127.0.0.1'].join(',');
  await writeFile(f('ext.cnf'), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  await ok(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '2', '-extfile', f('ext.cnf')]);
  return {
    dir,
    caFile: f('ca.pem'),
    caPem: await readFile(f('ca.pem'), 'utf8'),
    certPem: await readFile(f('server.pem'), 'utf8'),
    keyPem: await readFile(f('server.key'), 'utf8'),
    cleanup,
  };
}

export interface TestOrigin {
  readonly port: number;
  readonly ca: TestCa;
  /** Every request seen, as "METHOD path". */
  readonly requests: string[];
  /** Requests that carried a Proxy-Authorization header (must stay empty). */
  readonly leakedProxyAuthorization: string[];
  /** TLS connections accepted (a pooled connection serves many requests). */
  connections(): number;
  close(): Promise<void>;
}

export async function startOrigin(ca?: TestCa): Promise<TestOrigin> {
  const theCa = ca ?? (await makeTestCa());
  const requests: string[] = [];
  const leaked: string[] = [];
  let connections = 0;
  const server = https.createServer({ cert: theCa.certPem, key: theCa.keyPem, keepAliveTimeout: 30_000 }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.headers['proxy-authorization'] !== undefined) leaked.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'https://origin.test');
    if (url.pathname === '/big') {
      const n = Number(url.searchParams.get('bytes') ?? '0');
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': n });
      res.end(Buffer.alloc(n, 0x61));
      return;
    }
    if (url.pathname === '/stall') return; // never answers: response deadline
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, path: url.pathname }));
  });
  server.on('secureConnection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    ca: theCa,
    requests,
    leakedProxyAuthorization: leaked,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!ca) await theCa.cleanup();
    },
  };
}
