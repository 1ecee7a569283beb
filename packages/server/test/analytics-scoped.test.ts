import type { AnalyticsOverview } from '@parley/protocol';
import { and, eq, notInArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { scopedMedians } from '../src/db/analytics.js';
import { conversations, messageDays, messages, visitors } from '../src/db/schema.js';
import { api, createAdmin, createAgent } from './factories.js';
import { useServer, type TestServer } from './harness.js';

// Reports per site and per team (issue 34). What a scoped report means is pinned by one rule:
// the report of a site (or team) over everyone's chats is the whole report over that site's
// (or team's) chats alone. And a team with hours has its first responses counted within them.
const server = useServer();

const berlinOffice = {
  timeZone: 'Europe/Berlin',
  weekly: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
  ),
};

type Place = 'main' | 'shop';
type Seeded = { site: Place; team: 'tech' | 'billing' | null };

/** Five chats over a week of March 2024, on two sites and two teams, and their messages. */
const CHATS: Array<
  Seeded & {
    at: string;
    answered?: string;
    by?: 'bea' | 'cy';
    closed?: string;
    rating?: 'up' | 'down';
  }
> = [
  {
    site: 'main',
    team: null,
    at: '2024-03-01T09:00:00Z',
    answered: '2024-03-01T09:01:00Z',
    by: 'bea',
    closed: '2024-03-01T09:30:00Z',
    rating: 'up',
  },
  // Asked Friday 16:30 in Berlin, answered Monday 09:15: 45 minutes within the team's hours.
  {
    site: 'shop',
    team: 'tech',
    at: '2024-03-01T15:30:00Z',
    answered: '2024-03-04T08:15:00Z',
    by: 'cy',
    closed: '2024-03-04T09:00:00Z',
    rating: 'down',
  },
  {
    site: 'shop',
    team: 'tech',
    at: '2024-03-05T10:00:00Z',
    answered: '2024-03-05T10:02:00Z',
    by: 'bea',
  },
  { site: 'shop', team: 'billing', at: '2024-03-02T12:00:00Z' },
  {
    site: 'main',
    team: 'billing',
    at: '2024-03-03T08:00:00Z',
    answered: '2024-03-03T08:00:30Z',
    by: 'bea',
    closed: '2024-03-03T08:20:00Z',
    rating: 'up',
  },
];

const RANGE = 'from=2024-02-28&to=2024-03-06';
const REPORTS = ['overview', 'timeseries', 'agents', 'ratings'] as const;

async function seed(s: TestServer) {
  const admin = await createAdmin(s);
  const bea = await createAgent(s, admin, { name: 'Bea' });
  const cy = await createAgent(s, admin, { name: 'Cy' });
  const agents = { bea: bea.user.id, cy: cy.user.id };
  const team = async (name: string, schedule: object | null) =>
    (
      await api(s, 'POST', '/api/teams', {
        token: admin.token,
        body: { name, memberIds: [bea.user.id, cy.user.id], schedule },
      })
    ).body.team.id as string;
  const teams = {
    tech: await team('Technical', berlinOffice),
    billing: await team('Billing', null),
  };
  const sites = {
    main: (await api(s, 'GET', '/api/sites', { token: admin.token })).body.items[0].id as string,
    shop: (await api(s, 'POST', '/api/sites', { token: admin.token, body: { name: 'Shop' } })).body
      .site.id as string,
  };
  const db = s.database.db;
  for (const [i, chat] of CHATS.entries()) {
    const [visitor] = await db
      .insert(visitors)
      .values({ siteId: sites[chat.site], name: `Visitor ${i}` })
      .returning();
    const [row] = await db
      .insert(conversations)
      .values({
        visitorId: visitor!.id,
        siteId: sites[chat.site],
        teamId: chat.team ? teams[chat.team] : null,
        assigneeId: chat.by ? agents[chat.by] : null,
        status: chat.closed ? 'closed' : chat.by ? 'open' : 'pending',
        createdAt: new Date(chat.at),
        firstVisitorMessageAt: new Date(chat.at),
        firstResponseAt: chat.answered ? new Date(chat.answered) : null,
        firstResponderId: chat.by ? agents[chat.by] : null,
        closedAt: chat.closed ? new Date(chat.closed) : null,
        rating: chat.rating ?? null,
        ratedAt: chat.rating && chat.closed ? new Date(chat.closed) : null,
        lastSeq: 4,
      })
      .returning();
    type Fields = {
      sender: 'visitor' | 'agent' | 'system';
      senderId?: string;
      type: 'text' | 'note' | 'system';
    };
    const line = (seq: number, at: string, fields: Fields) => ({
      conversationId: row!.id,
      seq,
      content: `line ${seq}`,
      createdAt: new Date(at),
      ...fields,
    });
    await db
      .insert(messages)
      .values([
        line(1, chat.at, { sender: 'visitor', senderId: visitor!.id, type: 'text' }),
        line(2, chat.at, { sender: 'system', type: 'system' }),
        ...(chat.answered && chat.by
          ? [
              line(3, chat.answered, { sender: 'agent', senderId: agents[chat.by], type: 'text' }),
              line(4, chat.answered, { sender: 'agent', senderId: agents[chat.by], type: 'note' }),
            ]
          : []),
      ]);
  }
  return { admin, sites, teams };
}

