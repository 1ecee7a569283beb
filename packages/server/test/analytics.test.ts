import {
  AnalyticsAgents,
  AnalyticsOverview,
  AnalyticsTimeseries,
  RatingsReply,
} from '@parley/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.js';
import { conversations, messages, users, visitors } from '../src/db/schema.js';
import { api, createAdmin, type SignedInAgent } from './factories.js';
import { useServer } from './harness.js';

/**
 * The reports' figures, recomputed here in plain TypeScript from a small fixed data set seeded
 * by SQL, must equal what the API answers. This pins what each figure means (UTC days, which
 * messages count, missed chats, medians, ratings, per-agent credit) whatever the queries do.
 */
const server = useServer({ shared: true });

/** A range of whole days, both given. */
type Days = { from: string; to: string };

type AgentKey = 'admin' | 'bea' | 'cy' | 'dee';
type Status = 'open' | 'pending' | 'closed';
type SeedConversation = {
  assignee: AgentKey | null;
  status: Status;
  createdAt: string;
  /**
   * When the visitor first wrote: at createdAt (they started it) unless the agent started it
   * (`opened`), and then later or never (null).
   */
  opened?: { visitorAt: string | null };
  firstResponseAt?: string;
  /** Who wrote the first response, when not the assignee. */
  responder?: AgentKey;
  closedAt?: string;
  rating?: 'up' | 'down';
};
type SeedMessage = {
  conversation: number;
  sender: 'visitor' | 'agent' | 'system';
  agent?: AgentKey;
  type: 'text' | 'note' | 'system';
  at: string;
};

const AGENTS: Array<{ key: Exclude<AgentKey, 'admin'>; name: string; active: boolean }> = [
  { key: 'bea', name: 'Bea Agent', active: true },
  { key: 'cy', name: 'Cy Agent', active: true },
  // No conversations and inactive: still listed, with zeros and no median.
  { key: 'dee', name: 'Dee Agent', active: false },
];

