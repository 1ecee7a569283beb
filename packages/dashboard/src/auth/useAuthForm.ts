import { useState, type FormEvent } from 'react';
import { messageOf } from '../ui/errors';

/**
 * The submit handler of the sign-in and set-up forms: reads the form, shows the error the server
 * gave. It stays busy on success, since the page is replaced as soon as the session exists.
 */
export function useAuthForm(action: (form: FormData) => Promise<unknown>) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await action(form);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return { submit, error, busy };
}
