// How the load generators reach a server: Parley's REST and sockets, or the bare relay.
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';

const AGENT = { name: 'Bench Agent', email: 'bench@parley.test', password: 'bench-password-123' };

async function post(url, path, body, headers = {}) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  return { status: res.status, json };
}

/** The bench's agent: registered on the first run against a database, signed in after. */
export async function agentToken(url) {
  const registered = await post(url, '/api/auth/register', AGENT);
  if (registered.status === 201) return registered.json.accessToken;
  const login = await post(url, '/api/auth/login', {
    email: AGENT.email,
    password: AGENT.password,
  });
  if (login.status !== 200)
    throw new Error(`agent login failed: ${login.status} ${JSON.stringify(login.json)}`);
  return login.json.accessToken;
}

/** A new anonymous visitor's token, as the widget gets it. */
export async function visitorToken(url) {
  const session = await post(url, '/api/visitors/session', {});
  if (session.status !== 200 && session.status !== 201) {
    throw new Error(`visitor session failed: ${session.status} ${JSON.stringify(session.json)}`);
  }
  return session.json.visitorToken;
}

/**
 * Connects one socket (websocket only, as the widget and dashboard do). A refused attempt is
 * retried, as the widget would: bursts of hundreds of handshakes on a loaded 2-core machine
 * occasionally lose one.
 */
export async function connect(url, namespace, auth, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectOnce(url, namespace, auth);
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

function connectOnce(url, namespace, auth) {
  const socket = io(`${url}${namespace}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: 20_000,
    auth,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(new Error(`${namespace} connect failed: ${error.message}`));
    });
  });
}

/** Emits a command and resolves with its ack's data, or rejects with its error. */
export function command(socket, event, payload, timeoutMs = 30_000) {
  return socket
    .timeout(timeoutMs)
    .emitWithAck(event, payload)
    .then((reply) => {
      if (!reply?.ok) throw new Error(`${event}: ${JSON.stringify(reply?.error)}`);
      return reply.data;
    });
}

export const newClientId = () => randomUUID();
