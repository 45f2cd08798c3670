import type { CodedError } from '../../common/errors.js';
import { shareError, type ShareCheck } from './share-errors.js';

/** What a status is about, for the message: where we were and on what. */
export interface StatusContext {
  readonly host: string;
  readonly port: number;
  readonly share: string;
  readonly folder: string;
  readonly operation: string;
  /** The remote path the command worked on, for access and locking errors. */
  readonly path?: string;
  readonly username?: string;
}

/** The first `NT_STATUS_…` in smbclient's output (its exit codes are unreliable, its messages are not). */
export function findNtStatus(output: string): string | undefined {
  return /\bNT_STATUS_[A-Z0-9_]+\b/.exec(output)?.[0];
}

const UNREACHABLE = new Set([
  'NT_STATUS_CONNECTION_REFUSED',
  'NT_STATUS_HOST_UNREACHABLE',
  'NT_STATUS_NETWORK_UNREACHABLE',
  'NT_STATUS_UNSUCCESSFUL', // name resolution failed
  'NT_STATUS_BAD_NETWORK_PATH',
  'NT_STATUS_INVALID_NETWORK_RESPONSE',
  'NT_STATUS_NOT_SUPPORTED', // no common protocol (e.g. an SMB1-only server)
  'NT_STATUS_CONNECTION_DISCONNECTED',
  'NT_STATUS_CONNECTION_RESET',
  'NT_STATUS_CONNECTION_ABORTED',
  'NT_STATUS_ADDRESS_NOT_ASSOCIATED',
]);
const LOST = new Set([
  'NT_STATUS_CONNECTION_DISCONNECTED',
  'NT_STATUS_CONNECTION_RESET',
  'NT_STATUS_CONNECTION_ABORTED',
  'NT_STATUS_PIPE_BROKEN',
  'NT_STATUS_PIPE_DISCONNECTED',
  'NT_STATUS_INVALID_NETWORK_RESPONSE',
  'NT_STATUS_NETWORK_NAME_DELETED',
  'NT_STATUS_USER_SESSION_DELETED',
  'NT_STATUS_END_OF_FILE',
]);
const LOGON = new Set([
  'NT_STATUS_LOGON_FAILURE',
  'NT_STATUS_WRONG_PASSWORD',
  'NT_STATUS_NO_SUCH_USER',
  'NT_STATUS_ACCOUNT_DISABLED',
  'NT_STATUS_ACCOUNT_LOCKED_OUT',
  'NT_STATUS_ACCOUNT_EXPIRED',
  'NT_STATUS_ACCOUNT_RESTRICTION',
  'NT_STATUS_PASSWORD_EXPIRED',
  'NT_STATUS_PASSWORD_MUST_CHANGE',
  'NT_STATUS_INVALID_LOGON_HOURS',
  'NT_STATUS_INVALID_WORKSTATION',
  'NT_STATUS_LOGON_TYPE_NOT_GRANTED',
  'NT_STATUS_TRUSTED_RELATIONSHIP_FAILURE',
]);
const NOT_FOUND = new Set(['NT_STATUS_OBJECT_NAME_NOT_FOUND', 'NT_STATUS_NO_SUCH_FILE', 'NT_STATUS_OBJECT_PATH_NOT_FOUND']);
const DENIED = new Set(['NT_STATUS_ACCESS_DENIED', 'NT_STATUS_MEDIA_WRITE_PROTECTED', 'NT_STATUS_CANNOT_DELETE', 'NT_STATUS_PRIVILEGE_NOT_HELD']);
const LOCKED = new Set(['NT_STATUS_SHARING_VIOLATION', 'NT_STATUS_FILE_LOCK_CONFLICT', 'NT_STATUS_LOCK_NOT_GRANTED', 'NT_STATUS_DELETE_PENDING']);
const FULL = new Set(['NT_STATUS_DISK_FULL', 'NT_STATUS_QUOTA_EXCEEDED']);

