import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Schedule } from '@parley/protocol';
import { createdAt } from './columns.js';
import { users } from './people.js';
import { teams } from './teams.js';

// Websites (issue 34): each with its own widget, its key for the snippet, the teams its chats
// go to and, optionally, hours of its own. Visitors and conversations belong to one.

export const sites = pgTable(
  'sites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** What the snippet names the site by (`init({ site })`): public, never a secret. */
    key: text('key').notNull(),
    name: text('name').notNull(),
    /**
     * The site a snippet without a key reaches: the one today's installations made by
     * migration. Exactly one site is; it cannot be deleted.
     */
    isDefault: boolean('is_default').notNull().default(false),
    /** Its widget's look, texts, languages, pre-chat questions and allowed origins. */
    widget: jsonb('widget').$type<Record<string, unknown>>().notNull().default({}),
    /** The visitor picks one of the site's teams on the pre-chat form ("department"). */
    departmentChoice: boolean('department_choice').notNull().default(false),
    /** Its own business hours; null: the hours of its teams (or always open, if none). */
    schedule: jsonb('schedule').$type<Schedule>(),
    /** The name emails to its visitors come from; null: Parley's MAIL_FROM name. */
    emailSenderName: text('email_sender_name'),
    /** The bot that answers its chats first, whatever the team; null: the teams' or none. */
    botId: uuid('bot_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('sites_key_key').on(t.key),
    uniqueIndex('sites_one_default')
      .on(t.isDefault)
      .where(sql`${t.isDefault}`),
    index('sites_bot_id_idx').on(t.botId),
  ],
);

/** The teams a site's chats are routed to, in the order tried. */
export const siteTeams = pgTable(
  'site_teams',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.teamId] }),
    index('site_teams_team_id_idx').on(t.teamId),
  ],
);

/**
 * The default site's id, for a row written without a site (rows from before sites existed, and
 * writers that predate them): the migration and the columns' defaults use it.
 */
export const defaultSiteId = sql`parley_default_site()`;
