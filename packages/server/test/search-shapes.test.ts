import type { ConversationListItem, SearchHit } from '@parley/protocol';
import { SearchQuery, SearchReply } from '@parley/protocol';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/client.js';
import { conversations } from '../src/db/schema.js';
import type { SearchBounds } from '../src/db/search.js';
import { indexQuery, tsQuery } from '../src/db/search-query.js';
import { findConversations } from '../src/db/search-conversations.js';
import type { ConversationBounds } from '../src/db/search-conversation-types.js';
import { search as searchService } from '../src/services/search.js';
import { parseSearch } from '../src/services/search-text.js';
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
 * The shapes of search that `npm run bench:data` times (issue 33): a word no message has, a
 * rare word, a common word, a common phrase, words in any order, a word as typed so far and an
 * email address. Each is pinned here on chats small enough to know every answer, through
 * `/api/search` and the conversation list's `q`; then each way the searches may take (a walk
 * down the list, the indexes with or without a bound) is forced by tiny bounds, and must give
 * the same answers, page after page.
 */
const server = useServer({ shared: true });

let admin: SignedInAgent;
/** The chats by letter, in the order they were started (each one's messages sent in a row). */
const chats: Record<string, VisitorChat> = {};

async function sendAsAgent(chat: VisitorChat, content: string): Promise<void> {
  const res = await api(server.current, 'POST', '/api/messages', {
    token: admin.token,
    body: { conversationId: chat.started.conversation.id, content, clientId: newClientId() },
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
}

async function sendAsVisitor(chat: VisitorChat, content: string): Promise<void> {
  const reply = await chat.socket.timeout(5000).emitWithAck('message.send', {
    conversationId: chat.started.conversation.id,
    content,
    clientId: newClientId(),
  });
  if (!reply.ok) throw new Error(JSON.stringify(reply.error));
}

beforeAll(async () => {
  const s = server.current;
  admin = await createAdmin(s, 'Ada Admin');
  chats.a = await startVisitorChat(s, 'Thanks for your patience, it ships today');
  await sendAsAgent(chats.a, 'Any time, thanks FOR waiting');
  chats.b = await startVisitorChat(s, 'For the record, thanks a lot');
  chats.c = await startVisitorChat(s, 'My refund has not arrived yet');
  chats.d = await startVisitorChat(s, 'It arrived, but the refund did not');
  chats.e = await startVisitorChat(s, 'Refunding takes a few days');
  chats.f = await startVisitorChat(s, 'hello there');
  await api(s, 'PATCH', '/api/visitors/me', {
    token: chats.f.session.visitorToken,
    body: { name: 'Dora Keller', email: 'dora.refund@example.com' },
  });
  chats.g = await startVisitorChat(s, 'Write to dora.refund@example.com please');
  chats.h = await startVisitorChat(s, 'a quokka at the zoo');
  chats.i = await startVisitorChat(s, 'a question about my order');
  await api(s, 'PATCH', `/api/conversations/${chats.i.started.conversation.id}`, {
    token: admin.token,
    body: { tags: ['Refunds'] },
  });
  chats.j = await startVisitorChat(s, 'order one');
  await sendAsVisitor(chats.j, 'order two');
  await sendAsVisitor(chats.j, 'order three');
  chats.k = await startVisitorChat(s, 'thanks for nothing');
  // Closing posts "Chat closed by Ada Admin": k stays the newest.
  await api(s, 'PATCH', `/api/conversations/${chats.k.started.conversation.id}`, {
    token: admin.token,
    body: { status: 'closed' },
  });
});

const idOf = (letter: string) => chats[letter]?.started.conversation.id as string;
const lettersOf = (ids: string[]) =>
  ids.map((id) => Object.keys(chats).find((letter) => idOf(letter) === id) ?? id);

async function searchApi(q: string): Promise<SearchHit[]> {
  const res = await api(server.current, 'GET', `/api/search?q=${encodeURIComponent(q)}`, {
    token: admin.token,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return SearchReply.parse(res.body).items;
}

/** The list's conversations for `q`, as letters, in the list's order. */
async function listApi(q: string, query = ''): Promise<string[]> {
  const res = await api(
    server.current,
    'GET',
    `/api/conversations?q=${encodeURIComponent(q)}${query}`,
    { token: admin.token },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return lettersOf((res.body.items as ConversationListItem[]).map((c) => c.id));
}

/** A search's hits as the dashboard shows them: a message's text, or a conversation's letter. */
const shown = (hits: SearchHit[]) =>
  hits.map((h) => h.message?.snippet ?? `chat ${lettersOf([h.conversation.id])[0]}`);

// Each shape: what /api/search shows (newest first) and which chats the list holds.
const SHAPES: Array<{ shape: string; q: string; search: string[]; list: string[] }> = [
  { shape: 'a word no message has', q: 'xylograph', search: [], list: [] },
  { shape: 'a rare word', q: 'quokka', search: ['a quokka at the zoo'], list: ['h'] },
  {
    shape: 'a common word',
    q: 'order',
    search: ['order three', 'order two', 'order one', 'a question about my order'],
    list: ['j', 'i'],
  },
  {
    // Not "For the record, thanks a lot": both words, but not one after the other.
    shape: 'a common phrase',
    q: '"thanks for"',
    search: [
      'thanks for nothing',
      'Any time, thanks FOR waiting',
      'Thanks for your patience, it ships today',
    ],
    list: ['k', 'a'],
  },
  {
    shape: 'words in any order',
    q: 'arrived refund',
    search: ['It arrived, but the refund did not', 'My refund has not arrived yet'],
    list: ['d', 'c'],
  },
  {
    // The tag `Refunds` and Dora's address hold the word too: their chats, with no message.
    shape: 'a word as typed so far',
    q: 'refu',
    search: [
      'chat i',
      'Write to dora.refund@example.com please',
      'chat f',
      'Refunding takes a few days',
      'It arrived, but the refund did not',
      'My refund has not arrived yet',
    ],
    list: ['i', 'g', 'f', 'e', 'd', 'c'],
  },
  {
    shape: 'an email address',
    q: 'dora.refund@example.com',
    search: ['Write to dora.refund@example.com please', 'chat f'],
    list: ['g', 'f'],
  },
];

describe('each shape of search, through /api/search and the list', () => {
  for (const { shape, q, search, list } of SHAPES) {
    it(`${shape}: ${q}`, async () => {
      expect(shown(await searchApi(q))).toEqual(search);
      expect(await listApi(q)).toEqual(list);
    });
  }

  it('a phrase typed so far: its last word begun, the others whole and in order', async () => {
    expect(shown(await searchApi('"thanks fo'))).toEqual(shown(await searchApi('"thanks for"')));
    expect(await listApi('"for thanks"')).toEqual([]);
    expect(await listApi('"refund has not arr')).toEqual(['c']);
  });

  it('the list’s own filters apply to what search finds', async () => {
    expect(await listApi('"thanks for"', '&status=closed')).toEqual(['k']);
    expect(await listApi('refu', '&tag=Refunds')).toEqual(['i']);
    expect(await listApi('order', '&status=closed')).toEqual([]);
  });
});

/** Every conversation the list's `q` finds, in its order, by the plainest query there is. */
async function everyConversation(q: string, closedOnly = false): Promise<string[]> {
  const query = tsQuery(parseSearch(q));
  const rows = await rowsOf<{ id: string }>(
    server.database.db,
    sql`select c.id from conversations c join visitors v on v.id = c.visitor_id
      where (${closedOnly ? sql`c.status = 'closed'` : sql`true`})
        and (parley_visitor_document(v.name, v.email, v.external_id, v.attributes) @@ ${query}
          or parley_tags_document(c.tags) @@ ${query}
          or exists (select 1 from messages m where m.conversation_id = c.id
            and m.type <> 'system' and m.search_vector @@ ${query}))
      order by c.last_message_minute desc, c.last_message_at desc, c.id desc`,
  );
  return rows.map((r) => r.id);
}

// Tiny bounds, each forcing another way: the walk alone (its steps of one size, or growing with
// the rate of matches), the bounded index at once, the index refused (too many matches) and
// then the walk, then the index without a bound.
const CONVERSATION_WAYS: Record<string, ConversationBounds> = {
  'the walk alone': {
    step: 1,
    stepsBeforeIndex: 1_000,
    indexMost: 1_000,
    conversationsMost: 1_000,
    steps: 1_000,
  },
  'the walk, its steps growing': {
    step: 3,
    firstStep: 1,
    stepsBeforeIndex: 1_000,
    indexMost: 1_000,
    conversationsMost: 1_000,
    steps: 1_000,
  },
  'the index at once': {
    step: 1,
    stepsBeforeIndex: 0,
    indexMost: 1_000,
    conversationsMost: 1_000,
    steps: 1_000,
  },
  'the index refused, then the walk': {
    step: 2,
    stepsBeforeIndex: 1,
    indexMost: 1,
    conversationsMost: 1,
    steps: 1_000,
  },
  'the walk, then the index unbounded': {
    step: 1,
    stepsBeforeIndex: 1,
    indexMost: 0,
    conversationsMost: 0,
    steps: 2,
  },
};
// Search's messages and conversations, each way paired with one of the other's.
const SEARCH_WAYS: Record<string, [SearchBounds, ConversationBounds]> = {
  'the walk alone': [
    { step: 1, stepsBeforeIndex: 1_000, indexMost: 1_000, steps: 1_000 },
    { step: 1, stepsBeforeIndex: 0, indexMost: 0, conversationsMost: 0, steps: 1_000 },
  ],
  'the walk, its steps growing': [
    { step: 4, firstStep: 1, stepsBeforeIndex: 1_000, indexMost: 1_000, steps: 1_000 },
    CONVERSATION_WAYS['the walk, its steps growing'] as ConversationBounds,
  ],
  'the index after a step': [
    { step: 2, stepsBeforeIndex: 1, indexMost: 1_000, steps: 1_000 },
    CONVERSATION_WAYS['the index at once'] as ConversationBounds,
  ],
  'the index refused, a page ended early': [
    { step: 3, stepsBeforeIndex: 1, indexMost: 1, steps: 2 },
    CONVERSATION_WAYS['the walk, then the index unbounded'] as ConversationBounds,
  ],
};

describe('every way a search may take finds the same, page after page', () => {
  for (const [way, bounds] of Object.entries(CONVERSATION_WAYS)) {
    it(`the list's conversations: ${way}`, async () => {
      for (const { q } of SHAPES) {
        for (const closedOnly of [false, true]) {
          const expected = await everyConversation(q, closedOnly);
          // Two at a time, each page after the last one's last conversation.
          const seen: string[] = [];
          let from: { at: Date; id: string } | undefined;
          for (let page = 0; page < 20; page++) {
            const found = await findConversations(
              server.database.db,
              {
                terms: parseSearch(q),
                messages: true,
                filters: closedOnly ? eq(conversations.status, 'closed') : undefined,
                from,
              },
              2,
              bounds,
            );
            seen.push(...found.map((c) => c.id));
            const last = found[found.length - 1];
            if (found.length < 2 || !last) break;
            from = { at: last.lastMessageAt, id: last.id };
          }
          expect(lettersOf(seen), `${q}${closedOnly ? ', closed' : ''}`).toEqual(
            lettersOf(expected),
          );
        }
      }
    });
  }

  for (const [way, [bounds, conversationBounds]] of Object.entries(SEARCH_WAYS)) {
    it(`search's hits: ${way}`, async () => {
      for (const { q, search } of SHAPES) {
        const seen: SearchHit[] = [];
        let cursor: string | null = null;
        for (let page = 0; page < 50; page++) {
          const reply = await searchService(
            server.current.ctx,
            { kind: 'agent', id: admin.user.id, name: admin.user.name, role: 'admin' },
            SearchQuery.parse({ q, limit: '2', ...(cursor ? { cursor } : {}) }),
            bounds,
            conversationBounds,
          );
          seen.push(...reply.items);
          cursor = reply.nextCursor;
          if (!cursor) break;
        }
        expect(cursor, q).toBeNull();
        expect(shown(seen), q).toEqual(search);
      }
    });
  }
});

describe('a common prefix left out of what the index is asked', () => {
  // "for" in sixty more messages: by the statistics, `for:*` is common and "thanks" is not, so
  // the index is asked for "thanks" and its messages are tested against the phrase.
  const bounds: SearchBounds = { step: 2, stepsBeforeIndex: 0, indexMost: 4, steps: 100 };

  beforeAll(async () => {
    chats.l = await startVisitorChat(server.current, 'for you');
    for (let n = 1; n < 60; n++) await sendAsAgent(chats.l, `for you, ${n}`);
    await server.database.db.execute(sql`analyze messages`);
  });

  it('finds the phrase among the rare word’s messages, and only it', async () => {
    const asked = await indexQuery(server.database.db, parseSearch('"thanks for"'), 4);
    expect(asked?.recheck).toBe(true);
    const reply = await searchService(
      server.current.ctx,
      { kind: 'agent', id: admin.user.id, name: admin.user.name, role: 'admin' },
      SearchQuery.parse({ q: '"thanks for"', limit: '10' }),
      bounds,
    );
    expect(shown(reply.items)).toEqual(SHAPES.find((s) => s.q === '"thanks for"')?.search);
    expect(reply.nextCursor).toBeNull();
    const found = await findConversations(
      server.database.db,
      { terms: parseSearch('"thanks for"'), messages: true },
      10,
      { step: 1, stepsBeforeIndex: 0, indexMost: 4, conversationsMost: 4, steps: 100 },
    );
    expect(lettersOf(found.map((c) => c.id))).toEqual(['k', 'a']);
  });
});
