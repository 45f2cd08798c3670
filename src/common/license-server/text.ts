import type { ErrorInfo, MessageParams } from '../errors.js';
import { interpolate, type Locale } from '../i18n.js';
import { messages } from '../messages/index.js';
import { licensesUiMessages } from '../messages/licenses-ui.js';

/**
 * Formats a message of the Licenses area: from its own catalogue (so it works before the shared
 * catalogue registers it), otherwise from the product's catalogue.
 */
export function licensesText(locale: Locale, code: string, params?: MessageParams): string {
  const own = licensesUiMessages[code];
  if (own) return interpolate(own[locale], params);
  return messages.format(locale, code, params);
}

export function licensesError(locale: Locale, e: ErrorInfo): string {
  return licensesText(locale, e.code, e.params);
}
