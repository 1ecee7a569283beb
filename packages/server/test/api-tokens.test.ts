import type { ApiToken, ConversationListItem, Message, User } from '@parley/protocol';
import { eq } from 'drizzle-orm';
import { apiTokens } from '../src/db/schema.js';
import { describe, expect, it } from 'vitest';
import {
  api,
  collect,
  connectAgent,
  createAdmin,
  createAgent,
  handshakeError,
  newClientId,
  nextEvent,
  openSocket,
  startVisitorChat,
  waitFor,
  type AgentClient,
  createToken as createTokenFor,
} from './factories.js';
import { useServer } from './harness.js';

// API tokens and bots (issue 19): integrations act through hashed, scoped, revocable tokens,
// through the same REST API and sockets as the dashboard.
const server = useServer();

const createToken = (
  token: string,
  body: { name: string; scope: 'read' | 'full'; bot?: { name: string }; expiresInDays?: number },
) => createTokenFor(server.current, token, body);

const listTokens = async (token: string): Promise<ApiToken[]> =>
  (await api(server.current, 'GET', '/api/tokens', { token })).body.items;

describe('API tokens', () => {
  it('shows the secret once, keeps only its hash, and acts as the admin who made it', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const { token, secret } = await createToken(admin.token, { name: 'CRM sync', scope: 'full' });
    expect(secret).toMatch(/^parley_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({
      name: 'CRM sync',
      scope: 'full',
      prefix: secret.slice(0, 13),
      user: { id: admin.user.id, name: 'Ada Admin', kind: 'person' },
      createdBy: { id: admin.user.id, name: 'Ada Admin' },
      lastUsedAt: null,
      revokedAt: null,
    });
    const listed = await listTokens(admin.token);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const [row] = await server.database.db.select().from(apiTokens);
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(secret.slice(13));

    const me = await api(s, 'GET', '/api/auth/me', { token: secret });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(admin.user.id);
    await waitFor(async () => (await listTokens(admin.token))[0]?.lastUsedAt !== null);
  });

  it('with read scope reads over REST and sockets, and changes nothing', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const chat = await startVisitorChat(s, 'Where is my order?');
    const id = chat.started.conversation.id;
    const { secret } = await createToken(admin.token, { name: 'Reports', scope: 'read' });

    expect(
      (await api(s, 'GET', `/api/conversations/${id}/messages`, { token: secret })).status,
    ).toBe(200);
    const write = await api(s, 'PATCH', `/api/conversations/${id}`, {
      token: secret,
      body: { status: 'closed' },
    });
    expect(write.status).toBe(403);
    expect(write.body.error).toMatchObject({
      code: 'forbidden',
      message: 'This API token may only read',
    });
    const creating = await api(s, 'POST', '/api/tokens', {
      token: secret,
      body: { name: 'escalate', scope: 'full' },
    });
    expect(creating.status).toBe(403);

    const socket = await connectAgent(s, secret);
    const synced = await socket.timeout(5000).emitWithAck('sync', { conversations: { [id]: 0 } });
    expect(synced.ok).toBe(true);
    const sent = await socket.timeout(5000).emitWithAck('message.send', {
      conversationId: id,
      content: 'not allowed',
      clientId: newClientId(),
      type: 'text',
    });
    expect(sent).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const conversation = (await api(s, 'GET', `/api/conversations/${id}`, { token: admin.token }))
      .body.conversation as ConversationListItem;
    expect(conversation.status).toBe('pending');
    expect(conversation.lastMessage?.content).toBe('Where is my order?');
  });

  it('once revoked, is refused over REST at once and its sockets are closed', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const { token, secret } = await createToken(admin.token, { name: 'Zapier', scope: 'full' });
    const socket = await connectAgent(s, secret);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    const revoked = await api(s, 'DELETE', `/api/tokens/${token.id}`, { token: admin.token });
    expect(revoked.status).toBe(200);
    expect(revoked.body.token.revokedAt).not.toBeNull();
    expect(await closed).toBe('io server disconnect');
    const refused = await api(s, 'GET', '/api/conversations', { token: secret });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorized');
    const again = openSocket(s, '/agent', { token: secret });
    expect((await handshakeError(again)).data).toEqual({ code: 'unauthorized' });
    // Revoking twice changes nothing; an unknown token is not found.
    expect((await api(s, 'DELETE', `/api/tokens/${token.id}`, { token: admin.token })).status).toBe(
      200,
    );
    const unknown = await api(s, 'DELETE', `/api/tokens/${newClientId()}`, { token: admin.token });
    expect(unknown.status).toBe(404);
  });

  it('may expire: it works until then, and from then on REST, its socket and a new handshake refuse it', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const { token, secret } = await createToken(admin.token, {
      name: 'For the audit',
      scope: 'read',
      expiresInDays: 30,
    });
    const inDays = (Date.parse(token.expiresAt ?? '') - Date.now()) / (24 * 3600 * 1000);
    expect(inDays).toBeGreaterThan(29.99);
    expect(inDays).toBeLessThan(30.01);
    expect(token.stoppedReason).toBeNull();
    expect((await api(s, 'GET', '/api/conversations', { token: secret })).status).toBe(200);
    // Its day comes in a second: a socket open then is closed at that moment.
    await server.database.db
      .update(apiTokens)
      .set({ expiresAt: new Date(Date.now() + 1_000) })
      .where(eq(apiTokens.id, token.id));
    const socket = await connectAgent(s, secret);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect(await closed).toBe('io server disconnect');
    const refused = await api(s, 'GET', '/api/conversations', { token: secret });
    expect(refused.status).toBe(401);
    expect((await handshakeError(openSocket(s, '/agent', { token: secret }))).data).toEqual({
      code: 'unauthorized',
    });
    const [listed] = await listTokens(admin.token);
    expect(listed).toMatchObject({ id: token.id, stoppedReason: 'expired', revokedAt: null });
    // A token without an expiry works until revoked.
    const forever = await createToken(admin.token, { name: 'Forever', scope: 'read' });
    expect(forever.token.expiresAt).toBeNull();
    for (const expiresInDays of [0, -1, 1.5, 3651, '30']) {
      const bad = await api(s, 'POST', '/api/tokens', {
        token: admin.token,
        body: { name: 'Bad', scope: 'read', expiresInDays },
      });
      expect(bad.status, String(expiresInDays)).toBe(400);
    }
  });

  it('refuses bad input and non-admins, with the one error shape', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const bad = [
      { name: '', scope: 'full' },
      { name: 'x', scope: 'admin' },
      { name: 'x', scope: 'full', bot: { name: '' } },
      'not an object',
    ];
    for (const body of bad) {
      const res = await api(s, 'POST', '/api/tokens', { token: admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect(
      (
        await api(s, 'POST', '/api/tokens', {
          token: agent.token,
          body: { name: 'x', scope: 'full' },
        })
      ).status,
    ).toBe(403);
    expect((await api(s, 'GET', '/api/tokens', { token: agent.token })).status).toBe(403);
    for (const forged of ['parley_', 'parley_' + 'A'.repeat(43), 'parley_../../etc']) {
      const res = await api(s, 'GET', '/api/conversations', { token: forged });
      expect(res.status).toBe(401);
    }
    expect(await listTokens(admin.token)).toEqual([]);
  });
});

