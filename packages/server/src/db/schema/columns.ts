import { sql, type SQLWrapper } from 'drizzle-orm';
import { customType, timestamp } from 'drizzle-orm/pg-core';

/** PostgreSQL's text-search document, which drizzle has no column type for. */
export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * The search document of a visitor: their name, email, the site's id for them (verified) and
 * the values of their attributes (the site's `setCustomAttributes`, pre-chat answers), through
 * `parley_visitor_document` (migration 0012), which lowercases, strips accents and splits at
 * punctuation, so `dora@example.com` is words in a row. The index and the queries
 * (db/search.ts) must spell it identically for the index to serve.
 */
export const visitorSearchDocument = (v: {
  name: SQLWrapper;
  email: SQLWrapper;
  externalId: SQLWrapper;
  attributes: SQLWrapper;
}) => sql`parley_visitor_document(${v.name}, ${v.email}, ${v.externalId}, ${v.attributes})`;

/** The search document of a conversation's tags (migration 0005), spelled as its index is. */
export const tagsSearchDocument = (tags: SQLWrapper) => sql`parley_tags_document(${tags})`;

export const createdAt = () =>
  timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow();
