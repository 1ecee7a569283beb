import type { Tx } from './client.js';
import { throughIndexes, walkStep } from './search-conversation-steps.js';
import type {
  ConversationBounds,
  ConversationHit,
  ConversationSearch,
} from './search-conversation-types.js';
import { byWholeWords, indexQuery, stepSize, type IndexAsk } from './search-query.js';

// Conversations found by their visitor (name, email, attributes), their tags and, for the
// list's `q`, their messages, newest activity first. Like the messages' search (db/search.ts)
// it takes one of two ways, each bounded per statement, and never leaves the choice to the
// planner's estimates, which a word's odds fool both ways:
// - a walk down the list, testing each conversation: a word said in many conversations is
//   found among the first ones. Each statement reads the next conversations and their
//   messages first, and only then tests them, so the test cannot become a read of the index's
//   every match. (Left to itself, PostgreSQL did that: it hashed every message holding
//   "arrived" and "refund", 34,000 of them and 36,000 pages at 2M messages, half a second, to
//   test 200 conversations; and it joined all 75,000 visitors to test 200.)
// - the indexes, after the walk's first step, when the statistics say the rarest word typed
//   may be rare (see indexQuery): each (messages, visitors, tags) gives at most so many
//   candidates, past which the word counts as common and the walk goes on; the conversations
//   they belong to are found, the list's conditions applied, and only then are they sorted.
// Unlike search, the list's page holds every match down to its limit: a word neither found
// within the walk's `steps` nor rare enough for the bounded read asks the indexes without a
// bound (its cost grows with the word's matches; the walk's would grow with history).

/** The list's: each conversation tested with its messages (about 20). */
export const LIST_BOUNDS: ConversationBounds = {
  step: 100,
  firstStep: 40,
  stepsBeforeIndex: 1,
  indexMost: 1_000,
  conversationsMost: 1_000,
  steps: 8,
};

/**
 * Search's, by visitor and tags only: a conversation is a fifth of the work without its
 * messages. A tag on 5% of the conversations (5,000 at 2M messages) costs 30 ms to read from
 * the index and sort, where its newest 21 are among 420 conversations of the list.
 */
export const SEARCH_CONVERSATION_BOUNDS: ConversationBounds = {
  step: 500,
  stepsBeforeIndex: 0,
  indexMost: 0,
  conversationsMost: 1_000,
  steps: 8,
};

/**
 * The newest `want` conversations the search finds, in the list's order (newest activity
 * first), all of them down to `want`.
 */
export async function findConversations(
  db: Tx,
  search: ConversationSearch,
  want: number,
  bounds: ConversationBounds = search.messages ? LIST_BOUNDS : SEARCH_CONVERSATION_BOUNDS,
): Promise<ConversationHit[]> {
  if (search.terms.length === 0) return [];
  // Without messages, the indexes first, asked for the words typed in full where there are
  // some: there are no statistics of names and tags to tell a common prefix.
  const stepsBeforeIndex = search.messages ? bounds.stepsBeforeIndex : 0;
  const found: ConversationHit[] = [];
  let at = search.from;
  // Every visitor who matches, once the index has given them all: the walk need not test each.
  let visitorIds: string[] | undefined;
  let tested = 0;
  let asking: Promise<IndexAsk | undefined> | undefined;
  for (let step = 0; ; step++) {
    if (step === stepsBeforeIndex) {
      const asked = search.messages
        ? await (asking ?? indexQuery(db, search.terms, bounds.indexMost))
        : byWholeWords(search.terms);
      const indexed = asked
        ? await throughIndexes(db, search, at, want - found.length, { asked, bounds })
        : undefined;
      if (indexed?.hits) return [...found, ...indexed.hits];
      visitorIds = indexed?.visitorIds;
    }
    if (step >= bounds.steps) {
      const indexed = await throughIndexes(db, search, at, want - found.length);
      return [...found, ...(indexed.hits ?? [])];
    }
    const size = stepSize(bounds, tested, found.length, want);
    const walking = walkStep(db, search, at, want - found.length, size, visitorIds);
    // The statistics are read while the step before them walks (on PostgreSQL, in the same
    // round trip's time); awaited above, or left once the walk alone fills the page.
    if (search.messages && step + 1 === stepsBeforeIndex) {
      asking = indexQuery(db, search.terms, bounds.indexMost);
      asking.catch(() => {});
    }
    const walked = await walking;
    tested += size;
    found.push(...walked.hits);
    if (found.length >= want || !walked.oldest) return found;
    at = walked.oldest;
  }
}
