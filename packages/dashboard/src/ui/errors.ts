import toast from 'react-hot-toast';
import { ApiError } from '../api/client';

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return reasonOf(error);
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}

/** Failed actions are shown as toasts (issue 4 item 8). */
export function toastError(error: unknown): void {
  toast.error(messageOf(error));
}

/**
 * A refused form says why: the server's reasons per field ("At least 8 characters") rather than
 * its summary ("Invalid input"). Where the message already is the reason, it is said once.
 */
function reasonOf(error: ApiError): string {
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
