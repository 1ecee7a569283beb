import type { TwoFactorEnabledReply } from '@parley/protocol';
import { useQuery } from '@tanstack/react-query';
import { MessagesSquare } from 'lucide-react';
import { useEffect, useState, type ReactNode } from 'react';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { RecoveryCodes } from '../settings/RecoveryCodes';
import { TwoFactorSetup } from '../settings/TwoFactorSetup';
import { Button, Spinner } from '../ui/controls';
import { useAuth } from './AuthProvider';
import { onTwoFactorRequired } from './two-factor-required';

// How often a dashboard without two-factor asks whether an admin has begun to require it; a
// refusal that says so (two-factor-required.ts) makes it ask at once. The server ends its socket
// and refuses everything else meanwhile anyway.
const POLICY_CHECK_MS = 60_000;

/**
 * Signed out, or the dashboard, unless an admin requires two-factor sign-in and this person has not set it
 * up: then only the set-up screen (and sign out), as the server allows nothing else. Someone
 * with it on costs no request.
 */
export function TwoFactorGate({ children }: { children: ReactNode }) {
  const { state, setUser } = useAuth();
  const me = state.phase === 'signed-in' ? state.user : null;
  const needed = me !== null && me.kind === 'person' && !me.twoFactor;
  const status = useQuery({
    // Per user: another account signed in on this tab has an answer of its own.
    queryKey: [...keys.twoFactor, me?.id ?? ''],
    queryFn: ({ signal }) => call('getTwoFactor', { signal }),
    enabled: needed,
    refetchInterval: POLICY_CHECK_MS,
  });
  // Told by a refusal: read this person again (an admin may have turned theirs off), and the
  // policy, rather than wait for the next check.
  const { refetch } = status;
  const signedIn = me !== null;
  useEffect(() => {
    if (!signedIn) return undefined;
    return onTwoFactorRequired(() => {
      void call('getMe')
        .then(({ user }) => setUser(user))
        .catch(() => undefined);
      void refetch();
    });
  }, [signedIn, setUser, refetch]);
  if (!needed) return children;
  if (status.isPending) return <Spinner label="Starting Parley" />;
  if (status.data?.required) return <TwoFactorRequiredPage />;
  return children;
}

function TwoFactorRequiredPage() {
  const { logout, setUser } = useAuth();
  const [enabled, setEnabled] = useState<TwoFactorEnabledReply | null>(null);
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-100 p-4">
      <div className="w-full max-w-xl rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <div className="mb-6 flex items-center justify-between gap-2">
          <div className="flex items-center gap-2 text-blue-700">
            <MessagesSquare aria-hidden className="h-7 w-7" />
            <span className="text-xl font-bold">Parley</span>
          </div>
          <Button variant="ghost" onClick={() => void logout()}>
            Sign out
          </Button>
        </div>
        <h1 className="text-lg font-semibold text-slate-900">Set up two-factor sign-in</h1>
        <p className="mb-4 text-sm text-slate-600">
          Your admin requires a code from an authenticator app at every sign-in. Set it up to
          continue to the dashboard.
        </p>
        {enabled ? (
          <RecoveryCodes codes={enabled.recoveryCodes} onDone={() => setUser(enabled.user)} />
        ) : (
          <TwoFactorSetup onEnabled={setEnabled} />
        )}
      </div>
    </main>
  );
}
