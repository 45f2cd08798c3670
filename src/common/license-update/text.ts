import type { ErrorInfo, MessageParams } from '../errors.js';
import { interpolate, type Locale } from '../i18n.js';
import { messages } from '../messages/index.js';
import { licenseUpdateMessages } from '../messages/license-update.js';

/** Formats a license-update message from its own catalogue first (works before it is registered centrally). */
export function licenseUpdateText(locale: Locale, code: string, params?: MessageParams): string {
  const own = licenseUpdateMessages[code];
  if (own) return interpolate(own[locale], params);
  return messages.format(locale, code, params);
}

export function licenseUpdateError(locale: Locale, e: ErrorInfo): string {
  return licenseUpdateText(locale, e.code, e.params);
}