async function reports(s: TestServer, token: string, scope: string) {
  const out: Record<string, unknown> = {};
  for (const path of REPORTS) {
    const res = await api(s, 'GET', `/api/analytics/${path}?${RANGE}${scope}`, { token });
    expect(res.status, `${path} ${scope}`).toBe(200);
    out[path] = res.body;
  }
  return out;
}

describe('reports per site and per team', () => {
  const scopes: Array<{ what: string; pick: (x: Ids) => { siteId?: string; teamId?: string } }> = [
    { what: 'a site', pick: (x: Ids) => ({ siteId: x.sites.shop }) },
    { what: 'a team with hours', pick: (x: Ids) => ({ teamId: x.teams.tech }) },
    { what: 'a team without', pick: (x: Ids) => ({ teamId: x.teams.billing }) },
    {
      what: 'a site and a team',
      pick: (x: Ids) => ({ siteId: x.sites.shop, teamId: x.teams.billing }),
    },
  ];
  type Ids = Awaited<ReturnType<typeof seed>>;

  // Both ways of finding a scope's medians: sorting a small scope's, walking a large one's.
  for (const [{ what, pick }, sortAtMost] of scopes.flatMap(
    (x) =>
      [
        [x, 20_000],
        [x, 0],
      ] as const,
  )) {
    it(`the report of ${what} is the whole report over its chats alone (${sortAtMost ? 'sorted' : 'walked'})`, async () => {
      scopedMedians.sortAtMost = sortAtMost;
      const s = server.current;
      const ids = await seed(s);
      const scope = pick(ids);
      const query = Object.entries(scope)
        .map(([k, v]) => `&${k}=${v}`)
        .join('');
      // Twice: once rolling the days up, once reading the roll-ups.
      const scoped = await reports(s, ids.admin.token, query);
      expect(await reports(s, ids.admin.token, query)).toEqual(scoped);
      expect((scoped.overview as AnalyticsOverview).conversations.total).toBeGreaterThan(0);

      // The other chats go, and with them every roll-up: the whole report is the scoped one.
      const db = s.database.db;
      const kept = await db
        .select({ id: conversations.id })
        .from(conversations)
        .where(
          and(
            scope.siteId ? eq(conversations.siteId, scope.siteId) : undefined,
            scope.teamId ? eq(conversations.teamId, scope.teamId) : undefined,
          ),
        );
      await db.delete(conversations).where(
        notInArray(
          conversations.id,
          kept.map((k) => k.id),
        ),
      );
      await db.delete(messageDays);
      expect(await reports(s, ids.admin.token, '')).toEqual(scoped);
      scopedMedians.sortAtMost = 20_000;
    });
  }

  it('rolls up again, with places, a day an older version rolled up without them', async () => {
    const s = server.current;
    const ids = await seed(s);
    const query = `&siteId=${ids.sites.shop}`;
    const before = await reports(s, ids.admin.token, query);
    // As an instance of the version before (a rolling upgrade) leaves a day: no places.
    await s.database.db.execute(sql`delete from message_place_days`);
    await s.database.db.execute(sql`update message_days set by_place = false`);
    expect(await reports(s, ids.admin.token, query)).toEqual(before);
  });

  it('counts a first response within the team’s business hours: the clock stops outside them', async () => {
    const s = server.current;
    const ids = await seed(s);
    const overview = async (scope: string) =>
      (await api(s, 'GET', `/api/analytics/overview?${RANGE}${scope}`, { token: ids.admin.token }))
        .body as AnalyticsOverview;
    // Technical: 45 minutes (Friday 16:30 to Monday 09:15 in Berlin) and 2 minutes.
    const tech = await overview(`&teamId=${ids.teams.tech}`);
    expect(tech.medianFirstResponseBusinessSeconds).toBe((45 * 60 + 120) / 2);
    expect(tech.medianFirstResponseSeconds).toBe((64 * 3600 + 45 * 60 + 120) / 2);
    // Billing has no hours: the same either way.
    const billing = await overview(`&teamId=${ids.teams.billing}`);
    expect(billing.medianFirstResponseBusinessSeconds).toBe(30);
    expect(billing.medianFirstResponseSeconds).toBe(30);
    // All chats: 60, 2700, 120, 30 within hours.
    expect((await overview('')).medianFirstResponseBusinessSeconds).toBe((60 + 120) / 2);
  });
});
