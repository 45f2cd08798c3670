import type { ErrorInfo, MessageParams } from '../errors.js';
import { interpolate, type Locale } from '../i18n.js';
import { messages } from '../messages/index.js';
import { remoteServiceMessages } from '../messages/remote-service.js';

/**
 * Formats a message of the Remote Service area: from its own catalogue (so it works before the
 * shared catalogue registers it), otherwise from the product's catalogue (proxy.*, settings.*, …).
 */
export function remoteServiceText(locale: Locale, code: string, params?: MessageParams): string {
  const own = remoteServiceMessages[code];
  if (own) return interpolate(own[locale], params);
  return messages.format(locale, code, params);
}

export function remoteServiceError(locale: Locale, e: ErrorInfo): string {
  return remoteServiceText(locale, e.code, e.params);
}
