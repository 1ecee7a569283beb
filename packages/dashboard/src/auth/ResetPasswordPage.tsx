import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { Button, FormError, Spinner } from '../ui/controls';
import { useAuth } from './AuthProvider';
import { AuthShell } from './AuthShell';
import type { LoginState } from './LoginPage';
import { NewPasswordFields, newPasswordOf } from './NewPasswordFields';
import { resetTokenFrom } from './reset-token';
import { useAuthForm } from './useAuthForm';
import { useFragmentToken } from './useFragmentToken';

// Said under the form too: a link checked as usable can still run out while the form is open.
const askAgain = (
  <p className="mt-4 text-center text-sm text-slate-600">
    Link expired or used?{' '}
    <Link to="/forgot-password" className="text-blue-700 underline">
      Ask for a new one
    </Link>
  </p>
);

const changed: LoginState = { notice: 'Your password was changed. Sign in with the new one.' };

/** The page of the emailed link: `/reset-password#token=…` sets a new password, once. */
export function ResetPasswordPage() {
  const token = useFragmentToken(resetTokenFrom);

  if (!token) {
    return (
      <AuthShell title="Choose a new password" subtitle="This address holds no reset link.">
        <p className="text-sm text-slate-700">Open the link from the email again, whole.</p>
        {askAgain}
      </AuthShell>
    );
  }
  return <CheckedLink key={token} token={token} />;
}

/**
 * The link is checked before anything is typed: a used or expired one is said at once. Should
 * the check itself fail (too many tries, no network), the form is shown, and a refused reset
 * says why.
 */
function CheckedLink({ token }: { token: string }) {
  const check = useQuery({
    queryKey: keys.passwordResetCheck(token),
    queryFn: () => call('checkPasswordReset', { body: { token } }),
    retry: false,
    staleTime: Infinity,
  });
  if (check.isPending) {
    return (
      <AuthShell title="Choose a new password" subtitle="One moment: checking the link.">
        <Spinner label="Checking the link" />
      </AuthShell>
    );
  }
  if (check.data?.valid === false) {
    return (
      <AuthShell
        title="This link no longer works"
        subtitle="It was already used, or it has expired."
      >
        <p className="text-sm text-slate-700">
          A reset link sets a password once, within an hour of being sent. Ask for a new one and
          open the newest email.
        </p>
        <Link
          to="/forgot-password"
          className="mt-4 block rounded-md bg-blue-600 px-3 py-1.5 text-center text-sm font-medium text-on-accent hover:bg-blue-800"
        >
          Ask for a new link
        </Link>
        <p className="mt-4 text-center text-sm">
          <Link to="/login" className="text-blue-700 underline">
            Back to sign in
          </Link>
        </p>
      </AuthShell>
    );
  }
  return <NewPasswordForm token={token} />;
}

function NewPasswordForm({ token }: { token: string }) {
  const navigate = useNavigate();
  const { state, logout } = useAuth();
  const [done, setDone] = useState(false);
  const { submit, error, busy } = useAuthForm(async (form) => {
    const password = newPasswordOf(form);
    await call('confirmPasswordReset', { body: { token, password } });
    setDone(true);
  });

  // The new password ended every session of the account; one this browser held ends here too,
  // and the sign-in page, reached once signed out, says what happened.
  const phase = state.phase;
  useEffect(() => {
    if (!done) return;
    if (phase === 'signed-in') void logout();
    if (phase === 'signed-out') void navigate('/login', { replace: true, state: changed });
  }, [done, phase, logout, navigate]);

  return (
    <AuthShell title="Choose a new password" subtitle="You will sign in with it from now on.">
      <form onSubmit={submit} className="space-y-3">
        <NewPasswordFields autoFocus hint="At least 8 characters." />
        <FormError error={error} />
        <Button type="submit" disabled={busy} className="w-full">
          {busy ? 'Saving…' : 'Set new password'}
        </Button>
      </form>
      {askAgain}
    </AuthShell>
  );
}
