// In-process test proxies on loopback: an NTLMv2-verifying CONNECT proxy, a proxy that accepts and
// never answers, and a PAC server with ETags. The NTLM check here is written independently of
// src/services/http/ntlm.ts (and cross-checked with curl) so the two cannot share a mistake unnoticed.
import { createHmac, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import md4 from 'js-md4';

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function readHead(socket: net.Socket, onHead: (head: string) => void): void {
  let buf = Buffer.alloc(0);
  const onData = (c: Buffer): void => {
    buf = Buffer.concat([buf, c]);
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    socket.off('data', onData);
    const rest = buf.subarray(end + 4);
    socket.pause();
    if (rest.length) socket.unshift(rest);
    onHead(buf.subarray(0, end).toString('latin1'));
  };
  socket.on('data', onData);
}

export interface NtlmAccount {
  readonly domain: string;
  readonly username: string;
  readonly password: string;
}

export interface NtlmProxy {
  readonly port: number;
  readonly stats: { connects: number; handshakes: number; accepted: number; rejected: number; tunnels: number; tcpConnections: number };
  close(): Promise<void>;
}

function secBuf(msg: Buffer, at: number): Buffer {
  const len = msg.readUInt16LE(at);
  const off = msg.readUInt32LE(at + 4);
  return msg.subarray(off, off + len);
}

export function challengeMessage(challenge: Buffer, domain: string): Buffer {
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64LE((BigInt(Date.now()) + 11644473600000n) * 10000n);
  const d = Buffer.from(domain, 'utf16le');
  const info = Buffer.concat([Buffer.from([2, 0, d.length, 0]), d, Buffer.from([7, 0, 8, 0]), ts, Buffer.from([0, 0, 0, 0])]);
  const head = Buffer.alloc(48);
  head.write('NTLMSSP\0', 0, 'latin1');
  head.writeUInt32LE(2, 8);
  head.writeUInt16LE(d.length, 12);
  head.writeUInt16LE(d.length, 14);
  head.writeUInt32LE(48, 16);
  head.writeUInt32LE(0x00800000 | 0x00080000 | 0x00000200 | 0x00000004 | 0x00000001 | 0x00010000, 20);
  challenge.copy(head, 24);
  head.writeUInt16LE(info.length, 40);
  head.writeUInt16LE(info.length, 42);
  head.writeUInt32LE(48 + d.length, 44);
  return Buffer.concat([head, d, info]);
}

/** Verifies an NTLMv2 Type 3: NTProofStr == HMAC_MD5(NTOWFv2, serverChallenge ‖ blob). */
export function verifyType3(msg: Buffer, challenge: Buffer, accounts: readonly NtlmAccount[]): boolean {
  if (msg.subarray(0, 8).toString('latin1') !== 'NTLMSSP\0' || msg.readUInt32LE(8) !== 3) return false;
  const nt = secBuf(msg, 20);
  if (nt.length <= 24) return false; // NTLMv1 answers are 24 bytes: refused
  const domain = secBuf(msg, 28).toString('utf16le');
  const user = secBuf(msg, 36).toString('utf16le');
  const account = accounts.find((a) => a.username.toLowerCase() === user.toLowerCase() && a.domain.toLowerCase() === domain.toLowerCase());
  if (!account) return false;
  const ntHash = Buffer.from(md4.arrayBuffer(Buffer.from(account.password, 'utf16le')));
  const key = createHmac('md5', ntHash).update(Buffer.from(user.toUpperCase() + domain, 'utf16le')).digest();
  const proof = createHmac('md5', key).update(Buffer.concat([challenge, nt.subarray(16)])).digest();
  return proof.equals(nt.subarray(0, 16));
}

function header(head: string, name: string): string | undefined {
  const re = new RegExp(`^${name}:\\s*(.*)$`, 'im');
  return re.exec(head)?.[1]?.trim();
}

/** A CONNECT proxy that demands NTLMv2 (challenge kept per connection) and then tunnels; `hosts` maps names. */
export async function startNtlmProxy(accounts: readonly NtlmAccount[], hosts: Readonly<Record<string, string>> = {}): Promise<NtlmProxy> {
  const stats = { connects: 0, handshakes: 0, accepted: 0, rejected: 0, tunnels: 0, tcpConnections: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    stats.tcpConnections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let challenge: Buffer | undefined;
    const deny = (extra: string, close: boolean): void => {
      socket.write(`HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: ${extra}\r\nContent-Length: 0\r\n${close ? 'Connection: close\r\n' : ''}\r\n`);
      if (close) socket.end();
      else readHead(socket, onHead);
      socket.resume();
    };
    const onHead = (head: string): void => {
      const [method, target] = head.split(' ');
      if (method !== 'CONNECT' || !target) {
        socket.end('HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      stats.connects++;
      const auth = header(head, 'Proxy-Authorization');
      const token = auth && /^NTLM\s+(\S+)/i.exec(auth)?.[1];
      if (!token) return deny('NTLM', false);
      const msg = Buffer.from(token, 'base64');
      const type = msg.length >= 12 ? msg.readUInt32LE(8) : 0;
      if (type === 1) {
        stats.handshakes++;
        challenge = randomBytes(8);
        return deny('NTLM ' + challengeMessage(challenge, 'TESTDOM').toString('base64'), false);
      }
      if (type !== 3 || !challenge || !verifyType3(msg, challenge, accounts)) {
        stats.rejected++;
        return deny('NTLM', true);
      }
      stats.accepted++;
      const i = target.lastIndexOf(':');
      const host = target.slice(0, i).replace(/^\[|\]$/g, '');
      const upstream = net.connect(Number(target.slice(i + 1)), hosts[host] ?? host);
      upstream.once('connect', () => {
        stats.tunnels++;
        socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
        socket.pipe(upstream).pipe(socket);
        socket.resume();
      });
      upstream.on('error', () => {
        if (!socket.destroyed) socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      });
      socket.on('close', () => upstream.destroy());
    };
    readHead(socket, onHead);
  });
  const port = await listen(server);
  return {
    port,
    stats,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export interface HangingProxy {
  readonly port: number;
  /** Connections accepted so far. */
  accepted(): number;
  /** Connections still open on the proxy side. */
  open(): number;
  /** Resolves when every accepted connection has been closed by the client (or rejects after `ms`). */
  allClosed(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Accepts connections, reads what comes, never answers. */
export async function startHangingProxy(): Promise<HangingProxy> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on('data', () => undefined);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server);
  return {
    port,
    accepted: () => accepted,
    open: () => sockets.size,
    allClosed: async (ms) => {
      const until = Date.now() + ms;
      while (sockets.size > 0) {
        if (Date.now() > until) throw new Error(`${sockets.size} connection(s) still open after ${ms} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export interface PacServer {
  readonly port: number;
  url(name: string): string;
  /** Requests per script, and how many were answered 304. */
  readonly hits: { total: number; notModified: number };
  close(): Promise<void>;
}

/** Serves PAC scripts by name with a strong ETag; honours If-None-Match. */
export async function startPacServer(scripts: Readonly<Record<string, string>>): Promise<PacServer> {
  const hits = { total: 0, notModified: 0 };
  const server = http.createServer((req, res) => {
    hits.total++;
    const name = (req.url ?? '/').slice(1);
    const body = scripts[name];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const etag = `"${createHmac('sha256', 'etag').update(body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      hits.notModified++;
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig', etag }).end(body);
  });
  const port = await listen(server);
  return {
    port,
    hits,
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
