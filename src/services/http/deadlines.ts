/** A deadline for every network phase (SPEC §4), plus one for the whole request. */
export interface Deadlines {
  /** TCP connect to the proxy or origin. */
  readonly connectMs: number;
  /** From sending CONNECT to a 200, across every authentication round. */
  readonly proxyConnectMs: number;
  readonly tlsMs: number;
  /** Idle time while waiting for and reading the response. */
  readonly responseMs: number;
  readonly totalMs: number;
}

export const DEFAULT_DEADLINES: Deadlines = { connectMs: 10_000, proxyConnectMs: 15_000, tlsMs: 10_000, responseMs: 30_000, totalMs: 60_000 };

export function withDefaults(d: Partial<Deadlines> | undefined): Deadlines {
  return { ...DEFAULT_DEADLINES, ...(d ?? {}) };
}

/** Counters the benchmark and the tests read: how many sockets, CONNECTs and handshakes really happened. */
export class TunnelStats {
  tcpConnects = 0;
  connectRequests = 0;
  tunnels = 0;
  ntlmHandshakes = 0;
  negotiateHandshakes = 0;
  tlsHandshakes = 0;
}
