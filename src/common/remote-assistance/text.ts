import type { ErrorInfo, MessageParams } from '../errors.js';
import { interpolate, type Locale } from '../i18n.js';
import { messages } from '../messages/index.js';
import { remoteAssistanceMessages } from '../messages/remote-assistance.js';

/** Formats a remote-assistance message from its own catalogue first (works before it is registered centrally). */
export function remoteAssistanceText(locale: Locale, code: string, params?: MessageParams): string {
  const own = remoteAssistanceMessages[code];
  if (own) return interpolate(own[locale], params);
  return messages.format(locale, code, params);
}

export function remoteAssistanceError(locale: Locale, e: ErrorInfo): string {
  return remoteAssistanceText(locale, e.code, e.params);
}
