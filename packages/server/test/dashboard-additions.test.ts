import type { ConversationListItem, Message, VisitorConversation } from '@parley/protocol';
import { AuthReply, ConversationReply, SetupReply } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  connectVisitor,
  createAdmin,
  createAgent,
  createVisitor,
  login,
  newClientId,
  nextEvent,
} from './factories.js';
import { useServer } from './harness.js';

const server = useServer();

describe('what the dashboard needs beyond the core API', () => {
  it('tells whether the first-run set-up is needed', async () => {
    const s = server.current;
    expect(SetupReply.parse((await api(s, 'GET', '/api/auth/setup')).body)).toEqual({
      needsSetup: true,
      passwordReset: false,
      sso: null,
    });
    await createAdmin(s);
    expect((await api(s, 'GET', '/api/auth/setup')).body).toEqual({
      needsSetup: false,
      passwordReset: false,
      sso: null,
    });
  });

  it('lets an agent rename themselves and change their password, ending the old sessions', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin, { name: 'Old Name' });
    const renamed = await api(s, 'PATCH', '/api/auth/me', {
      token: agent.token,
      body: { name: 'New Name' },
    });
    expect(renamed.body.user.name).toBe('New Name');

    const wrong = await api(s, 'POST', '/api/auth/password', {
      token: agent.token,
      body: { currentPassword: 'not it', newPassword: 'brand new password' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');

    const dashboard = await connectAgent(s, agent.token);
    const kicked = new Promise<void>((resolve) => dashboard.once('disconnect', () => resolve()));
    const changed = await api(s, 'POST', '/api/auth/password', {
      token: agent.token,
      cookie: agent.cookie,
      body: { currentPassword: 'agent password 123', newPassword: 'brand new password' },
    });
    expect(changed.status).toBe(200);
    AuthReply.parse(changed.body);
    await kicked;
    // The old refresh token is dead; the new cookie works; the new password signs in.
    expect((await api(s, 'POST', '/api/auth/refresh', { cookie: agent.cookie })).status).toBe(401);
    const cookie = (changed.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await api(s, 'POST', '/api/auth/refresh', { cookie })).status).toBe(200);
    await expect(login(s, agent.user.email, 'agent password 123')).rejects.toThrow();
    expect((await login(s, agent.user.email, 'brand new password')).user.name).toBe('New Name');
  });

  it('lets an agent start a chat with a browsing visitor, whose widget gets their message', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin, { name: 'Alice Agent' });
    const dashboard = await connectAgent(s, agent.token);
    const session = await createVisitor(s);
    const widget = await connectVisitor(s, session.visitorToken);
    const greeted = nextEvent<Message>(widget, 'message.created');
    const updated = nextEvent<VisitorConversation>(widget, 'conversation.updated');
    const created = nextEvent<ConversationListItem>(dashboard, 'conversation.created');

    const path = `/api/visitors/${session.visitor.id}/conversations`;
    const missing = await api(s, 'POST', path, {
      token: agent.token,
      body: { clientId: newClientId() },
    });
    expect(missing.status).toBe(400);
    const started = await api(s, 'POST', path, {
      token: agent.token,
      body: { clientId: newClientId(), content: 'Looking at the blue kettle? Ask me anything.' },
    });
    expect(started.status).toBe(201);
    const { conversation } = ConversationReply.parse(started.body);
    expect(conversation).toMatchObject({ assigneeId: agent.user.id, status: 'open' });
    expect(await greeted).toMatchObject({
      conversationId: conversation.id,
      sender: 'agent',
      content: 'Looking at the blue kettle? Ask me anything.',
    });
    // Only the agent's words: no copy of the widget's greeting is posted.
    const history = await api(s, 'GET', `/api/conversations/${conversation.id}/messages`, {
      token: agent.token,
    });
    expect(history.body.messages.map((m: Message) => m.content)).toEqual([
      'Looking at the blue kettle? Ask me anything.',
    ]);
    expect((await updated).assignee?.name).toBe('Alice Agent');
    expect((await created).id).toBe(conversation.id);

    // Asking again does not open a second chat: the message goes into the one they have
    // (issue 32: it was lost), from this agent or another, once however often it is sent.
    const again = await api(s, 'POST', path, {
      token: agent.token,
      body: { clientId: newClientId(), content: 'Hello again' },
    });
    expect(again.status).toBe(200);
    expect(again.body.conversation.id).toBe(conversation.id);
    const other = await createAgent(s, admin, { name: 'Otto Other' });
    const fromOther = { clientId: newClientId(), content: 'Otto here, can I help too?' };
    for (let i = 0; i < 2; i++) {
      const res = await api(s, 'POST', path, { token: other.token, body: fromOther });
      expect(res.status).toBe(200);
      expect(res.body.conversation.id).toBe(conversation.id);
    }
    const after = await api(s, 'GET', `/api/conversations/${conversation.id}/messages`, {
      token: agent.token,
    });
    expect(
      after.body.messages
        .filter((m: Message) => m.sender === 'agent')
        .map((m: Message) => [m.senderName, m.content]),
    ).toEqual([
      ['Alice Agent', 'Looking at the blue kettle? Ask me anything.'],
      ['Alice Agent', 'Hello again'],
      ['Otto Other', 'Otto here, can I help too?'],
    ]);
    const unknown = await api(s, 'POST', `/api/visitors/${newClientId()}/conversations`, {
      token: agent.token,
      body: { clientId: newClientId(), content: 'Hello?' },
    });
    expect(unknown.status).toBe(404);
  });
});
