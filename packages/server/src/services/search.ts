import type { SearchHit, SearchQuery, SearchReply } from '@parley/protocol';
import { findHitConversations, findMessageHits, type SearchBounds } from '../db/search.js';
import { findConversations } from '../db/search-conversations.js';
import type { ConversationBounds } from '../db/search-conversation-types.js';
import type { KeysetPosition } from '../db/keyset.js';
import type { AgentActor } from './actor.js';
import type { Context } from '../context.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { findMatches, parseSearch, snippetOf } from './search-text.js';

/** A hit before its conversation is looked up, with its place in the order. */
type Found = { at: Date; id: string; conversationId: string; message: SearchHit['message'] };

/**
 * Searches all of history for the agent: matching messages (notes too, system lines never)
 * and conversations whose visitor or tags match, with what matched in them, newest first, as
 * one list paged by an opaque cursor. A message hit is dated when it was sent; a conversation hit by its latest activity.
 * A page may hold fewer than the limit while a cursor follows: the search read as much as one
 * request may (see findMessageHits) and goes on from there. Every agent reads every
 * conversation, so the actor only has to be an agent.
 */
export async function search(
  ctx: Context,
  _actor: AgentActor,
  query: SearchQuery,
  bounds?: SearchBounds,
  conversationBounds?: ConversationBounds,
): Promise<SearchReply> {
  const terms = parseSearch(query.q);
  if (terms.length === 0) return { items: [], nextCursor: null };
  const position: KeysetPosition | undefined = query.cursor
    ? decodeCursor(query.cursor)
    : undefined;
  // One more than a page of each: together they tell whether another page follows.
  const [messageHits, conversationRows] = await Promise.all([
    findMessageHits(ctx.backgroundDb, terms, position, query.limit + 1, bounds),
    findConversations(
      ctx.backgroundDb,
      { terms, messages: false, externalId: query.q.trim(), from: position },
      query.limit + 1,
      conversationBounds,
    ),
  ]);
  const { searchedTo } = messageHits;
  const found: Found[] = [
    ...messageHits.rows.map((m) => ({
      at: m.createdAt,
      id: m.id,
      conversationId: m.conversationId,
      message: {
        id: m.id,
        seq: m.seq,
        sender: m.sender,
        senderName: m.senderName,
        type: m.type,
        createdAt: m.createdAt.toISOString(),
        ...snippetOf(m.content, findMatches(m.content, terms)),
      },
    })),
    ...conversationRows.map((c) => ({
      at: c.lastMessageAt,
      id: c.id,
      conversationId: c.id,
      message: null,
    })),
  ]
    // Where the messages were not all searched, nothing older may show yet: the next page
    // starts there.
    .filter((f) => !searchedTo || newestFirst(f, searchedTo) <= 0)
    .sort(newestFirst);
  const page = found.slice(0, query.limit);
  const conversations = new Map(
    (
      await findHitConversations(ctx.backgroundDb, [...new Set(page.map((f) => f.conversationId))])
    ).map((c) => [c.id, c]),
  );
  const items: SearchHit[] = [];
  for (const f of page) {
    const found = conversations.get(f.conversationId);
    // Deleted between the two reads: nothing to open.
    if (!found) continue;
    const { tags, ...conversation } = found;
    const { name, email } = conversation.visitor;
    const matched = f.message
      ? null
      : {
          name: name === null ? [] : findMatches(name, terms),
          email: email === null ? [] : findMatches(email, terms),
          tags: tags.filter((tag) => findMatches(tag, terms).length > 0),
        };
    items.push({ conversation, message: f.message, matched });
  }
  const last = found.length > query.limit ? page[page.length - 1] : searchedTo;
  return { items, nextCursor: last ? encodeCursor(last.at.toISOString(), last.id) : null };
}

const newestFirst = (a: KeysetPosition, b: KeysetPosition) =>
  b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
