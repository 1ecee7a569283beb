import { randomUUID } from 'node:crypto';
import type {
  CreateApiTokenReply,
  AgentClientEvents,
  AgentServerEvents,
  AuthReply,
  ConversationStartReply,
  User,
  VisitorClientEvents,
  VisitorServerEvents,
  VisitorSessionReply,
} from '@parley/protocol';
import { io, type Socket } from 'socket.io-client';
import { challengeOf, solveProof } from './pow.js';
import { track, type TestServer } from './harness.js';

export type AgentClient = Socket<AgentServerEvents, AgentClientEvents>;
export type VisitorClient = Socket<VisitorServerEvents, VisitorClientEvents>;

export type Reply<T = unknown> = { status: number; body: T; headers: Headers };

/** A real HTTP request to the test server. */
export async function api<T = any>(
  server: TestServer,
  method: string,
  path: string,
  opts: {
    token?: string;
    body?: unknown;
    cookie?: string;
    raw?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.body !== undefined || opts.raw !== undefined)
    headers['content-type'] ??= 'application/json';
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

export type SignedInAgent = { user: User; token: string; cookie: string };

function refreshCookie(res: Reply): string {
  const setCookie = res.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0] ?? '';
}

/** Registers the first user, who becomes the admin. */
export async function createAdmin(server: TestServer, name = 'Ada Admin'): Promise<SignedInAgent> {
  const res = await api<AuthReply>(server, 'POST', '/api/auth/register', {
    body: { name, email: `admin-${unique()}@example.com`, password: 'correct horse battery' },
  });
  if (res.status !== 201) throw new Error(`register failed: ${JSON.stringify(res.body)}`);
  return { user: res.body.user, token: res.body.accessToken, cookie: refreshCookie(res) };
}

/**
 * An admin invites a person, who follows the link and chooses their password: the product's
 * only way in after the first admin. The link is taken from the reply (`sendEmail: false`).
 */
export async function joinTeam(
  server: TestServer,
  admin: SignedInAgent,
  person: {
    name?: string;
    email: string;
    password: string;
    role?: 'admin' | 'agent';
    capacity?: number;
  },
): Promise<SignedInAgent> {
  const invited = await api<{ token: string | null }>(server, 'POST', '/api/invitations', {
    token: admin.token,
    body: {
      name: person.name ?? 'Bob Agent',
      email: person.email,
      role: person.role,
      capacity: person.capacity,
      sendEmail: false,
    },
  });
  if (invited.status !== 201 || !invited.body.token)
    throw new Error(`invite failed: ${JSON.stringify(invited.body)}`);
  const res = await api<AuthReply>(server, 'POST', '/api/invitations/accept', {
    body: { token: invited.body.token, password: person.password },
  });
  if (res.status !== 201) throw new Error(`accept failed: ${JSON.stringify(res.body)}`);
  return { user: res.body.user, token: res.body.accessToken, cookie: refreshCookie(res) };
}

/** An admin adds an agent, who then signs in. */
export async function createAgent(
  server: TestServer,
  admin: SignedInAgent,
  opts: { name?: string; capacity?: number; role?: 'admin' | 'agent' } = {},
): Promise<SignedInAgent> {
  const email = `agent-${unique()}@example.com`;
  const password = 'agent password 123';
  await joinTeam(server, admin, { ...opts, email, password });
  return login(server, email, password);
}

export async function login(
  server: TestServer,
  email: string,
  password: string,
): Promise<SignedInAgent> {
  const res = await api<AuthReply>(server, 'POST', '/api/auth/login', {
    body: { email, password },
  });
  if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
  return { user: res.body.user, token: res.body.accessToken, cookie: refreshCookie(res) };
}

const socketOptions = { transports: ['websocket'], reconnection: false, forceNew: true };

/** Tests listen to any event by name; the typed maps are checked where payloads are used. */
type Listenable = {
  on(ev: string, fn: (...args: any[]) => void): unknown;
  once(ev: string, fn: (...args: any[]) => void): unknown;
  off(ev: string, fn: (...args: any[]) => void): unknown;
};
const untyped = (socket: AgentClient | VisitorClient) => socket as unknown as Listenable;

async function connected<S extends AgentClient | VisitorClient>(socket: S): Promise<S> {
  track(socket);
  await new Promise<void>((resolve, reject) => {
    untyped(socket).once('connect', () => resolve());
    untyped(socket).once('connect_error', (err: Error) => reject(err));
  });
  return socket;
}

/**
 * A socket that is not waited for: for handshakes expected to fail, raw packets, or commands
 * sent before it connects. `headers` go with the websocket upgrade (an Origin, say);
 * `reconnect` makes it come back by itself after a drop, as the dashboard's and widget's do.
 */
