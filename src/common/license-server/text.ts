import type { ErrorInfo, MessageParams } from '../errors.js';
import type { Locale } from '../i18n.js';
import { messages } from '../messages/index.js';

/** Formats a message for the Licenses area from the product's one catalogue. */
export function licensesText(locale: Locale, code: string, params?: MessageParams): string {
  return messages.format(locale, code, params);
}

export function licensesError(locale: Locale, e: ErrorInfo): string {
  return messages.formatError(locale, e);
}
