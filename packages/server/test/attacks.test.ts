import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  createAdmin,
  createAgent,
  handshakeError,
  joinTeam,
  newClientId,
  openSocket,
  startVisitorChat,
  type SignedInAgent,
  type VisitorChat,
} from './factories.js';
import { useServer } from './harness.js';
import { attack as attackOn, refusal } from './attack-kit.js';

/**
 * The attack suite: what live-chat products have been breached through, tried against the
 * real server. Every case asserts the exact refusal and that the database did not change.
 */
const server = useServer({ shared: true });

let admin: SignedInAgent;
let agent: SignedInAgent;
let alice: VisitorChat;
let bob: VisitorChat;
let adminCanned: string;

const attack = (run: () => Promise<void>) => attackOn(server.database, run);

beforeAll(async () => {
  const s = server.current;
  admin = await createAdmin(s);
  agent = await createAgent(s, admin, { name: 'Mallory Agent' });
  await connectAgent(s, admin.token);
  alice = await startVisitorChat(s, 'Alice: my card ends in 4242');
  bob = await startVisitorChat(s, 'Bob here');
  const canned = await api(s, 'POST', '/api/canned-responses', {
    token: admin.token,
    body: { title: 'Hi', content: 'Hello!', shortcut: 'hi' },
  });
  adminCanned = canned.body.cannedResponse.id;
});

