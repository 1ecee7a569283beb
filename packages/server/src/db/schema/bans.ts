import { sql } from 'drizzle-orm';
import { check, index, inet, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';
import { users } from './people.js';
import { visitors } from './chats.js';

// Visitors kept out (issue 36): docs/architecture.md "Security".

/**
 * A ban: of a visitor record, of an address or a network (`inet`: `203.0.113.7` or
 * `203.0.113.0/24`), or both at once, until `expires_at` (null: until lifted). A visitor is
 * banned while a ban names them or contains the address they come from.
 */
export const visitorBans = pgTable(
  'visitor_bans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    visitorId: uuid('visitor_id').references(() => visitors.id, { onDelete: 'cascade' }),
    address: inet('address'),
    reason: text('reason').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index('visitor_bans_visitor_idx').on(t.visitorId),
    check('visitor_bans_target', sql`${t.visitorId} is not null or ${t.address} is not null`),
  ],
);
