import type { Message } from '../errors.js';
import type { ConnectionState } from './model.js';

/** Failures whose hint comes from the connection diagnostic's catalogue. */
const HINT_BY_CODE: Readonly<Record<string, string>> = {
  'proxy.auth-required': 'proxy.hint.enter-credentials',
  'proxy.auth-failed': 'proxy.hint.check-credentials',
  'proxy.refused': 'proxy.hint.check-proxy-address',
  'proxy.unreachable': 'proxy.hint.check-proxy-address',
  'proxy.connect-timeout': 'proxy.hint.check-proxy-address',
  'proxy.connect-failed': 'proxy.hint.proxy-blocks-target',
  'proxy.tls-failed': 'proxy.hint.custom-ca',
  'http.tls-failed': 'proxy.hint.custom-ca',
  'http.refused': 'proxy.hint.check-target',
  'http.unreachable': 'proxy.hint.check-network',
  'http.timeout': 'proxy.hint.retry-later',
};

/**
 * The message code that tells the administrator what to do about a connection error: a hint the
 * error carries itself, else one for its code, else one for the hop that failed (login, proxy, …).
 */
export function connectionHintCode(c: Extract<ConnectionState, { kind: 'error' }>): string | undefined {
  const own = c.error.params?.['hint'];
  if (typeof own === 'string') return own;
  return HINT_BY_CODE[c.error.code] ?? (c.hop ? `ors.hint.${c.hop}` : undefined);
}

/** Setting names (as ConnectionState 'not-configured' lists them) as the words the dialogs use. */
export function fieldsMessage(fields: readonly string[]): readonly Message[] {
  return fields.map((f) => ({ code: `field.${f}` }));
}

/** Where a connection failed (ConnectionState 'error' hop), in words. */
export function hopMessage(hop: string): Message {
  return { code: `ors.hop.${hop}` };
}
