import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Schedule } from '@parley/protocol';
import { createdAt } from './columns.js';
import { users } from './people.js';

// Teams (Billing, Technical…): who is in each, and when each works (issue 34).

export const teams = pgTable(
  'teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Its business hours (protocol's Schedule); null: no hours set, always open. */
    schedule: jsonb('schedule').$type<Schedule>(),
    /** The bot that answers the team's new chats first and hands over to it; null: none. */
    botId: uuid('bot_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  // One "Billing", however it is capitalised.
  (t) => [
    uniqueIndex('teams_name_key').on(sql`lower(${t.name})`),
    index('teams_bot_id_idx').on(t.botId),
  ],
);

/** An agent may be in several teams. */
export const teamMembers = pgTable(
  'team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.userId] }),
    index('team_members_user_id_idx').on(t.userId),
  ],
);
