import { request } from 'node:http';
import WebSocket from 'ws';
import { RpcClient } from '../../src/common/rpc/rpc-client.js';

export interface HttpResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A plain GET with optional cookie and Host header (node:http, no browser). */
export function get(url: string, options: { cookie?: string; host?: string } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { ...(options.cookie ? { cookie: options.cookie } : {}), ...(options.host ? { host: options.host } : {}) } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Trades the access token for the session cookie, as the browser does on the first visit. */
export async function login(loginUrl: string): Promise<string> {
  const r = await get(loginUrl);
  const set = r.headers['set-cookie'];
  const cookie = (Array.isArray(set) ? set[0] : set)?.split(';')[0];
  if (r.status !== 303 || !cookie) throw new Error(`login failed: ${r.status}`);
  return cookie;
}

/** Opens the console's RPC WebSocket; resolves with the socket or rejects with the HTTP status. */
export function openSocket(origin: string, options: { cookie?: string; originHeader?: string } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/rpc`, {
      headers: { ...(options.cookie ? { cookie: options.cookie } : {}) },
      origin: options.originHeader ?? origin,
    });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** An RpcClient over `ws`, recording every frame the server sends. */
export function rpcClient(origin: string, cookie: string): { client: RpcClient; frames: string[] } {
  const frames: string[] = [];
  const client = new RpcClient({
    connect: () => {
      const ws = new WebSocket(`${origin.replace('http', 'ws')}/rpc`, { headers: { cookie }, origin });
      const socket = {
        get readyState() {
          return ws.readyState;
        },
        send: (t: string) => ws.send(t),
        close: () => ws.close(),
        onopen: null as ((ev: unknown) => void) | null,
        onclose: null as ((ev: unknown) => void) | null,
        onmessage: null as ((ev: { data: unknown }) => void) | null,
      };
      ws.on('open', () => socket.onopen?.({}));
      ws.on('close', () => socket.onclose?.({}));
      ws.on('error', () => undefined);
      ws.on('message', (data) => {
        frames.push(String(data));
        socket.onmessage?.({ data: String(data) });
      });
      return socket;
    },
    minReconnectMs: 50,
    maxReconnectMs: 200,
  });
  return { client, frames };
}
