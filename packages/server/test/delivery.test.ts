import type { Message } from '@parley/protocol';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  api,
  collect,
  type AgentClient,
  connectAgent,
  connectVisitor,
  createAdmin,
  newClientId,
  openSocket,
  startVisitorChat,
  waitFor,
} from './factories.js';
import { appendMessage } from '../src/db/message-appender.js';
import { useServer } from './harness.js';

const server = useServer();

async function rowsFor(conversationId: string) {
  const result = await server.database.db.execute(
    sql`select seq, client_id as "clientId", content from messages
      where conversation_id = ${conversationId} order by seq`,
  );
  return (
    result as unknown as { rows: Array<{ seq: number; clientId: string | null; content: string }> }
  ).rows;
}

describe('delivery', () => {
  it('a visitor who was away receives exactly what was sent meanwhile, in order', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await connectAgent(s, admin.token);
    const chat = await startVisitorChat(s);
    const conversationId = chat.started.conversation.id;
    // Everything so far (first message, "joined" line) has reached the visitor.
    const joined = await api(s, 'GET', `/api/conversations/${conversationId}/messages`, {
      token: chat.session.visitorToken,
    });
    const lastSeen = Math.max(...joined.body.messages.map((m: Message) => m.seq));

    chat.socket.disconnect();
    const sent: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const content = `while you were away ${i}`;
      const ack = await agent.timeout(5000).emitWithAck('message.send', {
        conversationId,
        content,
        clientId: newClientId(),
        type: 'text',
      });
      expect(ack.ok).toBe(true);
      sent.push(content);
    }

    const back = await connectVisitor(s, chat.session.visitorToken);
    const live = collect<Message>(back, 'message.created');
    const missed = await back
      .timeout(5000)
      .emitWithAck('sync', { conversations: { [conversationId]: lastSeen } });
    if (!missed.ok) throw new Error(missed.error.message);
    expect(missed.data.messages.map((m: Message) => m.content)).toEqual(sent);
    expect(missed.data.messages.map((m: Message) => m.seq)).toEqual(
      [1, 2, 3, 4, 5].map((i) => lastSeen + i),
    );
    expect(missed.data.incomplete).toEqual([]);
    expect(live).toEqual([]);
    // A second sync from the newest seq returns nothing: nothing is shown twice.
    const again = await back.timeout(5000).emitWithAck('sync', {
      conversations: { [conversationId]: lastSeen + 5 },
    });
    expect(again.ok && again.data.messages).toEqual([]);
  });

  it('an agent who was away catches up by sync, notes included', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await connectAgent(s, admin.token);
    const chat = await startVisitorChat(s);
    const conversationId = chat.started.conversation.id;
    const lastSeen = (await rowsFor(conversationId)).length;
    agent.disconnect();
    for (const content of ['one', 'two']) {
      await chat.socket
        .timeout(5000)
        .emitWithAck('message.send', { conversationId, content, clientId: newClientId() });
    }
    const note = {
      conversationId,
      content: 'note from a teammate',
      clientId: newClientId(),
      type: 'note',
    };
    expect((await api(s, 'POST', '/api/messages', { token: admin.token, body: note })).status).toBe(
      201,
    );
    const back = await connectAgent(s, admin.token);
    const missed = await back
      .timeout(5000)
      .emitWithAck('sync', { conversations: { [conversationId]: lastSeen } });
    expect(missed.ok && missed.data.messages.map((m: Message) => m.content)).toEqual([
      'one',
      'two',
      'note from a teammate',
    ]);
    // The visitor's sync from the same point skips the note.
    const visitorSync = await chat.socket
      .timeout(5000)
      .emitWithAck('sync', { conversations: { [conversationId]: lastSeen } });
    expect(visitorSync.ok && visitorSync.data.messages.map((m: Message) => m.content)).toEqual([
      'one',
      'two',
    ]);
  });

  it('each ack carries the message exactly as it is stored and listed, on both sides', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await connectAgent(s, admin.token);
    const chat = await startVisitorChat(s);
    const conversationId = chat.started.conversation.id;
    const message = (reply: { ok: true; data: { message: Message } } | { ok: false }) => {
      if (!reply.ok) throw new Error('send failed');
      return reply.data.message;
    };
    const fromVisitor = await chat.socket.timeout(5000).emitWithAck('message.send', {
      conversationId,
      content: '  Grüße, ça va ? 👋\nline two\t',
      clientId: newClientId(),
    });
    const fromAgent = await agent.timeout(5000).emitWithAck('message.send', {
      conversationId,
      content: 'Ça va très bien 🙂 — et vous ?',
      clientId: newClientId(),
      type: 'text',
    });
    const acked = [chat.started.message, message(fromVisitor), message(fromAgent)];
    const listed = await api(s, 'GET', `/api/conversations/${conversationId}/messages`, {
      token: admin.token,
    });
    expect(listed.status).toBe(200);
    const userMessages = (listed.body.messages as Message[]).filter((m) => m.type === 'text');
    expect(userMessages).toEqual(acked);
    expect(acked[2]).toMatchObject({ sender: 'agent', senderName: admin.user.name });
  });

  it('a resent clientId returns the stored message and makes no second row', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await connectAgent(s, admin.token);
    const chat = await startVisitorChat(s);
    const conversationId = chat.started.conversation.id;
    const clientId = newClientId();
    const payload = { conversationId, content: 'sent twice on a flaky line', clientId };
    const first = await chat.socket.timeout(5000).emitWithAck('message.send', payload);
    const second = await chat.socket.timeout(5000).emitWithAck('message.send', payload);
    const overRest = await api(s, 'POST', '/api/messages', {
      token: chat.session.visitorToken,
      body: payload,
    });
    if (!first.ok || !second.ok) throw new Error('send failed');
    expect(second.data.message).toEqual(first.data.message);
    expect(overRest.status).toBe(200);
    expect(overRest.body.message.id).toBe(first.data.message.id);
    const rows = (await rowsFor(conversationId)).filter((r) => r.clientId === clientId);
    expect(rows).toHaveLength(1);

    // Resending the opening message reuses the conversation and its first message too.
    const reopen = await chat.socket.timeout(5000).emitWithAck('conversation.start', {
      content: chat.started.message.content,
      clientId: chat.started.message.clientId ?? '',
    });
    expect(reopen.ok && reopen.data.conversation.id).toBe(conversationId);
    expect(reopen.ok && reopen.data.message.id).toBe(chat.started.message.id);
  });

  it('concurrent senders on both sides get contiguous seqs, each message once', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await connectAgent(s, admin.token);
    const agentTab = await connectAgent(s, admin.token);
    const chat = await startVisitorChat(s);
    const visitorTab = await connectVisitor(s, chat.session.visitorToken);
    const conversationId = chat.started.conversation.id;
    const before = (await rowsFor(conversationId)).length;
    const seen = {
      visitor: collect<Message>(chat.socket, 'message.created'),
      visitorTab: collect<Message>(visitorTab, 'message.created'),
      agent: collect<Message>(agent, 'message.created'),
      agentTab: collect<Message>(agentTab, 'message.created'),
    };
    const sends = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? chat.socket.timeout(10_000).emitWithAck('message.send', {
            conversationId,
            content: `v${i}`,
            clientId: newClientId(),
          })
        : agent.timeout(10_000).emitWithAck('message.send', {
            conversationId,
            content: `a${i}`,
            clientId: newClientId(),
            type: 'text',
          }),
    );
    const acks = await Promise.all(sends);
    expect(acks.every((a) => a.ok)).toBe(true);
    const rows = await rowsFor(conversationId);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows).toHaveLength(before + 40);
    // The sending socket has its message in the ack; every other tab of either side gets it
    // broadcast, once.
    await waitFor(() => seen.visitorTab.length >= 40 && seen.agentTab.length >= 40);
    await new Promise((r) => setTimeout(r, 100));
    const acked = (sender: string) =>
      acks.flatMap((a) => (a.ok && a.data.message.sender === sender ? [a.data.message.seq] : []));
    const seqsOf = (ms: Message[]) => ms.map((m) => m.seq).sort((a, b) => a - b);
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    expect(new Set(seqsOf(seen.visitorTab)).size).toBe(40);
    expect(new Set(seqsOf(seen.agentTab)).size).toBe(40);
    expect(seqsOf(seen.visitorTab)).toEqual(sorted([...acked('visitor'), ...acked('agent')]));
    expect(seqsOf(seen.visitor)).toEqual(sorted(acked('agent')));
    expect(seqsOf(seen.agent)).toEqual(sorted(acked('visitor')));
  });

  it('a closed conversation takes no new message from the visitor', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await connectAgent(s, admin.token);
    const chat = await startVisitorChat(s);
    const conversationId = chat.started.conversation.id;
    await api(s, 'PATCH', `/api/conversations/${conversationId}`, {
      token: admin.token,
      body: { status: 'closed' },
    });
    const late = await chat.socket
      .timeout(5000)
      .emitWithAck('message.send', { conversationId, content: 'hello?', clientId: newClientId() });
    expect(late).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'This conversation is closed' },
    });
    // A new chat opens a new conversation.
    const fresh = await chat.socket
      .timeout(5000)
      .emitWithAck('conversation.start', { content: 'Another question', clientId: newClientId() });
    expect(fresh.ok && fresh.data.conversation.id).not.toBe(conversationId);
  });

  it('stores messages sent at the same moment in one commit; a refused one fails alone', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const [a, b, closed] = [
      await startVisitorChat(s),
      await startVisitorChat(s),
      await startVisitorChat(s),
    ];
    const id = (c: typeof a) => c.started.conversation.id;
    await api(s, 'PATCH', `/api/conversations/${id(closed)}`, {
      token: admin.token,
      body: { status: 'closed' },
    });
    const closedRows = (await rowsFor(id(closed))).length;
    const db = server.database.db;
    const text = (c: typeof a, content: string, clientId = newClientId()) => ({
      conversationId: id(c),
      clientId,
      sender: 'visitor' as const,
      senderId: c.session.visitor.id,
      content,
      type: 'text' as const,
    });
    const resent = newClientId();
    // One turn of the event loop: all of these reach the appender together.
    const results = await Promise.all([
      appendMessage(db, text(a, 'a1', resent), a.session.visitor.id),
      appendMessage(db, text(b, 'b1'), b.session.visitor.id),
      appendMessage(db, text(a, 'a2'), a.session.visitor.id),
      appendMessage(db, text(a, 'a1 again', resent), a.session.visitor.id),
      appendMessage(db, text(closed, 'too late'), closed.session.visitor.id),
      appendMessage(
        db,
        { ...text(closed, 'note on a closed chat'), sender: 'agent', type: 'note' },
        undefined,
      ),
      appendMessage(db, text(b, "not b's visitor"), a.session.visitor.id),
      appendMessage(db, text(b, 'b2'), b.session.visitor.id),
      appendMessage(db, { ...text(a, 'nowhere'), conversationId: newClientId() }),
    ]);
    expect(results.map((r) => r.outcome)).toEqual([
      'created',
      'created',
      'created',
      'duplicate',
      'closed',
      'created',
      'not_found',
      'created',
      'not_found',
    ]);
    const created = results.flatMap((r) => (r.outcome === 'created' ? [r.message] : []));
    // One transaction: now() is the same for every message it stored.
    expect(new Set(created.map((m) => m.createdAt.getTime())).size).toBe(1);
    const [a1, , , again] = results;
    expect(again?.outcome === 'duplicate' && again.message.id).toBe(
      a1?.outcome === 'created' && a1.message.id,
    );
    for (const c of [a, b]) {
      const rows = await rowsFor(id(c));
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    }
    expect((await rowsFor(id(a))).slice(-2).map((r) => r.content)).toEqual(['a1', 'a2']);
    expect((await rowsFor(id(b))).slice(-2).map((r) => r.content)).toEqual(['b1', 'b2']);
    expect((await rowsFor(id(closed))).map((r) => r.content).slice(closedRows)).toEqual([
      'note on a closed chat',
    ]);

    // A resend of a stored message does not keep the rest of its batch from being stored
    // together, without a gap in the seqs.
    const withResend = await Promise.all([
      appendMessage(db, text(a, 'a3'), a.session.visitor.id),
      appendMessage(db, text(a, 'a1 once more', resent), a.session.visitor.id),
      appendMessage(db, text(b, 'b3'), b.session.visitor.id),
    ]);
    expect(withResend.map((r) => r.outcome)).toEqual(['created', 'duplicate', 'created']);
    const stored = withResend.flatMap((r) => (r.outcome === 'created' ? [r.message] : []));
    expect(new Set(stored.map((m) => m.createdAt.getTime())).size).toBe(1);
    expect(withResend[1]?.outcome === 'duplicate' && withResend[1].message.content).toBe('a1');
    for (const c of [a, b]) {
      const rows = await rowsFor(id(c));
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
      expect(rows.at(-1)?.content).toBe(c === a ? 'a3' : 'b3');
    }

    // Sent one after the other without waiting, they span several batches and keep their order.
    const burst: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      burst.push(appendMessage(db, text(a, `burst ${i}`), a.session.visitor.id));
      if (i % 4 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(burst);
    expect((await rowsFor(id(a))).slice(-30).map((r) => r.content)).toEqual(
      Array.from({ length: 30 }, (_, i) => `burst ${i}`),
    );
  });
});