describe('oversized and malformed', () => {
  it('1. a 200 KB body is refused before parsing', () =>
    attack(async () => {
      const res = await api(server.current, 'POST', '/api/messages', {
        token: alice.session.visitorToken,
        raw: JSON.stringify({
          conversationId: alice.started.conversation.id,
          content: 'x'.repeat(200_000),
          clientId: newClientId(),
        }),
      });
      expect(res.status).toBe(413);
      expect(res.body).toEqual(refusal('payload_too_large', 'Request body too large'));
    }));

  it('2. a 5,001-character message is refused', () =>
    attack(async () => {
      const res = await api(server.current, 'POST', '/api/messages', {
        token: alice.session.visitorToken,
        body: {
          conversationId: alice.started.conversation.id,
          content: 'x'.repeat(5001),
          clientId: newClientId(),
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }));

  it('3. an oversized socket packet closes that socket only', async () => {
    const socket = openSocket(server.current, '/visitor', {
      visitorToken: bob.session.visitorToken,
    });
    await new Promise((r) => socket.once('connect', () => r(null)));
    await attack(async () => {
      const gone = new Promise((r) => socket.once('disconnect', r));
      socket.emit('message.send', {
        conversationId: bob.started.conversation.id,
        content: 'x'.repeat(100_000),
        clientId: newClientId(),
      });
      expect(await gone).toBe('transport close');
    });
  });

  it('4. malformed JSON is a clear 400', () =>
    attack(async () => {
      const res = await api(server.current, 'POST', '/api/auth/login', { raw: '{"email":' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(refusal('validation_failed', 'Malformed JSON'));
    }));

  it('5. an operator object where text belongs (NoSQL-style injection) is refused', () =>
    attack(async () => {
      const res = await api(server.current, 'POST', '/api/auth/login', {
        body: { email: { $gt: '' }, password: { $ne: null } },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }));

  it('6. NUL and lone surrogates in names and messages are refused', () =>
    attack(async () => {
      const nul = await api(server.current, 'PATCH', '/api/visitors/me', {
        token: bob.session.visitorToken,
        body: { name: 'Bob\u0000Tables' },
      });
      expect(nul.status).toBe(400);
      const surrogate = await bob.socket.timeout(5000).emitWithAck('message.send', {
        conversationId: bob.started.conversation.id,
        content: 'broken \uD83D text',
        clientId: newClientId(),
      });
      expect(surrogate.ok ? null : surrogate.error.code).toBe('validation_failed');
    }));
});

describe('injection', () => {
  it('7. SQL in the search text is only text: it matches nothing', () =>
    attack(async () => {
      for (const q of [
        "' OR 1=1 --",
        "%' union select password_hash from users --",
        "\\'; drop table messages; --",
      ]) {
        const res = await api(
          server.current,
          'GET',
          `/api/conversations?q=${encodeURIComponent(q)}`,
          { token: agent.token },
        );
        expect(res.status).toBe(200);
        expect(res.body.items).toEqual([]);
      }
    }));

  it('8. SQL in a filter value is refused by its allowlist', () =>
    attack(async () => {
      const res = await api(
        server.current,
        'GET',
        `/api/conversations?status=${encodeURIComponent("open' OR '1'='1")}`,
        { token: agent.token },
      );
      expect(res.status).toBe(400);
      const assignee = await api(
        server.current,
        'GET',
        `/api/conversations?assignee=${encodeURIComponent('1 OR 1=1')}`,
        { token: agent.token },
      );
      expect(assignee.status).toBe(400);
    }));

  it('9. SQL in a path id is refused', () =>
    attack(async () => {
      const res = await api(
        server.current,
        'PATCH',
        `/api/conversations/${encodeURIComponent("x' OR '1'='1")}`,
        {
          token: agent.token,
          body: { status: 'closed' },
        },
      );
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ path: 'id', message: 'Invalid UUID' }]);
    }));

  it('10. a forged pagination cursor is refused', () =>
    attack(async () => {
      const cursor = Buffer.from(JSON.stringify(['2020-01-01', "x' or 1=1 --"])).toString(
        'base64url',
      );
      const res = await api(server.current, 'GET', `/api/conversations?cursor=${cursor}`, {
        token: agent.token,
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(refusal('validation_failed', 'Invalid cursor'));
    }));

  it('11. SQL in sync conversation ids is refused', () =>
    attack(async () => {
      const reply = await bob.socket.timeout(5000).emitWithAck('sync', {
        conversations: { "x') or true --": 0 },
      });
      expect(reply.ok ? null : reply.error.code).toBe('validation_failed');
    }));
});

describe('stored XSS vectors', () => {
  it('12. a javascript: URL as a page view is refused', () =>
    attack(async () => {
      const reply = await bob.socket
        .timeout(5000)
        .emitWithAck('page.view', { url: 'javascript:alert(document.cookie)', title: 'x' });
      expect(reply?.ok ? null : reply?.error.code).toBe('validation_failed');
    }));

  it('13. markup in the widget colour or an allowed origin is refused', () =>
    attack(async () => {
      const color = await api(server.current, 'PATCH', '/api/settings/widget', {
        token: admin.token,
        body: { color: 'red;}</style><script>alert(1)</script>' },
      });
      expect(color.status).toBe(400);
      const origin = await api(server.current, 'PATCH', '/api/settings/widget', {
        token: admin.token,
        body: { allowedOrigins: ['javascript:alert(1)'] },
      });
      expect(origin.status).toBe(400);
    }));

  it('14. markup in a canned-response shortcut is refused', () =>
    attack(async () => {
      const res = await api(server.current, 'POST', '/api/canned-responses', {
        token: agent.token,
        body: { title: 'x', content: 'y', shortcut: '<img src=x onerror=alert(1)>' },
      });
      expect(res.status).toBe(400);
    }));

  it('15. replies are JSON that browsers will not sniff as HTML', async () => {
    const res = await fetch(
      `${server.current.url}/api/conversations/${alice.started.conversation.id}/messages`,
      {
        headers: { authorization: `Bearer ${alice.session.visitorToken}` },
      },
    );
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe("visitors reading other visitors' chats", () => {
  const aliceConversation = () => alice.started.conversation.id;
  const notFound = { ok: false, error: { code: 'not_found', message: 'Conversation not found' } };

  it("16. Bob reads Alice's messages: not found", () =>
    attack(async () => {
      const res = await api(
        server.current,
        'GET',
        `/api/conversations/${aliceConversation()}/messages`,
        { token: bob.session.visitorToken },
      );
      expect(res.status).toBe(404);
      expect(res.body).toEqual(refusal('not_found', 'Conversation not found'));
    }));

  it("17. Bob writes into Alice's conversation, over REST and socket: not found", () =>
    attack(async () => {
      const body = {
        conversationId: aliceConversation(),
        content: 'phish',
        clientId: newClientId(),
      };
      expect(
        (
          await api(server.current, 'POST', '/api/messages', {
            token: bob.session.visitorToken,
            body,
          })
        ).status,
      ).toBe(404);
      expect(await bob.socket.timeout(5000).emitWithAck('message.send', body)).toEqual(notFound);
    }));

  it("18. Bob syncs, rates and types into Alice's conversation: nothing", () =>
    attack(async () => {
      expect(
        await bob.socket
          .timeout(5000)
          .emitWithAck('sync', { conversations: { [aliceConversation()]: 0 } }),
      ).toEqual({
        ok: true,
        data: { messages: [], incomplete: [] },
      });
      expect(
        await bob.socket.timeout(5000).emitWithAck('conversation.rate', {
          conversationId: aliceConversation(),
          rating: 'down',
        }),
      ).toEqual(notFound);
      expect(
        await bob.socket.timeout(5000).emitWithAck('typing.set', {
          conversationId: aliceConversation(),
          isTyping: true,
          draft: 'x',
        }),
      ).toEqual(notFound);
    }));

  it("19. claiming Alice's email gives Bob nothing of hers", async () => {
    await api(server.current, 'PATCH', '/api/visitors/me', {
      token: alice.session.visitorToken,
      body: { email: 'alice@example.com' },
    });
    await api(server.current, 'PATCH', '/api/visitors/me', {
      token: bob.session.visitorToken,
      body: { email: 'alice@example.com' },
    });
    await attack(async () => {
      const res = await api(
        server.current,
        'GET',
        `/api/conversations/${aliceConversation()}/messages`,
        { token: bob.session.visitorToken },
      );
      expect(res.status).toBe(404);
      const resumed = await api(server.current, 'POST', '/api/visitors/session', {
        body: { visitorToken: bob.session.visitorToken },
      });
      expect(resumed.body.conversation.id).toBe(bob.started.conversation.id);
    });
  });

  it('20. a visitor token opens no agent route', () =>
    attack(async () => {
      const res = await api(server.current, 'GET', '/api/visitors', {
        token: bob.session.visitorToken,
      });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(refusal('unauthorized', 'Invalid token'));
    }));
});

describe('privilege escalation', () => {
  it('21. an agent cannot add users or make themselves admin', () =>
    attack(async () => {
      const add = await api(server.current, 'POST', '/api/invitations', {
        token: agent.token,
        body: { name: 'Eve', email: 'eve@example.com', role: 'admin' },
      });
      expect(add.status).toBe(403);
      expect(add.body).toEqual(refusal('forbidden', 'Admins only'));
      const promote = await api(server.current, 'PATCH', `/api/users/${agent.user.id}`, {
        token: agent.token,
        body: { role: 'admin' },
      });
      expect(promote.body).toEqual(refusal('forbidden', 'Admins only'));
    }));

  it("22. an agent cannot change the widget settings or an admin's canned response", () =>
    attack(async () => {
      const settings = await api(server.current, 'PATCH', '/api/settings/widget', {
        token: agent.token,
        body: { allowedOrigins: [] },
      });
      expect(settings.status).toBe(403);
      const canned = await api(server.current, 'DELETE', `/api/canned-responses/${adminCanned}`, {
        token: agent.token,
      });
      expect(canned.body).toEqual(
        refusal('forbidden', 'Only its author or an admin can change this canned response'),
      );
    }));

  it('23. registering once an admin exists is refused', () =>
    attack(async () => {
      const res = await api(server.current, 'POST', '/api/auth/register', {
        body: { name: 'Eve', email: 'eve@example.com', password: 'a fine password' },
      });
      expect(res.body).toEqual(
        refusal('registration_closed', 'Registration is closed: ask an admin to add you'),
      );
    }));

  it('24. a visitor cannot post an internal note', () =>
    attack(async () => {
      const res = await api(server.current, 'POST', '/api/messages', {
        token: bob.session.visitorToken,
        body: {
          conversationId: bob.started.conversation.id,
          content: 'I am staff',
          clientId: newClientId(),
          type: 'note',
        },
      });
      expect(res.body).toEqual(refusal('forbidden', 'Visitors send text only'));
    }));
});

describe('forged, expired and replayed credentials', () => {
  const sign = (claims: Record<string, unknown>, secret: string, exp: number | string) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(admin.user.id)
      .setIssuer('parley')
      .setAudience('parley:agent')
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(secret));

  it("25. alg:none, another key, and a visitor's token are not admin tokens", () =>
    attack(async () => {
      const payload = admin.token.split('.')[1];
      const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
      const otherKey = await sign(
        { role: 'admin' },
        'not-the-servers-secret-not-the-servers',
        '1h',
      );
      for (const token of [none, otherKey, bob.session.visitorToken]) {
        const res = await api(server.current, 'DELETE', `/api/canned-responses/${adminCanned}`, {
          token,
        });
        expect(res.status).toBe(401);
        expect(res.body).toEqual(refusal('unauthorized', 'Invalid token'));
      }
    }));

  it('26. an expired token is refused over REST and at the socket handshake', () =>
    attack(async () => {
      const expired = await sign(
        { role: 'admin' },
        'test-secret-test-secret-test-secret-0123',
        Math.floor(Date.now() / 1000) - 5,
      );
      const res = await api(server.current, 'GET', '/api/users', { token: expired });
      expect(res.body).toEqual(refusal('unauthorized', 'Token expired'));
      await expect(connectAgent(server.current, expired)).rejects.toThrow('Token expired');
    }));

  it('27. a replayed clientId stores nothing new', async () => {
    const payload = {
      conversationId: bob.started.conversation.id,
      content: 'once',
      clientId: newClientId(),
    };
    const first = await bob.socket.timeout(5000).emitWithAck('message.send', payload);
    await attack(async () => {
      const again = await bob.socket
        .timeout(5000)
        .emitWithAck('message.send', { ...payload, content: 'changed on replay' });
      expect(again).toEqual(first);
    });
  });

  it('28. a rotated refresh token replayed is refused', async () => {
    const rotated = await api(server.current, 'POST', '/api/auth/refresh', {
      cookie: agent.cookie,
    });
    expect(rotated.status).toBe(200);
    agent.cookie = (rotated.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    agent.token = rotated.body.accessToken;
    await attack(async () => {
      const replay = await api(server.current, 'POST', '/api/auth/refresh', {
        cookie: 'parley_refresh=' + 'A'.repeat(43),
      });
      expect(replay.body).toEqual(refusal('unauthorized', 'Session expired'));
    });
  });
});

describe('bad origins', () => {
  it('29. REST from another site or a null origin is refused', () =>
    attack(async () => {
      for (const origin of ['https://evil.example', 'null']) {
        const res = await api(server.current, 'GET', '/api/auth/me', {
          token: admin.token,
          headers: { origin },
        });
        expect(res.status).toBe(403);
        expect(res.body).toEqual(refusal('forbidden', 'Origin not allowed'));
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
      }
    }));

  it('30. an agent socket from another site is refused even with a valid token', () =>
    attack(async () => {
      const socket = openSocket(
        server.current,
        '/agent',
        { token: admin.token },
        { headers: { origin: 'https://evil.example' } },
      );
      const error = await handshakeError(socket);
      expect(error.message).toBe('Origin not allowed');
      expect(error.data).toEqual({ code: 'forbidden' });
    }));

  it('31. a visitor socket from a null origin, or a site not on the list, is refused', async () => {
    await api(server.current, 'PATCH', '/api/settings/widget', {
      token: admin.token,
      body: { allowedOrigins: ['https://shop.example.com'] },
    });
    await attack(async () => {
      for (const origin of ['null', 'https://evil.example']) {
        const socket = openSocket(
          server.current,
          '/visitor',
          { visitorToken: bob.session.visitorToken },
          { headers: { origin } },
        );
        const error = await handshakeError(socket);
        expect(error.data).toEqual({ code: 'forbidden' });
      }
    });
    await api(server.current, 'PATCH', '/api/settings/widget', {
      token: admin.token,
      body: { allowedOrigins: [] },
    });
  });

  it('31b. a connection admitted on /visitor cannot open /agent past its origin check', async () => {
    await attack(async () => {
      // A page of a site the widget may be embedded in (no list is set): its socket is let in.
      const visitor = openSocket(
        server.current,
        '/visitor',
        { visitorToken: bob.session.visitorToken },
        { headers: { origin: 'https://evil.example' } },
      );
      await new Promise<void>((resolve, reject) => {
        visitor.once('connect', resolve);
        visitor.once('connect_error', reject);
      });
      // The same connection asks for the agents' namespace, which refuses that origin. The
      // server let go of the connection's first request once /visitor admitted it, so the
      // second namespace is refused outright rather than checked against no headers at all.
      const agent = visitor.io.socket('/agent', { auth: { token: admin.token } });
      agent.connect();
      const error = await handshakeError(agent);
      expect(error.message).toBe('One namespace per connection');
      expect(error.data).toEqual({ code: 'forbidden' });
      agent.disconnect();
    });
  });
});

describe('floods', () => {
  it('32. password guessing on one account is cut off with 429', () =>
    attack(async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        statuses.push(
          (
            await api(server.current, 'POST', '/api/auth/login', {
              body: { email: agent.user.email, password: `guess number ${i}` },
            })
          ).status,
        );
      }
      expect(statuses.slice(-2)).toEqual([429, 429]);
    }));

  it('33. the most common passwords are refused for new accounts', async () => {
    const invited = await api(server.current, 'POST', '/api/invitations', {
      token: admin.token,
      body: { name: 'Weak', email: 'weak@example.com', sendEmail: false },
    });
    await attack(async () => {
      const res = await api(server.current, 'POST', '/api/invitations/accept', {
        body: { token: invited.body.token, password: 'password123' },
      });
      expect(res.status).toBe(400);
      // The reason is the message itself, so the dashboard's form shows it as it is.
      const reason =
        'This password is too easy to guess. This is a commonly used password. Add more words that are less common.';
      expect(res.body.error).toEqual({
        code: 'validation_failed',
        message: reason,
        details: [{ path: 'password', message: reason }],
      });
    });
  });

  it('34. a typing flood is throttled per socket', async () => {
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        bob.socket.timeout(5000).emitWithAck('typing.set', {
          conversationId: bob.started.conversation.id,
          isTyping: true,
          draft: 'spam',
        }),
      ),
    );
    expect(replies.filter((r) => !r.ok).map((r) => (r.ok ? null : r.error.code))).toContain(
      'rate_limited',
    );
    expect(replies.filter((r) => r.ok).length).toBeLessThanOrEqual(10);
  });

  it('35. the server still answers after all of the above', async () => {
    const reply = await bob.socket.timeout(5000).emitWithAck('message.send', {
      conversationId: bob.started.conversation.id,
      content: 'still standing',
      clientId: newClientId(),
    });
    expect(reply.ok && reply.data.message.content).toBe('still standing');
  });
});

describe('audit: a refusal changes nothing, ownership first, no input reaches the database unchecked', () => {
  const s = () => server.current;
  const ack = <T>(reply: { ok: true; data: T } | { ok: false; error: { code: string } }) =>
    reply.ok ? 'ok' : reply.error.code;

  it('36. a start refused by the message limit leaves no conversation behind', async () => {
    const carol = await startVisitorChat(s(), 'Carol here');
    await api(s(), 'PATCH', `/api/conversations/${carol.started.conversation.id}`, {
      token: admin.token,
      body: { status: 'closed' },
    });
    // Carol keeps writing into her closed chat until her message limit is spent.
    for (let i = 0; i < 100; i++) {
      const reply = await carol.socket.timeout(5000).emitWithAck('message.send', {
        conversationId: carol.started.conversation.id,
        content: `anyone? ${i}`,
        clientId: newClientId(),
      });
      if (ack(reply) === 'rate_limited') break;
      expect(ack(reply)).toBe('conflict');
    }
    await attack(async () => {
      const reply = await carol.socket.timeout(5000).emitWithAck('conversation.start', {
        content: 'Hello again',
        clientId: newClientId(),
      });
      expect(ack(reply)).toBe('rate_limited');
    });
  });

  it('37. two agents who pick the same clientId in one conversation both get their message', async () => {
    const clientId = newClientId();
    const conversationId = bob.started.conversation.id;
    const send = (token: string, content: string) =>
      api(s(), 'POST', '/api/messages', { token, body: { conversationId, content, clientId } });
    const first = await send(admin.token, 'From the admin');
    const second = await send(agent.token, 'From the agent');
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.message.content).toBe('From the agent');
    expect(second.body.message.seq).toBe(first.body.message.seq + 1);
    // Each one's resend is still recognised as theirs.
    const resent = await send(agent.token, 'From the agent');
    expect(resent.status).toBe(200);
    expect(resent.body.message.id).toBe(second.body.message.id);
  });

  it("38. Bob resending Alice's clientId into her conversation learns nothing", () =>
    attack(async () => {
      const aliceMessage = alice.started.message;
      const into = (conversationId: string) => ({
        conversationId,
        content: 'give me hers',
        clientId: aliceMessage.clientId ?? 'never: a visitor message has one',
      });
      const missing = '00000000-0000-4000-8000-000000000000';
      const overRest = await api(s(), 'POST', '/api/messages', {
        token: bob.session.visitorToken,
        body: into(aliceMessage.conversationId),
      });
      const noneOverRest = await api(s(), 'POST', '/api/messages', {
        token: bob.session.visitorToken,
        body: into(missing),
      });
      expect(overRest.status).toBe(404);
      expect(overRest.body).toEqual(noneOverRest.body);
      const overSocket = await bob.socket
        .timeout(5000)
        .emitWithAck('message.send', into(aliceMessage.conversationId));
      const noneOverSocket = await bob.socket
        .timeout(5000)
        .emitWithAck('message.send', into(missing));
      expect(overSocket).toEqual(noneOverSocket);
      expect(JSON.stringify(overSocket)).not.toContain('4242');
    }));

  it('39. input that once reached the database unchecked is a 400 (or 401)', () =>
    attack(async () => {
      const conversationId = bob.started.conversation.id;
      for (const url of ['https://example.com/a\u0000b', 'https://example.com/\uD800']) {
        const reply = await bob.socket.timeout(5000).emitWithAck('page.view', { url, title: 'x' });
        expect(ack(reply)).toBe('validation_failed');
      }
      const tooFar = 2 ** 31;
      expect(
        ack(
          await bob.socket
            .timeout(5000)
            .emitWithAck('sync', { conversations: { [conversationId]: tooFar } }),
        ),
      ).toBe('validation_failed');
      const read = await api(s(), 'POST', '/api/messages/read', {
        token: agent.token,
        body: { conversationId, seq: tooFar },
      });
      expect(read.status).toBe(400);
      expect(read.body.error.code).toBe('validation_failed');
      const id = '0b5c0d0e-1111-4222-8333-444455556666';
      const at = '2026-01-02T03:04:05.678Z';
      const cursors = [
        [at, '-'.repeat(36)],
        [at, 'f'.repeat(36)],
        ['0000-01-01T00:00:00.000Z', id],
        ['+275760-09-13T00:00:00.000Z', id],
        ['-271821-04-20T00:00:00.000Z', id],
      ].map((c) => Buffer.from(JSON.stringify(c)).toString('base64url'));
      for (const path of ['/api/conversations', '/api/visitors']) {
        for (const cursor of cursors) {
          const res = await api(s(), 'GET', `${path}?cursor=${cursor}`, { token: agent.token });
          expect(res.status).toBe(400);
          expect(res.body).toEqual(refusal('validation_failed', 'Invalid cursor'));
        }
      }
      // Signed with the server's own key, but the subject is no user id.
      const forged = await new SignJWT({ role: 'admin', sid: id })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject("1' or '1'='1")
        .setIssuer('parley')
        .setAudience('parley:agent')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('test-secret-test-secret-test-secret-0123'));
      const me = await api(s(), 'GET', '/api/auth/me', { token: forged });
      expect(me.status).toBe(401);
      expect(me.body).toEqual(refusal('unauthorized', 'Invalid token'));
      const socket = openSocket(s(), '/agent', { token: forged });
      expect((await handshakeError(socket)).data).toEqual({ code: 'unauthorized' });
    }));

  it('40. a session that ends is refused at once: REST, a new socket, an open socket', async () => {
    const password = 'a long and unusual passphrase 9';
    const email = `leaving-${newClientId()}@example.com`;
    const joined = await joinTeam(s(), admin, { name: 'Leaving Agent', email, password });
    await api(s(), 'POST', '/api/auth/logout', { cookie: joined.cookie });
    const signIn = async () => {
      const res = await api(s(), 'POST', '/api/auth/login', { body: { email, password } });
      expect(res.status).toBe(200);
      return {
        token: res.body.accessToken as string,
        cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
      };
    };
    const laptop = await signIn();
    const phone = await signIn();
    const open = await connectAgent(s(), laptop.token);
    const gone = new Promise((r) => open.once('disconnect', r));
    expect((await api(s(), 'POST', '/api/auth/logout', { cookie: laptop.cookie })).status).toBe(
      204,
    );
    // The open socket is dropped at once, and its agent goes offline: a change of the logout's,
    // which must be over before the fingerprint of the attempts below is taken.
    await gone;
    const offline = async () => {
      const team = await api(s(), 'GET', '/api/users', { token: admin.token });
      return team.body.items.some(
        (u: { email: string; status: string }) => u.email === email && u.status === 'offline',
      );
    };
    for (let i = 0; i < 50 && !(await offline()); i++) await new Promise((r) => setTimeout(r, 50));
    await attack(async () => {
      const me = await api(s(), 'GET', '/api/auth/me', { token: laptop.token });
      expect(me.status).toBe(401);
      expect(me.body).toEqual(refusal('unauthorized', 'Session ended'));
      const socket = openSocket(s(), '/agent', { token: laptop.token });
      expect((await handshakeError(socket)).data).toEqual({ code: 'unauthorized' });
      expect(open.connected).toBe(false);
      const send = await api(s(), 'POST', '/api/messages', {
        token: laptop.token,
        body: {
          conversationId: bob.started.conversation.id,
          content: 'x',
          clientId: newClientId(),
        },
      });
      expect(send.status).toBe(401);
    });
    // Another browser's sign-in is not this one: it goes on.
    expect((await api(s(), 'GET', '/api/auth/me', { token: phone.token })).status).toBe(200);
    // A new password ends every sign-in, this one too.
    const changed = await api(s(), 'POST', '/api/auth/password', {
      token: phone.token,
      body: { currentPassword: password, newPassword: 'another long unusual passphrase 10' },
    });
    expect(changed.status).toBe(200);
    expect((await api(s(), 'GET', '/api/auth/me', { token: phone.token })).status).toBe(401);
    expect(
      (await api(s(), 'GET', '/api/auth/me', { token: changed.body.accessToken })).status,
    ).toBe(200);
  });
});
