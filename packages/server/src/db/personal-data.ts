import { sql, type SQL } from 'drizzle-orm';

// Where a person's data lives (issue 35; docs/architecture.md "Decided, not built yet": one map
// of personal data). Every table is declared here, once: what it holds about a visitor (a
// contact: the person on the other side of the widget) and how their rows are found from them,
// or why it holds nothing about one. Export, erasure and retention read this map rather than a
// list of their own, and test/personal-data.test.ts fails when the database has a table the map
// does not declare, or a table that refers to a visitor or holds an email address is declared
// as holding nothing about one: a future table cannot be forgotten.

/** How a person's rows of a table are found. */
export type Reach =
  /** A column holds the visitor's id. */
  | { visitorColumn: string }
  /** A column holds the id of one of the visitor's conversations. */
  | { conversationColumn: string }
  /** Found otherwise, as `how` says (a payload that names the visitor, an address). */
  | { other: string };

/** Whom a person's rows are found by: their visitor records, conversations and addresses. */
export type Person = { visitorIds: string[]; conversationIds: string[]; emails: string[] };

export type PersonalTable = {
  /** What it holds about the person. */
  holds: string;
  /** How their rows are found, in words and as the condition on the table's rows. */
  reach: Reach;
  rows: (person: Person) => SQL;
  /** What holds a copy outside the row (files in storage, search entries). */
  alsoIn?: string;
};

/** A table that holds nothing about a visitor, and why. */
export type OtherTable = { none: string };

/** What stays after a person is erased, on purpose (their tombstone), and why. */
export type KeptTable = { keeps: string };

export type DataMap = Record<string, PersonalTable | OtherTable | KeptTable>;

/** Ids and addresses as one array parameter (drizzle would spread a JS array into many). */
const array = (items: string[]) =>
  `{${items.map((i) => `"${i.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
const ids = (items: string[]) => sql`${array(items)}::uuid[]`;
const texts = (items: string[]) => sql`${array(items)}::text[]`;

/** A webhook event about the person: of one of their conversations, or naming them. */
const theirEvents = (p: Person) =>
  sql`(conversation_id = any(${ids(p.conversationIds)})
    or payload #>> '{data,visitor,id}' = any(${texts(p.visitorIds)}))`;

export const personalData: DataMap = {
  visitors: {
    holds:
      'the visitor: name, email, the address they confirmed, IP address, browser and OS, the ' +
      "page they are on, their attributes and pre-chat answers, the site's id for them",
    reach: { visitorColumn: 'id' },
    rows: (p) => sql`id = any(${ids(p.visitorIds)})`,
    alsoIn: 'the search index of visitors (an expression index over the row)',
  },
  page_views: {
    holds: 'the pages they visited, with titles',
    reach: { visitorColumn: 'visitor_id' },
    rows: (p) => sql`visitor_id = any(${ids(p.visitorIds)})`,
  },
  visitor_bans: {
    holds:
      "bans of them: the address they were banned at (an IP address or network), the agent's " +
      'reason, when and until when. A ban of an address alone names no visitor and stays until ' +
      'it is lifted or expires',
    reach: { visitorColumn: 'visitor_id' },
    rows: (p) => sql`visitor_id = any(${ids(p.visitorIds)})`,
  },
  conversations: {
    holds: 'their conversations: tags, internal notes about them, rating and comment',
    reach: { visitorColumn: 'visitor_id' },
    rows: (p) => sql`visitor_id = any(${ids(p.visitorIds)})`,
    alsoIn: 'the search index of tags',
  },
  messages: {
    holds: "what they and the team wrote, the address a reply by email came from, files' names",
    reach: { conversationColumn: 'conversation_id' },
    rows: (p) => sql`conversation_id = any(${ids(p.conversationIds)})`,
    alsoIn: 'the stored search vector of each message',
  },
  attachments: {
    holds: 'the files sent in their conversations, and their uploads not sent yet',
    reach: { other: 'conversation_id of their conversations, or uploader_id for their uploads' },
    rows: (p) =>
      sql`(conversation_id = any(${ids(p.conversationIds)})
        or (uploader_kind = 'visitor' and uploader_id = any(${ids(p.visitorIds)})))`,
    alsoIn: 'the file store (local disk or S3) under storage_key',
  },
  email_confirmations: {
    holds: 'an address they typed and the code emailed to it (as an HMAC)',
    reach: { visitorColumn: 'visitor_id' },
    rows: (p) => sql`visitor_id = any(${ids(p.visitorIds)})`,
  },
  jobs: {
    holds: 'emails queued to them (the address and the text) until sent; done jobs are cleared',
    reach: { other: "the payload's address, or its conversationId" },
    rows: (p) =>
      sql`(lower(payload ->> 'to') = any(${texts(p.emails)})
        or payload ->> 'conversationId' = any(${texts(p.conversationIds)}))`,
  },
  webhook_deliveries: {
    holds: 'events about them sent to webhook endpoints: the visitor and their messages',
    reach: { other: "the event's conversation_id, or the visitor in its payload" },
    rows: theirEvents,
  },
  webhook_delivery_attempts: {
    holds: "the receiving endpoint's answers to those events (their first bytes)",
    reach: { other: 'through webhook_deliveries' },
    rows: (p) => sql`delivery_id in (select id from webhook_deliveries where ${theirEvents(p)})`,
  },
  push_notices: {
    holds:
      'that an agent is to be told by push about one of their conversations: ids only (the ' +
      'words are read when the push is sent)',
    reach: { conversationColumn: 'conversation_id' },
    rows: (p) => sql`conversation_id = any(${ids(p.conversationIds)})`,
  },
  erasures: { keeps: 'the tombstone of an erased contact: when, by whom, how much; their id' },
  message_days: { none: 'counts of messages per day, for reports: no person in them' },
  message_place_days: { none: 'counts of messages per day, site, team and agent: no visitor' },
  agent_reply_days: { none: "counts of each agent's replies per day: staff, not visitors" },
  users: { none: 'the staff: agents, admins and bots (their own accounts, not contacts)' },
  sessions: { none: "the staff's sign-ins" },
  push_subscriptions: { none: "where the staff's devices are reached by push notifications" },
  password_resets: { none: "the staff's password resets" },
  api_tokens: { none: 'tokens of the staff and bots' },
  audit_events: {
    none: "what the staff did and changed, and sign-ins tried: who, when, from where (staff's)",
  },
  invitations: { none: 'agents invited to the team, before and after they join' },
  spent_challenges: { none: 'proofs of work already used: signatures, nobody named' },
  canned_responses: { none: "the team's saved replies" },
  teams: { none: 'teams of agents and their hours' },
  team_members: { none: 'which agent is in which team' },
  sites: { none: 'websites and their widgets' },
  site_teams: { none: "which teams take each site's chats" },
  settings: { none: 'settings and generated secrets' },
  webhook_endpoints: { none: "the admins' endpoints" },
};

export const isPersonal = (entry: PersonalTable | OtherTable | KeptTable): entry is PersonalTable =>
  'holds' in entry;

/**
 * The personal tables in the order a person's rows are deleted: those that refer to others
 * first (attempts before deliveries, messages and files before conversations), the visitor last.
 */
export const erasureOrder = [
  'jobs',
  'webhook_delivery_attempts',
  'webhook_deliveries',
  'push_notices',
  'attachments',
  'messages',
  'email_confirmations',
  'page_views',
  'visitor_bans',
  'conversations',
  'visitors',
] as const;
