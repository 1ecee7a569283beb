import type { Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  api,
  collect,
  connectAgent,
  createAdmin,
  newClientId,
  startVisitorChat,
} from './factories.js';
import { useServer } from './harness.js';

const server = useServer();

const notFound = { ok: false, error: { code: 'not_found', message: 'Conversation not found' } };

describe('two visitors', () => {
  it('each reaches only their own conversation, over REST and sockets', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await connectAgent(s, admin.token);
    const alice = await startVisitorChat(s, 'Alice here, private question');
    const bob = await startVisitorChat(s, 'Bob here');
    const aliceId = alice.started.conversation.id;
    expect(bob.started.conversation.id).not.toBe(aliceId);
    const bobSees = collect<Message>(bob.socket, 'message.created');

    // Bob cannot read, write, sync, type into or rate Alice's conversation.
    const read = await api(s, 'GET', `/api/conversations/${aliceId}/messages`, {
      token: bob.session.visitorToken,
    });
    expect(read.status).toBe(404);
    expect(read.body).toEqual({ error: { code: 'not_found', message: 'Conversation not found' } });
    const write = await bob.socket.timeout(5000).emitWithAck('message.send', {
      conversationId: aliceId,
      content: 'sneaky',
      clientId: newClientId(),
    });
    expect(write).toEqual(notFound);
    const overRest = await api(s, 'POST', '/api/messages', {
      token: bob.session.visitorToken,
      body: { conversationId: aliceId, content: 'sneaky', clientId: newClientId() },
    });
    expect(overRest.status).toBe(404);
    const sync = await bob.socket
      .timeout(5000)
      .emitWithAck('sync', { conversations: { [aliceId]: 0 } });
    expect(sync).toEqual({ ok: true, data: { messages: [], incomplete: [] } });
    const typing = await bob.socket
      .timeout(5000)
      .emitWithAck('typing.set', { conversationId: aliceId, isTyping: true, draft: 'x' });
    expect(typing).toEqual(notFound);
    const rate = await bob.socket
      .timeout(5000)
      .emitWithAck('conversation.rate', { conversationId: aliceId, rating: 'down' });
    expect(rate).toEqual(notFound);
    const read2 = await api(s, 'POST', '/api/messages/read', {
      token: bob.session.visitorToken,
      body: { conversationId: aliceId, seq: 10 },
    });
    expect(read2.status).toBe(404);

    // Alice's conversation got nothing from Bob, and Bob got nothing of Alice's.
    await agent.timeout(5000).emitWithAck('message.send', {
      conversationId: aliceId,
      content: 'Only for Alice',
      clientId: newClientId(),
      type: 'text',
    });
    const alicesHistory = await api(s, 'GET', `/api/conversations/${aliceId}/messages`, {
      token: alice.session.visitorToken,
    });
    const contents = alicesHistory.body.messages.map((m: Message) => m.content);
    expect(contents).toContain('Only for Alice');
    expect(contents).not.toContain('sneaky');
    await bob.socket.timeout(5000).emitWithAck('sync', { conversations: {} });
    expect(bobSees.filter((m) => m.conversationId === aliceId)).toEqual([]);
  });

  it('a visitor token opens no agent route, and an agent token is no visitor', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const chat = await startVisitorChat(s);
    const token = chat.session.visitorToken;
    for (const path of [
      '/api/conversations',
      '/api/visitors',
      '/api/users',
      '/api/analytics/overview',
      '/api/auth/me',
    ]) {
      const res = await api(s, 'GET', path, { token });
      expect(res.status, path).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    const patch = await api(s, 'PATCH', '/api/visitors/me', {
      token: admin.token,
      body: { name: 'x' },
    });
    expect(patch.status).toBe(401);
  });

  it("claiming an email changes only the visitor's own record", async () => {
    const s = server.current;
    await createAdmin(s);
    const first = await startVisitorChat(s, 'first visitor');
    await api(s, 'PATCH', '/api/visitors/me', {
      token: first.session.visitorToken,
      body: { name: 'Carol', email: 'carol@example.com' },
    });
    const impostor = await startVisitorChat(s, 'I am Carol too');
    const claimed = await api(s, 'PATCH', '/api/visitors/me', {
      token: impostor.session.visitorToken,
      body: { email: 'CAROL@example.com' },
    });
    expect(claimed.status).toBe(200);
    expect(claimed.body.visitor.id).toBe(impostor.session.visitor.id);
    expect(claimed.body.visitor.email).toBe('carol@example.com');
    const history = await api(
      s,
      'GET',
      `/api/conversations/${first.started.conversation.id}/messages`,
      {
        token: impostor.session.visitorToken,
      },
    );
    expect(history.status).toBe(404);
  });
});
