import { submitted, useSave } from '../api/save';

/**
 * The submit handler of the sign-in, set-up and password forms: reads the form, shows the error
 * the server gave under it. It stays busy on success, since the page is replaced as soon as the
 * session (or the new password) exists.
 */
export function useAuthForm(action: (form: FormData) => Promise<unknown>) {
  const save = useSave({ save: action, errorIn: 'form' });
  return {
    submit: submitted((form) => save.run(new FormData(form))),
    error: save.error,
    busy: save.busy || save.saved,
  };
}
