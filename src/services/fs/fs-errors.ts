import { CodedError, isCodedError } from '../../common/errors.js';

const FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
const NOT_WRITABLE = new Set(['EROFS', 'EACCES', 'EPERM', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_READONLY_DIRECTORY']);

/**
 * A file-system failure as a coded error that names the file and what to do: a full disk says
 * "free space", a read-only or forbidden folder says "fix the permissions"; anything else keeps
 * the system's reason. Coded errors pass through unchanged.
 */
export function fsError(e: unknown, file: string, op: 'read' | 'write'): CodedError {
  if (isCodedError(e)) return e;
  const code = String((e as { code?: unknown } | undefined)?.code ?? '');
  if (FULL.has(code)) return new CodedError('io.disk-full', { path: file }, { cause: e });
  if (op === 'write' && NOT_WRITABLE.has(code)) return new CodedError('io.not-writable', { path: file }, { cause: e });
  const reason = code || (e instanceof Error ? e.message : String(e));
  return new CodedError(op === 'write' ? 'io.write-failed' : 'io.read-failed', { path: file, reason }, { cause: e });
}
