import type {
  ConversationListItem,
  Message,
  TypingChanged,
  VisitorConversation,
} from '@parley/protocol';
import { AnalyticsOverview, ConversationListReply, VisitorSessionReply } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  api,
  collect,
  connectAgent,
  createAdmin,
  createAgent,
  newClientId,
  nextEvent,
  startVisitorChat,
  waitFor,
} from './factories.js';
import { useServer } from './harness.js';

const server = useServer();

describe('the whole story', () => {
  it('admin, agent, visitor: a chat from first message to analytics', async () => {
    const s = server.current;
    // The first user registers and becomes admin; a second plain register is refused.
    const admin = await createAdmin(s);
    expect(admin.user.role).toBe('admin');
    const again = await api(s, 'POST', '/api/auth/register', {
      body: { name: 'Mallory', email: 'mallory@example.com', password: 'longenough1' },
    });
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('registration_closed');

    // The admin adds an agent, who comes online in the dashboard.
    const agent = await createAgent(s, admin, { name: 'Alice Agent' });
    expect(agent.user.role).toBe('agent');
    const dashboard = await connectAgent(s, agent.token);
    const created = nextEvent<ConversationListItem>(dashboard, 'conversation.created');
    const assigned = nextEvent<ConversationListItem>(
      dashboard,
      'conversation.updated',
      (c) => c.assigneeId === agent.user.id,
    );
    const agentSees = collect<Message>(dashboard, 'message.created');

    // A visitor starts a chat: the online agent gets it, assigned and live.
    const chat = await startVisitorChat(s, 'Hi! Where is my order?');
    VisitorSessionReply.parse(chat.session);
    expect(chat.started.message.seq).toBe(1);
    expect((await created).id).toBe(chat.started.conversation.id);
    expect((await created).lastMessage?.content).toBe('Hi! Where is my order?');
    expect((await assigned).status).toBe('open');
    const conversationId = chat.started.conversation.id;
    const visitorSees = collect<Message>(chat.socket, 'message.created');
    // The admin watches from a dashboard of their own (once the chat is Alice's): agents see each other's messages.
    const adminSees = collect<Message>(await connectAgent(s, admin.token), 'message.created');

    // Typing with the draft reaches agents (sneak peek)...
    const peek = nextEvent<TypingChanged>(
      dashboard,
      'typing.changed',
      (t) => t.sender === 'visitor',
    );
    chat.socket.emit('typing.set', { conversationId, isTyping: true, draft: 'It was order #12' });
    expect(await peek).toMatchObject({ conversationId, isTyping: true, draft: 'It was order #12' });
    // ...and the agent's typing reaches the visitor, without any draft.
    const agentTyping = nextEvent<TypingChanged>(chat.socket, 'typing.changed');
    dashboard.emit('typing.set', { conversationId, isTyping: true, draft: 'secret draft' });
    const typing = await agentTyping;
    expect(typing).toEqual({
      conversationId,
      sender: 'agent',
      name: 'Alice Agent',
      isTyping: true,
    });

    // Messages both ways, with acks carrying the stored message.
    const fromVisitor = await chat.socket.timeout(5000).emitWithAck('message.send', {
      conversationId,
      content: 'It was order #12',
      clientId: newClientId(),
    });
    expect(fromVisitor.ok && fromVisitor.data.message.seq).toBeGreaterThan(1);
    const reply = await dashboard.timeout(5000).emitWithAck('message.send', {
      conversationId,
      content: 'Let me check that for you.',
      clientId: newClientId(),
      type: 'text',
    });
    if (!reply.ok) throw new Error(reply.error.message);
    expect(reply.data.message).toMatchObject({ sender: 'agent', senderName: 'Alice Agent' });

    // A note goes to agents, never to the visitor.
    const note = await dashboard.timeout(5000).emitWithAck('message.send', {
      conversationId,
      content: 'VIP customer, refund if needed',
      clientId: newClientId(),
      type: 'note',
    });
    expect(note.ok).toBe(true);
    const after = nextEvent<Message>(
      chat.socket,
      'message.created',
      (m) => m.content === 'Found it: it ships today.',
    );
    await dashboard.timeout(5000).emitWithAck('message.send', {
      conversationId,
      content: 'Found it: it ships today.',
      clientId: newClientId(),
      type: 'text',
    });
    await after;
    // Each socket has its own messages in their acks and is sent everyone else's.
    expect(visitorSees.map((m) => m.content)).toEqual([
      'Let me check that for you.',
      'Found it: it ships today.',
    ]);
    expect(visitorSees.some((m) => m.type === 'note')).toBe(false);
    expect(agentSees.map((m) => m.content)).toContain('It was order #12');
    expect(agentSees.some((m) => m.sender === 'agent')).toBe(false);
    await waitFor(() => adminSees.some((m) => m.content === 'Found it: it ships today.'));
    expect(adminSees.map((m) => m.content)).toEqual(
      expect.arrayContaining(['It was order #12', 'VIP customer, refund if needed']),
    );
    // Over REST too, the visitor's history has no note, the agent's has it.
    const visitorHistory = await api(s, 'GET', `/api/conversations/${conversationId}/messages`, {
      token: chat.session.visitorToken,
    });
    expect(visitorHistory.body.messages.some((m: Message) => m.type === 'note')).toBe(false);
    const agentHistory = await api(s, 'GET', `/api/conversations/${conversationId}/messages`, {
      token: agent.token,
    });
    expect(agentHistory.body.messages.map((m: Message) => m.seq)).toEqual(
      agentHistory.body.messages.map((_: Message, i: number) => i + 1),
    );
    expect(agentHistory.body.messages.some((m: Message) => m.type === 'note')).toBe(true);

    // The agent closes the chat: the visitor sees it closed, then rates it.
    const closedForVisitor = nextEvent<VisitorConversation>(
      chat.socket,
      'conversation.updated',
      (c) => c.status === 'closed',
    );
    const closed = await api(s, 'PATCH', `/api/conversations/${conversationId}`, {
      token: agent.token,
      body: { status: 'closed', tags: ['shipping'] },
    });
    expect(closed.status).toBe(200);
    expect(closed.body.conversation).toMatchObject({ status: 'closed', tags: ['shipping'] });
    expect((await closedForVisitor).assignee?.name).toBe('Alice Agent');
    const rated = await chat.socket.timeout(5000).emitWithAck('conversation.rate', {
      conversationId,
      rating: 'up',
      comment: 'Quick and kind',
    });
    expect(rated.ok && rated.data.conversation.rating).toBe('up');

    // Analytics count it.
    const overview = await api(s, 'GET', '/api/analytics/overview', { token: admin.token });
    expect(overview.status).toBe(200);
    const o = AnalyticsOverview.parse(overview.body);
    expect(o.conversations).toMatchObject({ total: 1, closed: 1, missed: 0 });
    expect(o.rating).toEqual({ up: 1, down: 0, satisfaction: 100 });
    expect(o.medianFirstResponseSeconds).not.toBeNull();
    expect(o.medianResolutionSeconds).not.toBeNull();
    const perAgent = await api(s, 'GET', '/api/analytics/agents', { token: admin.token });
    expect(perAgent.body.agents).toContainEqual(
      expect.objectContaining({
        agentId: agent.user.id,
        conversations: 1,
        closed: 1,
        ratingUp: 1,
        messages: 2,
      }),
    );
    const list = ConversationListReply.parse(
      (await api(s, 'GET', '/api/conversations?status=closed', { token: agent.token })).body,
    );
    expect(list.items.map((c) => c.id)).toEqual([conversationId]);
  });
});
