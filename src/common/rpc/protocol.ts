import type { Observable } from 'rxjs';
import type { ErrorInfo } from '../errors.js';

/**
 * Wire conventions on top of JSON-RPC 2.0 (json-rpc-2.0 over one WebSocket):
 * - a call is the request `"<service>.<method>"` with the arguments as a params array;
 * - a stream is requested with `$sub` {id, service, name, args}; values come as notifications
 *   `$next` {id, value}, `$error` {id, error}, `$complete` {id}; the client ends it with `$unsub` {id}.
 * - errors carry an ErrorInfo in `data` (code, params, field).
 */
export const RPC_ERROR = -32000;
export const SUB = '$sub';
export const UNSUB = '$unsub';
export const NEXT = '$next';
export const ERROR = '$error';
export const COMPLETE = '$complete';

export interface SubRequest {
  readonly id: string;
  readonly service: string;
  readonly name: string;
  readonly args: readonly unknown[];
}

export interface NextNotification {
  readonly id: string;
  readonly value: unknown;
}

export interface ErrorNotification {
  readonly id: string;
  readonly error: ErrorInfo;
}

/** By convention, members whose name ends in `$` are streams; every other function member is a call. */
export function isStreamName(name: string): boolean {
  return name.endsWith('$');
}

/**
 * What a browser holds for a service interface T: calls return promises, streams are functions
 * returning observables (a stream property `x$` on the service becomes `x$()` remotely).
 */
export type Remote<T> = {
  readonly [K in keyof T as K extends string ? K : never]: T[K] extends (...args: infer A) => infer R
    ? R extends Observable<unknown>
      ? (...args: A) => R
      : (...args: A) => Promise<Awaited<R>>
    : T[K] extends Observable<unknown>
      ? () => T[K]
      : never;
};
