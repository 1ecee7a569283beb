/**
 * Full-text search: `GET /api/search`.
 */
import { z } from 'zod';
import { Conversation, Message, Visitor } from '../entities.js';
import { safeText } from '../primitives.js';
import { Tag } from '../rest.js';
import { Cursor, queryInt } from './query.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';

/**
 * `GET /api/search` (agents): messages whose text holds every word typed, in any order, each
 * as a prefix (`refu` finds "refunded"); case and accents do not matter, and `INV-12345` or
 * `dora@example.com` are found as typed. "Quoted words" must stand together, in that order.
 * Conversations whose visitor's name or email, or whose tags, match are hits too. Newest first,
 * over all history; system lines are never found, notes are.
 */
export const SearchQuery = z.object({
  q: safeText(200).pipe(z.string().min(1, 'Nothing to search for')),
  cursor: Cursor.optional(),
  limit: queryInt(1, 50).default(20),
});
export type SearchQuery = z.infer<typeof SearchQuery>;
/** Matched words in a text: [start, end) in UTF-16 code units, in order. */
const Highlights = z.array(z.tuple([z.int().min(0), z.int().min(0)]));
export const SearchHit = z.object({
  conversation: Conversation.pick({ id: true, status: true, assigneeId: true }).extend({
    visitor: Visitor.pick({ id: true, name: true, email: true }),
  }),
  /** The matching message; null when only the conversation (its visitor or tags) matches. */
  message: Message.pick({
    id: true,
    seq: true,
    sender: true,
    senderName: true,
    type: true,
    createdAt: true,
  })
    .extend({
      /** Plain text: the message, or the part of a long one around its first match. */
      snippet: z.string(),
      /** The matched words in `snippet`: [start, end) in UTF-16 code units, in order. */
      highlights: Highlights,
    })
    .nullable(),
  /**
   * Why a conversation with no matching message was found, for the agent to see: the matched
   * words in its visitor's name and email (ranges as in `highlights`), and its tags that hold a
   * searched word. Empty all through when another of the visitor's details matched (a signed-in
   * id, an attribute). Null on a message hit.
   */
  matched: z.object({ name: Highlights, email: Highlights, tags: z.array(Tag) }).nullable(),
});
export type SearchHit = z.infer<typeof SearchHit>;
export const SearchReply = z.object({
  items: z.array(SearchHit),
  /**
   * Where the next page starts; null once all history is searched. A page may hold fewer than
   * `limit` items, even none, while one follows: a request reads a bounded part of history.
   */
  nextCursor: z.string().nullable(),
});
export type SearchReply = z.infer<typeof SearchReply>;

const tag = 'Search';

export const searchRoutes = {
  search: {
    ...at.search,
    tag,
    summary: 'Find messages and conversations, newest first',
    description:
      'Pages by `cursor`. One request reads a bounded part of history, so a page may hold fewer items than `limit`, even none, while `nextCursor` is set: go on with it until it is null (a word said often long ago and not lately is looked for back in time).',
    auth: 'agent',
    query: SearchQuery,
    responses: { 200: SearchReply },
  },
} as const satisfies RouteEntries;
