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
