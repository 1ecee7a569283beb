import { z } from 'zod';

/**
 * Every error the server reports, REST or socket, carries one of these codes.
 * Clients branch on the code, never on the message text.
 */
export const errorCodes = [
  'validation_failed',
  'unauthorized',
  'invalid_credentials',
  'registration_closed',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_file',
  'rate_limited',
  'banned',
  'proof_required',
  'two_factor_required',
  'unknown_command',
  'internal',
  'unavailable',
] as const;

export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** HTTP status each code is sent with over REST. */
export const errorStatus: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  registration_closed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  /** A file whose bytes are of a type that is not accepted (an HTML page named .png, say). */
  unsupported_file: 415,
  rate_limited: 429,
  /** A visitor (or their address) an agent banned: nothing they send is taken. */
  banned: 403,
  /**
   * A visitor's request that may send email or reach a team that is away (the offline form, a
   * transcript) needs a proof of work: the details carry the challenge to solve and send again.
   */
  proof_required: 403,
  /**
   * An admin requires two-factor sign-in and this user has not set it up: they may read
   * themselves, set it up and sign out, nothing else (REST and the agent socket).
   */
  two_factor_required: 403,
  /** A socket event its namespace has no command for (an agent command from a visitor). */
  unknown_command: 400,
  internal: 500,
  /** A dependency (the database) is briefly unreachable: the same request may be retried. */
  unavailable: 503,
};

export const ErrorInfo = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

/** The details of `rate_limited`: how long to wait before trying again (REST: `Retry-After`). */
export const RateLimitedDetails = z.object({ retryAfterMs: z.number().int().positive() });
export type RateLimitedDetails = z.infer<typeof RateLimitedDetails>;

/** The one error shape: `{ "error": { "code", "message", "details"? } }`. */
export const ErrorBody = z.object({ error: ErrorInfo });
export type ErrorBody = z.infer<typeof ErrorBody>;
