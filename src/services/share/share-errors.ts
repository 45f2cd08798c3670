import { CodedError, type MessageParams } from '../../common/errors.js';

/** The check of `ShareClient.test()` an error belongs to, in the order they run. */
export type ShareCheck = 'host' | 'logon' | 'share' | 'folder' | 'write';
export const SHARE_CHECKS: readonly ShareCheck[] = ['host', 'logon', 'share', 'folder', 'write'];

export function shareError(code: string, params: MessageParams, cause?: unknown): CodedError {
  return new CodedError(code, params, cause === undefined ? {} : { cause });
}

/** The same error with more parameters (CodedError is immutable). */
export function withParams(e: CodedError, extra: MessageParams): CodedError {
  return new CodedError(e.code, { ...e.params, ...extra }, { cause: e.cause, ...(e.field !== undefined ? { field: e.field } : {}) });
}

/** Errors after which the connection is gone, so no further command (not even a clean-up) can succeed. */
export const FATAL_CODES: ReadonlySet<string> = new Set([
  'share.connection-lost',
  'share.timeout',
  'share.cancelled',
  'share.host-unreachable',
  'share.smbclient-missing',
]);

export function codeOf(e: unknown): string | undefined {
  return e instanceof CodedError ? e.code : undefined;
}
