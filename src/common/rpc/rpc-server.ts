import {
  JSONRPCClient,
  JSONRPCErrorException,
  JSONRPCServer,
  JSONRPCServerAndClient,
} from 'json-rpc-2.0';
import { isObservable, type Observable, type Subscription } from 'rxjs';
import { CodedError, toErrorInfo } from '../errors.js';
import { COMPLETE, ERROR, NEXT, RPC_ERROR, SUB, UNSUB, isStreamName, type SubRequest } from './protocol.js';

/** A service exposed over RPC: only the listed members can be reached, nothing else on the object. */
export interface ExposedService {
  readonly impl: object;
  readonly members: ReadonlySet<string>;
}

export interface ServiceLookup {
  get(name: string): ExposedService | undefined;
}

export interface ServerTransport {
  send(text: string): void;
  /** Bytes queued but not yet sent; used for latest-wins back-pressure on streams. */
  bufferedAmount(): number;
}

export interface RpcServerOptions {
  /** Throws when an outgoing message must not be sent (e.g. it contains a secret). */
  readonly guard?: (text: string) => void;
  /** Above this many buffered bytes, stream values are coalesced (latest wins). */
  readonly highWaterMark?: number;
  /** Most stream subscriptions one connection may hold at once (default 256). */
  readonly maxStreams?: number;
}

/** A console page holds a few dozen streams; the cap stops one socket from holding memory without end. */
export const DEFAULT_MAX_STREAMS = 256;

interface StreamState {
  sub?: Subscription;
  pending?: { value: unknown };
  timer?: ReturnType<typeof setTimeout>;
}

/** The Node side of one console connection. */
export class RpcServerConnection {
  private readonly peer: JSONRPCServerAndClient;
  private readonly streams = new Map<string, StreamState>();
  private closed = false;

  constructor(
    private readonly services: ServiceLookup,
    private readonly transport: ServerTransport,
    private readonly options: RpcServerOptions = {},
  ) {
    // Errors are mapped to coded responses by the methods themselves; nothing to print.
    const server = new JSONRPCServer({ errorListener: () => undefined });
    const client = new JSONRPCClient((request) => {
      this.send(request);
    });
    this.peer = new JSONRPCServerAndClient(server, client);
    server.addMethod(SUB, (params: SubRequest) => this.subscribe(params));
    server.addMethod(UNSUB, (params: { id?: unknown } | null) => this.unsubscribe(params?.id));
  }

  async receive(text: string): Promise<void> {
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      return; // Not JSON: ignore, as JSON-RPC would answer with a parse error nobody reads.
    }
    const request = (typeof payload === 'object' && payload !== null ? payload : {}) as { method?: unknown };
    if (typeof request.method === 'string' && !request.method.startsWith('$') && !this.peer.hasMethod(request.method)) {
      this.route(request.method);
    }
    await this.peer.receiveAndSend(payload, undefined, undefined);
  }

  close(): void {
    this.closed = true;
    for (const id of [...this.streams.keys()]) this.unsubscribe(id);
    this.peer.rejectAllPendingRequests('connection closed');
  }

  /** Adds a JSON-RPC method for `service.member` on first use, after checking that it is exposed. */
  private route(method: string): void {
    const dot = method.lastIndexOf('.');
    const service = this.services.get(method.slice(0, dot));
    const member = method.slice(dot + 1);
    if (dot <= 0 || !service || !service.members.has(member) || isStreamName(member)) return;
    this.peer.addMethod(method, async (params: unknown) => {
      const args = Array.isArray(params) ? params : [];
      const fn = (service.impl as Record<string, unknown>)[member];
      if (typeof fn !== 'function') throw rpcError(new CodedError('rpc.no-such-method', { method }));
      try {
        return (await (fn as (...a: unknown[]) => unknown).apply(service.impl, args)) ?? null;
      } catch (e) {
        throw rpcError(e);
      }
    });
  }

  private subscribe(req: SubRequest): null {
    if (typeof req !== 'object' || req === null) throw rpcError(new CodedError('rpc.no-such-stream', { stream: '' }));
    const service = typeof req.service === 'string' ? this.services.get(req.service) : undefined;
    if (!service || typeof req.name !== 'string' || !service.members.has(req.name) || !isStreamName(req.name) || typeof req.id !== 'string') {
      throw rpcError(new CodedError('rpc.no-such-stream', { stream: `${String(req.service)}.${String(req.name)}` }));
    }
    const max = this.options.maxStreams ?? DEFAULT_MAX_STREAMS;
    if (!this.streams.has(req.id) && this.streams.size >= max) throw rpcError(new CodedError('rpc.too-many-streams', { max }));
    this.unsubscribe(req.id);
    const member = (service.impl as Record<string, unknown>)[req.name];
    let source: unknown;
    try {
      source = typeof member === 'function' ? (member as (...a: unknown[]) => unknown).apply(service.impl, [...(req.args ?? [])]) : member;
    } catch (e) {
      throw rpcError(e);
    }
    if (!isObservable(source)) throw rpcError(new CodedError('rpc.no-such-stream', { stream: `${req.service}.${req.name}` }));
    const state: StreamState = {};
    this.streams.set(req.id, state);
    state.sub = (source as Observable<unknown>).subscribe({
      next: (value) => this.emit(req.id, state, value),
      error: (e: unknown) => this.notify(ERROR, { id: req.id, error: toErrorInfo(e) }),
      complete: () => this.notify(COMPLETE, { id: req.id }),
    });
    return null;
  }

  private unsubscribe(id: unknown): null {
    const state = typeof id === 'string' ? this.streams.get(id) : undefined;
    if (state) {
      this.streams.delete(id as string);
      state.sub?.unsubscribe();
      if (state.timer) clearTimeout(state.timer);
    }
    return null;
  }

  /** Latest wins: while the socket is congested only the newest value waits; older ones are dropped. */
  private emit(id: string, state: StreamState, value: unknown): void {
    state.pending = { value };
    if (state.timer) return;
    const flush = (): void => {
      state.timer = undefined;
      if (!state.pending || this.closed || !this.streams.has(id)) return;
      if (this.transport.bufferedAmount() > (this.options.highWaterMark ?? 1 << 20)) {
        state.timer = setTimeout(flush, 10);
        return;
      }
      const { value: v } = state.pending;
      state.pending = undefined;
      this.notify(NEXT, { id, value: v });
    };
    if (this.transport.bufferedAmount() > (this.options.highWaterMark ?? 1 << 20)) state.timer = setTimeout(flush, 10);
    else flush();
  }

  private notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  private send(message: unknown): void {
    if (this.closed) return;
    let text = JSON.stringify(message);
    try {
      this.options.guard?.(text);
    } catch (e) {
      const m = message as { id?: unknown; method?: string; params?: { id?: string } };
      // Replace the whole message by an error; the refused content is never sent.
      if (m.method === NEXT && m.params?.id) text = JSON.stringify({ jsonrpc: '2.0', method: ERROR, params: { id: m.params.id, error: toErrorInfo(e) } });
      else if (m.id !== undefined) text = JSON.stringify({ jsonrpc: '2.0', id: m.id, error: { code: RPC_ERROR, message: 'refused', data: toErrorInfo(e) } });
      else return;
    }
    this.transport.send(text);
  }
}

function rpcError(e: unknown): JSONRPCErrorException {
  const info = toErrorInfo(e);
  return new JSONRPCErrorException(info.code, RPC_ERROR, info);
}
