import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { ErrorInfo } from '../../common/errors.js';
import { BackofficeErrorCode as E, MAX_REQUEST_BODY_BYTES } from '../../common/backoffice/api.js';
import { codedAjvError } from '../openapi.js';

/** An answer other than success, with the API's error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly info: ErrorInfo,
    readonly headers: Record<string, string> = {},
  ) {
    super(info.code);
  }
}

export const httpError = (
  status: number,
  code: string,
  params: Record<string, string | number> = {},
  field?: string,
  headers?: Record<string, string>,
): HttpError =>
  new HttpError(status, { code, ...(Object.keys(params).length ? { params } : {}), ...(field !== undefined ? { field } : {}) }, headers);

/** Writes a JSON (or empty) answer once; a response already sent or a socket gone is left alone. */
export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'Cache-Control': 'no-store',
    ...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) }),
    ...headers,
  });
  res.end(text);
}

/** Reads at most MAX_REQUEST_BODY_BYTES of JSON; too large, wrong type and bad JSON are 4xx. */
export function readJson(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return Promise.reject(httpError(415, E.unsupportedMediaType));
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_REQUEST_BODY_BYTES) return Promise.reject(httpError(413, E.tooLarge, { limit: MAX_REQUEST_BODY_BYTES }));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BODY_BYTES) {
        req.removeAllListeners('data');
        req.pause();
        reject(httpError(413, E.tooLarge, { limit: MAX_REQUEST_BODY_BYTES }));
        return;
      }
      chunks.push(c);
    });
    req.once('error', () => reject(httpError(400, E.invalidRequest, { reason: 'body not received' })));
    req.once('end', () => {
      try {
        resolve(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks))));
      } catch {
        reject(httpError(400, E.badJson));
      }
    });
  });
}

/** Reads the JSON body and checks it against the operation's schema; the first violation names its field. */
export async function readBody<T>(req: IncomingMessage, validate: ValidateFunction): Promise<T> {
  const value = await readJson(req);
  if (!validate(value)) {
    const e = codedAjvError(validate.errors![0]!);
    throw httpError(400, e.code, e.params, e.field);
  }
  return value as T;
}

/** The entity tags of an If-None-Match header (weak ones compared as strong, as for GET). */
export function parseIfNoneMatch(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .slice(0, 1024)
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''));
}