describe('connection-state recovery', () => {
  it('gives a socket back after a short drop, with what was broadcast meanwhile, once each', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const chat = await startVisitorChat(s);
    const conversationId = chat.started.conversation.id;
    // A dashboard socket that reconnects by itself, as the dashboard's does.
    const agent: AgentClient = openSocket(s, '/agent', { token: admin.token }, { reconnect: true });
    await new Promise((resolve) => agent.once('connect', () => resolve(null)));
    const seen = collect<Message>(agent, 'message.created');
    // The visitor's messages (routing may add a "joined" line at any point).
    const sent = () => seen.filter((m) => m.sender === 'visitor').map((m) => m.content);
    const send = (content: string) =>
      chat.socket
        .timeout(5000)
        .emitWithAck('message.send', { conversationId, content, clientId: newClientId() });

    await send('before the drop');
    await waitFor(() => sent().length === 1);
    // The connection drops (not a disconnect the client asked for): it comes back by itself.
    const back = new Promise((resolve) => agent.once('connect', () => resolve(null)));
    agent.io.engine.close();
    await waitFor(() => !agent.connected);
    await send('while away 1');
    await send('while away 2');
    await back;
    expect(agent.recovered).toBe(true);
    await waitFor(() => sent().length === 3);
    await send('after');
    await waitFor(() => sent().length === 4);
    expect(sent()).toEqual(['before the drop', 'while away 1', 'while away 2', 'after']);
  });
});

