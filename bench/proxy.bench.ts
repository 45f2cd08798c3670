// 200 sequential HTTPS requests: direct, through squid (Basic), through the NTLM proxy, keep-alive on;
// curl through the same squid as reference. Counts CONNECTs and handshakes; prints ratios vs direct.
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
} finally {
  await Promise.all([squid.stop(), ntlm.close(), hanging.close()]);
  await origin.close();
}
