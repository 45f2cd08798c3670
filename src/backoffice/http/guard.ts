import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCodedError } from '../../common/errors.js';
import { BackofficeErrorCode as E } from '../../common/backoffice/api.js';
import type { Logger } from '../../services/log/logger.js';
import { HttpError, send } from './json-io.js';

/** Coded errors of the service layer that are answers, not incidents. */
const CODED_ANSWERS: Readonly<Record<string, number>> = { 'backoffice.release.unknown': 404 };

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
  if (isCodedError(e) && CODED_ANSWERS[e.code]) {
    send(res, CODED_ANSWERS[e.code]!, { error: e.toInfo() });
    return CODED_ANSWERS[e.code]!;
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
