/**
 * What a client shows for a refused request: for a validation failure, the server's reasons
 * per field ("At least 8 characters", "This password is too common") rather than its summary
 * ("Invalid input"); where the message already is the reason, it is said once. No zod here:
 * the widget imports it and its budget is small.
 */
export function errorReason(error: { code: string; message: string; details?: unknown }): string {
  if (error.code !== 'validation_failed' || !Array.isArray(error.details)) return error.message;
  const details: unknown[] = error.details;
  const reasons = new Set(details.filter(hasMessage).map((detail) => detail.message));
  if (!reasons.size || reasons.has(error.message)) return error.message;
  return [...reasons].join(' ');
}

const hasMessage = (detail: unknown): detail is { message: string } =>
  typeof detail === 'object' &&
  detail !== null &&
  'message' in detail &&
  typeof detail.message === 'string' &&
  detail.message !== '';
