import type { AuthReply } from '@parley/protocol';
import { routePath } from '@parley/protocol/api-addresses';
import { cookieCredentials, serverUrl } from './server-url';

/**
 * The access token lives in memory only (never localStorage: a script injected into the page
 * could read it there). The refresh token is an httpOnly cookie the browser sends to /api/auth.
 */
let accessToken: string | null = null;
const listeners = new Set<(reply: AuthReply | null) => void>();

export const getAccessToken = () => accessToken;

// Whether this browser holds a session, so a signed-out visit does not try (and fail, with a
// 401 in the console) to refresh. Not a secret: the refresh cookie itself stays httpOnly.
const HAS_SESSION = 'parley.hasSession';
const hasSession = () => {
  try {
    return localStorage.getItem(HAS_SESSION) === '1';
  } catch {
    return true; // storage blocked: just try
  }
};
const rememberSession = (on: boolean) => {
  try {
    if (on) localStorage.setItem(HAS_SESSION, '1');
    else localStorage.removeItem(HAS_SESSION);
  } catch {
    // storage blocked: the next visit tries a refresh anyway
  }
};

/**
 * A sign-in that comes back through a page load (single sign-on): the next visit refreshes to
 * pick the session up from its cookie.
 */
export const expectSession = () => rememberSession(true);

export function setSession(reply: AuthReply | null): void {
  accessToken = reply?.accessToken ?? null;
  rememberSession(reply !== null);
  for (const listener of listeners) listener(reply);
}

/** Called on every new session (login, refresh) and on sign-out (null). */
export function onSessionChange(listener: (reply: AuthReply | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let refreshing: Promise<AuthReply | null> | null = null;

/**
 * Rotates the refresh cookie for a new access token. Single-flight: the refresh token is
 * single-use, so two concurrent calls (StrictMode, parallel 401s) must share one request. The
 * browser's tabs share the cookie too, so they take turns under a Web Lock: a tab that waited
 * sends the cookie the first tab's answer set, not the one it just spent (which the server
 * refuses, and the tab would land on the sign-in page).
 */
export function refreshSession(): Promise<AuthReply | null> {
  if (!hasSession()) return Promise.resolve(null);
  refreshing ??= (async () => {
    try {
      const reply = await acrossTabs(async () => {
        const res = await fetch(serverUrl(routePath('refresh')), {
          method: 'POST',
          credentials: cookieCredentials,
        });
        return res.ok ? ((await res.json()) as AuthReply) : null;
      });
      setSession(reply);
      return reply;
    } catch {
      // Offline: keep the current token; the next request or reconnect tries again.
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** Runs `fn` while no other tab of this site runs it (where the browser has Web Locks). */
function acrossTabs<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? (locks.request('parley.refresh', fn) as Promise<T>) : fn();
}