// Timestamps sit on day edges on purpose: 23:59:59.999 belongs to its day, 00:00:00.000 to
// the next; medians need interpolation (even counts) and one spans more than a day.
const CONVERSATIONS: SeedConversation[] = [
  /* 0 */ {
    assignee: 'bea',
    status: 'closed',
    createdAt: '2024-02-28T09:15:00.000Z',
    firstResponseAt: '2024-02-28T09:15:45.500Z',
    closedAt: '2024-02-28T09:40:00.000Z',
    rating: 'up',
  },
  /* 1 */ {
    assignee: 'bea',
    status: 'closed',
    createdAt: '2024-02-29T23:59:59.999Z',
    firstResponseAt: '2024-03-01T00:00:30.250Z',
    closedAt: '2024-03-02T10:00:00.000Z',
    rating: 'down',
  },
  /* 2 */ {
    assignee: 'cy',
    status: 'open',
    createdAt: '2024-03-01T00:00:00.000Z',
    firstResponseAt: '2024-03-01T00:02:00.000Z',
  },
  /* 3 */ { assignee: null, status: 'pending', createdAt: '2024-03-01T12:30:00.500Z' },
  // Missed: closed without a reply, closed on the very first instant of the next day.
  /* 4 */ {
    assignee: 'cy',
    status: 'closed',
    createdAt: '2024-03-01T23:59:59.999Z',
    closedAt: '2024-03-02T00:00:00.000Z',
  },
  /* 5 */ {
    assignee: 'admin',
    status: 'closed',
    createdAt: '2024-03-02T00:00:00.000Z',
    firstResponseAt: '2024-03-02T00:00:10.001Z',
    closedAt: '2024-03-02T00:30:00.000Z',
    rating: 'up',
  },
  // Reopened after it was rated: open, closed_at cleared, the rating kept.
  /* 6 */ {
    assignee: 'bea',
    status: 'open',
    createdAt: '2024-03-02T08:00:00.000Z',
    firstResponseAt: '2024-03-02T08:05:00.000Z',
    rating: 'up',
  },
  /* 7 */ {
    assignee: 'cy',
    status: 'closed',
    createdAt: '2024-03-02T23:59:59.999Z',
    firstResponseAt: '2024-03-03T00:01:01.998Z',
    closedAt: '2024-03-04T00:00:00.000Z',
    rating: 'down',
  },
  /* 8 */ {
    assignee: null,
    status: 'closed',
    createdAt: '2024-03-03T00:00:00.000Z',
    closedAt: '2024-03-03T00:05:00.000Z',
  },
  /* 9 */ {
    assignee: 'bea',
    status: 'open',
    createdAt: '2024-03-04T17:45:12.345Z',
    firstResponseAt: '2024-03-04T17:45:17.845Z',
  },
  // Started long before the week, closed inside it: a closed chat of that day, not of the week.
  /* 10 */ {
    assignee: 'cy',
    status: 'closed',
    createdAt: '2023-12-30T22:00:00.000Z',
    firstResponseAt: '2023-12-30T22:01:00.000Z',
    closedAt: '2024-02-28T10:00:00.000Z',
    rating: 'up',
  },
  /* 11 */ { assignee: 'admin', status: 'open', createdAt: '2024-03-05T23:00:00.000Z' },
  // Just before the 365-day range below, closed at its first instant.
  /* 12 */ {
    assignee: 'bea',
    status: 'closed',
    createdAt: '2023-03-04T23:59:59.999Z',
    closedAt: '2023-03-05T00:00:00.000Z',
  },
  // Started by Bea for a browsing visitor, who wrote seven minutes later; Cy answered first.
  /* 13 */ {
    assignee: 'bea',
    status: 'open',
    createdAt: '2024-03-03T10:00:00.000Z',
    opened: { visitorAt: '2024-03-03T10:07:00.000Z' },
    firstResponseAt: '2024-03-03T10:09:30.000Z',
    responder: 'cy',
  },
  // Started by the admin; the visitor never wrote: closed, but not a missed chat.
  /* 14 */ {
    assignee: 'admin',
    status: 'closed',
    createdAt: '2024-03-04T09:00:00.000Z',
    opened: { visitorAt: null },
    closedAt: '2024-03-04T09:30:00.000Z',
  },
];

/** A rating is given at the close (or, for a reopened chat, an hour after it began). */
const ratedAtOf = (c: SeedConversation) =>
  c.closedAt ?? new Date(ms(c.createdAt) + 3_600_000).toISOString();
const commentOf = (i: number) => (i % 2 === 1 ? `Comment on chat ${i}` : null);
const visitorAt = (c: SeedConversation) => (c.opened ? c.opened.visitorAt : c.createdAt);
const responderOf = (c: SeedConversation) =>
  c.firstResponseAt ? (c.responder ?? c.assignee) : null;

/**
 * The opening line (the visitor's, or the agent's who started it), the visitor's first line if
 * later, the first response, a system line on closing; then extras.
 */
