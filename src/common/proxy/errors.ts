/** Error codes of the proxy and HTTP layers (texts in common/messages/proxy.ts). */
export const ProxyErrorCode = {
  authRequired: 'proxy.auth-required',
  authFailed: 'proxy.auth-failed',
  authUnsupported: 'proxy.auth-unsupported',
  connectTimeout: 'proxy.connect-timeout',
  refused: 'proxy.refused',
  unreachable: 'proxy.unreachable',
  connectFailed: 'proxy.connect-failed',
  tlsFailed: 'proxy.tls-failed',
  autoNotAllowed: 'proxy.auto-not-allowed',
  pacFetchFailed: 'proxy.pac-fetch-failed',
  pacTooLarge: 'proxy.pac-too-large',
  pacTimeout: 'proxy.pac-timeout',
  pacInvalid: 'proxy.pac-invalid',
  pacUrlInvalid: 'proxy.pac-url-invalid',
  ntlmInvalidChallenge: 'proxy.ntlm-invalid-challenge',
  httpTimeout: 'http.timeout',
  httpTooLarge: 'http.response-too-large',
  httpRefused: 'http.refused',
  httpUnreachable: 'http.unreachable',
  httpTlsFailed: 'http.tls-failed',
  httpAborted: 'http.aborted',
  httpStatus: 'http.status',
  httpFailed: 'http.failed',
} as const;

export type ProxyErrorCode = (typeof ProxyErrorCode)[keyof typeof ProxyErrorCode];
