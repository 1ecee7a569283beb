import type { TwoFactorProof, User } from '@parley/protocol';
import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  use,
  useCallback,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { call } from '../api/client';
import { fetchSetup } from '../api/hooks';
import { keys } from '../api/keys';
import { onSessionChange, refreshSession, setSession } from '../api/session';

type AuthState =
  | { phase: 'loading' }
  | { phase: 'signed-out'; needsSetup: boolean }
  | { phase: 'signed-in'; user: User };

type AuthValue = {
  state: AuthState;
  /** Signs in, or answers the challenge of the code step when two-factor sign-in is on. */
  login(email: string, password: string): Promise<string | null>;
  /** The code step: a code from the app or a recovery code, with the login's challenge. */
  completeTwoFactor(challenge: string, proof: TwoFactorProof): Promise<void>;
  /** A single sign-on's session, by the ticket a dashboard served elsewhere comes back with. */
  redeemSso(ticket: string): Promise<void>;
  register(name: string, email: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** After a profile change: the header shows the new name at once. */
  setUser(user: User): void;
};

const AuthContext = createContext<AuthValue | null>(null);

// Refresh well before the 15-minute expiry, so sockets reconnect with a valid token too.
const REFRESH_EVERY_MS = 12 * 60 * 1000;

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ phase: 'loading' });
  const queryClient = useQueryClient();

  const signedOut = useCallback(async () => {
    // Fresh each time (the first account may have been made since), and kept in the cache
    // that `useEmailOn` reads, so the sign-in page knows at once whether to offer a reset.
    const setup = await queryClient
      .fetchQuery({ queryKey: keys.setup, queryFn: fetchSetup, staleTime: 0 })
      .catch(() => ({ needsSetup: false }));
    setState({ phase: 'signed-out', needsSetup: setup.needsSetup });
  }, [queryClient]);

  useEffect(() => {
    // A session that ends elsewhere (refresh refused, account disabled) signs this tab out.
    const off = onSessionChange((reply) => {
      if (reply) setState({ phase: 'signed-in', user: reply.user });
      else void signedOut();
    });
    void refreshSession().then((reply) => {
      if (!reply) void signedOut();
    });
    return off;
  }, [signedOut]);

  const signedIn = state.phase === 'signed-in';
  useEffect(() => {
    if (!signedIn) return;
    const timer = setInterval(() => void refreshSession(), REFRESH_EVERY_MS);
    return () => clearInterval(timer);
  }, [signedIn]);

  const value = useMemo<AuthValue>(
    () => ({
      state,
      async login(email, password) {
        const reply = await call('login', { body: { email, password } });
        if ('twoFactor' in reply) return reply.twoFactor.challenge;
        setSession(reply);
        return null;
      },
      async redeemSso(ticket) {
        setSession(await call('redeemSso', { body: { ticket } }));
      },
      async completeTwoFactor(challenge, proof) {
        setSession(await call('completeTwoFactorLogin', { body: { challenge, ...proof } }));
      },
      async register(name, email, password) {
        setSession(await call('register', { body: { name, email, password } }));
      },
      async logout() {
        await call('logout').catch(() => undefined);
        setSession(null);
      },
      setUser(user) {
        setState({ phase: 'signed-in', user });
      },
    }),
    [state],
  );
  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthValue {
  const value = use(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

/** The signed-in agent; only for pages behind the sign-in gate. */
export function useMe(): User {
  const { state } = useAuth();
  if (state.phase !== 'signed-in') throw new Error('useMe while signed out');
  return state.user;
}
