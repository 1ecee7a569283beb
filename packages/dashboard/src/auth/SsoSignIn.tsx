import type { SsoFailure, SsoLoginInfo } from '@parley/protocol';
import { useQuery } from '@tanstack/react-query';
import { KeyRound } from 'lucide-react';
import { useSearchParams } from 'react-router';
import { fetchSetup } from '../api/hooks';
import { keys } from '../api/keys';
import { SERVER_URL, serverUrl } from '../api/server-url';
import { expectSession } from '../api/session';

/** Why a sign-in through the provider came back to this page (`/login?sso=<reason>`). */
const failures: Record<SsoFailure, string> = {
  off: 'Single sign-on is not set up.',
  expired: 'That sign-in took too long or was already used. Try again.',
  denied: 'The sign-in was cancelled at your identity provider.',
  failed: 'Your identity provider could not sign you in. Try again, or ask an admin.',
  unverified: 'Your identity provider has not verified your email address.',
  not_allowed: 'There is no Parley account for your address. Ask an admin to invite you.',
  disabled: 'This account is deactivated. Ask an admin.',
};

/**
 * Single sign-on as the sign-in page knows it, from the public set-up reply (fetched by the
 * sign-in gate): null while off or unknown; and why the last try failed, if it did.
 */
export function useSsoLogin(): { sso: SsoLoginInfo | null; failure: string | null } {
  const setup = useQuery({ queryKey: keys.setup, queryFn: fetchSetup, staleTime: Infinity });
  const reason = useSearchParams()[0].get('sso');
  const failure =
    reason === null
      ? null
      : (Object.entries(failures).find(([known]) => known === reason)?.[1] ?? failures.failed);
  return { sso: setup.data?.sso ?? null, failure };
}

/**
 * "Sign in with <name>": a plain link, since the way goes through the provider's pages; the
 * dashboard then picks the session up from the cookie the callback sets. Served apart from the
 * server, it names its origin, and takes the session from the ticket it comes back with
 * (LoginPage).
 */
export function SsoButton({ name }: { name: string }) {
  const start = serverUrl('/api/auth/sso/start');
  const elsewhere = SERVER_URL ? `?dashboard=${encodeURIComponent(window.location.origin)}` : '';
  return (
    <a
      href={`${start}${elsewhere}`}
      onClick={expectSession}
      className="inline-flex w-full items-center justify-center gap-2 rounded-md bg-blue-600 px-3 py-2 text-sm font-medium text-on-accent hover:bg-blue-800"
    >
      <KeyRound aria-hidden className="h-4 w-4" />
      Sign in with {name}
    </a>
  );
}
