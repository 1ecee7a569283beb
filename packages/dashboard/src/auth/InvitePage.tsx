import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { call } from '../api/client';
import { fetchSetup } from '../api/hooks';
import { keys } from '../api/keys';
import { setSession } from '../api/session';
import { Button, FormError, Spinner } from '../ui/controls';
import { AuthShell } from './AuthShell';
import { NewPasswordFields, newPasswordOf } from './NewPasswordFields';
import { resetTokenFrom } from './reset-token';
import { SsoButton } from './SsoSignIn';
import { useAuthForm } from './useAuthForm';
import { useFragmentToken } from './useFragmentToken';

/** The token of an invitation link, `/invite#<token>` (or `#token=<token>`); null when none. */
export function inviteTokenFrom(hash: string): string | null {
  const fragment = hash.replace(/^#/, '');
  if (fragment.includes('=')) return resetTokenFrom(hash);
  return /^[A-Za-z0-9_-]{16,200}$/.test(fragment) ? fragment : null;
}

const askAdmin = (
  <p className="text-sm text-slate-700">
    An invitation link works once, within 7 days. Ask the admin who invited you for a new one.
  </p>
);

/**
 * The page of an invitation link: who invited them to which team, then their own password (or
 * single sign-on), and they are signed in.
 */
export function InvitePage() {
  const token = useFragmentToken(inviteTokenFrom);

  if (!token) {
    return (
      <AuthShell title="Join the team" subtitle="This address holds no invitation.">
        <p className="text-sm text-slate-700">Open the link you were given again, whole.</p>
      </AuthShell>
    );
  }
  return <CheckedInvitation key={token} token={token} />;
}

function CheckedInvitation({ token }: { token: string }) {
  const check = useQuery({
    queryKey: keys.invitationCheck(token),
    queryFn: () => call('checkInvitation', { body: { token } }),
    retry: false,
    staleTime: Infinity,
  });
  const setup = useQuery({ queryKey: keys.setup, queryFn: fetchSetup, staleTime: Infinity });
  if (check.isPending) {
    return (
      <AuthShell title="Join the team" subtitle="One moment: checking the invitation.">
        <Spinner label="Checking the invitation" />
      </AuthShell>
    );
  }
  const invitation = check.data?.invitation;
  if (!invitation) {
    return (
      <AuthShell
        title="This invitation no longer works"
        subtitle={
          check.isError
            ? 'It could not be checked just now.'
            : 'It was used, revoked, replaced by a newer link, or it has expired.'
        }
      >
        {askAdmin}
        <p className="mt-4 text-center text-sm">
          <Link to="/login" className="text-blue-700 underline">
            Sign in
          </Link>
        </p>
      </AuthShell>
    );
  }
  const sso = setup.data?.sso ?? null;
  return (
    <AuthShell
      title={`Join ${invitation.team}`}
      subtitle={`${invitation.invitedBy ?? 'An admin'} invited you, ${invitation.name}, to answer chats as ${
        invitation.role === 'admin' ? 'an admin' : 'an agent'
      }.`}
    >
      <p className="mb-3 text-sm text-slate-700">
        You will sign in as <strong className="break-all">{invitation.email}</strong>.
      </p>
      {sso ? (
        <div className="mb-4 space-y-3">
          <SsoButton name={sso.name} />
          {sso.ssoOnly ? null : (
            <p className="text-center text-xs text-slate-600">or choose a password</p>
          )}
        </div>
      ) : null}
      {sso?.ssoOnly ? null : <PasswordForm token={token} />}
    </AuthShell>
  );
}

function PasswordForm({ token }: { token: string }) {
  const navigate = useNavigate();
  const { submit, error, busy } = useAuthForm(async (form) => {
    const password = newPasswordOf(form);
    setSession(await call('acceptInvitation', { body: { token, password } }));
    void navigate('/conversations', { replace: true });
  });
  return (
    <form onSubmit={submit} className="space-y-3">
      <NewPasswordFields autoFocus hint="At least 8 characters, not easy to guess." />
      <FormError error={error} />
      <Button type="submit" disabled={busy} className="w-full">
        {busy ? 'Joining…' : 'Join and sign in'}
      </Button>
    </form>
  );
}
