import { JSONRPCClient, JSONRPCErrorException, JSONRPCServer, JSONRPCServerAndClient } from 'json-rpc-2.0';
import { BehaviorSubject, Observable, type Subscriber } from 'rxjs';
import { CodedError, type ErrorInfo } from '../errors.js';
import { COMPLETE, ERROR, NEXT, SUB, UNSUB, isStreamName, type ErrorNotification, type NextNotification, type Remote } from './protocol.js';

/** The minimal socket the client needs; the browser's WebSocket fits. */
export interface ClientSocket {
  readonly readyState: number;
  send(text: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface RpcClientOptions {
  readonly connect: () => ClientSocket;
  readonly callTimeoutMs?: number;
  /** Reconnect delays grow from this… */
  readonly minReconnectMs?: number;
  /** …to this. */
  readonly maxReconnectMs?: number;
}

interface ActiveStream {
  readonly service: string;
  readonly name: string;
  readonly args: readonly unknown[];
  readonly subscriber: Subscriber<unknown>;
}

/** The browser side: typed proxies over one WebSocket, streams resubscribed after every reconnect. */
export class RpcClient {
  readonly state$ = new BehaviorSubject<ConnectionState>('connecting');
  private socket?: ClientSocket;
  private peer?: JSONRPCServerAndClient;
  private readonly streams = new Map<string, ActiveStream>();
  private nextId = 1;
  private attempt = 0;
  private stopped = false;
  private opened!: Promise<void>;
  private resolveOpened!: () => void;

  constructor(private readonly options: RpcClientOptions) {
    this.resetOpened();
    this.open();
  }

  proxy<T>(service: string): Remote<T> {
    return new Proxy({} as Remote<T>, {
      get: (_t, name) => {
        if (typeof name !== 'string' || name === 'then') return undefined;
        return isStreamName(name)
          ? (...args: unknown[]) => this.stream(service, name, args)
          : (...args: unknown[]) => this.call(service, name, args);
      },
    });
  }

  async call(service: string, method: string, args: readonly unknown[]): Promise<unknown> {
    await this.opened;
    try {
      return await this.peer!.timeout(this.options.callTimeoutMs ?? 30_000).request(`${service}.${method}`, args, undefined);
    } catch (e) {
      throw toCodedError(e);
    }
  }

  stream<T>(service: string, name: string, args: readonly unknown[] = []): Observable<T> {
    return new Observable<T>((subscriber) => {
      const id = `s${this.nextId++}`;
      this.streams.set(id, { service, name, args, subscriber: subscriber as Subscriber<unknown> });
      if (this.state$.value === 'open') this.sendSub(id);
      return () => {
        this.streams.delete(id);
        if (this.state$.value === 'open') this.peer?.notify(UNSUB, { id }, undefined);
      };
    });
  }

  close(): void {
    this.stopped = true;
    this.socket?.close();
    this.state$.next('closed');
  }

  private resetOpened(): void {
    this.opened = new Promise((r) => (this.resolveOpened = r));
  }

  private open(): void {
    const socket = this.options.connect();
    this.socket = socket;
    const server = new JSONRPCServer();
    const client = new JSONRPCClient((request) => {
      socket.send(JSON.stringify(request));
    });
    const peer = new JSONRPCServerAndClient(server, client);
    server.addMethod(NEXT, (p: NextNotification) => this.streams.get(p.id)?.subscriber.next(p.value));
    server.addMethod(ERROR, (p: ErrorNotification) => {
      const s = this.streams.get(p.id);
      this.streams.delete(p.id);
      s?.subscriber.error(new CodedError(p.error.code, p.error.params ?? {}));
    });
    server.addMethod(COMPLETE, (p: { id: string }) => {
      const s = this.streams.get(p.id);
      this.streams.delete(p.id);
      s?.subscriber.complete();
    });
    socket.onmessage = (ev) => {
      try {
        void peer.receiveAndSend(JSON.parse(String(ev.data)), undefined, undefined);
      } catch {
        // A malformed frame is dropped; the server never sends one.
      }
    };
    socket.onopen = () => {
      this.peer = peer;
      this.attempt = 0;
      this.state$.next('open');
      this.resolveOpened();
      for (const id of this.streams.keys()) this.sendSub(id);
    };
    socket.onclose = () => {
      peer.rejectAllPendingRequests('connection closed');
      if (this.peer === peer) {
        this.peer = undefined;
        this.resetOpened();
      }
      if (this.stopped) return;
      this.state$.next('connecting');
      const base = Math.min(this.options.maxReconnectMs ?? 5_000, (this.options.minReconnectMs ?? 200) * 2 ** this.attempt++);
      setTimeout(() => this.open(), base / 2 + Math.random() * (base / 2));
    };
  }

  private sendSub(id: string): void {
    const s = this.streams.get(id);
    if (!s || !this.peer) return;
    this.peer.request(SUB, { id, service: s.service, name: s.name, args: s.args }, undefined).then(undefined, (e: unknown) => {
      this.streams.delete(id);
      s.subscriber.error(toCodedError(e));
    });
  }
}

function toCodedError(e: unknown): CodedError {
  if (e instanceof CodedError) return e;
  if (e instanceof JSONRPCErrorException && e.data && typeof (e.data as ErrorInfo).code === 'string') {
    const info = e.data as ErrorInfo;
    return new CodedError(info.code, info.params ?? {}, info.field !== undefined ? { field: info.field } : {});
  }
  return new CodedError('rpc.failed', { detail: e instanceof Error ? e.message : String(e) });
}