const MESSAGES: SeedMessage[] = [
  ...CONVERSATIONS.flatMap((c, conversation): SeedMessage[] => [
    c.opened && c.assignee
      ? { conversation, sender: 'agent', agent: c.assignee, type: 'text', at: c.createdAt }
      : { conversation, sender: 'visitor', type: 'text', at: c.createdAt },
    ...(c.opened?.visitorAt
      ? [
          {
            conversation,
            sender: 'visitor' as const,
            type: 'text' as const,
            at: c.opened.visitorAt,
          },
        ]
      : []),
    ...(c.firstResponseAt && responderOf(c)
      ? [
          {
            conversation,
            sender: 'agent' as const,
            agent: responderOf(c) as AgentKey,
            type: 'text' as const,
            at: c.firstResponseAt,
          },
        ]
      : []),
    ...(c.closedAt
      ? [{ conversation, sender: 'system' as const, type: 'system' as const, at: c.closedAt }]
      : []),
  ]),
  // A colleague's note in Bea's chat: a message of the day, not an agent's reply.
  { conversation: 0, sender: 'agent', agent: 'cy', type: 'note', at: '2024-02-28T09:20:00.000Z' },
  // Cy helps in Bea's chat: the reply is credited to Cy, the conversation stays Bea's.
  { conversation: 1, sender: 'agent', agent: 'cy', type: 'text', at: '2024-03-01T08:00:00.000Z' },
  { conversation: 2, sender: 'visitor', type: 'text', at: '2024-03-02T23:59:59.999Z' },
  { conversation: 2, sender: 'visitor', type: 'text', at: '2024-03-03T00:00:00.000Z' },
  { conversation: 6, sender: 'system', type: 'system', at: '2024-03-02T09:00:00.000Z' },
  { conversation: 6, sender: 'agent', agent: 'bea', type: 'text', at: '2024-03-02T09:01:00.000Z' },
  { conversation: 10, sender: 'agent', agent: 'cy', type: 'text', at: '2024-02-28T09:59:00.000Z' },
  {
    conversation: 10,
    sender: 'agent',
    agent: 'admin',
    type: 'text',
    at: '2024-03-04T23:59:59.999Z',
  },
];

const uuid = (kind: number, n: number) =>
  `00000000-0000-4000-8${kind.toString().padStart(3, '0')}-${n.toString().padStart(12, '0')}`;

let admin: SignedInAgent;
const agentIds = new Map<AgentKey, string>();
const agentNames = new Map<AgentKey, string>();

async function seed(db: Db): Promise<void> {
  agentIds.set('admin', admin.user.id);
  agentNames.set('admin', admin.user.name);
  AGENTS.forEach((a, i) => {
    agentIds.set(a.key, uuid(1, i));
    agentNames.set(a.key, a.name);
  });
  const idOf = (key: AgentKey) => agentIds.get(key) as string;
  await db.insert(users).values(
    AGENTS.map((a) => ({
      id: idOf(a.key),
      name: a.name,
      email: `${a.key}@example.com`,
      passwordHash: 'not a hash: never signs in',
      active: a.active,
    })),
  );
  await db.insert(visitors).values(CONVERSATIONS.map((_, i) => ({ id: uuid(2, i) })));
  await db.insert(conversations).values(
    CONVERSATIONS.map((c, i) => ({
      id: uuid(3, i),
      visitorId: uuid(2, i),
      assigneeId: c.assignee ? idOf(c.assignee) : null,
      status: c.status,
      rating: c.rating ?? null,
      ratingComment: c.rating ? commentOf(i) : null,
      ratedAt: c.rating ? new Date(ratedAtOf(c)) : null,
      firstVisitorMessageAt: visitorAt(c) ? new Date(visitorAt(c) as string) : null,
      firstResponseAt: c.firstResponseAt ? new Date(c.firstResponseAt) : null,
      firstResponderId: responderOf(c) ? idOf(responderOf(c) as AgentKey) : null,
      closedAt: c.closedAt ? new Date(c.closedAt) : null,
      createdAt: new Date(c.createdAt),
      lastMessageAt: new Date(c.createdAt),
    })),
  );
  const seqs = new Map<number, number>();
  await db.insert(messages).values(
    MESSAGES.map((m, i) => {
      const seq = (seqs.get(m.conversation) ?? 0) + 1;
      seqs.set(m.conversation, seq);
      return {
        id: uuid(4, i),
        conversationId: uuid(3, m.conversation),
        seq,
        sender: m.sender,
        senderId: m.sender === 'visitor' ? uuid(2, m.conversation) : m.agent ? idOf(m.agent) : null,
        content: `line ${i}`,
        type: m.type,
        createdAt: new Date(m.at),
      };
    }),
  );
}

// --- the definitions, computed the plain way ---