describe('bots', () => {
  it('a first-responder bot holds a new chat, answers marked as a bot, and hands it over', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const olive = await createAgent(s, admin, { name: 'Olive Online' });
    const { token, secret } = await createToken(admin.token, {
      name: 'Helper bot token',
      scope: 'full',
      bot: { name: 'Helper Bot' },
    });
    expect(token.user).toMatchObject({ name: 'Helper Bot', kind: 'bot' });
    const bot = token.user;
    const users = (await api(s, 'GET', '/api/users', { token: admin.token })).body.items as User[];
    expect(users.find((u) => u.id === bot.id)).toMatchObject({ kind: 'bot', role: 'agent' });

    // Only a bot may answer first.
    const notABot = await api(s, 'PUT', '/api/bots/settings', {
      token: admin.token,
      body: { firstResponderId: olive.user.id },
    });
    expect(notABot.status).toBe(400);
    const set = await api(s, 'PUT', '/api/bots/settings', {
      token: admin.token,
      body: { firstResponderId: bot.id },
    });
    expect(set.body.settings).toEqual({ firstResponderId: bot.id });

    // A person is online with room, yet the bot answers first.
    await connectAgent(s, olive.token);
    const botSocket: AgentClient = await connectAgent(s, secret);
    const botHears = collect<Message>(botSocket, 'message.created');
    const chat = await startVisitorChat(s, 'Hi, what are your opening hours?');
    const id = chat.started.conversation.id;
    let c = (await api(s, 'GET', `/api/conversations/${id}`, { token: admin.token })).body
      .conversation as ConversationListItem;
    expect(c).toMatchObject({ status: 'open', assigneeId: bot.id });
    await waitFor(() => botHears.some((m) => m.content === 'Hi, what are your opening hours?'));

    const visitorGets = nextEvent<Message>(chat.socket, 'message.created', (m) =>
      m.content.startsWith('We are open'),
    );
    const reply = await api(s, 'POST', '/api/messages', {
      token: secret,
      body: { conversationId: id, content: 'We are open 9 to 5.', clientId: newClientId() },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({ senderName: 'Helper Bot', fromBot: true });
    expect(await visitorGets).toMatchObject({ senderName: 'Helper Bot', fromBot: true });

    // Only whoever holds the chat (or an admin) hands it over.
    const other = await createAgent(s, admin, { name: 'Nosy Agent' });
    expect(
      (await api(s, 'POST', `/api/conversations/${id}/handover`, { token: other.token })).status,
    ).toBe(403);
    const handed = await api(s, 'POST', `/api/conversations/${id}/handover`, { token: secret });
    expect(handed.status).toBe(200);
    c = handed.body.conversation;
    expect(c).toMatchObject({ status: 'open', assigneeId: olive.user.id });
    const { messages } = (
      await api(s, 'GET', `/api/conversations/${id}/messages`, { token: admin.token })
    ).body as { messages: Message[] };
    expect(messages.map((m) => [m.sender, m.content, m.fromBot])).toEqual([
      ['visitor', 'Hi, what are your opening hours?', false],
      ['system', 'Helper Bot joined the chat', false],
      ['agent', 'We are open 9 to 5.', true],
      ['system', 'Helper Bot handed the chat over to the team', false],
      ['system', 'Olive Online joined the chat', false],
    ]);

    // Its token revoked, the bot could not answer: new chats go to people again.
    await api(s, 'DELETE', `/api/tokens/${token.id}`, { token: admin.token });
    const next = await startVisitorChat(s, 'Anyone?');
    const routed = (
      await api(s, 'GET', `/api/conversations/${next.started.conversation.id}`, {
        token: admin.token,
      })
    ).body.conversation as ConversationListItem;
    expect(routed.assigneeId).toBe(olive.user.id);
  });

  it('is never given chats by routing, never counts as someone online, and never signs in', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const { secret } = await createToken(admin.token, {
      name: 'Quiet bot',
      scope: 'full',
      bot: { name: 'Quiet Bot' },
    });
    await connectAgent(s, secret);
    const chat = await startVisitorChat(s, 'Is anybody there?');
    expect(chat.session.agentsOnline).toBe(false);
    expect(chat.started.conversation.status).toBe('pending');
    const c = (
      await api(s, 'GET', `/api/conversations/${chat.started.conversation.id}`, {
        token: admin.token,
      })
    ).body.conversation as ConversationListItem;
    expect(c.assigneeId).toBeNull();
    const users = (await api(s, 'GET', '/api/users', { token: admin.token })).body.items as User[];
    const email = users.find((u) => u.kind === 'bot')?.email ?? '';
    expect(email).toMatch(/@bots\.parley\.invalid$/);
    const login = await api(s, 'POST', '/api/auth/login', { body: { email, password: '!' } });
    expect(login.status).toBe(401);
  });
});