function tagged(e: CodedError, check: ShareCheck | undefined): CodedError {
  return check ? shareError(e.code, { ...e.params, check }) : e;
}

/**
 * Maps the output of a smbclient that exited before it was connected (no command ran) to the
 * failed check: reaching the host, the logon, or the share.
 */
export function connectError(output: string, ctx: StatusContext, exitCode: number | string | null): CodedError {
  const status = findNtStatus(output) ?? `exit ${exitCode ?? '?'}`;
  const { host, port, share } = ctx;
  if (LOGON.has(status) || /session setup failed/i.test(output)) {
    return shareError('share.logon-failure', { host, username: ctx.username ?? '', status, check: 'logon' });
  }
  if (/tree connect failed/i.test(output) || status === 'NT_STATUS_BAD_NETWORK_NAME') {
    if (status === 'NT_STATUS_BAD_NETWORK_NAME') return shareError('share.no-such-share', { host, share, status, check: 'share' });
    if (DENIED.has(status)) return shareError('share.access-denied', { host, share, path: share, status, check: 'share' });
    return shareError('share.failed', { operation: 'tree connect', status, check: 'share' });
  }
  if (status === 'NT_STATUS_IO_TIMEOUT') return shareError('share.timeout', { host, operation: ctx.operation, seconds: '?', status, check: 'host' });
  return shareError('share.host-unreachable', { host, port, status, check: 'host' });
}

/** Maps the output of one command on a connected session; undefined when the command succeeded. */
export function commandError(output: string, ctx: StatusContext, check?: ShareCheck): CodedError | undefined {
  const status = findNtStatus(output);
  if (!status) {
    if (/^Error opening local file|^.*: No such file or directory$/m.test(output)) {
      return tagged(shareError('share.failed', { operation: ctx.operation, status: output.trim().split('\n')[0] ?? '' }), check);
    }
    return undefined;
  }
  const path = ctx.path ?? '';
  const { host, share, folder, operation } = ctx;
  let e: CodedError;
  if (NOT_FOUND.has(status)) e = shareError('share.no-such-file', { name: path, status });
  else if (DENIED.has(status)) e = shareError('share.access-denied', { host, share, path, status });
  else if (LOCKED.has(status)) e = shareError('share.sharing-violation', { path, status, attempts: 1 });
  else if (FULL.has(status)) e = shareError('share.disk-full', { share, status });
  else if (LOST.has(status) || UNREACHABLE.has(status)) e = shareError('share.connection-lost', { host, operation, status });
  else if (status === 'NT_STATUS_IO_TIMEOUT') e = shareError('share.timeout', { host, operation, seconds: '?', status });
  else e = shareError('share.failed', { operation, status, folder });
  return tagged(e, check);
}

export interface ListedFile {
  readonly name: string;
  readonly size: number;
  readonly directory: boolean;
}

/** Parses `ls` lines: two spaces, name, attributes, size, date (`Fri Nov 27 23:25:54 2026`). */
export function parseLs(output: string): ListedFile[] {
  const files: ListedFile[] = [];
  for (const line of output.split('\n')) {
    const m = /^ {2}(.+?)\s+([A-Z]*)\s+(\d+)\s+\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/.exec(line.replace(/\r$/, ''));
    if (!m || m[1] === '.' || m[1] === '..') continue;
    files.push({ name: m[1]!, size: Number(m[3]), directory: m[2]!.includes('D') });
  }
  return files;
}

/** Quotes an argument for smbclient's command tokenizer (double quotes; names never contain them, see unc.ts). */
export function quoteArg(s: string): string {
  if (/["\r\n]/.test(s)) throw new Error(`argument cannot be quoted for smbclient: ${JSON.stringify(s)}`);
  return `"${s}"`;
}

/** The auth file smbclient reads with `-A`; the password stays out of every command line. */
export function authFileContent(c: { username: string; password: string; domain?: string }): string {
  return `username=${c.username}\npassword=${c.password}\n${c.domain ? `domain=${c.domain}\n` : ''}`;
}
