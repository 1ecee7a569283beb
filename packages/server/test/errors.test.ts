import { describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  createAdmin,
  handshakeError,
  newClientId,
  nextEvent,
  openSocket,
  startVisitorChat,
} from './factories.js';
import { useServer } from './harness.js';

const server = useServer();

describe('bad input', () => {
  it('answers malformed, oversized and invalid REST input with one error shape', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const chat = await startVisitorChat(s);
    const conversationId = chat.started.conversation.id;

    const malformed = await api(s, 'POST', '/api/auth/login', { raw: '{"email": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({
      error: { code: 'validation_failed', message: 'Malformed JSON' },
    });

    const huge = await api(s, 'POST', '/api/messages', {
      token: admin.token,
      raw: JSON.stringify({
        conversationId,
        content: 'x'.repeat(200_000),
        clientId: newClientId(),
      }),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');

    const cases: Array<[string, unknown]> = [
      ['empty', ''],
      ['blank', '   '],
      ['too long', 'x'.repeat(5001)],
      ['NUL', 'a\u0000b'],
      ['lone surrogate', 'a\uD800b'],
      ['not text', 42],
    ];
    for (const [label, content] of cases) {
      const res = await api(s, 'POST', '/api/messages', {
        token: admin.token,
        body: { conversationId, content, clientId: newClientId() },
      });
      expect(res.status, label).toBe(400);
      expect(res.body.error.code, label).toBe('validation_failed');
    }
    const longest = await api(s, 'POST', '/api/messages', {
      token: admin.token,
      body: { conversationId, content: 'x'.repeat(5000), clientId: newClientId() },
    });
    expect(longest.status).toBe(201);

    const badId = await api(s, 'GET', "/api/conversations/1'%20or%201=1--", { token: admin.token });
    expect(badId.status).toBe(400);
    const missing = await api(s, 'GET', '/api/conversations/00000000-0000-4000-8000-000000000000', {
      token: admin.token,
    });
    expect(missing.body).toEqual({
      error: { code: 'not_found', message: 'Conversation not found' },
    });
    const route = await api(s, 'GET', '/api/nothing-here', { token: admin.token });
    expect(route.status).toBe(404);
    expect(route.body.error.code).toBe('not_found');
    const noteFromVisitor = await api(s, 'POST', '/api/messages', {
      token: chat.session.visitorToken,
      body: { conversationId, content: 'pretend note', clientId: newClientId(), type: 'note' },
    });
    expect(noteFromVisitor.status).toBe(403);
  });

  it('survives garbage on sockets and acks it as validation errors', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await connectAgent(s, admin.token);
    const chat = await startVisitorChat(s);
    const raw = chat.socket as unknown as {
      emit(ev: string, ...args: unknown[]): void;
      timeout(ms: number): {
        emitWithAck(
          ev: string,
          ...args: unknown[]
        ): Promise<{ ok: boolean; error?: { code: string } }>;
      };
    };
    for (const payload of [
      null,
      'text',
      42,
      [],
      { conversationId: 'nope' },
      { content: { $gt: '' } },
    ]) {
      const reply = await raw.timeout(5000).emitWithAck('message.send', payload);
      expect(reply.ok).toBe(false);
      expect(reply.error?.code).toBe('validation_failed');
    }
    // No ack function, unknown events, extra arguments: ignored, nothing crashes.
    raw.emit('message.send', {
      conversationId: chat.started.conversation.id,
      content: 'no ack',
      clientId: newClientId(),
    });
    raw.emit('drop.tables', { all: true });
    raw.emit(
      'typing.set',
      { conversationId: chat.started.conversation.id, isTyping: 'yes' },
      () => {},
      'extra',
    );
    const still = await chat.socket.timeout(5000).emitWithAck('message.send', {
      conversationId: chat.started.conversation.id,
      content: 'still here',
      clientId: newClientId(),
    });
    expect(still.ok).toBe(true);
    const agentReply = await agent
      .timeout(5000)
      .emitWithAck('conversation.join', { conversationId: 'not-a-uuid' });
    expect(agentReply.ok).toBe(false);
  });

  it('closes a socket that sends an oversized packet, and only that one', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const chat = await startVisitorChat(s);
    const gone = nextEvent(chat.socket, 'disconnect');
    chat.socket.emit(
      'message.send',
      {
        conversationId: chat.started.conversation.id,
        content: 'x'.repeat(200_000),
        clientId: newClientId(),
      },
      () => {},
    );
    await gone;
    const health = await api(s, 'GET', '/readyz');
    expect(health.body).toMatchObject({ status: 'ready', database: true });
    expect((await api(s, 'GET', '/api/auth/me', { token: admin.token })).status).toBe(200);
  });

  it('refuses sockets without a valid token at the handshake', async () => {
    const s = server.current;
    for (const [ns, auth] of [
      ['/agent', {}],
      ['/agent', { token: 'forged' }],
      ['/visitor', { visitorToken: 42 }],
      ['/visitor', { visitorToken: 'forged' }],
    ] as const) {
      const error = await handshakeError(openSocket(s, ns, auth));
      expect(error.data).toEqual({ code: 'unauthorized' });
    }
  });
});
