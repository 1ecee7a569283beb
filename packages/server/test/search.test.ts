import type { ConversationListItem, SearchHit } from '@parley/protocol';
import { SearchQuery, SearchReply } from '@parley/protocol';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/client.js';
import type { SearchBounds } from '../src/db/search.js';
import { search as searchService } from '../src/services/search.js';
import {
  api,
  createAdmin,
  newClientId,
  startVisitorChat,
  type SignedInAgent,
  type VisitorChat,
} from './factories.js';
import { useServer } from './harness.js';

/**
 * Search over REST: one fixture of chats, read by every test. The texts are chosen so that
 * each rule (word order, prefixes, punctuation, accents) has a message only it finds.
 */
const server = useServer({ shared: true });

let admin: SignedInAgent;
const chats: Record<string, VisitorChat> = {};

async function send(
  chat: VisitorChat,
  content: string,
  as: 'visitor' | 'agent' | 'note' = 'visitor',
): Promise<void> {
  const conversationId = chat.started.conversation.id;
  if (as === 'visitor') {
    const reply = await chat.socket
      .timeout(5000)
      .emitWithAck('message.send', { conversationId, content, clientId: newClientId() });
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    return;
  }
  const res = await api(server.current, 'POST', '/api/messages', {
    token: admin.token,
    body: {
      conversationId,
      content,
      clientId: newClientId(),
      type: as === 'note' ? 'note' : 'text',
    },
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
}

/** Sets when each message of the fixture was sent: `hoursAgo` before now, by its text. */
async function sentAt(content: string, hoursAgo: number): Promise<void> {
  await server.database.db.execute(
    sql`update messages set created_at = now() - make_interval(hours => ${hoursAgo})
      where content = ${content}`,
  );
}

beforeAll(async () => {
  const s = server.current;
  admin = await createAdmin(s, 'Ada Admin');
  chats.invoice = await startVisitorChat(
    s,
    'I was charged twice for invoice INV-12345, please refund',
  );
  await send(chats.invoice, 'Your refund for INV-12345 is on its way', 'agent');
  await send(chats.invoice, 'VIP customer, treat the wombat kindly', 'note');
  chats.cafe = await startVisitorChat(s, 'Un café crème et un CROISSANT, s’il vous plaît');
  chats.plain = await startVisitorChat(s, 'Is the cafe on Main Street open on Sunday?');
  chats.kettle = await startVisitorChat(s, 'My blue kettle arrived broken, I want a refund');
  await send(chats.kettle, 'Write to dora.refund@example.com when it ships');
  chats.named = await startVisitorChat(s, 'hello there');
  await api(s, 'PATCH', '/api/visitors/me', {
    token: chats.named.session.visitorToken,
    body: { name: 'Zoë Quokkason', email: 'zoe.q@example.org' },
  });
  await api(s, 'PATCH', `/api/conversations/${chats.kettle.started.conversation.id}`, {
    token: admin.token,
    body: { tags: ['Damaged-Goods', 'priority'] },
  });
  // Closing posts the system line "Chat closed by Ada Admin".
  await api(s, 'PATCH', `/api/conversations/${chats.plain.started.conversation.id}`, {
    token: admin.token,
    body: { status: 'closed' },
  });
  // Five parcels, one an hour, the oldest three years back: all of history is searched.
  chats.parcels = await startVisitorChat(s, 'parcel number 1');
  for (let n = 2; n <= 5; n++) await send(chats.parcels, `parcel number ${n}`);
  for (let n = 1; n <= 5; n++) await sentAt(`parcel number ${n}`, n === 1 ? 3 * 365 * 24 : 10 - n);
});

async function search(q: string, query = ''): Promise<SearchHit[]> {
  const res = await api(server.current, 'GET', `/api/search?q=${encodeURIComponent(q)}${query}`, {
    token: admin.token,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return SearchReply.parse(res.body).items;
}

/** The texts a hit marks, as the dashboard would show them. */
const marked = (hit: SearchHit) =>
  hit.message?.highlights.map(([start, end]) => hit.message?.snippet.slice(start, end)) ?? [];

const messageTexts = (hits: SearchHit[]) => hits.map((h) => h.message?.snippet);

describe('GET /api/search', () => {
  it('finds the words in any order, each as a prefix, and marks them', async () => {
    for (const q of ['kettle refund', 'refund kettle', 'REFU KETT']) {
      const hits = await search(q);
      expect(messageTexts(hits), q).toEqual(['My blue kettle arrived broken, I want a refund']);
      expect(marked(hits[0] as SearchHit)).toEqual(['kettle', 'refund']);
    }
    expect(await search('kettle teapot')).toEqual([]);
    // Prefixes of words, not pieces inside them.
    expect(await search('ettle')).toEqual([]);
  });

  it('finds email addresses and order numbers as typed, whole or begun', async () => {
    for (const q of ['dora.refund@example.com', 'dora.refund@exam', 'example.com']) {
      const hits = await search(q);
      expect(messageTexts(hits), q).toEqual(['Write to dora.refund@example.com when it ships']);
    }
    const [hit] = await search('dora.refund@example.com');
    expect(marked(hit as SearchHit)).toEqual(['dora.refund@example.com']);
    expect(await search('dora.refund@example.org')).toEqual([]);

    for (const [q, mark] of [
      ['INV-12345', 'INV-12345'],
      ['inv-123', 'INV-12345'],
      ['12345', '12345'],
    ]) {
      const hits = await search(q as string);
      expect(
        hits.map((h) => h.message?.sender),
        q,
      ).toEqual(['agent', 'visitor']);
      expect(hits.map(marked), q).toEqual([[mark], [mark]]);
    }
    expect(await search('INV-12346')).toEqual([]);
  });

  it('ignores accents and case both ways', async () => {
    const cafe = 'Un café crème et un CROISSANT, s’il vous plaît';
    const plain = 'Is the cafe on Main Street open on Sunday?';
    expect(messageTexts(await search('cafe'))).toEqual([plain, cafe]);
    expect(messageTexts(await search('CAFÉ'))).toEqual([plain, cafe]);
    const [hit] = await search('creme croissant plait');
    expect(hit?.message?.snippet).toBe(cafe);
    expect(marked(hit as SearchHit)).toEqual(['crème', 'CROISSANT', 'plaît']);
  });

  it('returns the matching message of its conversation, with its author', async () => {
    const [hit] = await search('on its way');
    const conversation = chats.invoice?.started.conversation;
    expect(hit).toMatchObject({
      conversation: { id: conversation?.id, visitor: { id: chats.invoice?.session.visitor.id } },
      message: { seq: 2, sender: 'agent', senderName: 'Ada Admin', type: 'text' },
    });
  });

  it('finds notes for agents, never system lines', async () => {
    const [note] = await search('wombat');
    expect(note?.message).toMatchObject({
      type: 'note',
      snippet: 'VIP customer, treat the wombat kindly',
    });
    expect(await search('closed')).toEqual([]);
    expect(await search('Chat closed by Ada')).toEqual([]);
  });

  it('finds conversations by their visitor’s name or email, with no message', async () => {
    for (const [q, inName, inEmail] of [
      ['zoe quokka', ['Zoë', 'Quokkason'], ['zoe']],
      ['Zoë', ['Zoë'], ['zoe']],
      ['zoe.q@example.org', [], ['zoe.q@example.org']],
    ] as const) {
      const hits = await search(q);
      expect(hits, q).toHaveLength(1);
      expect(hits[0], q).toEqual({
        conversation: {
          id: chats.named?.started.conversation.id,
          status: 'pending',
          assigneeId: null,
          visitor: {
            id: chats.named?.session.visitor.id,
            name: 'Zoë Quokkason',
            email: 'zoe.q@example.org',
          },
        },
        message: null,
        matched: expect.any(Object),
      });
      // What matched, for the hit to show: the words in the name and the email, no tag.
      const { visitor } = hits[0]?.conversation ?? {};
      const { matched } = hits[0] ?? {};
      const slices = (text: string | null | undefined, ranges: Array<[number, number]> = []) =>
        ranges.map(([a, b]) => text?.slice(a, b));
      expect(slices(visitor?.name, matched?.name), q).toEqual(inName);
      expect(slices(visitor?.email, matched?.email), q).toEqual(inEmail);
      expect(matched?.tags, q).toEqual([]);
    }
  });

  it('finds conversations by their tags, each word begun, with no message, and says which', async () => {
    for (const [q, tags] of [
      ['damaged goods', ['Damaged-Goods']],
      ['Damaged-Goods', ['Damaged-Goods']],
      ['prio', ['priority']],
      ['damaged prio', ['Damaged-Goods', 'priority']],
    ] as const) {
      const hits = await search(q);
      expect(
        hits.map((h) => [h.conversation.id, h.message, h.matched?.tags]),
        q,
      ).toEqual([[chats.kettle?.started.conversation.id, null, tags]]);
    }
    // A message hit has its words marked in the message, and no `matched`.
    const [hit] = await search('kettle');
    expect(hit?.matched).toBeNull();
  });

  it('lists newest first over all of history and pages by cursor', async () => {
    const all = messageTexts(await search('parcel'));
    expect(all).toEqual([5, 4, 3, 2, 1].map((n) => `parcel number ${n}`));
    const seen: Array<string | undefined> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: unknown } = await api(
        server.current,
        'GET',
        `/api/search?q=parcel&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: admin.token },
      );
      const page = SearchReply.parse(res.body);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...messageTexts(page.items));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(all);
  });

  it('refuses a crafted cursor with 400, and a visitor with 401', async () => {
    const crafted = [
      'notacursor',
      Buffer.from('{"at":1}').toString('base64url'),
      Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', "' or 1=1 --"])).toString('base64url'),
      Buffer.from(JSON.stringify(['0000-01-01T00:00:00Z', newClientId()])).toString('base64url'),
      'x'.repeat(300),
    ];
    for (const cursor of crafted) {
      const res = await api(server.current, 'GET', `/api/search?q=parcel&cursor=${cursor}`, {
        token: admin.token,
      });
      expect(res.status, cursor).toBe(400);
    }
    const empty = await api(server.current, 'GET', '/api/search?q=%20', { token: admin.token });
    expect(empty.status).toBe(400);
    const visitor = await api(server.current, 'GET', '/api/search?q=parcel', {
      token: chats.parcels?.session.visitorToken,
    });
    expect(visitor.status).toBe(401);
    expect((await api(server.current, 'GET', '/api/search?q=parcel')).status).toBe(401);
  });

  it('finds nothing for punctuation alone, and no wildcard', async () => {
    expect(await search('%')).toEqual([]);
    expect(await search('*')).toEqual([]);
    expect(await search("' or 1=1 --")).toEqual([]);
  });
});

describe('the conversation list’s q filter', () => {
  const list = async (q: string, query = '') => {
    const res = await api(
      server.current,
      'GET',
      `/api/conversations?q=${encodeURIComponent(q)}${query}`,
      { token: admin.token },
    );
    expect(res.status).toBe(200);
    return (res.body.items as ConversationListItem[]).map((c) => c.id).sort();
  };
  const ids = (...names: string[]) =>
    names.map((n) => chats[n]?.started.conversation.id as string).sort();

  it('finds conversations by their messages the way search does', async () => {
    expect(await list('refund kettle')).toEqual(ids('kettle'));
    expect(await list('refund')).toEqual(ids('invoice', 'kettle'));
    expect(await list('cafe')).toEqual(ids('cafe', 'plain'));
    expect(await list('inv-123')).toEqual(ids('invoice'));
    expect(await list('wombat')).toEqual(ids('invoice'));
    expect(await list('closed by')).toEqual([]);
  });

  it('finds conversations by their visitor', async () => {
    expect(await list('quokkason')).toEqual(ids('named'));
    expect(await list('zoe.q@example')).toEqual(ids('named'));
  });

  it('finds conversations by their tags, and filters on one tag exactly', async () => {
    expect(await list('priority')).toEqual(ids('kettle'));
    expect(await list('damaged')).toEqual(ids('kettle'));
    expect(await list('', '&tag=priority')).toEqual(ids('kettle'));
    expect(await list('refund', '&tag=Damaged-Goods')).toEqual(ids('kettle'));
    expect(await list('', '&tag=prio')).toEqual([]);
    expect(await list('cafe', '&tag=priority')).toEqual([]);
  });
});

describe('a search bounded in the messages one request reads', () => {
  // Three messages a step, twelve a request; the index is asked after six, and a word with
  // more than four matches there is walked on by time.
  const bounds: SearchBounds = { step: 3, stepsBeforeIndex: 2, indexMost: 4, steps: 4 };
  let keeper: VisitorChat;

  beforeAll(async () => {
    const s = server.current;
    // A word said six times long ago and never since, behind a dozen newer messages; a
    // visitor whose name has it, last heard from between the two; a rare word older still.
    const chat = await startVisitorChat(s, 'filler 0');
    for (let n = 1; n <= 12; n++) await send(chat, `filler ${n}`);
    for (let n = 1; n <= 6; n++) await send(chat, `zebu sighting ${n}`);
    await send(chat, 'an okapi, once');
    for (let n = 0; n <= 12; n++) await sentAt(`filler ${n}`, 1000 + n);
    for (let n = 1; n <= 6; n++) await sentAt(`zebu sighting ${n}`, 2000 + n);
    await sentAt('an okapi, once', 3000);
    keeper = await startVisitorChat(s, 'a question from the keeper');
    await api(s, 'PATCH', '/api/visitors/me', {
      token: keeper.session.visitorToken,
      body: { name: 'Zebu Keeper' },
    });
    await sentAt('a question from the keeper', 1500);
    // As a message would set them: the list's minute is always its time's.
    await server.database.db.execute(
      sql`update conversations set last_message_at = now() - interval '1500 hours',
          last_message_minute = date_trunc('minute', now() - interval '1500 hours')
        where id = ${keeper.started.conversation.id}`,
    );
    // And a word of the last minutes.
    for (let n = 1; n <= 6; n++) await send(chat, `yak news ${n}`);
  });

  const searchBounded = (q: string, cursor?: string) =>
    searchService(
      server.current.ctx,
      { kind: 'agent', id: admin.user.id, name: admin.user.name, role: 'admin' },
      SearchQuery.parse({ q, limit: '5', ...(cursor ? { cursor } : {}) }),
      bounds,
    );

  /** The n-th newest message search may find (system lines never), as a cursor's position. */
  async function nthNewest(n: number): Promise<{ at: string; id: string }> {
    const rows = await rowsOf<{ at_ms: number; id: string }>(
      server.database.db,
      sql`select (extract(epoch from created_at) * 1000)::float8 as at_ms, id from messages
        where type <> 'system' order by created_at desc, id desc offset ${n - 1} limit 1`,
    );
    const [row] = rows;
    if (!row) throw new Error(`no message ${n}`);
    return { at: new Date(row.at_ms).toISOString(), id: row.id };
  }

  const positionOf = (cursor: string | null) =>
    cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string]) : null;

  it('ends a page early where it stopped, and goes on from there to every match in order', async () => {
    const first = await searchBounded('zebu');
    // Twelve messages tested, no match among them: nothing yet, not even the older visitor.
    expect(first.items).toEqual([]);
    const twelfth = await nthNewest(12);
    expect(positionOf(first.nextCursor)).toEqual([twelfth.at, twelfth.id]);

    const seen: SearchHit[] = [];
    let cursor = first.nextCursor;
    let pages = 1;
    while (cursor) {
      const page = await searchBounded('zebu', cursor);
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items);
      cursor = page.nextCursor;
      if (++pages > 20) throw new Error('the search never ended');
    }
    expect(seen.map((h) => h.message?.snippet ?? `visitor ${h.conversation.visitor.name}`)).toEqual(
      ['visitor Zebu Keeper', ...[1, 2, 3, 4, 5, 6].map((n) => `zebu sighting ${n}`)],
    );
    expect(seen[0]?.conversation.id).toBe(keeper.started.conversation.id);
  });

  it('finds a rare word through the index in one page, however old', async () => {
    const page = await searchBounded('okapi');
    expect(messageTexts(page.items)).toEqual(['an okapi, once']);
    expect(page.nextCursor).toBeNull();
  });

  it('reads a word said lately by time alone, a page at once', async () => {
    const page = await searchBounded('yak');
    expect(messageTexts(page.items)).toEqual([6, 5, 4, 3, 2].map((n) => `yak news ${n}`));
    expect(page.nextCursor).not.toBeNull();
  });
});
