/** PostgreSQL's unique_violation, from either driver (drizzle may wrap it in `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (e: unknown) =>
    typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
  const cause =
    typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
  return code(error) === '23505' || code(cause) === '23505';
}

/**
 * PostgreSQL's foreign_key_violation: a row refers to one that is gone (a conversation deleted,
 * a visitor erased) between the request's checks and its write.
 */
export function isForeignKeyViolation(error: unknown): boolean {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    if ('code' in e && e.code === '23503') return true;
    e = 'cause' in e ? e.cause : undefined;
  }
  return false;
}

// SQLSTATE classes and codes of a database that is down, restarting or refusing connections.
const UNAVAILABLE_STATES = /^(08|57P0[123]|53300)/;
const UNAVAILABLE_NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/i;

/**
 * True when the error says the database could not be reached (a restart, a failover, a full
 * pool), not that the query was wrong: the same request may succeed a moment later. Drizzle
 * wraps the driver's error in `cause`, so the chain is walked.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const code = 'code' in e ? e.code : undefined;
    if (
      typeof code === 'string' &&
      (UNAVAILABLE_STATES.test(code) || UNAVAILABLE_NETWORK.has(code))
    )
      return true;
    if (e instanceof Error && UNAVAILABLE_MESSAGES.test(e.message)) return true;
    e = 'cause' in e ? e.cause : undefined;
  }
  return false;
}