const DAY = 86_400_000;
const ms = (iso: string) => Date.parse(iso);

/** [from, to + 1 day) in milliseconds, as the API reads `from` and `to`. */
function span(q: Days) {
  return { from: ms(`${q.from}T00:00:00.000Z`), to: ms(`${q.to}T00:00:00.000Z`) + DAY };
}
const within = (at: string | undefined, r: { from: number; to: number }) =>
  at !== undefined && ms(at) >= r.from && ms(at) < r.to;

/** percentile_cont(0.5): the middle value, or halfway between the two middle ones; seconds. */
function medianSeconds(durationsMs: number[]): number | null {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  const middle =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return middle / 1000;
}
/** From the visitor's first line to the first agent text after it. */
const firstResponseMs = (cs: SeedConversation[]) =>
  cs.flatMap((c) =>
    c.firstResponseAt ? [ms(c.firstResponseAt) - ms(visitorAt(c) as string)] : [],
  );
const resolutionMs = (cs: SeedConversation[]) =>
  cs.flatMap((c) => (c.closedAt ? [ms(c.closedAt) - ms(c.createdAt)] : []));
const count = <T>(items: T[], test: (item: T) => boolean) => items.filter(test).length;
/** A message is anything but a system line (notes count). */
const countedMessages = (r: { from: number; to: number }) =>
  count(MESSAGES, (m) => m.type !== 'system' && within(m.at, r));

function expectedOverview(q: Days): AnalyticsOverview {
  const r = span(q);
  const started = CONVERSATIONS.filter((c) => within(c.createdAt, r));
  const up = count(started, (c) => c.rating === 'up');
  const down = count(started, (c) => c.rating === 'down');
  return {
    from: q.from,
    to: q.to,
    conversations: {
      total: started.length,
      open: count(started, (c) => c.status === 'open'),
      pending: count(started, (c) => c.status === 'pending'),
      closed: count(started, (c) => c.status === 'closed'),
      // The visitor wrote and no agent answered before it closed.
      missed: count(
        started,
        (c) => c.status === 'closed' && visitorAt(c) !== null && !c.firstResponseAt,
      ),
    },
    messages: countedMessages(r),
    medianFirstResponseSeconds: medianSeconds(firstResponseMs(started)),
    // No team or site has hours here: within business hours is the plain first response.
    medianFirstResponseBusinessSeconds: medianSeconds(firstResponseMs(started)),
    medianResolutionSeconds: medianSeconds(resolutionMs(started)),
    rating: {
      up,
      down,
      satisfaction: up + down === 0 ? null : Math.round((up / (up + down)) * 1000) / 10,
    },
  };
}

function expectedTimeseries(q: Days): AnalyticsTimeseries {
  const r = span(q);
  const days = [];
  for (let from = r.from; from < r.to; from += DAY) {
    const day = { from, to: from + DAY };
    days.push({
      date: new Date(from).toISOString().slice(0, 10),
      conversations: count(CONVERSATIONS, (c) => within(c.createdAt, day)),
      // Closed that day, whenever it started.
      closed: count(CONVERSATIONS, (c) => within(c.closedAt, day)),
      messages: countedMessages(day),
    });
  }
  const started = CONVERSATIONS.filter((c) => within(c.createdAt, r));
  const hours = Array.from({ length: 24 }, (_, hour) => ({
    hour,
    conversations: count(started, (c) => new Date(c.createdAt).getUTCHours() === hour),
  }));
  return { days, hours };
}

