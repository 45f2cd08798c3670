import { randomBytes } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { CodedError, isCodedError } from '../../common/errors.js';

/** What the guard needs of a logger (pino's `error`). */
export interface GuardLogger {
  error(obj: object, msg: string): void;
}

/** Codes that are the client's fault: answered 400, never logged as incidents. */
const CLIENT_ERRORS = new Set(['http.bad-target', 'http.bad-encoding']);

/** The request target as a URL; a target the URL parser refuses is the client's error (400). */
export function requestUrl(req: IncomingMessage, base = 'http://localhost'): URL {
  try {
    return new URL(req.url ?? '/', base);
  } catch {
    throw new CodedError('http.bad-target');
  }
}

/** Percent-decodes a path segment; malformed encodings are the client's error (400). */
export function decodePath(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new CodedError('http.bad-encoding');
  }
}

/** A short id that ties a 500 answer to its log line, without telling the client anything else. */
export function newIncidentId(): string {
  return randomBytes(6).toString('hex');
}

function describe(e: unknown): { message: string; stack?: string } {
  return e instanceof Error ? { message: e.message, ...(e.stack ? { stack: e.stack } : {}) } : { message: String(e) };
}

/** Status and body for a failure; unexpected ones are logged with an incident id. */
function failure(logger: GuardLogger, e: unknown, where: string): { status: number; body: object } {
  if (isCodedError(e) && CLIENT_ERRORS.has(e.code)) return { status: 400, body: { error: e.toInfo() } };
  const incident = newIncidentId();
  logger.error({ incident, where, err: describe(e) }, 'request failed unexpectedly');
  return { status: 500, body: { error: { code: 'http.internal-error', params: { incident } } } };
}

/**
 * One guard around a request handler, sync or async: a bad target or encoding gets 400, anything
 * unexpected 500 with an incident id in the log; nothing a request does ends the server.
 */
export function guardRequests(logger: GuardLogger, handler: (req: IncomingMessage, res: ServerResponse) => unknown): RequestListener {
  return (req, res) => {
    const fail = (e: unknown): void => {
      const { status, body } = failure(logger, e, `${req.method ?? '?'} request`);
      if (res.headersSent || res.writableEnded) {
        res.destroy();
        return;
      }
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text), Connection: 'close' });
      res.end(text);
    };
    try {
      const result = handler(req, res);
      if (result instanceof Promise) result.catch(fail);
    } catch (e) {
      fail(e);
    }
  };
}

/** The same guard for a WebSocket (or other) upgrade: the socket gets a status line and is closed. */
export function guardUpgrades(logger: GuardLogger, handler: (req: IncomingMessage, socket: Duplex, head: Buffer) => unknown): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    // Node leaves an upgraded socket without an error listener: a reset must not become an uncaught error.
    socket.on('error', () => socket.destroy());
    const fail = (e: unknown): void => {
      const { status } = failure(logger, e, 'upgrade');
      if (socket.writable) socket.end(`HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : 'Internal Server Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      else socket.destroy();
    };
    try {
      const result = handler(req, socket, head);
      if (result instanceof Promise) result.catch(fail);
    } catch (e) {
      fail(e);
    }
  };
}

/**
 * For server processes: a promise rejection nobody handled is logged with an incident id instead of
 * ending the process (Node's default). Installed once per process; returns a function that removes it.
 */
export function keepServingOnUnhandledRejection(logger: GuardLogger): () => void {
  const onRejection = (reason: unknown): void => {
    logger.error({ incident: newIncidentId(), err: describe(reason) }, 'unhandled promise rejection (the server keeps running)');
  };
  process.on('unhandledRejection', onRejection);
  return () => process.off('unhandledRejection', onRejection);
}
