import type { AgentClientEvents, AgentServerEvents } from '@parley/protocol';
import { io, type Socket } from 'socket.io-client';
import { serverUrl } from '../api/server-url';
import { getAccessToken, refreshSession } from '../api/session';
import { sayTwoFactorRequired } from '../auth/two-factor-required';

export type AgentSocket = Socket<AgentServerEvents, AgentClientEvents>;

/** Whether this tab's dashboard is in view: nothing is pushed to a device while it is. */
export const dashboardVisible = () => document.visibilityState === 'visible';

/**
 * The one agent socket of this tab. `auth` is a function so every (re)connect presents the
 * current access token, not the one from when the socket was made, and whether the dashboard
 * is in view now (changes in between are told by `dashboard.visibility`).
 */
export function createAgentSocket(): AgentSocket {
  const socket: AgentSocket = io(serverUrl('/agent'), {
    transports: ['websocket'],
    autoConnect: false,
    auth: (cb) => cb({ token: getAccessToken() ?? '', visible: dashboardVisible() }),
  });
  // A refused handshake is most often an expired token (after a sleep): refresh and try again.
  socket.on('connect_error', (err) => {
    if (socket.active) return; // socket.io retries by itself (network trouble)
    // Refused until two-factor is set up: the dashboard gives way to the set-up screen.
    if ((err as Error & { data?: { code?: string } }).data?.code === 'two_factor_required') {
      return sayTwoFactorRequired();
    }
    if (/unauthori|expired|token/i.test(err.message)) {
      void refreshSession().then((reply) => {
        if (reply) socket.connect();
      });
    } else {
      setTimeout(() => socket.connect(), 2000);
    }
  });
  // The server disconnects the sockets of a session that ended: a deactivated account (the
  // refresh then fails and the tab signs out), or a password change in this tab, whose reply
  // brings a new session moments later. Refreshing at once would race that reply and present
  // the revoked cookie, so wait, and reuse a token that arrived in the meantime.
  socket.on('disconnect', (reason) => {
    if (reason !== 'io server disconnect') return;
    const before = getAccessToken();
    setTimeout(() => {
      if (getAccessToken() !== before) return void socket.connect();
      void refreshSession().then((reply) => {
        if (reply) socket.connect();
      });
    }, SESSION_SETTLE_MS);
  });
  return socket;
}

const SESSION_SETTLE_MS = 1500;

/** How long a command waits for its ack before it counts as failed (and can be retried). */
export const ACK_TIMEOUT_MS = 10_000;
