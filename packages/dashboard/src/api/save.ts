import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import toast from 'react-hot-toast';
import { messageOf, toastError } from '../ui/errors';

type SaveOptions<Input, Reply> = {
  /** The request. A refusal decided here (two passwords that differ) is thrown as an Error. */
  save: (input: Input) => Promise<Reply>;
  /** The toast once it has worked, if the change deserves one (null: not this time). */
  done?: string | ((reply: Reply, input: Input) => string | null);
  /** The queries the change makes stale, refetched once it has worked. */
  invalidates?: readonly QueryKey[];
  onSaved?: (reply: Reply, input: Input) => void;
  /** To take back what was shown before the server answered. */
  onFailed?: (input: Input) => void;
  /**
   * Where a refusal is said: a toast (failed actions are toasts, issue 4 item 8), or, for a
   * form that stays open to be corrected, under the form (`error`, shown by <FormError>).
   */
  errorIn?: 'toast' | 'form';
};

/**
 * A change made on the server: every settings screen and action saves through it, so each says
 * a refusal in the server's words (`messageOf`), in one place, and shows one toast when done.
 */
export function useSave<Input = void, Reply = unknown>(options: SaveOptions<Input, Reply>) {
  const qc = useQueryClient();
  const { save, done, invalidates = [], onSaved, onFailed, errorIn = 'toast' } = options;
  const mutation = useMutation<Reply, unknown, Input>({
    mutationFn: save,
    // Sent even while the browser says it is offline: the refusal ("Cannot reach the server")
    // is said at once, rather than the change waiting unseen for the network to come back.
    networkMode: 'always',
    onSuccess: (reply, input) => {
      onSaved?.(reply, input);
      for (const queryKey of invalidates) void qc.invalidateQueries({ queryKey });
      const said = typeof done === 'function' ? done(reply, input) : done;
      if (said) toast.success(said);
    },
    onError: (error, input) => {
      onFailed?.(input);
      if (errorIn === 'toast') toastError(error);
    },
  });
  return {
    /** Starts the change; what comes of it is said by the options. */
    run: mutation.mutate,
    busy: mutation.isPending,
    /** It has worked (a form whose page is about to be replaced stays busy). */
    saved: mutation.isSuccess,
    /** The refusal to show under the form (`errorIn: 'form'` only). */
    error: errorIn === 'form' && mutation.isError ? messageOf(mutation.error) : null,
  };
}

/** A form's submit handler that hands on the form itself: its data, and its reset once saved. */
export const submitted =
  (run: (form: HTMLFormElement) => void) =>
  (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    run(event.currentTarget);
  };