describe('a long absence', () => {
  it('syncs at most 500 messages per conversation and names the ones with more', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await connectAgent(s, admin.token);
    const chat = await startVisitorChat(s);
    const conversationId = chat.started.conversation.id;
    const before = (await rowsFor(conversationId)).length;
    // 600 messages stored while the agent was away (written directly: rate limits would
    // rightly slow any real sender down).
    await server.database.db
      .execute(sql`insert into messages (conversation_id, seq, sender, content)
      select ${conversationId}, ${before} + n, 'visitor', 'backlog ' || n from generate_series(1, 600) n`);
    await server.database.db.execute(
      sql`update conversations set last_seq = ${before + 600} where id = ${conversationId}`,
    );
    const first = await agent
      .timeout(5000)
      .emitWithAck('sync', { conversations: { [conversationId]: before } });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.data.messages).toHaveLength(500);
    expect(first.data.messages.at(-1)?.seq).toBe(before + 500);
    expect(first.data.incomplete).toEqual([conversationId]);
    const rest = await agent
      .timeout(5000)
      .emitWithAck('sync', { conversations: { [conversationId]: before + 500 } });
    expect(rest.ok && rest.data.messages.map((m: Message) => m.content)).toEqual(
      Array.from({ length: 100 }, (_, i) => `backlog ${501 + i}`),
    );
    expect(rest.ok && rest.data.incomplete).toEqual([]);
  });
});
