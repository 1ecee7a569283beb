import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useEmailOn } from '../api/hooks';
import { Button, Field, FormError, Notice, Spinner } from '../ui/controls';
import { useAuth } from './AuthProvider';
import { AuthShell } from './AuthShell';
import { SsoButton, useSsoLogin } from './SsoSignIn';
import { TwoFactorStep } from './TwoFactorStep';
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

/**
 * A single sign-on comes back here with something in the fragment, which no server or log sees,
 * taken off the address at once: `#two-factor=<challenge>` for a user with two-factor on (the
 * code step), or, for a dashboard served apart from the server, `#sso=<ticket>` for its session.
 */
function takeFromFragment(name: 'two-factor' | 'sso'): string | null {
  const match = new RegExp(`^#${name}=([\\w.-]+)$`).exec(window.location.hash);
  if (!match?.[1]) return null;
  window.history.replaceState(window.history.state, '', window.location.pathname);
  return match[1];
}

/** The password (or single sign-on), then (with two-factor sign-in on) the code. */
export function LoginPage() {
  const [challenge, setChallenge] = useState<string | null>(() => takeFromFragment('two-factor'));
  const [ticket, setTicket] = useState<string | null>(() => takeFromFragment('sso'));
  if (ticket) return <SsoHandover ticket={ticket} onFailed={() => setTicket(null)} />;
  if (challenge) {
    return <TwoFactorStep challenge={challenge} onRestart={() => setChallenge(null)} />;
  }
  return <PasswordStep onChallenge={setChallenge} />;
}

/** Redeems the ticket: signed in, the dashboard opens; refused, the sign-in page says why. */
function SsoHandover({ ticket, onFailed }: { ticket: string; onFailed: () => void }) {
  const { redeemSso } = useAuth();
  const navigate = useNavigate();
  // Once: a ticket is good once, and this runs again as the page around it changes.
  const redeemed = useRef<string | null>(null);
  useEffect(() => {
    if (redeemed.current === ticket) return;
    redeemed.current = ticket;
    redeemSso(ticket).catch(() => {
      void navigate('/login?sso=expired', { replace: true });
      onFailed();
    });
  }, [ticket, redeemSso, navigate, onFailed]);
  return <Spinner label="Signing in" />;
}

function PasswordStep({ onChallenge }: { onChallenge: (challenge: string) => void }) {
  const { login } = useAuth();
  const notice = noticeOf(useLocation().state);
  const emailOn = useEmailOn();
  // With "SSO only", the password form gives way to the button, but for the break-glass admin.
  const { sso, failure } = useSsoLogin();
  const [adminSignIn, setAdminSignIn] = useState(false);
  const passwords = !sso?.ssoOnly || adminSignIn;
  const { submit, error, busy } = useAuthForm(async (form) => {
    const challenge = await login(String(form.get('email')), String(form.get('password')));
    if (challenge) onChallenge(challenge);
  });

  return (
    <AuthShell title="Sign in" subtitle="Answer your visitors from the Parley dashboard.">
      {failure ? (
        <p
          role="alert"
          className="mb-3 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-700"
        >
          {failure}
        </p>
      ) : null}
      {sso ? (
        <div className="mb-4 space-y-3">
          <SsoButton name={sso.name} />
          {passwords ? (
            <p className="text-center text-xs text-slate-600">or with your password</p>
          ) : (
            <p className="text-center text-xs">
              <button
                type="button"
                className="text-slate-600 underline"
                onClick={() => setAdminSignIn(true)}
              >
                Admin sign-in
              </button>
            </p>
          )}
        </div>
      ) : null}
      <form onSubmit={submit} hidden={!passwords} className="space-y-3">
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
      {emailOn && passwords ? (
        <p className="mt-4 text-center text-sm">
          <Link to="/forgot-password" className="text-blue-700 underline">
            Forgot password?
          </Link>
        </p>
      ) : null}
    </AuthShell>
  );
}
