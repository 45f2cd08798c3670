// 200 sequential HTTPS requests: direct, through squid (Basic), through the NTLM proxy, keep-alive on;
// curl through the same squid as reference. Counts CONNECTs and handshakes; prints ratios vs direct.
// Then CONNECT → tunnel through one squid that offers Negotiate, NTLM and Basic (a private MIT KDC):
// Negotiate first (kinit + service ticket) and with the ticket cached, against Basic and NTLMv2.
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createHttpClient } from '../src/services/http/http-client.js';
import { runDiagnostic } from '../src/services/proxy/diagnostic.js';
import type { ProxySettings } from '../src/common/proxy/settings.js';
import { startOrigin } from '../test/support/proxy-origin.js';
import { startSquid } from '../test/support/proxy-squid.js';
import { startHangingProxy, startNtlmProxy } from '../test/support/proxy-servers.js';
import { run, tempDir } from '../test/support/processes.js';
import { startKdc } from '../test/support/kdc.js';
import { openTunnel, type AuthScheme } from '../src/services/http/tunnel.js';
import { KerberosNegotiator } from '../src/services/http/negotiate.js';
import { withDefaults } from '../src/services/http/deadlines.js';

const N = 200;
const origin = await startOrigin();
const squid = await startSquid({ auth: 'basic', users: [{ username: 'alice', password: 'Secret1' }], hosts: { 'origin.test': '127.0.0.1' } });
const ntlm = await startNtlmProxy([{ domain: 'CORP', username: 'bob', password: 'Secret1' }], { 'origin.test': '127.0.0.1' });
const hanging = await startHangingProxy();
const none: ProxySettings = { mode: 'none', host: '', port: 0, username: '', domain: '' };
const manual = (port: number, username: string, domain = ''): ProxySettings => ({ mode: 'manual', host: '127.0.0.1', port, username, domain, password: 'Secret1' });

async function series(label: string, proxy: ProxySettings, url: string): Promise<number> {
  const c = createHttpClient({ purpose: 'license-update', proxy, caPem: origin.ca.caPem });
  await c.request({ url }); // warm-up: first connection, handshake, JIT
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await c.request({ url });
  const per = (performance.now() - t0) / N;
  console.log(`${label.padEnd(22)} ${per.toFixed(3)} ms/request  tcp=${c.stats.tcpConnects} CONNECT=${c.stats.connectRequests} tunnels=${c.stats.tunnels} ntlm=${c.stats.ntlmHandshakes} tls=${c.stats.tlsHandshakes}`);
  c.close();
  return per;
}

try {
  const direct = await series('direct', none, `https://localhost:${origin.port}/hello`);
  const viaSquid = await series('squid (Basic)', manual(squid.port, 'alice'), `https://origin.test:${origin.port}/hello`);
  const ntlmBefore = { ...ntlm.stats };
  const viaNtlm = await series('NTLM proxy', manual(ntlm.port, 'bob', 'CORP'), `https://origin.test:${origin.port}/hello`);
  console.log(`NTLM proxy saw: ${ntlm.stats.handshakes - ntlmBefore.handshakes} handshake(s), ${ntlm.stats.tunnels - ntlmBefore.tunnels} tunnel(s) for ${N + 1} requests`);

  const { dir, cleanup } = await tempDir('ors-bench-');
  const cfg = path.join(dir, 'curl.cfg');
  const urls = Array.from({ length: N }, () => `url = "https://origin.test:${origin.port}/hello"\noutput = "/dev/null"`).join('\n');
  await writeFile(cfg, `proxy = "http://127.0.0.1:${squid.port}"\nproxy-user = "alice:Secret1"\ncacert = "${origin.ca.caFile}"\nsilent\n${urls}\n`, { mode: 0o600 });
  const t0 = performance.now();
  await run('curl', ['-K', cfg]);
  const curlPer = (performance.now() - t0) / N;
  await cleanup();
  console.log(`${'curl via squid'.padEnd(22)} ${curlPer.toFixed(3)} ms/request (one process, includes its start-up)`);
  const log = await squid.accessLog();
  console.log(`squid access log: ${(log.match(/TCP_TUNNEL\/200/g) ?? []).length} tunnel(s), ${(log.match(/TCP_DENIED\/407/g) ?? []).length} 407(s)`);
  console.log(`ratio squid/direct ${(viaSquid / direct).toFixed(2)} (target ≤ 1.3), NTLM/direct ${(viaNtlm / direct).toFixed(2)}, curl/ours via squid ${(curlPer / viaSquid).toFixed(2)}`);

  const deadline = 2_000;
  const d0 = performance.now();
  const report = await runDiagnostic({
    url: `https://origin.test:${origin.port}/`,
    proxy: { mode: 'manual', host: '127.0.0.1', port: hanging.port, username: '', domain: '' },
    deadlines: { connectMs: deadline, proxyConnectMs: deadline, tlsMs: deadline, responseMs: deadline, totalMs: deadline },
  });
  const took = performance.now() - d0;
  console.log(`diagnostic of a broken path: ${took.toFixed(0)} ms (deadline ${deadline} ms, limit ${deadline + 1000} ms), failed hop: ${report.hops.find((h) => h.status === 'failed')?.hop}`);
  await negotiateBench();
} finally {
  await Promise.all([squid.stop(), ntlm.close(), hanging.close()]);
  await origin.close();
}

