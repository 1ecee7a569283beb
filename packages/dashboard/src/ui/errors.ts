import { errorReason } from '@parley/protocol/error-reason';
import toast from 'react-hot-toast';
import { ApiError } from '../api/client';

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return errorReason(error);
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}

/** Failed actions are shown as toasts (issue 4 item 8). */
export function toastError(error: unknown): void {
  toast.error(messageOf(error));
}