export function openSocket(
  server: TestServer,
  namespace: '/agent' | '/visitor',
  auth: Record<string, unknown>,
  opts: { headers?: Record<string, string>; reconnect?: boolean } = {},
): Socket {
  return track(
    io(`${server.url}${namespace}`, {
      ...socketOptions,
      auth,
      ...(opts.headers ? { extraHeaders: opts.headers } : {}),
      ...(opts.reconnect ? { reconnection: true, reconnectionDelay: 50 } : {}),
    }),
  );
}

/** The error a refused handshake gives, with the reason the server sent in `data`. */
export function handshakeError(socket: Socket): Promise<Error & { data?: unknown }> {
  return new Promise((resolve) => socket.once('connect_error', resolve));
}

/** An agent's dashboard socket, connected. The agent is online once this resolves. */
export async function connectAgent(server: TestServer, token: string): Promise<AgentClient> {
  const socket: AgentClient = io(`${server.url}/agent`, { ...socketOptions, auth: { token } });
  const ready = await connected(socket);
  // The agent is made online asynchronously after connect; a round trip orders it before us.
  await ready.timeout(5000).emitWithAck('sync', { conversations: {} });
  return ready;
}

/** A widget's session: of the site with key `site`, or the default site. */
export async function createVisitor(
  server: TestServer,
  opts: { site?: string } = {},
): Promise<VisitorSessionReply> {
  const res = await api<VisitorSessionReply>(server, 'POST', '/api/visitors/session', {
    body: opts.site ? { site: opts.site } : {},
    headers: {
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    },
  });
  if (res.status !== 201) throw new Error(`visitor session failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function connectVisitor(
  server: TestServer,
  visitorToken: string,
): Promise<VisitorClient> {
  const socket: VisitorClient = io(`${server.url}/visitor`, {
    ...socketOptions,
    auth: { visitorToken },
  });
  const ready = await connected(socket);
  await ready.timeout(5000).emitWithAck('sync', { conversations: {} });
  return ready;
}

export type VisitorChat = {
  session: VisitorSessionReply;
  socket: VisitorClient;
  started: ConversationStartReply;
};

/**
 * A visitor opens the widget (of the site with key `site`, or the default site) and sends their
 * first message, having chosen the department `teamId` if given.
 */
export async function startVisitorChat(
  server: TestServer,
  content = 'Hello, I need help',
  opts: { site?: string; teamId?: string } = {},
): Promise<VisitorChat> {
  const session = await createVisitor(server, opts);
  const socket = await connectVisitor(server, session.visitorToken);
  const payload = {
    content,
    clientId: randomUUID(),
    ...(opts.teamId ? { teamId: opts.teamId } : {}),
  };
  let reply = await socket.timeout(5000).emitWithAck('conversation.start', payload);
  // While the site is away, this is the offline form: solve its proof of work, as the widget does.
  if (!reply.ok && reply.error.code === 'proof_required') {
    const proof = await solveProof(challengeOf(reply.error));
    reply = await socket.timeout(5000).emitWithAck('conversation.start', { ...payload, proof });
  }
  if (!reply.ok) throw new Error(`start failed: ${JSON.stringify(reply.error)}`);
  return { session, socket, started: reply.data };
}

/** Resolves with the next `event` matching `match`, or rejects after `ms`. */
export function nextEvent<T>(
  client: AgentClient | VisitorClient,
  event: string,
  match: (payload: T) => boolean = () => true,
  ms = 5000,
): Promise<T> {
  const socket = untyped(client);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`timed out waiting for ${event}`));
    }, ms);
    const handler = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(payload);
    };
    socket.on(event, handler);
  });
}

/** Everything `event` delivers from now on, for asserting what did (not) arrive. */
export function collect<T>(client: AgentClient | VisitorClient, event: string): T[] {
  const seen: T[] = [];
  untyped(client).on(event, (p: T) => seen.push(p));
  return seen;
}

export const newClientId = () => randomUUID();

/** Polls `check` until it holds, or fails after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** An API token made through the API by `token`'s admin: `{token, secret}`. */
export async function createToken(
  server: TestServer,
  token: string,
  body: { name: string; scope: 'read' | 'full'; bot?: { name: string }; expiresInDays?: number },
): Promise<CreateApiTokenReply> {
  const res = await api<CreateApiTokenReply>(server, 'POST', '/api/tokens', { token, body });
  if (res.status !== 201) throw new Error(`create token failed: ${JSON.stringify(res.body)}`);
  return res.body;
}
