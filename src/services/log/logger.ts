import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/**
 * Keys whose values are secrets anywhere in a log object. pino's redaction replaces them, so a
 * secret handed to a logger by mistake still never reaches a log line.
 */
export const SECRET_KEYS = [
  'password',
  'secret',
  'token',
  'verificationCode',
  'proxyPassword',
  'accountPassword',
  'authorization',
  'cookie',
  'privateKey',
] as const;

const redactPaths = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `headers.${k}`, `req.headers.${k}`]);

export interface LoggerOptions {
  readonly name: string;
  readonly level?: string;
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? process.env['ORS_LOG_LEVEL'] ?? 'info',
      redact: { paths: redactPaths, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    options.destination ?? pino.destination(2),
  );
}
