import { CodedError } from './errors.js';

/** A parsed `\\host\share\folder` path. `folder` uses forward slashes, '' for the share's root. */
export interface UncPath {
  readonly host: string;
  readonly share: string;
  readonly folder: string;
}

/** Characters Windows refuses in a share name (MS-SRVS NetShareAdd) and in file names; control characters included on purpose. */
// eslint-disable-next-line no-control-regex
const SHARE_FORBIDDEN = /["\\/[\]:|<>+=;,*?\x00-\x1f]/;
// eslint-disable-next-line no-control-regex
const NAME_FORBIDDEN = /[<>:"|?*\\/\x00-\x1f]/;
const MAX_PATH = 260;

function invalid(field: string, reason: string, value?: string): CodedError {
  return new CodedError(`share.invalid-${reason}`, value === undefined ? { field } : { field, value }, { field });
}

/** True for a dotted-quad IPv4 address without leading zeros (which some resolvers read as octal). */
export function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** True for an IPv6 address in its textual form (RFC 4291, with `::` compression and an embedded IPv4 tail). */
export function isIpv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.length > 45) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string): string[] | null => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return false;
  const all = [...head, ...tail];
  let count = all.length;
  const last = all[all.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!isIpv4(last)) return false;
    all.pop();
    count += 1;
  }
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** True for a DNS host name (RFC 1123 labels) or a NetBIOS-style single label. */
export function isHostName(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false;
  const labels = (s.endsWith('.') ? s.slice(0, -1) : s).split('.');
  if (labels.every((l) => /^\d+$/.test(l))) return false; // all-numeric: a malformed IPv4, not a name
  return labels.every((l) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

/**
 * Validates a host for an SMB connection and returns it normalised: a name (lower-cased), an IPv4
 * address, or an IPv6 address (from `[…]`, a bare address, or Windows' `a-b--c.ipv6-literal.net` UNC form).
 */
export function parseShareHost(input: string, field = 'host'): string {
  const s = input.trim();
  if (s === '') throw new CodedError('validation.required', { field }, { field });
  if (isIpv4(s)) return s;
  const bracketed = /^\[(.+)\]$/.exec(s);
  if (bracketed && isIpv6(bracketed[1]!)) return bracketed[1]!.toLowerCase();
  if (isIpv6(s)) return s.toLowerCase();
  const literal = /^([0-9a-f-]+)(?:s[0-9a-z]+)?\.ipv6-literal\.net$/i.exec(s);
  if (literal) {
    const addr = literal[1]!.replace(/-/g, ':');
    if (isIpv6(addr)) return addr.toLowerCase();
  }
  if (isHostName(s)) return s.toLowerCase().replace(/\.$/, '');
  throw invalid(field, 'host', s);
}

/** Validates a TCP port given as text or number; '' / undefined mean the default. */
export function parseSharePort(input: string | number | undefined, field = 'port'): number | undefined {
  if (input === undefined || input === '') return undefined;
  const s = String(input).trim();
  if (!/^\d{1,5}$/.test(s) || Number(s) < 1 || Number(s) > 65535) throw invalid(field, 'port', s);
  return Number(s);
}

/** Validates one file name inside the share (no separators, nothing Windows refuses). */
export function validateShareFileName(name: string, field = 'name'): string {
  if (name === '') throw new CodedError('validation.required', { field }, { field });
  if (name.length > 255 || NAME_FORBIDDEN.test(name) || name === '.' || name === '..' || /[. ]$/.test(name) || /^ /.test(name)) {
    throw invalid(field, 'file-name', name);
  }
  return name;
}

/**
 * Parses `\\host\share\folder…` (forward slashes are accepted too, as typed on Linux). The folder
 * may be empty; `.`/`..` components and characters Windows refuses are rejected with the field named.
 */
export function parseUnc(input: string, field = 'share'): UncPath {
  const s = input.trim();
  if (s === '') throw new CodedError('validation.required', { field }, { field });
  if (s.length > MAX_PATH) throw invalid(field, 'unc', s);
  const m = /^(?:\\\\|\/\/)([^\\/]*)(?:[\\/]([^\\/]*))?((?:[\\/][^\\/]*)*)$/.exec(s);
  if (!m) throw invalid(field, 'unc', s);
  const hostPart = m[1] ?? '';
  if (hostPart === '') throw invalid(field, 'unc-host', s);
  let host: string;
  try {
    host = parseShareHost(hostPart, field);
  } catch {
    throw invalid(field, 'unc-host', hostPart);
  }
  const share = m[2] ?? '';
  if (share === '') throw invalid(field, 'unc-share', s);
  if (share.length > 80 || SHARE_FORBIDDEN.test(share) || /[. ]$/.test(share)) throw invalid(field, 'unc-share', share);
  const parts = (m[3] ?? '').split(/[\\/]/).slice(1);
  if (parts.length && parts[parts.length - 1] === '') parts.pop(); // one trailing separator is fine
  for (const p of parts) {
    if (p === '' || p === '.' || p === '..' || NAME_FORBIDDEN.test(p) || /[. ]$/.test(p) || /^ /.test(p)) {
      throw invalid(field, 'unc-folder', p);
    }
  }
  return { host, share, folder: parts.join('/') };
}

/** Formats a location as the UNC path Windows users recognise. IPv6 hosts use the ipv6-literal.net form. */
export function formatUnc(loc: { host: string; share: string; folder: string }): string {
  const host = isIpv6(loc.host) ? `${loc.host.replace(/:/g, '-')}.ipv6-literal.net` : loc.host;
  const folder = loc.folder ? '\\' + loc.folder.split('/').join('\\') : '';
  return `\\\\${host}\\${loc.share}${folder}`;
}
