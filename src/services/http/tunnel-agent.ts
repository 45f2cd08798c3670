import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { Agent, type AgentConnectOpts } from 'agent-base';
import type { ProxyEndpoint } from '../proxy/candidates.js';
import type { Deadlines, TunnelStats } from './deadlines.js';
import type { Negotiator } from './negotiate.js';
import { originTcpErrors, openTunnel, tcpConnect, tlsUpgrade, type AuthScheme } from './tunnel.js';

export interface TunnelAgentOptions {
  /** Absent: connect directly. */
  readonly proxy?: ProxyEndpoint;
  /** Custom CA bundle (PEM) for the origin's certificate, on top of the system roots. */
  readonly ca?: string;
  readonly deadlines: Deadlines;
  readonly stats?: TunnelStats;
  readonly maxSockets?: number;
  readonly negotiator?: Negotiator;
}

/**
 * One agent per proxy candidate (or direct), on agent-base so Node's keep-alive pool reuses each
 * tunnel: one CONNECT (and one NTLM handshake) per pooled connection. https-proxy-agent itself is not
 * used for the CONNECT: it closes the socket on a 407 (NTLM needs the same socket), replays the proxy's
 * answer to the request as if the origin had sent it, and has no CONNECT deadline.
 */
export class TunnelAgent extends Agent {
  private readonly authCache = new Map<string, AuthScheme>();

  constructor(private readonly config: TunnelAgentOptions) {
    super({ keepAlive: true, maxSockets: config.maxSockets ?? 8, maxFreeSockets: config.maxSockets ?? 8, scheduling: 'lifo' });
  }

  async connect(req: http.ClientRequest, opts: AgentConnectOpts): Promise<Duplex> {
    const { deadlines, stats, proxy } = this.config;
    const host = opts.host ?? 'localhost';
    const port = opts.port ?? (opts.secureEndpoint ? 443 : 80);
    const ac = new AbortController();
    const onClose = (): void => ac.abort();
    req.once('close', onClose);
    try {
      const socket = proxy
        ? (await openTunnel({ proxy, targetHost: host, targetPort: port, deadlines, signal: ac.signal, authCache: this.authCache, ...(stats ? { stats } : {}), ...(this.config.negotiator ? { negotiator: this.config.negotiator } : {}) })).socket
        : await tcpConnect(host, port, deadlines.connectMs, ac.signal, originTcpErrors(host, deadlines), stats);
      if (!opts.secureEndpoint) return socket;
      const servername = 'servername' in opts && typeof opts.servername === 'string' ? opts.servername : undefined;
      return await tlsUpgrade(socket, {
        host,
        ...(servername ? { servername } : {}),
        ...(this.config.ca ? { ca: this.config.ca } : {}),
        ms: deadlines.tlsMs,
        signal: ac.signal,
        viaProxy: proxy !== undefined,
        ...(stats ? { stats } : {}),
      });
    } finally {
      req.off('close', onClose);
    }
  }
}
