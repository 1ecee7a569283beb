import type { ConversationListItem, Message } from '@parley/protocol';
import { AnalyticsTimeseries, ConversationListReply } from '@parley/protocol';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  createAdmin,
  createAgent,
  newClientId,
  nextEvent,
  startVisitorChat,
} from './factories.js';
import { useServer } from './harness.js';

const server = useServer();

/** Every conversation's id in the agents' list, page by page with the cursor. */
async function pageThrough(token: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: unknown } = await api(
      server.current,
      'GET',
      `/api/conversations?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      { token },
    );
    const parsed = ConversationListReply.parse(page.body);
    expect(parsed.items.length).toBeLessThanOrEqual(limit);
    seen.push(...parsed.items.map((c) => c.id));
    cursor = parsed.nextCursor;
  } while (cursor);
  return seen;
}

describe('conversations over REST', () => {
  it('lists with status, assignee and text filters and pages with a cursor', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await connectAgent(s, admin.token);
    const ids: string[] = [];
    for (const text of ['refund please', 'shipping time', 'REFUND again', 'hello', '100% off?']) {
      const chat = await startVisitorChat(s, text);
      ids.push(chat.started.conversation.id);
    }
    const named = await startVisitorChat(s, 'question');
    await api(s, 'PATCH', '/api/visitors/me', {
      token: named.session.visitorToken,
      body: { name: 'Dora Refundson', email: 'dora@example.com' },
    });

    const search = await api(s, 'GET', '/api/conversations?q=refund', { token: admin.token });
    expect(search.body.items).toHaveLength(3);
    const byEmail = await api(s, 'GET', '/api/conversations?q=dora%40example', {
      token: admin.token,
    });
    expect(byEmail.body.items.map((c: ConversationListItem) => c.id)).toEqual([
      named.started.conversation.id,
    ]);
    // Text search: "%" is no wildcard (nor a word), "100%" is the number.
    const percent = await api(s, 'GET', '/api/conversations?q=%25', { token: admin.token });
    expect(percent.body.items).toHaveLength(0);
    const number = await api(s, 'GET', '/api/conversations?q=100%25', { token: admin.token });
    expect(number.body.items).toHaveLength(1);

    const mine = await api(s, 'GET', '/api/conversations?assignee=me&status=open', {
      token: admin.token,
    });
    expect(mine.body.items).toHaveLength(5); // capacity 5: the sixth waits
    const queue = await api(s, 'GET', '/api/conversations?assignee=none', { token: admin.token });
    expect(queue.body.items).toHaveLength(1);

    const seen = await pageThrough(admin.token, 2);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    // Newest activity first.
    expect(seen[0]).toBe(named.started.conversation.id);

    const bad = await api(s, 'GET', '/api/conversations?cursor=notacursor', { token: admin.token });
    expect(bad.status).toBe(400);
    const badStatus = await api(s, 'GET', '/api/conversations?status=deleted', {
      token: admin.token,
    });
    expect(badStatus.status).toBe(400);
  });

  it('orders by the last message to the millisecond across and within minutes, page by page', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const chats = [];
    for (let i = 0; i < 5; i++) chats.push(await startVisitorChat(s, `chat ${i}`));
    const ids = chats.map((c) => c.started.conversation.id);
    // The lists' index holds the minute; the order within a minute comes from lastMessageAt.
    const at = [
      '2026-11-24T12:00:59.900Z',
      '2026-11-24T12:01:00.100Z',
      '2026-11-24T12:00:30.000Z',
      '2026-11-24T12:01:00.050Z',
      '2026-11-24T12:01:00.050Z', // a tie: the higher id first
    ];
    for (const [i, id] of ids.entries()) {
      await s.database.db.execute(sql`update conversations
        set last_message_at = ${at[i]}::timestamptz,
          last_message_minute = date_trunc('minute', ${at[i]}::timestamptz)
        where id = ${id}`);
    }
    const tie = [ids[3]!, ids[4]!].sort().reverse();
    const expected = [ids[1], ...tie, ids[0], ids[2]];
    const seen = await pageThrough(admin.token, 1);
    expect(seen).toEqual(expected);
    const all = await api(s, 'GET', '/api/conversations', { token: admin.token });
    expect(all.body.items.map((c: ConversationListItem) => c.id)).toEqual(expected);
    expect(all.body.items[0].lastMessageAt).toBe(at[1]);
  });

  it('pages messages by seq, marks them read, and keeps tags and notes', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await connectAgent(s, admin.token);
    const chat = await startVisitorChat(s, 'm1');
    const id = chat.started.conversation.id;
    for (let i = 2; i <= 6; i++) {
      await chat.socket.timeout(5000).emitWithAck('message.send', {
        conversationId: id,
        content: `m${i}`,
        clientId: newClientId(),
      });
    }
    const item = (await api(s, 'GET', `/api/conversations/${id}`, { token: admin.token })).body
      .conversation;
    expect(item.unreadCount).toBe(6);
    const last = item.lastSeq;
    const tail = await api(
      s,
      'GET',
      `/api/conversations/${id}/messages?beforeSeq=${last + 1}&limit=2`,
      { token: admin.token },
    );
    expect(tail.body.messages.map((m: Message) => m.seq)).toEqual([last - 1, last]);
    const head = await api(s, 'GET', `/api/conversations/${id}/messages?afterSeq=0&limit=2`, {
      token: admin.token,
    });
    expect(head.body.messages.map((m: Message) => m.seq)).toEqual([1, 2]);

    const readEvent = nextEvent<{ reader: string; seq: number }>(chat.socket, 'messages.read');
    const read = await api(s, 'POST', '/api/messages/read', {
      token: admin.token,
      body: { conversationId: id, seq: last },
    });
    expect(read.status).toBe(204);
    expect(await readEvent).toMatchObject({ reader: 'agent', seq: last });
    expect(
      (await api(s, 'GET', `/api/conversations/${id}`, { token: admin.token })).body.conversation
        .unreadCount,
    ).toBe(0);

    const updated = nextEvent<ConversationListItem>(agent, 'conversation.updated');
    const patched = await api(s, 'PATCH', `/api/conversations/${id}`, {
      token: admin.token,
      body: { tags: ['billing', 'vip', 'billing'], notes: 'Prefers email' },
    });
    expect(patched.body.conversation).toMatchObject({
      tags: ['billing', 'vip'],
      notes: 'Prefers email',
    });
    expect((await updated).tags).toEqual(['billing', 'vip']);
    const empty = await api(s, 'PATCH', `/api/conversations/${id}`, {
      token: admin.token,
      body: {},
    });
    expect(empty.status).toBe(400);
  });

  it('assigns to self, transfers live to another agent, closes and reopens', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const alice = await createAgent(s, admin, { name: 'Alice' });
    const bob = await createAgent(s, admin, { name: 'Bob' });
    const chat = await startVisitorChat(s, 'help');
    const id = chat.started.conversation.id;

    const other = await api(s, 'POST', `/api/conversations/${id}/assign`, {
      token: alice.token,
      body: { agentId: bob.user.id },
    });
    expect(other.status).toBe(403);
    const taken = await api(s, 'POST', `/api/conversations/${id}/assign`, {
      token: alice.token,
      body: { agentId: alice.user.id },
    });
    expect(taken.body.conversation).toMatchObject({ assigneeId: alice.user.id, status: 'open' });

    const bobSocket = await connectAgent(s, bob.token);
    const arrives = nextEvent<ConversationListItem>(
      bobSocket,
      'conversation.updated',
      (c) => c.assigneeId === bob.user.id,
    );
    const notYours = await api(s, 'POST', `/api/conversations/${id}/transfer`, {
      token: bob.token,
      body: { agentId: bob.user.id },
    });
    expect(notYours.status).toBe(403);
    const moved = await api(s, 'POST', `/api/conversations/${id}/transfer`, {
      token: alice.token,
      body: { agentId: bob.user.id },
    });
    expect(moved.status).toBe(200);
    expect((await arrives).id).toBe(id);
    const history = await api(s, 'GET', `/api/conversations/${id}/messages`, {
      token: chat.session.visitorToken,
    });
    expect(history.body.messages.map((m: Message) => m.content)).toContain(
      'Chat transferred to Bob',
    );

    const reply = await api(s, 'POST', '/api/messages', {
      token: alice.token,
      body: { conversationId: id, content: 'Bob will take it from here', clientId: newClientId() },
    });
    expect(reply.status).toBe(201);
    const closed = await api(s, 'PATCH', `/api/conversations/${id}`, {
      token: bob.token,
      body: { status: 'closed' },
    });
    expect(closed.body.conversation.closedAt).not.toBeNull();
    // The list shows what a person last wrote, and who: not "Chat closed by Bob".
    const listed = await api(s, 'GET', '/api/conversations', { token: bob.token });
    expect(
      (listed.body.items as ConversationListItem[]).find((c) => c.id === id)?.lastMessage,
    ).toMatchObject({
      content: 'Bob will take it from here',
      sender: 'agent',
      senderId: alice.user.id,
      senderName: 'Alice',
      type: 'text',
    });
    const reopened = await api(s, 'PATCH', `/api/conversations/${id}`, {
      token: bob.token,
      body: { status: 'open' },
    });
    expect(reopened.body.conversation).toMatchObject({
      status: 'open',
      closedAt: null,
      assigneeId: bob.user.id,
    });
    const ghost = await api(s, 'POST', `/api/conversations/${id}/transfer`, {
      token: admin.token,
      body: { agentId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(ghost.status).toBe(404);
  });
});

describe('other resources', () => {
  it('canned responses: CRUD, unique shortcut, authors and admins only', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin);
    const body = { title: 'Greeting', content: 'Hi! How can I help?', shortcut: 'hi' };
    const created = await api(s, 'POST', '/api/canned-responses', { token: admin.token, body });
    expect(created.status).toBe(201);
    const taken = await api(s, 'POST', '/api/canned-responses', { token: agent.token, body });
    expect(taken.status).toBe(409);
    const badShortcut = await api(s, 'POST', '/api/canned-responses', {
      token: agent.token,
      body: { ...body, shortcut: 'Has Space' },
    });
    expect(badShortcut.status).toBe(400);
    const id = created.body.cannedResponse.id;
    const foreign = await api(s, 'PATCH', `/api/canned-responses/${id}`, {
      token: agent.token,
      body: { title: 'Mine now' },
    });
    expect(foreign.status).toBe(403);
    const own = await api(s, 'POST', '/api/canned-responses', {
      token: agent.token,
      body: { ...body, shortcut: 'bye', title: 'Bye' },
    });
    const clash = await api(s, 'PATCH', `/api/canned-responses/${own.body.cannedResponse.id}`, {
      token: agent.token,
      body: { shortcut: 'hi' },
    });
    expect(clash.status).toBe(409);
    expect(
      (
        await api(s, 'PATCH', `/api/canned-responses/${id}`, {
          token: admin.token,
          body: { content: 'Hello!' },
        })
      ).body.cannedResponse.content,
    ).toBe('Hello!');
    const list = await api(s, 'GET', '/api/canned-responses', { token: agent.token });
    expect(list.body.items.map((c: { shortcut: string }) => c.shortcut)).toEqual(['bye', 'hi']);
    expect(
      (await api(s, 'DELETE', `/api/canned-responses/${id}`, { token: admin.token })).status,
    ).toBe(204);
    expect(
      (await api(s, 'DELETE', `/api/canned-responses/${id}`, { token: admin.token })).status,
    ).toBe(404);
  });

  it('analytics: a series per day, 24 hours, and a validated range', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await startVisitorChat(s, 'one');
    const today = new Date().toISOString().slice(0, 10);
    const series = await api(s, 'GET', `/api/analytics/timeseries?from=2020-01-01&to=2020-01-03`, {
      token: admin.token,
    });
    const parsed = AnalyticsTimeseries.parse(series.body);
    expect(parsed.days).toEqual([
      { date: '2020-01-01', conversations: 0, closed: 0, messages: 0 },
      { date: '2020-01-02', conversations: 0, closed: 0, messages: 0 },
      { date: '2020-01-03', conversations: 0, closed: 0, messages: 0 },
    ]);
    expect(parsed.hours).toHaveLength(24);
    const now = await api(s, 'GET', `/api/analytics/timeseries?from=${today}&to=${today}`, {
      token: admin.token,
    });
    expect(now.body.days).toEqual([{ date: today, conversations: 1, closed: 0, messages: 1 }]);
    const hour = new Date().getUTCHours();
    expect(now.body.hours[hour].conversations).toBe(1);
    const backwards = await api(s, 'GET', '/api/analytics/overview?from=2020-02-01&to=2020-01-01', {
      token: admin.token,
    });
    expect(backwards.status).toBe(400);
    const tooLong = await api(s, 'GET', '/api/analytics/overview?from=2000-01-01&to=2020-01-01', {
      token: admin.token,
    });
    expect(tooLong.status).toBe(400);
    const overview = await api(s, 'GET', '/api/analytics/overview', { token: admin.token });
    expect(overview.body.conversations).toMatchObject({ total: 1, pending: 1 });
  });

  it('visitor session resumes with a valid token and starts fresh with a bad one', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const chat = await startVisitorChat(s, 'remember me');
    const resumed = await api(s, 'POST', '/api/visitors/session', {
      body: { visitorToken: chat.session.visitorToken },
    });
    expect(resumed.status).toBe(201);
    expect(resumed.body.visitor.id).toBe(chat.session.visitor.id);
    expect(resumed.body.conversation.id).toBe(chat.started.conversation.id);
    const fresh = await api(s, 'POST', '/api/visitors/session', {
      body: { visitorToken: 'forged.token.here' },
    });
    expect(fresh.body.visitor.id).not.toBe(chat.session.visitor.id);
    expect(fresh.body.conversation).toBeNull();
    const visitors = await api(s, 'GET', '/api/visitors', { token: admin.token });
    expect(visitors.body.items).toHaveLength(2);
    const settings = await api(s, 'GET', '/api/settings/widget/public');
    expect(settings.body.config).toMatchObject({ color: '#2563eb', agentsOnline: false });
    expect(settings.body.config.allowedOrigins).toBeUndefined();
    const patch = await api(s, 'PATCH', '/api/settings/widget', {
      token: admin.token,
      body: { color: '#ff0000', allowedOrigins: ['https://Shop.example.com'] },
    });
    expect(patch.body.settings).toMatchObject({
      color: '#ff0000',
      allowedOrigins: ['https://shop.example.com'],
    });
  });

  it('a visit begins when the visitor comes back after more than 30 minutes away', async () => {
    const s = server.current;
    const first = await api(s, 'POST', '/api/visitors/session', { body: {} });
    const { visitorToken } = first.body;
    const id = first.body.visitor.id as string;
    const began = first.body.visitor.visitStartedAt as string;
    const resume = async () =>
      (await api(s, 'POST', '/api/visitors/session', { body: { visitorToken } })).body.visitor
        .visitStartedAt as string;
    // The next page, a minute later: the same visit.
    const away = (minutes: number) =>
      server.database.db.execute(sql`update visitors set online = false,
        last_seen_at = now() - make_interval(mins => ${minutes}) where id = ${id}`);
    await away(1);
    expect(await resume()).toBe(began);
    await away(31);
    const again = await resume();
    expect(Date.parse(again)).toBeGreaterThan(Date.parse(began));
    expect(await resume()).toBe(again);
  });
});
