/**
 * The one rule of the ORS service account (Local System or another account with user name,
 * optional domain and password), used by the Licenses and the Remote Service dialogs, their RPC
 * services and the command line. Errors name the setting (`orsAccount.username`, …).
 */
import type { ErrorInfo, MessageParams } from './errors.js';
import type { OrsAccount } from './settings/plugin-settings.js';
import { isHostName } from './unc.js';

export type OrsAccountField = 'orsAccount.kind' | 'orsAccount.username' | 'orsAccount.domain' | 'orsAccount.password';

export interface OrsAccountError extends ErrorInfo {
  readonly field: OrsAccountField;
}

export interface OrsAccountContext {
  /** The selected license server is remote: Local System cannot write to its shared folder. */
  readonly remote: boolean;
  /** A password is stored already. */
  readonly passwordSet: boolean;
  /** A new password comes with this input (its value is checked by validateOrsAccountPassword). */
  readonly passwordGiven: boolean;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;
// Characters Windows refuses in user names (besides control characters).
const USER_FORBIDDEN = /["/\\[\]:;|=,+*?<>]/;
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const err = (field: OrsAccountField, code: string, params: MessageParams = {}): OrsAccountError => ({ code, params, field });

/** A new password: smbclient's auth file can carry neither a line break nor a leading blank. */
export function validateOrsAccountPassword(password: string): OrsAccountError | undefined {
  if (password === '') return err('orsAccount.password', 'ors-account.password-required');
  if (/[\r\n\0]/.test(password) || password.startsWith(' ')) return err('orsAccount.password', 'ors-account.password-invalid');
  return undefined;
}

/** Every error of the account at once, and the account as it is stored. */
export function validateOrsAccount(input: { readonly kind?: string; readonly username?: string; readonly domain?: string } | undefined, ctx: OrsAccountContext): { account: OrsAccount; errors: OrsAccountError[] } {
  const a = input ?? { kind: 'localSystem' };
  if (a.kind !== 'other' && a.kind !== 'localSystem' && a.kind !== undefined) return { account: { kind: 'localSystem' }, errors: [err('orsAccount.kind', 'ors-account.kind-invalid')] };
  if (a.kind !== 'other') return { account: { kind: 'localSystem' }, errors: ctx.remote ? [err('orsAccount.kind', 'ors-account.required-remote')] : [] };
  const errors: OrsAccountError[] = [];
  const username = text(a.username);
  const domain = text(a.domain);
  // User and password go together: one without the other cannot log on.
  if (username === '') errors.push(err('orsAccount.username', 'ors-account.user-required'));
  else if (username.length > 104 || CONTROL.test(username) || USER_FORBIDDEN.test(username)) errors.push(err('orsAccount.username', 'ors-account.user-invalid', { value: username }));
  if (domain !== '' && !isHostName(domain)) errors.push(err('orsAccount.domain', 'ors-account.domain-invalid', { value: domain }));
  if (!ctx.passwordSet && !ctx.passwordGiven) errors.push(err('orsAccount.password', 'ors-account.password-required'));
  return { account: { kind: 'other', username, ...(domain ? { domain } : {}) }, errors };
}
