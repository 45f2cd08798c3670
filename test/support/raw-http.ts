import { randomBytes } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import fc from 'fast-check';

/** Where a server listens; `tls` for the back office (its certificate is not checked here). */
export interface Target {
  readonly port: number;
  readonly tls?: boolean;
}

export function openRaw(t: Target): Socket {
  return t.tls ? tlsConnect({ host: '127.0.0.1', port: t.port, rejectUnauthorized: false }) : netConnect({ host: '127.0.0.1', port: t.port });
}

/**
 * Sends `bytes` as they are (so malformed request lines really go out), half-closes, and resolves
 * with what came back: the first line of an answer, or '' when the server closed without one.
 */
export function exchange(t: Target, bytes: Buffer, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = openRaw(t);
    let got = '';
    const done = (v: string): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer and no close within ${timeoutMs} ms for ${JSON.stringify(bytes.toString('latin1').slice(0, 200))}`));
    }, timeoutMs);
    s.once(t.tls ? 'secureConnect' : 'connect', () => {
      s.write(bytes);
      s.end();
    });
    s.on('data', (c: Buffer) => {
      got += c.toString('latin1');
      const nl = got.indexOf('\r\n');
      if (nl >= 0) done(got.slice(0, nl));
    });
    s.on('error', () => done(got));
    s.on('close', () => done(got));
    s.on('timeout', () => done(got));
  });
}

/** An answer is acceptable when it is an HTTP status line, or nothing (the server closed the socket). */
export function isStatusOrClosed(line: string): boolean {
  return line === '' || /^HTTP\/1\.[01] [1-5]\d\d( |$)/.test(line);
}

const hex = fc.constantFrom(...'0123456789abcdefABCDEFgxz%');
/** Percent-encodings, valid and broken: `%41`, `%E0%A4%A`, `%`, `%zz`, overlong UTF-8, NUL. */
const percent = fc.oneof(
  fc.tuple(hex, hex).map(([a, b]) => `%${a}${b}`),
  hex.map((a) => `%${a}`),
  fc.constantFrom('%', '%E0%A4%A', '%C0%AF', '%00', '%2e%2e%2f', '%FF%FE', '%ED%A0%80', '%F4%90%80%80', '%25'),
);
const pathChar = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...'abcxyz019-._~/') },
  { weight: 3, arbitrary: percent },
  { weight: 1, arbitrary: fc.constantFrom('[', ']', '@', ':', '\\', '..', '//', '?', '#', '"', '<', '>', '{', '|', '^', '`', '\u00e9', '\u2028', '\t', '\u0001', '\u007f') },
);

/** Request targets: the server's own paths with random tails, and shapes the URL parser refuses. */
export function targets(known: readonly string[]): fc.Arbitrary<string> {
  const tail = fc.array(pathChar, { maxLength: 24 }).map((a) => a.join(''));
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...known), tail).map(([k, t]) => k + t) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom('//', '//[', '//[::', '//a b', '//@', '/\\\\', '*', 'http://x', 'http://[', '', ' ', '/?token=', '/static/'), tail).map(([k, t]) => k + t) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  );
}

export const methods = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 0, maxLength: 10 }) },
);

const version = fc.oneof({ weight: 8, arbitrary: fc.constant('HTTP/1.1') }, { weight: 2, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/1.', 'http/1.1', '', 'HTTP/9.9') });

export interface RequestContext {
  readonly port: number;
  /** Headers that make a request authenticated (a session cookie, a bearer token); used half the time. */
  readonly auth: Readonly<Record<string, string>>;
  readonly known: readonly string[];
}

const headerName = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('Content-Length', 'Transfer-Encoding', 'Upgrade', 'Connection', 'Origin', 'Cookie', 'Authorization', 'Content-Type', 'Expect', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'If-None-Match', 'X-Forwarded-For') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }) },
);
const headerValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('0', '-1', '99999999999', 'chunked', 'websocket', 'Upgrade', 'keep-alive', 'close', 'null', 'http://evil.example', '100-continue', 'dGhlIHNhbXBsZSBub25jZQ==', '13', '*') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