async function negotiateBench(): Promise<void> {
  const M = 50;
  const kdc = await startKdc({ services: ['HTTP/proxy.corp.test'], users: [{ name: 'alice', password: 'Alice-Kerb-1' }] });
  process.env['KRB5_CONFIG'] = kdc.krb5Conf;
  const three = await startSquid({
    auth: 'negotiate',
    kerberos: kdc,
    alsoOffer: ['ntlm', 'basic'],
    ntlmAccounts: [{ domain: 'CORP', username: 'bob', password: 'Bob-Ntlm-1' }],
    users: [{ username: 'carol', password: 'Carol-Basic-1' }],
    hosts: { 'origin.test': '127.0.0.1' },
  });
  const negotiator = new KerberosNegotiator({ signedIn: async () => false });
  const deadlines = withDefaults({});
  const endpoint = (username: string, password: string, domain: string) => ({ kind: 'proxy' as const, host: '127.0.0.1', port: three.port, credentials: { username, password, domain }, kerberosServiceName: 'HTTP/proxy.corp.test' });
  const once = async (proxy: ReturnType<typeof endpoint>, authCache?: Map<string, AuthScheme>): Promise<{ ms: number; scheme: AuthScheme; connects: number }> => {
    const t0 = performance.now();
    const t = await openTunnel({ proxy, targetHost: 'origin.test', targetPort: origin.port, deadlines, negotiator, ...(authCache ? { authCache } : {}) });
    const ms = performance.now() - t0;
    t.socket.destroy();
    return { ms, scheme: t.scheme, connects: t.connects };
  };
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  try {
    const alice = endpoint('alice', 'Alice-Kerb-1', 'CORP.TEST');
    const bob = endpoint('bob', 'Bob-Ntlm-1', 'CORP'); // realm CORP has no KDC: Negotiate is skipped, NTLMv2 used
    const carol = endpoint('carol', 'Carol-Basic-1', '');
    // First tunnels: learn the scheme from the 407; Negotiate also runs kinit and fetches the service ticket.
    const negFirst = await once(alice);
    const ntlmFirst = await once(bob);
    // Steady state: each proxy's scheme is known (the agent's cache), every tunnel a new TCP connection.
    const series = async (proxy: ReturnType<typeof endpoint>, scheme: AuthScheme): Promise<{ median: number; connects: number; scheme: AuthScheme }> => {
      const cache = new Map<string, AuthScheme>([[`127.0.0.1:${three.port}`, scheme]]);
      await once(proxy, cache);
      const xs: number[] = [];
      let last = { connects: 0, scheme: 'none' as AuthScheme };
      for (let i = 0; i < M; i++) {
        const r = await once(proxy, cache);
        xs.push(r.ms);
        last = r;
      }
      return { median: median(xs), connects: last.connects, scheme: last.scheme };
    };
    const basic = await series(carol, 'basic');
    const ntlmCached = await series(bob, 'ntlm');
    const negCached = await series(alice, 'negotiate');
    console.log(`\nCONNECT → tunnel through one squid offering Negotiate, NTLM, Basic (${M} tunnels each, median, new TCP connection each):`);
    console.log(`${'Negotiate first'.padEnd(26)} ${negFirst.ms.toFixed(2)} ms  (${negFirst.scheme}, ${negFirst.connects} CONNECTs, kinit + TGS + 407 learn)`);
    console.log(`${'NTLM first'.padEnd(26)} ${ntlmFirst.ms.toFixed(2)} ms  (${ntlmFirst.scheme}, ${ntlmFirst.connects} CONNECTs, 407 learn, Negotiate skipped: no KDC for CORP)`);
    console.log(`${'Basic (scheme known)'.padEnd(26)} ${basic.median.toFixed(2)} ms  (${basic.scheme}, ${basic.connects} CONNECT)`);
    console.log(`${'NTLMv2 (scheme known)'.padEnd(26)} ${ntlmCached.median.toFixed(2)} ms  (${ntlmCached.scheme}, ${ntlmCached.connects} CONNECTs)`);
    console.log(`${'Negotiate (ticket cached)'.padEnd(26)} ${negCached.median.toFixed(2)} ms  (${negCached.scheme}, ${negCached.connects} CONNECT)`);
    console.log(`ratios vs Basic: Negotiate cached ${(negCached.median / basic.median).toFixed(2)}, NTLMv2 ${(ntlmCached.median / basic.median).toFixed(2)}, Negotiate first ${(negFirst.ms / basic.median).toFixed(1)}; kinit runs: ${negotiator.tickets.kinitRuns}`);
  } finally {
    await negotiator.tickets.dispose();
    await three.stop();
    await kdc.destroy();
  }
}
