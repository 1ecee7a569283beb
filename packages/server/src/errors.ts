import { errorStatus, type ErrorCode, type ErrorInfo } from '@parley/protocol';
import type { ZodError } from 'zod';
import { isDatabaseUnavailable, isForeignKeyViolation } from './db/errors.js';

/** The one error type services throw; transports map it to `{error: {code, message}}`. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** How long the client should wait before trying again: REST sends it as `Retry-After`. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.status = errorStatus[code];
  }

  toInfo(): ErrorInfo {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new AppError('validation_failed', message, details);
export const unauthorized = (message = 'Sign in required') => new AppError('unauthorized', message);
export const forbidden = (message = 'Not allowed') => new AppError('forbidden', message);
/** Also used for data that exists but is not the caller's: the two must look the same. */
export const notFound = (what = 'Resource') => new AppError('not_found', `${what} not found`);
export const conflict = (message: string) => new AppError('conflict', message);

export function fromZodError(error: ZodError): AppError {
  const details = error.issues.map((i) => ({ path: i.path.join('.'), message: messageOf(i) }));
  return badRequest('Invalid input', details);
}

/**
 * An issue's words for a person. A record's bad key is reported by zod as "Invalid key in
 * record", its reason nested: the reason is what the caller needs (the key's rule).
 */
function messageOf(issue: ZodError['issues'][number]): string {
  if (issue.code === 'invalid_key' && issue.issues.length > 0) {
    return issue.issues.map((inner) => inner.message).join('; ');
  }
  return issue.message;
}

export const unavailable = () =>
  new AppError('unavailable', 'Parley is briefly unavailable; try again in a moment');

/**
 * What a thrown value means to a client: an AppError as it is; a database that cannot be reached
 * is `unavailable` (retryable), not a fault of the request; anything else null (internal).
 */
export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) return unavailable();
  // What the request refers to went while it ran (an erased visitor's token, a deleted chat):
  // nothing there, as for anything else that is not there.
  if (isForeignKeyViolation(error)) {
    return new AppError('not_found', 'What this refers to no longer exists');
  }
  return null;
}

/** Any thrown value as the error info a client may see: unknown errors say nothing inside. */
export function toErrorInfo(error: unknown, requestId?: string): ErrorInfo {
  const known = toAppError(error);
  if (known) return known.toInfo();
  return {
    code: 'internal',
    message: requestId ? `Internal error (request ${requestId})` : 'Internal error',
  };
}
