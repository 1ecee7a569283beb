import type { ApiToken } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { attack as attackOn } from './attack-kit.js';
import {
  api,
  connectAgent,
  createAdmin,
  handshakeError,
  newClientId,
  openSocket,
  startVisitorChat,
  type SignedInAgent,
} from './factories.js';
import { useServer, type TestServer } from './harness.js';

// Scoped API tokens (issue 36, item 6): `<tag>:read` or `<tag>:write`, the tag being the route
// catalogue's. GET reads; every other method, and a GET that reveals a secret, writes.
const server = useServer({ env: { WEBHOOKS_ALLOW_PRIVATE: 'true' } });
const attack = (run: () => Promise<void>) => attackOn(server.database, run);

async function scoped(
  s: TestServer,
  admin: SignedInAgent,
  scopes: string[],
  scope?: 'read' | 'full',
): Promise<string> {
  const res = await api(s, 'POST', '/api/tokens', {
    token: admin.token,
    body: { name: scopes.join(' '), scopes, ...(scope ? { scope } : {}) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.secret;
}

const refusedFor = (scope: string) => ({
  code: 'forbidden',
  message: `This API token's scopes do not include ${scope}`,
});

describe('scoped API tokens', () => {
  // The file's first test pays for the server's first sign-ins and chat: more time than most.
  it(
    'conversations:read reads conversations, and is refused settings and every write',
    {
      timeout: 60_000,
    },
    async () => {
      const s = server.current;
      const admin = await createAdmin(s);
      const chat = await startVisitorChat(s, 'Where is my order?');
      const id = chat.started.conversation.id;
      const secret = await scoped(s, admin, ['conversations:read']);

      const listed = await api(s, 'GET', '/api/conversations', { token: secret });
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
      expect((await api(s, 'GET', `/api/conversations/${id}`, { token: secret })).status).toBe(200);

      await attack(async () => {
        const settings = await api(s, 'GET', '/api/settings/widget', { token: secret });
        expect(settings.status).toBe(403);
        expect(settings.body.error).toEqual(refusedFor('settings:read'));
        // A conversation's messages are listed under Conversations; sending is under Messages.
        const messages = await api(s, 'GET', `/api/conversations/${id}/messages`, {
          token: secret,
        });
        expect(messages.status).toBe(200);
        const sent = await api(s, 'POST', '/api/messages', {
          token: secret,
          body: { conversationId: id, content: 'no', clientId: newClientId(), type: 'text' },
        });
        expect(sent.body.error).toEqual(refusedFor('messages:write'));
        for (const [method, path, body] of [
          ['PATCH', `/api/conversations/${id}`, { status: 'closed' }],
          ['PATCH', '/api/settings/widget', { title: 'Hacked' }],
          ['POST', '/api/tokens', { name: 'escalate', scope: 'full' }],
          ['POST', '/api/invitations', { name: 'Eve', email: 'eve@example.com' }],
        ] as const) {
          const res = await api(s, method, path, { token: secret, body });
          expect(res.status, `${method} ${path}`).toBe(403);
          expect(res.body.error.code).toBe('forbidden');
        }
      });
    },
  );

  it('settings:write changes and reads settings, and cannot read conversations', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await startVisitorChat(s, 'Hello');
    const secret = await scoped(s, admin, ['settings:write']);
    const changed = await api(s, 'PATCH', '/api/settings/widget', {
      token: secret,
      body: { title: 'Talk to Acme' },
    });
    expect(changed.status).toBe(200);
    const read = await api(s, 'GET', '/api/settings/widget', { token: secret });
    expect(read.body.settings.title).toBe('Talk to Acme');
    const conversations = await api(s, 'GET', '/api/conversations', { token: secret });
    expect(conversations.status).toBe(403);
    expect(conversations.body.error).toEqual(refusedFor('conversations:read'));
  });

  it('a read scope never reveals a secret: revealing is a write', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const hook = await api(s, 'POST', '/api/webhooks', {
      token: admin.token,
      body: { url: 'http://127.0.0.1:9/hook', events: ['conversation.created'] },
    });
    expect(hook.status).toBe(201);
    const reader = await scoped(s, admin, ['settings:read', 'webhooks:read']);
    await attack(async () => {
      const identity = await api(s, 'GET', '/api/settings/identity/secret', { token: reader });
      expect(identity.body.error).toEqual(refusedFor('settings:write'));
      const signing = await api(s, 'GET', `/api/webhooks/${hook.body.endpoint.id}/secret`, {
        token: reader,
      });
      expect(signing.body.error).toEqual(refusedFor('webhooks:write'));
      expect(JSON.stringify([identity.body, signing.body])).not.toContain(hook.body.secret);
      // Reading what is not a secret works.
      expect((await api(s, 'GET', '/api/webhooks', { token: reader })).status).toBe(200);
    });
    // A write scope still meets the rule that no token of any scope is shown a secret.
    const writer = await scoped(s, admin, ['settings:write']);
    const refused = await api(s, 'GET', '/api/settings/identity/secret', { token: writer });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/signed in to the dashboard/);
  });

  it('refuses unknown, repeated and contradictory scopes with 400, and lists the scopes', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await attack(async () => {
      for (const body of [
        { name: 'x', scopes: ['conversations:delete'] },
        { name: 'x', scopes: ['secrets:read'] },
        { name: 'x', scopes: [] },
        { name: 'x', scopes: ['contacts:read', 'contacts:read'] },
        { name: 'x', scope: 'read', scopes: ['contacts:write'] },
        { name: 'x' },
      ]) {
        const res = await api(s, 'POST', '/api/tokens', { token: admin.token, body });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
      }
    });
    await scoped(s, admin, ['contacts:read', 'canned-responses:write']);
    const [token] = (await api(s, 'GET', '/api/tokens', { token: admin.token })).body
      .items as ApiToken[];
    // Without `scope`, a write among the scopes makes it a `full` token within them.
    expect(token).toMatchObject({
      scope: 'full',
      scopes: ['contacts:read', 'canned-responses:write'],
    });
  });

  it('sockets: a token without conversations:read cannot open one; commands need their scope', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const chat = await startVisitorChat(s, 'Hi there');
    const id = chat.started.conversation.id;

    const settingsOnly = await scoped(s, admin, ['settings:write']);
    const refused = await handshakeError(openSocket(s, '/agent', { token: settingsOnly }));
    expect(refused.data).toMatchObject({ code: 'forbidden' });
    expect(refused.message).toBe(refusedFor('conversations:read').message);

    const reader = await connectAgent(s, await scoped(s, admin, ['conversations:read']));
    const synced = await reader.timeout(5000).emitWithAck('sync', { conversations: { [id]: 0 } });
    expect(synced.ok).toBe(true);
    const send = {
      conversationId: id,
      content: 'hello',
      clientId: newClientId(),
      type: 'text' as const,
    };
    const notSent = await reader.timeout(5000).emitWithAck('message.send', send);
    expect(notSent).toEqual({ ok: false, error: refusedFor('messages:write') });
    const status = await reader.timeout(5000).emitWithAck('status.set', { status: 'away' });
    expect(status).toEqual({ ok: false, error: refusedFor('users:write') });

    const writer = await connectAgent(
      s,
      await scoped(s, admin, ['conversations:read', 'messages:write']),
    );
    const sent = await writer.timeout(5000).emitWithAck('message.send', send);
    expect(sent.ok).toBe(true);
  });
});