function expectedAgents(q: Days): AnalyticsAgents {
  const r = span(q);
  const rows = [...agentIds].map(([key, agentId]) => {
    // Credit for a conversation goes to its assignee now; for a first response or a reply, to
    // whoever wrote it.
    const started = CONVERSATIONS.filter((c) => within(c.createdAt, r));
    const theirs = started.filter((c) => c.assignee === key);
    return {
      agentId,
      name: agentNames.get(key) as string,
      conversations: theirs.length,
      closed: count(theirs, (c) => c.status === 'closed'),
      messages: count(
        MESSAGES,
        (m) => m.sender === 'agent' && m.agent === key && m.type === 'text' && within(m.at, r),
      ),
      medianFirstResponseSeconds: medianSeconds(
        firstResponseMs(started.filter((c) => responderOf(c) === key)),
      ),
      ratingUp: count(theirs, (c) => c.rating === 'up'),
      ratingDown: count(theirs, (c) => c.rating === 'down'),
    };
  });
  // Most conversations first; ties by name (the names differ in their first ASCII letter, so
  // any collation orders them alike).
  rows.sort((a, b) => b.conversations - a.conversations || (a.name < b.name ? -1 : 1));
  return { agents: rows };
}

function expectedRatings(q: Days, rating?: 'up' | 'down') {
  const r = span(q);
  return CONVERSATIONS.flatMap((c, i) =>
    c.rating && (!rating || c.rating === rating) && within(ratedAtOf(c), r)
      ? [
          {
            conversationId: uuid(3, i),
            rating: c.rating,
            comment: commentOf(i),
            ratedAt: ratedAtOf(c),
            visitor: { id: uuid(2, i), name: null, email: null },
            assignee: c.assignee
              ? {
                  id: agentIds.get(c.assignee) as string,
                  name: agentNames.get(c.assignee) as string,
                }
              : null,
          },
        ]
      : [],
  ).sort((a, b) => ms(b.ratedAt) - ms(a.ratedAt) || (a.conversationId < b.conversationId ? 1 : -1));
}

// --- the API's answers ---

const RANGES: Array<{ what: string; query: Days }> = [
  { what: 'the seeded week', query: { from: '2024-02-27', to: '2024-03-05' } },
  { what: 'one day between two day edges', query: { from: '2024-03-02', to: '2024-03-02' } },
  { what: 'two days over the leap day', query: { from: '2024-02-29', to: '2024-03-01' } },
  { what: 'the longest range, 366 days', query: { from: '2023-03-05', to: '2024-03-04' } },
  { what: 'an empty range', query: { from: '2023-06-01', to: '2023-06-03' } },
];

async function report(path: string, q: Days): Promise<unknown> {
  const reply = await api(
    server.current,
    'GET',
    `/api/analytics/${path}?from=${q.from}&to=${q.to}`,
    {
      token: admin.token,
    },
  );
  expect(reply.status).toBe(200);
  return reply.body;
}

beforeAll(async () => {
  admin = await createAdmin(server.current);
  await seed(server.database.db);
});

describe('analytics reports equal their plain definitions', () => {
  it('the data set exercises every figure', () => {
    // Guards the comparison below from passing on zeros and nulls alone.
    const week = RANGES[0]?.query as Days;
    expect(expectedOverview(week)).toEqual({
      from: '2024-02-27',
      to: '2024-03-05',
      conversations: { total: 13, open: 5, pending: 1, closed: 7, missed: 2 },
      messages: 29,
      medianFirstResponseSeconds: 53.7495,
      medianFirstResponseBusinessSeconds: 53.7495,
      medianResolutionSeconds: 1800,
      rating: { up: 3, down: 2, satisfaction: 60 },
    });
    const day = expectedTimeseries(RANGES[1]?.query as Days).days;
    expect(day).toEqual([{ date: '2024-03-02', conversations: 3, closed: 3, messages: 7 }]);
  });

  describe.each(RANGES)('$what ($query.from to $query.to)', ({ query }) => {
    it('overview', async () => {
      expect(await report('overview', query)).toEqual(expectedOverview(query));
    });
    it('timeseries', async () => {
      expect(await report('timeseries', query)).toEqual(expectedTimeseries(query));
    });
    it('per agent', async () => {
      expect(await report('agents', query)).toEqual(expectedAgents(query));
    });
  });

  it('lists the ratings given, newest first, up or down, page by page', async () => {
    const week = RANGES[0]?.query as Days;
    const all = expectedRatings(week);
    expect(all.length).toBeGreaterThan(4);
    expect(new Set(all.map((r) => r.comment === null))).toEqual(new Set([true, false]));
    const pages: unknown[] = [];
    let cursor = '';
    do {
      const reply = await api(
        server.current,
        'GET',
        `/api/analytics/ratings?from=${week.from}&to=${week.to}&limit=2${cursor}`,
        { token: admin.token },
      );
      expect(reply.status).toBe(200);
      const page = RatingsReply.parse(reply.body);
      pages.push(...page.items);
      cursor = page.nextCursor ? `&cursor=${page.nextCursor}` : '';
    } while (cursor);
    expect(pages).toEqual(all);
    const down = await api(
      server.current,
      'GET',
      `/api/analytics/ratings?from=${week.from}&to=${week.to}&rating=down`,
      { token: admin.token },
    );
    expect(down.body).toEqual({ items: expectedRatings(week, 'down'), nextCursor: null });
    const bad = await api(server.current, 'GET', '/api/analytics/ratings?rating=meh', {
      token: admin.token,
    });
    expect(bad.status).toBe(400);
  });
});

