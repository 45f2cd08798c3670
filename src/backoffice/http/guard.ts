import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCodedError } from '../../common/errors.js';
import { BackofficeErrorCode as E } from '../../common/backoffice/api.js';
import type { Logger } from '../../services/log/logger.js';
import { HttpError, send } from './json-io.js';

/** Coded errors of the service and store layers that are answers, not incidents. */
const CODED_ANSWERS: Readonly<Record<string, { status: number; headers?: Record<string, string> }>> = {
  'backoffice.release.unknown': { status: 404 },
  // The database is restarting or unreachable: the client retries, the load balancer may re-route.
  'backoffice.store.unavailable': { status: 503, headers: { 'Retry-After': '2' } },
};

/**
 * One guard around every request: whatever the handler throws or rejects with becomes an answer.
 * HttpErrors are answered as they are; anything unexpected is a 500 carrying an incident id that is
 * also logged (with the cause), so the vendor finds the log line from the customer's report.
 * Returns the status answered.
 */
export function answerError(res: ServerResponse, e: unknown, logger: Logger, onIncident?: () => void): number {
  if (e instanceof HttpError) {
    // A body we stopped reading: answer, then close rather than drain it.
    send(res, e.status, { error: e.info }, e.status === 413 ? { ...e.headers, Connection: 'close' } : e.headers);
    return e.status;
  }
  const answer = isCodedError(e) ? CODED_ANSWERS[e.code] : undefined;
  if (answer && isCodedError(e)) {
    send(res, answer.status, { error: { code: e.code, params: e.params } }, answer.headers);
    return answer.status;
  }
  const incident = randomUUID();
  onIncident?.();
  logger.error(
    { incident, err: e instanceof Error ? { message: e.message, code: (e as { code?: unknown }).code, stack: e.stack } : String(e) },
    'request failed',
  );
  send(res, 500, { error: { code: E.internal, params: { incident } } });
  return 500;
}

/** Wraps an async request handler so that neither a throw nor a rejection escapes it. */
export function guarded(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  onError: (res: ServerResponse, e: unknown) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    try {
      handle(req, res).catch((e: unknown) => onError(res, e));
    } catch (e) {
      onError(res, e);
    }
  };
}
