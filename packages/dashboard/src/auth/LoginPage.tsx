import { Button, Field, FormError } from '../ui/controls';
import { useAuth } from './AuthProvider';
import { AuthShell } from './AuthShell';
import { useAuthForm } from './useAuthForm';

export function LoginPage() {
  const { login } = useAuth();
  const { submit, error, busy } = useAuthForm((form) =>
    login(String(form.get('email')), String(form.get('password'))),
  );

  return (
    <AuthShell title="Sign in" subtitle="Answer your visitors from the Parley dashboard.">
      <form onSubmit={submit} className="space-y-3">
        <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <FormError error={error} />
        <Button type="submit" disabled={busy} className="w-full">
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </AuthShell>
  );
}
