import { randomUUID } from 'node:crypto';
import type {
  AgentClientEvents,
  AgentServerEvents,
  AuthReply,
  ConversationListReply,
  Message,
  TypingChanged,
  VisitorClientEvents,
  VisitorPatchBody,
  VisitorServerEvents,
  VisitorSessionReply,
  WidgetSettingsPatch,
} from '@parley/protocol';
import { io, type Socket } from 'socket.io-client';
import type { RunningServer } from './server.js';
import { startWithProof } from '../../packages/server/test/pow.js';

export type AgentSocket = Socket<AgentServerEvents, AgentClientEvents>;

/** A real request to Parley's REST API; throws on an error status. */
export async function api<T>(
  server: RunningServer,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** The first account, which becomes the admin. */
export async function registerAdmin(server: RunningServer, name = 'Alice Admin') {
  const reply = await api<AuthReply>(server, 'POST', '/api/auth/register', {
    body: { name, email: `admin-${randomUUID()}@example.com`, password: 'correct horse battery' },
  });
  return { user: reply.user, token: reply.accessToken };
}

/**
 * A person joins the team as the product lets them: the admin invites them (the link in the
 * reply, `sendEmail: false`), and they choose their password through it. The sign-in that
 * joining makes is ended, so their browser's sign-ins are the test's own.
 */
export async function addAgent(
  server: RunningServer,
  adminToken: string,
  person: {
    name: string;
    email: string;
    password: string;
    role?: 'admin' | 'agent';
    capacity?: number;
  },
): Promise<AuthReply> {
  const { password, ...invitation } = person;
  const { token } = await api<{ token: string }>(server, 'POST', '/api/invitations', {
    token: adminToken,
    body: { ...invitation, sendEmail: false },
  });
  const res = await fetch(`${server.url}/api/invitations/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, password }),
  });
  if (res.status !== 201) throw new Error(`accept: ${res.status} ${await res.text()}`);
  const reply = (await res.json()) as AuthReply;
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie } });
  return reply;
}

export const patchWidgetSettings = (
  server: RunningServer,
  token: string,
  body: WidgetSettingsPatch,
) => api(server, 'PATCH', '/api/settings/widget', { token, body });

/**
 * An agent's live connection, as the dashboard holds it: the agent is online while it is
 * connected. Records what the server tells the agent, for tests to wait on.
 */
export class AgentSession {
  readonly messages: Message[] = [];
  readonly typing: TypingChanged[] = [];
  private constructor(readonly socket: AgentSocket) {
    socket.on('message.created', (m) => this.messages.push(m));
    socket.on('typing.changed', (t) => this.typing.push(t));
  }

  static async connect(server: RunningServer, token: string): Promise<AgentSession> {
    const socket: AgentSocket = io(`${server.url}/agent`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const session = new AgentSession(socket);
    // Being online is recorded just after connect; a round trip orders it before the test.
    await socket.timeout(5000).emitWithAck('sync', { conversations: {} });
    return session;
  }

  async send(conversationId: string, content: string): Promise<Message> {
    const reply = await this.socket.timeout(5000).emitWithAck('message.send', {
      conversationId,
      content,
      clientId: randomUUID(),
      type: 'text',
    });
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.data.message;
  }

  setTyping(conversationId: string, isTyping: boolean) {
    this.socket.emit('typing.set', { conversationId, isTyping });
  }

  close() {
    this.socket.disconnect();
  }
}

export const listConversations = (server: RunningServer, token: string, query: string) =>
  api<ConversationListReply>(server, 'GET', `/api/conversations?${query}`, { token });

/** Polls `check` until it returns a value other than undefined/false, or fails after a while. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  what: string,
  ms = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A visitor without a browser: its session and live socket, as the widget holds them. */
export class VisitorSession {
  private constructor(
    readonly socket: Socket<VisitorServerEvents, VisitorClientEvents>,
    readonly visitorId: string,
    private readonly server: RunningServer,
    private readonly token: string,
  ) {}

  /** A visitor of the default site, or of the site with this key (a snippet's `site`). */
  static async connect(server: RunningServer, site?: string): Promise<VisitorSession> {
    const session = await api<VisitorSessionReply>(server, 'POST', '/api/visitors/session', {
      body: site ? { site } : {},
    });
    const socket: Socket<VisitorServerEvents, VisitorClientEvents> = io(`${server.url}/visitor`, {
      auth: { visitorToken: session.visitorToken },
      transports: ['websocket'],
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return new VisitorSession(socket, session.visitor.id, server, session.visitorToken);
  }

  /** What a pre-chat form or `setVisitor` tells Parley of the visitor. */
  async setDetails(details: VisitorPatchBody): Promise<void> {
    await api(this.server, 'PATCH', '/api/visitors/me', { token: this.token, body: details });
  }

  async pageView(url: string, title: string) {
    const reply = await this.socket.timeout(5000).emitWithAck('page.view', { url, title });
    if (!reply.ok) throw new Error(reply.error.message);
  }

  /**
   * Starts a conversation with its first message, in the department (team) chosen on the
   * pre-chat form if any; returns the conversation's id.
   */
  async startChat(content: string, teamId?: string): Promise<string> {
    // While the site is away this is the offline form: its proof of work is solved, as the
    // widget does.
    const reply = await startWithProof(this.socket, { content, clientId: randomUUID(), teamId });
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.data.conversation.id;
  }

  close() {
    this.socket.disconnect();
  }
}
