import type { Contact, ContactListReply, ContactReply } from '@parley/protocol';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { listContacts } from '../src/db/contacts.js';
import { parseSearch } from '../src/services/search-text.js';
import {
  api,
  createAdmin,
  createAgent,
  createVisitor,
  startVisitorChat,
  type SignedInAgent,
} from './factories.js';
import { useServer, type TestServer } from './harness.js';

// The Contacts page's API (issue 35): everyone who chatted or left a message, searchable by
// name, address, the site's id for them and their attributes; a contact's conversations and
// other records; nobody who only browsed.

const server = useServer({ shared: true });

let admin: SignedInAgent;
let agent: SignedInAgent;
const people: Record<string, { visitorId: string; conversationId: string; token: string }> = {};

async function person(
  s: TestServer,
  key: string,
  details: { name: string; email: string },
  attributes: Record<string, string> = {},
) {
  const chat = await startVisitorChat(s, `Hello from ${details.name}`);
  const token = chat.session.visitorToken;
  await api(s, 'PATCH', '/api/visitors/me', { token, body: details });
  if (Object.keys(attributes).length) {
    await api(s, 'PATCH', '/api/visitors/me/attributes', { token, body: { attributes } });
  }
  chat.socket.disconnect();
  people[key] = {
    visitorId: chat.session.visitor.id,
    conversationId: chat.started.conversation.id,
    token,
  };
}

const list = (q: Record<string, string>, token = agent.token) =>
  api<ContactListReply>(server.current, 'GET', `/api/contacts?${new URLSearchParams(q)}`, {
    token,
  });
const names = (items: Contact[]) => items.map((c) => c.name).sort();

describe('contacts', () => {
  it('lists everyone who chatted, not who only browsed, with their conversations counted', async () => {
    const s = server.current;
    admin = await createAdmin(s);
    agent = await createAgent(s, admin);
    await person(
      s,
      'carol',
      { name: 'Carol Customer', email: 'carol@shop.example' },
      {
        plan: 'enterprise',
      },
    );
    await person(s, 'dan', { name: 'Dan Dinh', email: 'dan@other.example' });
    // Carol again, on another browser, before she signed in: the same address.
    await person(s, 'carol2', { name: 'Carol C.', email: 'CAROL@shop.example' });
    const browser = await createVisitor(s);

    const all = await list({});
    expect(all.status).toBe(200);
    expect(names(all.body.items)).toEqual(['Carol C.', 'Carol Customer', 'Dan Dinh']);
    expect(all.body.items.map((c) => c.id)).not.toContain(browser.visitor.id);
    const carol = all.body.items.find((c) => c.id === people.carol!.visitorId)!;
    expect(carol).toMatchObject({ conversationCount: 1, email: 'carol@shop.example' });
    expect(Date.parse(carol.lastChatAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('finds them by name, address, attribute and word beginnings; nothing for punctuation', async () => {
    expect(names((await list({ q: 'carol' })).body.items)).toEqual(['Carol C.', 'Carol Customer']);
    expect(names((await list({ q: 'dan@other.example' })).body.items)).toEqual(['Dan Dinh']);
    expect(names((await list({ q: 'enterprise' })).body.items)).toEqual(['Carol Customer']);
    expect(names((await list({ q: 'Custo' })).body.items)).toEqual(['Carol Customer']);
    expect(names((await list({ q: 'nobody-like-this' })).body.items)).toEqual([]);
    expect((await list({ q: '!!!' })).body).toEqual({ items: [], nextCursor: null });
  });

  it('finds the same through the search index and by walking the list (common words)', async () => {
    const db = server.current.ctx.db;
    for (const typed of ['carol', 'Custo', 'shop.example', 'enterprise', 'nobody']) {
      const ask = (indexMost?: number) =>
        listContacts(db, { terms: parseSearch(typed), typed, limit: 10, indexMost }).then((rows) =>
          rows.map((r) => r.visitor.id),
        );
      // 0: every word is common, the list is walked; the default reads the index.
      expect(await ask(0), typed).toEqual(await ask());
    }
    expect(
      (await listContacts(db, { terms: parseSearch('carol'), limit: 10, indexMost: 0 })).length,
    ).toBe(2);
  });

  it('pages by cursor without repeats, and filters by site', async () => {
    const first = await list({ limit: '2' });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await list({ limit: '2', cursor: first.body.nextCursor! });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.items, ...second.body.items].map((c) => c.id);
    expect(new Set(ids).size).toBe(3);

    const siteId = first.body.items[0]!.siteId;
    expect((await list({ siteId })).body.items).toHaveLength(3);
    const elsewhere = await list({ siteId: '00000000-0000-4000-8000-000000000000' });
    expect(elsewhere.body.items).toEqual([]);
  });

  it('opens a contact with their conversations and their other records by address', async () => {
    const s = server.current;
    const reply = await api<ContactReply>(s, 'GET', `/api/contacts/${people.carol!.visitorId}`, {
      token: agent.token,
    });
    expect(reply.status).toBe(200);
    expect(reply.body.contact).toMatchObject({
      name: 'Carol Customer',
      attributes: { plan: 'enterprise' },
      conversationCount: 1,
    });
    expect(reply.body.conversations.map((c) => c.id)).toEqual([people.carol!.conversationId]);
    expect(reply.body.related.map((c) => c.id)).toEqual([people.carol2!.visitorId]);
  });

  it('refuses what is not a contact or not asked right, and a visitor token', async () => {
    const s = server.current;
    const browser = await createVisitor(s);
    for (const id of [browser.visitor.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await api(s, 'GET', `/api/contacts/${id}`, { token: agent.token });
      expect(res.status, id).toBe(404);
    }
    expect((await api(s, 'GET', '/api/contacts/not-a-uuid', { token: agent.token })).status).toBe(
      400,
    );
    expect((await list({ limit: '1000' })).status).toBe(400);
    expect((await list({ cursor: 'garbage' })).status).toBe(400);
    expect((await list({}, people.dan!.token)).status).toBe(401);
    expect((await api(s, 'GET', '/api/contacts')).status).toBe(401);
  });

  it('loses a contact when their conversations expire or they are erased', async () => {
    const s = server.current;
    await s.ctx.db.execute(
      sql`update conversations set status = 'closed', closed_at = now(), expired_at = now()
        where id = ${people.dan!.conversationId}`,
    );
    expect(names((await list({})).body.items)).toEqual(['Carol C.', 'Carol Customer']);
    const gone = await api(s, 'GET', `/api/contacts/${people.dan!.visitorId}`, {
      token: agent.token,
    });
    expect(gone.status).toBe(404);

    const erased = await api(s, 'POST', '/api/contacts/erase', {
      token: admin.token,
      body: { visitorId: people.carol2!.visitorId },
    });
    expect(erased.status).toBe(200);
    expect(names((await list({ q: 'carol' })).body.items)).toEqual(['Carol Customer']);
    const carol = await api<ContactReply>(s, 'GET', `/api/contacts/${people.carol!.visitorId}`, {
      token: agent.token,
    });
    expect(carol.body.related).toEqual([]);
  });
});
