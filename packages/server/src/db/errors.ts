/** PostgreSQL's unique_violation, from either driver (drizzle may wrap it in `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (e: unknown) =>
    typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
  const cause =
    typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
  return code(error) === '23505' || code(cause) === '23505';
}
