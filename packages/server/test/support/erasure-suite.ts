import type { WebhookEndpoint } from '@parley/protocol';
import { eq, sql } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { attachments } from '../../src/db/schema.js';
import { attack } from '../attack-kit.js';
import {
  api,
  connectAgent,
  connectVisitor,
  createAdmin,
  createAgent,
  createToken,
  newClientId,
  startVisitorChat,
  waitFor,
  type SignedInAgent,
} from '../factories.js';
import type { TestServer } from '../harness.js';
import { upload } from './file-suite.js';
import type { WebhookReceiver } from './webhook-receiver.js';

type Server = { readonly current: TestServer; readonly database: { db: TestServer['ctx']['db'] } };

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** Every row of every table that mentions one of `words`, as `table: row`. */
async function mentions(s: TestServer, words: string[]): Promise<string[]> {
  const tables = await rowsOf<{ table: string }>(
    s.ctx.db,
    sql`select table_name as "table" from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const found: string[] = [];
  for (const { table } of tables) {
    for (const word of words) {
      const rows = await rowsOf<{ row: string }>(
        s.ctx.db,
        sql`select t::text as row from ${sql.identifier(table)} t
          where t::text ilike ${`%${word}%`}`,
      );
      found.push(...rows.map((r) => `${table}: ${r.row.slice(0, 120)}`));
    }
  }
  return found;
}

/**
 * GDPR erasure (issue 35), the same on every file store: after it, no row of any table, no file
 * and no search hit holds the person's name, address or words; someone else's chat is untouched;
 * a tombstone says when and by whom; the `contact.erased` webhook tells other systems.
 */
export function erasureSuite(
  server: Server,
  kind: 'local' | 's3',
  receiver: () => WebhookReceiver,
) {
  describe(`erasure (${kind} files)`, () => {
    async function person(s: TestServer, admin: SignedInAgent) {
      const chat = await startVisitorChat(s, 'Hi, my order ZX-9912 has not arrived');
      const token = chat.session.visitorToken;
      const conversationId = chat.started.conversation.id;
      await api(s, 'PATCH', '/api/visitors/me', {
        token,
        body: { name: 'Erin Erasable', email: 'Erin@Example.com' },
      });
      const file = await upload(s, token, PDF, 'erin-invoice.pdf');
      const sent = await chat.socket.timeout(5000).emitWithAck('message.send', {
        conversationId,
        content: 'Here is my invoice, Erin',
        clientId: newClientId(),
        attachmentIds: [file.id],
      });
      expect(sent.ok).toBe(true);
      await api(s, 'POST', '/api/messages', {
        token: admin.token,
        body: {
          conversationId,
          content: 'Thanks Erin, looking into ZX-9912',
          clientId: newClientId(),
        },
      });
      chat.socket.emit('page.view', {
        url: 'https://shop.example/orders/ZX-9912',
        title: 'Erin orders',
      });
      const [row] = await server.database.db
        .select()
        .from(attachments)
        .where(eq(attachments.id, file.id));
      return { chat, conversationId, storageKey: row?.storageKey ?? '' };
    }

    it('leaves no row, file or search hit of the person, and tells webhooks', async () => {
      const s = server.current;
      const admin = await createAdmin(s);
      const endpoint = await api<{ endpoint: WebhookEndpoint; secret: string }>(
        s,
        'POST',
        '/api/webhooks',
        {
          token: admin.token,
          body: { url: receiver().url, events: ['message.created', 'contact.erased'] },
        },
      );
      expect(endpoint.status).toBe(201);
      receiver().secret = endpoint.body.secret;
      await connectAgent(s, admin.token);
      const erin = await person(s, admin);
      const kim = await startVisitorChat(s, 'Kim here, keep me');
      // The person is everywhere: messages, search, the file store, webhook deliveries.
      await waitFor(() => receiver().processed.length >= 3, 10_000);
      expect(await mentions(s, ['ZX-9912'])).not.toEqual([]);
      expect((await s.ctx.files.get(erin.storageKey)) !== null).toBe(true);

      // Her right of access first: one zip, the JSON and her file.
      const exported = await fetch(`${s.url}/api/contacts/export`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'erin@example.com' }),
      });
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toBe('application/zip');
      const zip = unzipSync(new Uint8Array(await exported.arrayBuffer()));
      const contact = JSON.parse(strFromU8(zip['contact.json']!)) as {
        tables: Record<string, Array<Record<string, unknown>>>;
      };
      expect(contact.tables.visitors?.[0]).toMatchObject({
        name: 'Erin Erasable',
        email: 'erin@example.com',
      });
      expect(contact.tables.messages?.map((m) => m.content)).toEqual(
        expect.arrayContaining([
          'Hi, my order ZX-9912 has not arrived',
          'Here is my invoice, Erin',
          'Thanks Erin, looking into ZX-9912',
        ]),
      );
      expect(contact.tables.page_views?.[0]).toMatchObject({ title: 'Erin orders' });
      expect(contact.tables.visitors?.[0]).not.toHaveProperty('search_vector');
      const fileEntry = Object.keys(zip).find((name) => name.endsWith('-erin-invoice.pdf'));
      expect(fileEntry).toMatch(/^files\//);
      expect(Buffer.from(zip[fileEntry!]!)).toEqual(PDF);

      const disconnected = new Promise<void>((resolve) =>
        erin.chat.socket.once('disconnect', () => resolve()),
      );
      const erased = await api(s, 'POST', '/api/contacts/erase', {
        token: admin.token,
        body: { email: 'erin@example.com' },
      });
      expect(erased.status).toBe(200);
      expect(erased.body.erased).toEqual([
        { visitorId: erin.chat.session.visitor.id, siteId: erin.chat.session.visitor.siteId },
      ]);
      expect(erased.body.counts).toMatchObject({
        visitors: 1,
        conversations: 1,
        attachments: 1,
        page_views: 1,
      });
      expect(erased.body.counts.messages).toBeGreaterThanOrEqual(3);

      // Her widget goes quiet; her old token reaches nothing (not_found, never an internal error).
      await disconnected;
      const again = await connectVisitor(s, erin.chat.session.visitorToken);
      for (const [command, payload] of [
        ['conversation.start', { content: 'still there?', clientId: newClientId() }],
        ['page.view', { url: 'https://shop.example/', title: 'Shop' }],
      ] as const) {
        const reply = await again.timeout(5000).emitWithAck(command, payload as never);
        expect(reply, command).toMatchObject({ ok: false, error: { code: 'not_found' } });
      }
      again.disconnect();

      // The file's bytes go, by the job the deletion queued.
      await waitFor(async () => {
        const body = await s.ctx.files.get(erin.storageKey);
        body?.destroy();
        return body === null;
      }, 10_000);
      // Nothing in any table says who she was or what she wrote (the webhook's delivery of the
      // erasure itself names only the random id).
      expect(await mentions(s, ['Erin', 'erin@example', 'ZX-9912', 'erin-invoice'])).toEqual([]);
      for (const q of ['ZX-9912', 'Erin', 'erin@example.com']) {
        const found = await api(s, 'GET', `/api/search?q=${encodeURIComponent(q)}`, {
          token: admin.token,
        });
        expect(found.body.items, q).toEqual([]);
        const listed = await api(s, 'GET', `/api/conversations?q=${encodeURIComponent(q)}`, {
          token: admin.token,
        });
        expect(listed.body.items, q).toEqual([]);
      }
      // Kim is untouched.
      const kept = await api(s, 'GET', `/api/conversations/${kim.started.conversation.id}`, {
        token: admin.token,
      });
      expect(kept.status).toBe(200);
      // The tombstone: when and by whom, and the id alone.
      const [tombstone] = await rowsOf<{ visitor_id: string; erased_by_name: string }>(
        s.ctx.db,
        sql`select visitor_id, erased_by_name from erasures`,
      );
      expect(tombstone).toEqual({
        visitor_id: erin.chat.session.visitor.id,
        erased_by_name: 'Ada Admin',
      });
      // Other systems hear of it.
      await waitFor(() => receiver().processed.some((e) => e.type === 'contact.erased'), 10_000);
      const event = receiver().processed.find((e) => e.type === 'contact.erased');
      expect(event?.type === 'contact.erased' && event.data).toMatchObject({
        visitorId: erin.chat.session.visitor.id,
        erasedAt: erased.body.erasedAt,
      });
    });

    it('only admins erase, a read token never, and asking again finds nobody', async () => {
      const s = server.current;
      const admin = await createAdmin(s);
      const agent = await createAgent(s, admin, { name: 'Carol' });
      const reader = await createToken(s, admin.token, { name: 'Reports', scope: 'read' });
      const erin = await person(s, admin);
      const body = { visitorId: erin.chat.session.visitor.id };
      await attack(s.database, async () => {
        for (const token of [agent.token, reader.secret]) {
          for (const path of ['/api/contacts/erase', '/api/contacts/export']) {
            const res = await api(s, 'POST', path, { token, body });
            expect(res.status, path).toBe(403);
          }
        }
        for (const bad of [
          {},
          { email: 'x@example.com', visitorId: body.visitorId },
          { siteId: body.visitorId },
        ]) {
          const res = await api(s, 'POST', '/api/contacts/erase', {
            token: admin.token,
            body: bad,
          });
          expect(res.status).toBe(400);
        }
      });
      const first = await api(s, 'POST', '/api/contacts/erase', { token: admin.token, body });
      expect(first.status).toBe(200);
      const again = await api(s, 'POST', '/api/contacts/erase', { token: admin.token, body });
      expect(again.status).toBe(404);
    });
  });
}
