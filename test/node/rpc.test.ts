import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BehaviorSubject, Subject, filter, firstValueFrom } from 'rxjs';
import { WebSocketServer } from 'ws';
import { CodedError } from '../../src/common/errors.js';
import { RpcServerConnection, type ExposedService } from '../../src/common/rpc/rpc-server.js';
import { rpcClient } from '../support/console-client.js';

function lookup(services: Record<string, ExposedService>) {
  return { get: (name: string) => services[name] };
}

describe('RPC over one WebSocket', () => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const counter$ = new BehaviorSubject(0);
  const service = {
    counter$: () => counter$,
    fail: async () => {
      throw new CodedError('demo.refused', { reason: 'because' }, { field: 'port' });
    },
  };
  wss.on('connection', (ws) => {
    const conn = new RpcServerConnection(lookup({ demo: { impl: service, members: new Set(['counter$', 'fail']) } }), {
      send: (t) => ws.send(t),
      bufferedAmount: () => ws.bufferedAmount,
    });
    ws.on('message', (d) => void conn.receive(String(d)));
    ws.on('close', () => conn.close());
  });
  before(() => new Promise<void>((resolve) => (wss.address() ? resolve() : wss.once('listening', () => resolve()))));
  after(() => wss.close());
  const origin = (): string => `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;

  it('delivers the latest value on subscribe and resubscribes after the connection drops', async () => {
    counter$.next(41);
    const { client } = rpcClient(origin(), 'x=y');
    const seen: number[] = [];
    const sub = client.stream<number>('demo', 'counter$').subscribe((v) => seen.push(v));
    await firstValueFrom(client.stream<number>('demo', 'counter$').pipe(filter((v) => v === 41)));
    for (const ws of wss.clients) ws.terminate();
    await firstValueFrom(client.state$.pipe(filter((s) => s === 'connecting')));
    await firstValueFrom(client.state$.pipe(filter((s) => s === 'open')));
    counter$.next(42);
    await new Promise((r) => setTimeout(r, 100));
    sub.unsubscribe();
    client.close();
    assert.equal(seen[0], 41);
    assert.equal(seen.at(-1), 42, `values seen: ${seen.join(',')}`);
  });

  it('carries error codes, parameters and the field', async () => {
    const { client } = rpcClient(origin(), 'x=y');
    await assert.rejects(client.call('demo', 'fail', []), (e: unknown) => {
      assert.ok(e instanceof CodedError);
      assert.equal(e.code, 'demo.refused');
      assert.equal(e.params['reason'], 'because');
      assert.equal(e.field, 'port');
      return true;
    });
    client.close();
  });
});

describe('RPC back-pressure', () => {
  it('keeps only the newest value of a stream while the socket is congested (latest wins)', async () => {
    const sent: string[] = [];
    let buffered = 10 << 20;
    const source = new Subject<number>();
    const conn = new RpcServerConnection(
      lookup({ s: { impl: { values$: source }, members: new Set(['values$']) } }),
      { send: (t) => sent.push(t), bufferedAmount: () => buffered },
      { highWaterMark: 1 << 20 },
    );
    await conn.receive(JSON.stringify({ jsonrpc: '2.0', id: 1, method: '$sub', params: { id: 'a', service: 's', name: 'values$', args: [] } }));
    for (let i = 1; i <= 1000; i++) source.next(i);
    await new Promise((r) => setTimeout(r, 30));
    const nextFrames = (): number[] => sent.map((t) => JSON.parse(t)).filter((m) => m.method === '$next').map((m) => m.params.value);
    assert.deepEqual(nextFrames(), [], 'nothing is sent while congested');
    buffered = 0;
    await new Promise((r) => setTimeout(r, 40));
    assert.deepEqual(nextFrames(), [1000]);
    conn.close();
  });

  it('refuses streams and methods that the service did not list', async () => {
    const sent: string[] = [];
    const conn = new RpcServerConnection(lookup({ s: { impl: { hidden$: new Subject(), open: () => 1 }, members: new Set(['open']) } }), {
      send: (t) => sent.push(t),
      bufferedAmount: () => 0,
    });
    await conn.receive(JSON.stringify({ jsonrpc: '2.0', id: 1, method: '$sub', params: { id: 'a', service: 's', name: 'hidden$', args: [] } }));
    await conn.receive(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 's.constructor', params: [] }));
    const replies = sent.map((t) => JSON.parse(t));
    assert.equal(replies.find((r) => r.id === 1)?.error?.data?.code, 'rpc.no-such-stream');
    assert.equal(replies.find((r) => r.id === 2)?.error?.code, -32601);
    conn.close();
  });
});

