import type { ConversationListItem } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  createAdmin,
  createAgent,
  nextEvent,
  openSocket,
  startVisitorChat,
} from './factories.js';
import { useServer } from './harness.js';

const server = useServer();

async function conversation(token: string, id: string): Promise<ConversationListItem> {
  return (await api(server.current, 'GET', `/api/conversations/${id}`, { token })).body
    .conversation;
}

describe('routing and presence', () => {
  it('queues a chat while nobody is online and assigns it when an agent comes online', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const chat = await startVisitorChat(s, 'Anyone there?');
    expect(chat.session.agentsOnline).toBe(false);
    expect(chat.started.conversation.status).toBe('pending');
    const queue = await api(s, 'GET', '/api/conversations?assignee=none&status=pending', {
      token: admin.token,
    });
    expect(queue.body.items.map((c: ConversationListItem) => c.id)).toEqual([
      chat.started.conversation.id,
    ]);

    const availability = nextEvent<{ agentsOnline: boolean }>(chat.socket, 'availability.changed');
    const agent = await createAgent(s, admin, { name: 'Olive Online' });
    const assignedToVisitor = nextEvent<{ assignee: { name: string } | null }>(
      chat.socket,
      'conversation.updated',
    );
    await connectAgent(s, agent.token);
    expect(await availability).toEqual({ agentsOnline: true });
    expect((await assignedToVisitor).assignee?.name).toBe('Olive Online');
    const c = await conversation(admin.token, chat.started.conversation.id);
    expect(c).toMatchObject({ status: 'open', assigneeId: agent.user.id });
  });

  it('gives chats to the agent with the fewest open chats, within capacity', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const busy = await createAgent(s, admin, { name: 'Busy', capacity: 1 });
    const free = await createAgent(s, admin, { name: 'Free', capacity: 2 });
    await api(s, 'PATCH', `/api/users/${admin.user.id}`, {
      token: admin.token,
      body: { capacity: 0 },
    });
    await connectAgent(s, busy.token);
    await connectAgent(s, free.token);
    const chats = [];
    for (let i = 0; i < 4; i++) chats.push(await startVisitorChat(s, `question ${i}`));
    const assignees = await Promise.all(
      chats.map(
        async (c) => (await conversation(admin.token, c.started.conversation.id)).assigneeId,
      ),
    );
    expect(assignees.filter((a) => a === busy.user.id)).toHaveLength(1);
    expect(assignees.filter((a) => a === free.user.id)).toHaveLength(2);
    expect(assignees.filter((a) => a === null)).toHaveLength(1);

    // Closing one of Free's chats frees a slot: the queued chat goes to Free.
    const freeChat = chats.find((_, i) => assignees[i] === free.user.id);
    const queued = chats.find((_, i) => assignees[i] === null);
    if (!freeChat || !queued) throw new Error('unexpected routing');
    await api(s, 'PATCH', `/api/conversations/${freeChat.started.conversation.id}`, {
      token: free.token,
      body: { status: 'closed' },
    });
    expect(await conversation(admin.token, queued.started.conversation.id)).toMatchObject({
      status: 'open',
      assigneeId: free.user.id,
    });
  });

  it('keeps the status an agent sets as the socket connects: "away" is not overwritten', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    for (let i = 0; i < 5; i++) {
      const agent = await createAgent(s, admin, { name: `Agent ${i}` });
      // Sent as soon as the handshake completes, while the server still marks the agent online.
      const socket = openSocket(s, '/agent', { token: agent.token });
      const ack = await socket.timeout(5000).emitWithAck('status.set', { status: 'away' });
      expect(ack).toEqual({ ok: true, data: { status: 'away' } });
      await socket.timeout(5000).emitWithAck('sync', { conversations: {} });
      const team = await api(s, 'GET', '/api/users', { token: admin.token });
      const me = team.body.items.find((u: { id: string }) => u.id === agent.user.id);
      expect(me.status).toBe('away');
    }
    const chat = await startVisitorChat(s);
    expect(chat.started.conversation.status).toBe('pending');
  });

  it('does not route to an agent who is away, and tracks agent and visitor presence', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const watcher = await connectAgent(s, admin.token);
    await watcher.timeout(5000).emitWithAck('status.set', { status: 'away' });
    const socket = await connectAgent(s, agent.token);
    const away = nextEvent<{ agentId: string; status: string }>(
      watcher,
      'agent.status_changed',
      (e) => e.agentId === agent.user.id && e.status === 'away',
    );
    const ack = await socket.timeout(5000).emitWithAck('status.set', { status: 'away' });
    expect(ack).toEqual({ ok: true, data: { status: 'away' } });
    await away;
    const visitorOnline = nextEvent<{ online: boolean; currentUrl: string | null }>(
      watcher,
      'visitor.updated',
      (v) => v.currentUrl !== null,
    );
    const chat = await startVisitorChat(s);
    expect(chat.started.conversation.status).toBe('pending');
    chat.socket.emit('page.view', { url: 'https://shop.example.com/pricing', title: 'Pricing' });
    expect(await visitorOnline).toMatchObject({
      online: true,
      currentUrl: 'https://shop.example.com/pricing',
    });
    const details = await api(s, 'GET', `/api/visitors/${chat.session.visitor.id}`, {
      token: admin.token,
    });
    expect(details.body.pageViews.map((p: { title: string }) => p.title)).toEqual(['Pricing']);
    // A reload of the same page is not another visit; going elsewhere and back is.
    for (const [url, title] of [
      ['https://shop.example.com/pricing', 'Pricing'],
      ['https://shop.example.com/', 'Home'],
      ['https://shop.example.com/pricing', 'Pricing'],
    ]) {
      await chat.socket.timeout(5000).emitWithAck('page.view', { url, title });
    }
    const again = await api(s, 'GET', `/api/visitors/${chat.session.visitor.id}`, {
      token: admin.token,
    });
    expect(again.body.pageViews.map((p: { title: string }) => p.title)).toEqual([
      'Pricing',
      'Home',
      'Pricing',
    ]);
    expect(details.body.visitor.browser).toBe('Chrome 131');
    expect(details.body.visitor.os).toBe('Linux');

    const offline = nextEvent<{ online: boolean }>(watcher, 'visitor.updated', (v) => !v.online);
    chat.socket.disconnect();
    await offline;
    const online = await api(s, 'GET', '/api/visitors?online=true', { token: admin.token });
    expect(online.body.items).toEqual([]);

    // Back online: the queued chat is taken before the ack returns.
    await socket.timeout(5000).emitWithAck('status.set', { status: 'online' });
    const c = await api(s, 'GET', `/api/conversations/${chat.started.conversation.id}`, {
      token: admin.token,
    });
    expect(c.body.conversation.assigneeId).toBe(agent.user.id);
  });
});
