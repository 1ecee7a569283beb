import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api, createAdmin, newClientId, startVisitorChat } from './factories.js';
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
    expect(limited.body).toEqual({
      error: { code: 'rate_limited', message: 'Too many requests, slow down' },
    });
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
    // The opening message counted too: 39 more fit in the window.
    expect(replies.filter((r) => r.ok)).toHaveLength(39);
    expect(refused[0]).toEqual({
      ok: false,
      error: { code: 'rate_limited', message: 'Too many requests, slow down' },
    });
    const stored = await server.database.db.execute(
      sql`select count(*)::int as n from messages where conversation_id = ${conversationId} and sender = 'visitor'`,
    );
    expect((stored as unknown as { rows: Array<{ n: number }> }).rows[0]?.n).toBe(40);
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
