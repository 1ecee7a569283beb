import type { ReactNode } from 'react';
import { Field } from '../ui/controls';

/**
 * A new password, typed twice: the same two fields wherever a password is chosen (an emailed
 * reset link, Settings → Profile), read back with `newPasswordOf`.
 */
export function NewPasswordFields({ autoFocus, hint }: { autoFocus?: boolean; hint?: ReactNode }) {
  return (
    <>
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        minLength={8}
        required
        autoFocus={autoFocus}
        hint={hint}
      />
      <Field
        label="Repeat new password"
        name="confirm"
        type="password"
        autoComplete="new-password"
        minLength={8}
        required
      />
    </>
  );
}

/** The new password of a form with NewPasswordFields; a typing slip is refused before sending. */
export function newPasswordOf(form: FormData): string {
  const password = String(form.get('newPassword'));
  if (password !== form.get('confirm')) throw new Error('The new passwords differ');
  return password;
}
