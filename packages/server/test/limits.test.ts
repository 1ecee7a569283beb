import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Visitor } from '@parley/protocol';
import { VISITOR_UPDATE_INTERVAL_MS } from '../src/realtime/visitor-updates.js';
import { limits } from '../src/services/rate-limit.js';
import {
  api,
  collect,
  connectAgent,
  connectVisitor,
  createAdmin,
  createVisitor,
  newClientId,
  nextEvent,
  startVisitorChat,
} from './factories.js';
import { useServer } from './harness.js';

const server = useServer();

describe('rate limits', () => {
  it('slows down password guessing on one account, with the same refusal every time', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await api(s, 'POST', '/api/auth/login', {
        body: { email: admin.user.email, password: `guess ${i}` },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    const limited = await api(s, 'POST', '/api/auth/login', {
      body: { email: admin.user.email, password: 'correct horse battery' },
    });
    // The reply says how long to wait: in the header, and in the details for clients that
    // read the body (sockets have no headers).
    expect(limited.body).toEqual({
      error: {
        code: 'rate_limited',
        message: expect.stringMatching(/^Too many requests: try again in /),
        details: { retryAfterMs: expect.any(Number) },
      },
    });
    const { retryAfterMs } = limited.body.error.details;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(limits.loginPerEmail.windowMs);
    expect(limited.headers.get('retry-after')).toBe(String(Math.ceil(retryAfterMs / 1000)));
  });

  it('caps a visitor flooding messages, storing nothing past the limit', async () => {
    const s = server.current;
    await createAdmin(s);
    const chat = await startVisitorChat(s);
    const conversationId = chat.started.conversation.id;
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        chat.socket.timeout(5000).emitWithAck('message.send', {
          conversationId,
          content: `flood ${i}`,
          clientId: newClientId(),
        }),
      ),
    );
    const refused = replies.filter((r) => !r.ok);
    // The opening message counted too, twice: nobody was online, so it was first asked its
    // proof of work (the offline form), then sent with it. 38 more fit in the window.
    expect(replies.filter((r) => r.ok)).toHaveLength(38);
    expect(refused[0]).toEqual({
      ok: false,
      error: {
        code: 'rate_limited',
        message: expect.stringMatching(/^Too many requests: try again in /),
        details: { retryAfterMs: expect.any(Number) },
      },
    });
    const stored = await server.database.db.execute(
      sql`select count(*)::int as n from messages where conversation_id = ${conversationId} and sender = 'visitor'`,
    );
    // The opening message and the 38: the limit's 40 hits less the start asked its proof.
    expect((stored as unknown as { rows: Array<{ n: number }> }).rows[0]?.n).toBe(39);
    // Typing is throttled per socket too.
    const typing = await Promise.all(
      Array.from({ length: 15 }, () =>
        chat.socket
          .timeout(5000)
          .emitWithAck('typing.set', { conversationId, isTyping: true, draft: 'x' }),
      ),
    );
    expect(typing.filter((t) => !t.ok).length).toBeGreaterThanOrEqual(5);
  });
});

describe("what one visitor's changes cost the agents", () => {
  it('coalesces a burst of visitor updates, and the last state always arrives', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await connectAgent(s, admin.token);
    const session = await createVisitor(s);
    const visitorId = session.visitor.id;
    const socket = await connectVisitor(s, session.visitorToken);
    const updates = collect<Visitor>(agent, 'visitor.updated');
    const started = Date.now();
    const pages = limits.pageViewsPerVisitor.limit;
    for (let i = 0; i < pages; i++) {
      const reply = await socket
        .timeout(5000)
        .emitWithAck('page.view', { url: `https://shop.example.com/p/${i}`, title: `Page ${i}` });
      expect(reply.ok).toBe(true);
    }
    const named = await api(s, 'PATCH', '/api/visitors/me', {
      token: session.visitorToken,
      body: { name: 'Grace' },
    });
    expect(named.status).toBe(200);
    const elapsed = Date.now() - started;
    // The trailing update carries the visitor as they are now: the last page, and the name.
    const last = `https://shop.example.com/p/${pages - 1}`;
    await nextEvent<Visitor>(
      agent,
      'visitor.updated',
      (v) => v.id === visitorId && v.name === 'Grace' && v.currentUrl === last,
    );
    await new Promise((r) => setTimeout(r, VISITOR_UPDATE_INTERVAL_MS + 200));
    const mine = updates.filter((v) => v.id === visitorId);
    // One per interval at most (plus the connection's "online" and the trailing one), not one
    // per page view: 31 changes were made.
    expect(mine.length).toBeLessThanOrEqual(Math.ceil(elapsed / VISITOR_UPDATE_INTERVAL_MS) + 2);
    expect(mine.at(-1)).toMatchObject({ name: 'Grace', currentUrl: last, online: true });
  });

  it('refuses profile updates past the limit with 429 and Retry-After', async () => {
    const s = server.current;
    const session = await createVisitor(s);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i <= limits.profileUpdatesPerVisitor.limit; i++) {
      const res = await api(s, 'PATCH', '/api/visitors/me', {
        token: session.visitorToken,
        body: { name: `Name ${i}` },
      });
      statuses.push(res.status);
      retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([...Array(limits.profileUpdatesPerVisitor.limit).fill(200), 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(limits.profileUpdatesPerVisitor.windowMs / 1000);
  });
});
