import type { SQL } from 'drizzle-orm';
import type { KeysetPosition } from './keyset.js';
import type { SearchTerm } from './search-query.js';

// The shapes db/search-conversations.ts and its two ways (search-conversation-steps.ts) share.

/** How far the walk goes, and how much the indexes may read. */
export type ConversationBounds = {
  /** Conversations tested in the list's order by one statement. */
  step: number;
  /** The first statement's, fewer: a word said in most conversations is found among them. */
  firstStep?: number;
  /** Steps walked before the indexes are asked (the list's; search asks them first). */
  stepsBeforeIndex: number;
  /** Most matching messages read from the index before a word counts as common. */
  indexMost: number;
  /** Most visitors, and most conversations by their tags, read from the indexes likewise. */
  conversationsMost: number;
  /** Steps walked at most; then the indexes are read however many the matches. */
  steps: number;
};

/** What a conversation search looks for, and among which conversations. */
export type ConversationSearch = {
  terms: readonly SearchTerm[];
  /** Also by the text of their messages (the list's `q`); otherwise by visitor and tags only. */
  messages: boolean;
  /** The list's own conditions on `conversations` (status, tag, assignee, its cursor). */
  filters?: SQL | undefined;
  /** The query as typed, also looked for as a verified visitor's site id, exactly. */
  externalId?: string | undefined;
  /** Where a page starts: the conversations after it (search's cursor). */
  from?: KeysetPosition | undefined;
};

/** A conversation found, dated by its latest activity (its place in the list). */
export type ConversationHit = { id: string; lastMessageAt: Date };
