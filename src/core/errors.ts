// German zod messages for every process that validates input (see zod-locale.ts).
import './zod-locale.ts';

/** Stable error codes; `http/error-map.ts` maps each to a status and a German message. */
export type ErrorCode =
  | 'bad_request'
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unavailable'
  | 'internal';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * The one error type of Lotse. Use cases throw it; HTTP and CLI translate it.
 * `message` is German and safe to show to the user (no personal data, no internals).
 * @example throw new AppError('not_found', 'Der Termin wurde nicht gefunden.')
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { fields?: FieldError[]; [key: string]: unknown },
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Converts a zod error into an AppError('validation') with one entry per field. */
export function validationError(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  message = 'Die Eingaben sind unvollständig oder fehlerhaft.',
): AppError {
  return new AppError('validation', message, {
    fields: issues.map((i) => ({ field: i.path.map(String).join('.') || '(root)', message: i.message })),
  });
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/**
 * What an unexpected error may write to the log: name, message and stack frames, but never
 * query parameters (Drizzle's "Failed query: … params: …" carries user text such as assistant
 * questions) and never the message line repeated inside the stack.
 */
export function errorForLog(err: Error): { name: string; message: string; cause?: string; stack?: string } {
  const strip = (m: string) => m.split(/\nparams:/)[0]!.slice(0, 500);
  // Driver messages may quote the offending value ('invalid input syntax …: "text"'): drop it.
  const cause = err.cause instanceof Error ? strip(err.cause.message).replace(/:\s*"[^"]*"\s*$/, ': "[…]"') : undefined;
  const frames = err.stack
    ?.split('\n')
    .filter((l) => /^\s+at /.test(l))
    .join('\n');
  return { name: err.name, message: strip(err.message), ...(cause ? { cause } : {}), ...(frames ? { stack: frames } : {}) };
}
