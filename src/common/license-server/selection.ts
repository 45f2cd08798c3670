import { CodedError, type ErrorInfo } from '../errors.js';
import { validateOrsAccount, validateOrsAccountPassword, type OrsAccountError, type OrsAccountField } from '../ors-account.js';
import { formatUnc, parseShareHost, parseUnc } from '../unc.js';

/**
 * The license-server selection the Licenses dialog and `ors license-server select` edit. Stored in
 * the plugin settings under `licenseServer`; the ORS service account under `orsAccount` (a neutral
 * key: the Remote Service dialog edits the same account) with its password in the secrets store
 * under ORS_ACCOUNT_PASSWORD_KEY. Isomorphic: the browser validates with the same rules.
 */
export type { LicenseServerSelection, OrsAccount } from '../settings/plugin-settings.js';
import type { LicenseServerSelection, OrsAccount } from '../settings/plugin-settings.js';

export const LICENSE_SERVER_SETTING = 'licenseServer';
export const ORS_ACCOUNT_SETTING = 'orsAccount';
export const ORS_ACCOUNT_PASSWORD_KEY = 'orsAccountPassword';
export const DEFAULT_FLS_PORT = 27000;

/** What a form or the command line hands in: every field as typed. */
export interface LicenseServerInput {
  readonly kind: 'local' | 'remote';
  readonly folder?: string;
  readonly flsUrl?: string;
  readonly host?: string;
  readonly port?: string | number;
  readonly share?: string;
  readonly smbPort?: string | number;
  readonly account?: { readonly kind: 'localSystem' | 'other'; readonly username?: string; readonly domain?: string };
}

/** The input fields errors are shown at. */
export type LicenseServerField = 'kind' | 'folder' | 'flsUrl' | 'host' | 'port' | 'share' | 'smbPort' | 'accountKind' | 'accountUser' | 'accountDomain' | 'accountPassword';

export interface FieldError extends ErrorInfo {
  readonly field: LicenseServerField;
}

export interface ValidationContext {
  /** A password for the account is already stored. */
  readonly passwordSet: boolean;
  /** A new password is handed in with this input (its value is checked by validateAccountPassword). */
  readonly passwordGiven: boolean;
}

export type ValidationResult =
  | { readonly ok: true; readonly selection: LicenseServerSelection; readonly account: OrsAccount }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

function err(field: LicenseServerField, code: string, params: Record<string, string | number> = {}): FieldError {
  return { code, params, field };
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** Port 1–65535 as text or number; '' gives the default. */
export function parsePortField(v: unknown, field: LicenseServerField, fallback?: number): number | FieldError | undefined {
  const s = text(v);
  if (s === '') return fallback;
  if (!/^\d{1,5}$/.test(s) || Number(s) < 1 || Number(s) > 65535) return err(field, 'licenses.invalid-port', { value: s });
  return Number(s);
}

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
}

function checkFlsUrl(v: string): FieldError | string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return err('flsUrl', 'licenses.invalid-fls-url', { value: v });
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '') return err('flsUrl', 'licenses.invalid-fls-url', { value: v });
  // Secrets never in URLs.
  if (u.username || u.password) return err('flsUrl', 'licenses.fls-url-credentials');
  return u.origin;
}

/** Where the Licenses dialog shows the ORS account's fields (the rule is the one in ors-account.ts). */
const ACCOUNT_FIELD: Readonly<Record<OrsAccountField, LicenseServerField>> = {
  'orsAccount.kind': 'accountKind',
  'orsAccount.username': 'accountUser',
  'orsAccount.domain': 'accountDomain',
  'orsAccount.password': 'accountPassword',
};
const atField = (e: OrsAccountError): FieldError => ({ ...e, field: ACCOUNT_FIELD[e.field] });

/** Checks a new account password (the ORS account's one rule). */
export function validateAccountPassword(password: string): FieldError | undefined {
  const e = validateOrsAccountPassword(password);
  return e ? atField(e) : undefined;
}

function validateAccount(input: LicenseServerInput, remote: boolean, ctx: ValidationContext, errors: FieldError[]): OrsAccount {
  const r = validateOrsAccount(input.account, { remote, passwordSet: ctx.passwordSet, passwordGiven: ctx.passwordGiven });
  errors.push(...r.errors.map(atField));
  return r.account;
}

/** Validates every field at once (the dialog shows each error at its field) and normalises the values. */
export function validateLicenseServerInput(input: LicenseServerInput, ctx: ValidationContext): ValidationResult {
  const errors: FieldError[] = [];
  if (input.kind === 'local') {
    const folder = text(input.folder);
    if (folder === '') errors.push(err('folder', 'licenses.folder-required'));
    else if (!isAbsolutePath(folder) || CONTROL.test(folder) || folder.length > 4096) errors.push(err('folder', 'licenses.folder-invalid', { value: folder }));
    const rawUrl = text(input.flsUrl);
    const flsUrl = rawUrl === '' ? undefined : checkFlsUrl(rawUrl);
    if (typeof flsUrl === 'object') errors.push(flsUrl);
    const account = validateAccount(input, false, ctx, errors);
    if (errors.length) return { ok: false, errors };
    return { ok: true, selection: { kind: 'local', folder, ...(typeof flsUrl === 'string' ? { flsUrl } : {}) }, account };
  }
  if (input.kind !== 'remote') return { ok: false, errors: [err('kind', 'licenses.kind-invalid')] };
  let host = '';
  const rawHost = text(input.host);
  if (rawHost === '') errors.push(err('host', 'licenses.host-required'));
  else {
    try {
      host = parseShareHost(rawHost, 'host');
    } catch {
      errors.push(err('host', 'licenses.invalid-host', { value: rawHost }));
    }
  }
  const port = parsePortField(input.port, 'port', DEFAULT_FLS_PORT);
  if (typeof port === 'object') errors.push(port);
  const smbPort = parsePortField(input.smbPort, 'smbPort');
  if (typeof smbPort === 'object') errors.push(smbPort);
  let share = '';
  const rawShare = text(input.share);
  if (rawShare === '') errors.push(err('share', 'licenses.share-required'));
  else {
    try {
      share = formatUnc(parseUnc(rawShare, 'share'));
    } catch (e) {
      const reason = e instanceof CodedError ? e.code.replace(/^share\.invalid-/, '') : 'unc';
      const code = ['unc-host', 'unc-share', 'unc-folder'].includes(reason) ? `licenses.invalid-${reason}` : 'licenses.invalid-unc';
      errors.push(err('share', code, { value: rawShare }));
    }
  }
  const account = validateAccount(input, true, ctx, errors);
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    selection: { kind: 'remote', host, port: port as number, share, ...(typeof smbPort === 'number' ? { smbPort } : {}) },
    account,
  };
}

/** Throws the first error as a CodedError naming its field (for RPC and the command line). */
export function assertLicenseServerInput(input: LicenseServerInput, ctx: ValidationContext): { selection: LicenseServerSelection; account: OrsAccount } {
  const r = validateLicenseServerInput(input, ctx);
  if (!r.ok) {
    const first = r.errors[0]!;
    throw new CodedError(first.code, first.params ?? {}, { field: first.field });
  }
  return { selection: r.selection, account: r.account };
}

/** The FLS's base URL of a remote selection (IPv6 in brackets). */
export function remoteFlsUrl(s: { host: string; port: number }): string {
  return `http://${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}`;
}
