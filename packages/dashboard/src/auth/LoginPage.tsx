import { Link, useLocation } from 'react-router';
import { useEmailOn } from '../api/hooks';
import { Button, Field, FormError, Notice } from '../ui/controls';
import { useAuth } from './AuthProvider';
import { AuthShell } from './AuthShell';
import { useAuthForm } from './useAuthForm';

/** What another page can tell the sign-in page as it sends the agent there. */
export type LoginState = { notice: string };

const noticeOf = (state: unknown): string | null =>
  typeof state === 'object' &&
  state !== null &&
  'notice' in state &&
  typeof state.notice === 'string'
    ? state.notice
    : null;

export function LoginPage() {
  const { login } = useAuth();
  const notice = noticeOf(useLocation().state);
  const emailOn = useEmailOn();
  const { submit, error, busy } = useAuthForm((form) =>
    login(String(form.get('email')), String(form.get('password'))),
  );

  return (
    <AuthShell title="Sign in" subtitle="Answer your visitors from the Parley dashboard.">
      <form onSubmit={submit} className="space-y-3">
        {notice ? <Notice>{notice}</Notice> : null}
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
      {/* Without email there is no reset to offer: admins cannot set another agent's password. */}
      {emailOn ? (
        <p className="mt-4 text-center text-sm">
          <Link to="/forgot-password" className="text-blue-700 underline">
            Forgot password?
          </Link>
        </p>
      ) : null}
    </AuthShell>
  );
}