/** A whole request as bytes: request line, Host, optional authentication, random headers and body. */
export function requests(ctx: RequestContext): fc.Arbitrary<Buffer> {
  const host = fc.constantFrom(`127.0.0.1:${ctx.port}`, `localhost:${ctx.port}`, `undefined:${ctx.port}`, `evil.example:${ctx.port}`, '127.0.0.1', '', '[::1');
  return fc
    .record({
      method: methods,
      target: targets(ctx.known),
      version,
      host: fc.option(host, { nil: undefined, freq: 8 }),
      auth: fc.boolean(),
      headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 3 }),
      body: fc.uint8Array({ maxLength: 600 }),
      lineEnd: fc.constantFrom('\r\n', '\r\n', '\r\n', '\n'),
    })
    .map((r) => {
      const lines = [`${r.method} ${r.target} ${r.version}`.trimEnd()];
      if (r.host !== undefined) lines.push(`Host: ${r.host}`);
      if (r.auth) for (const [k, v] of Object.entries(ctx.auth)) lines.push(`${k}: ${v}`);
      for (const [k, v] of r.headers) lines.push(`${k}: ${v}`);
      return Buffer.concat([Buffer.from(lines.join(r.lineEnd) + r.lineEnd + r.lineEnd, 'latin1'), Buffer.from(r.body)]);
    });
}

/** A WebSocket client frame with random flags, opcode, length encoding and masking (RFC 6455 §5.2). */
export const wsFrames: fc.Arbitrary<Buffer> = fc
  .record({
    fin: fc.boolean(),
    rsv: fc.integer({ min: 0, max: 7 }),
    opcode: fc.oneof(fc.constantFrom(0x1, 0x2, 0x8, 0x9, 0xa, 0x0), fc.integer({ min: 0, max: 15 })),
    masked: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    payload: fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.json().map((j) => new Uint8Array(Buffer.from(j)))),
    lengthLie: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -50, max: 70_000 }) }),
  })
  .map((f) => {
    const len = Math.max(0, f.payload.length + f.lengthLie);
    const head: number[] = [(f.fin ? 0x80 : 0) | (f.rsv << 4) | f.opcode];
    const m = f.masked ? 0x80 : 0;
    if (len < 126) head.push(m | len);
    else if (len < 65_536) head.push(m | 126, len >> 8, len & 0xff);
    else head.push(m | 127, 0, 0, 0, 0, (len >>> 24) & 0xff, (len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff);
    const mask = f.masked ? randomBytes(4) : Buffer.alloc(0);
    const body = Buffer.from(f.payload);
    if (f.masked) for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
    return Buffer.concat([Buffer.from(head), mask, body]);
  });

/** JSON-RPC messages: real and made-up methods, odd ids and params, batches, and non-objects. */
export function rpcMessages(methodNames: readonly string[]): fc.Arbitrary<string> {
  const id = fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null), fc.constant(undefined), fc.object({ maxDepth: 1 }));
  const method = fc.oneof(fc.constantFrom(...methodNames, '$sub', '$unsub', '$next', 'rpc.discover', '__proto__', 'constructor', 'host.toString'), fc.string({ maxLength: 30 }));
  const params = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 2 }),
    fc.record({ id: fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), service: fc.constantFrom('host', 'nope', '__proto__', ''), name: fc.constantFrom('items$', 'layout', 'notifications$', 'constructor', ''), args: fc.jsonValue({ maxDepth: 1 }) }),
  );
  const message = fc.record({ jsonrpc: fc.constantFrom('2.0', '1.0', undefined), id, method, params }, { requiredKeys: ['method'] });
  return fc.oneof(
    { weight: 6, arbitrary: message.map((m) => JSON.stringify(m)) },
    { weight: 1, arbitrary: fc.array(message, { maxLength: 20 }).map((a) => JSON.stringify(a)) },
    { weight: 1, arbitrary: fc.oneof(fc.json(), fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('null', '[]', '{}', '"x"', '1', '[null]')) },
  );
}
