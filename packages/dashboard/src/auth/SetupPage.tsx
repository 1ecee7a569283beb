import { Button, Field, FormError } from '../ui/controls';
import { useAuth } from './AuthProvider';
import { AuthShell } from './AuthShell';
import { useAuthForm } from './useAuthForm';

/** First run: no account exists yet; the first one becomes the admin. */
export function SetupPage() {
  const { register } = useAuth();
  const { submit, error, busy } = useAuthForm((form) =>
    register(String(form.get('name')), String(form.get('email')), String(form.get('password'))),
  );

  return (
    <AuthShell
      title="Welcome to Parley"
      subtitle="Create the admin account to set up your chat desk."
    >
      <form onSubmit={submit} className="space-y-3">
        <Field label="Your name" name="name" autoComplete="name" required autoFocus />
        <Field label="Email" name="email" type="email" autoComplete="username" required />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={8}
          required
          hint="At least 8 characters."
        />
        <FormError error={error} />
        <Button type="submit" disabled={busy} className="w-full">
          {busy ? 'Creating…' : 'Create admin account'}
        </Button>
      </form>
    </AuthShell>
  );
}