describe('the days still going on', () => {
  // Ten days to today, where the seeded 2024 data has nothing. A day over for more than ten
  // minutes is read from the roll-ups, rolled up by the first report that covers it; the rest
  // is counted from the messages at each report.
  const today = new Date(Math.floor(Date.now() / DAY) * DAY);
  const daysAgo = (n: number) => new Date(today.getTime() - n * DAY);
  const query = {
    from: daysAgo(9).toISOString().slice(0, 10),
    to: today.toISOString().slice(0, 10),
  };
  let sent = 0;

  async function say(conversation: number, at: Date, sender: 'visitor' | 'agent') {
    await server.database.db.insert(messages).values({
      id: uuid(6, sent),
      conversationId: uuid(5, conversation),
      seq: ++sent,
      sender,
      senderId: sender === 'agent' ? admin.user.id : uuid(2, 100 + conversation),
      content: `recent ${sent}`,
      type: 'text',
      createdAt: at,
    });
  }
  const totals = async () => {
    const overview = (await report('overview', query)) as AnalyticsOverview;
    const series = (await report('timeseries', query)) as AnalyticsTimeseries;
    const agents = (await report('agents', query)) as AnalyticsAgents;
    return {
      messages: overview.messages,
      perDay: series.days.reduce((n, d) => n + d.messages, 0),
      replies: agents.agents.find((a) => a.agentId === admin.user.id)?.messages,
    };
  };

  it('counts today at every report, and each day over once', async () => {
    const db = server.database.db;
    await db.insert(visitors).values({ id: uuid(2, 100) });
    await db.insert(conversations).values({
      id: uuid(5, 0),
      visitorId: uuid(2, 100),
      status: 'open',
      createdAt: daysAgo(5),
      lastMessageAt: today,
    });
    await say(0, daysAgo(5), 'visitor');
    await say(0, new Date(daysAgo(5).getTime() + 60_000), 'agent');
    await say(0, daysAgo(3), 'agent');
    await say(0, new Date(), 'visitor');
    // Five reports at once roll up the same days: they agree, and none fails.
    const first = await Promise.all(Array.from({ length: 5 }, totals));
    for (const t of first) expect(t).toEqual({ messages: 4, perDay: 4, replies: 2 });

    await say(0, new Date(), 'agent');
    expect(await totals()).toEqual({ messages: 5, perDay: 5, replies: 3 });

    // Written into a day already rolled up (no message is: each is stamped when stored), it
    // stays out, which shows the day is read from its roll-up.
    await say(0, daysAgo(3), 'agent');
    expect(await totals()).toEqual({ messages: 5, perDay: 5, replies: 3 });
  });
});
