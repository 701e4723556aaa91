import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Keys whose values may hold personal data. They are removed before a log line is
 * written (GDPR: no personal data in logs). Add keys here, never log raw bodies.
 */
export const PII_LOG_KEYS = [
  'email',
  'name',
  'phone',
  'password',
  'token',
  'iban',
  'address',
  'body',
  'text',
  'question',
  'cookie',
  'authorization',
] as const;

const redactPaths = PII_LOG_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/**
 * Creates the structured logger. Logs go to stderr so that CLI JSON on stdout stays clean.
 * @example createLogger('info').info({ requestId }, 'request done')
 */
export function createLogger(level: string = process.env.LOTSE_LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: { app: 'lotse' },
      redact: { paths: redactPaths, censor: '[entfernt]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination({ dest: 2, sync: true }),
  );
}
