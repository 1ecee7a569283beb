import type {
  AnalyticsAgents,
  AnalyticsOverview,
  AnalyticsQuery,
  AnalyticsTimeseries,
  RatingsQuery,
  RatingsReply,
} from '@parley/protocol';
import {
  conversationTotals,
  countMessages,
  perAgent,
  perDay,
  perHour,
  listRatings,
  dueBusinessResponses,
  setBusinessResponses,
  type Range,
  type Scope,
} from '../db/analytics.js';
import { badRequest } from '../errors.js';
import type { Context } from '../context.js';
import { openSeconds } from './business-hours.js';
import { decodeCursor, pageOf } from './cursor.js';
import { chatSchedule, directory } from './sites.js';

const DAY_MS = 24 * 3600 * 1000;
const MAX_DAYS = 366;

/** `from`..`to` as whole UTC days, both included; the last 7 days by default. */
export function toRange(query: AnalyticsQuery, now = new Date()): Range & { days: number } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const to = query.to ? Date.parse(`${query.to}T00:00:00Z`) : today;
  const from = query.from ? Date.parse(`${query.from}T00:00:00Z`) : to - 6 * DAY_MS;
  const days = Math.round((to - from) / DAY_MS) + 1;
  if (days < 1) throw badRequest('`from` is after `to`');
  if (days > MAX_DAYS) throw badRequest(`At most ${MAX_DAYS} days at once`);
  return { from: new Date(from), to: new Date(to + DAY_MS), days };
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The site or team a report is about, if either. */
const scopeOf = (query: AnalyticsQuery): Scope => ({
  ...(query.siteId ? { siteId: query.siteId } : {}),
  ...(query.teamId ? { teamId: query.teamId } : {}),
});

export async function overview(ctx: Context, query: AnalyticsQuery): Promise<AnalyticsOverview> {
  const range = toRange(query);
  await countBusinessResponses(ctx);
  const [totals, messages] = await Promise.all([
    conversationTotals(ctx.backgroundDb, range, scopeOf(query)),
    countMessages(ctx.backgroundDb, range, scopeOf(query)),
  ]);
  const rated = totals.up + totals.down;
  return {
    from: day(range.from),
    to: day(new Date(range.to.getTime() - DAY_MS)),
    conversations: {
      total: totals.total,
      open: totals.open,
      pending: totals.pending,
      closed: totals.closed,
      missed: totals.missed,
    },
    messages,
    medianFirstResponseSeconds: totals.medianFirstResponse,
    medianFirstResponseBusinessSeconds: totals.medianFirstResponseBusiness,
    medianResolutionSeconds: totals.medianResolution,
    rating: {
      up: totals.up,
      down: totals.down,
      satisfaction: rated === 0 ? null : Math.round((totals.up / rated) * 1000) / 10,
    },
  };
}

export async function timeseries(
  ctx: Context,
  query: AnalyticsQuery,
): Promise<AnalyticsTimeseries> {
  const range = toRange(query);
  const [days, hours] = await Promise.all([
    perDay(ctx.backgroundDb, range, scopeOf(query)),
    perHour(ctx.backgroundDb, range, scopeOf(query)),
  ]);
  const byHour = new Map(hours.map((h) => [h.hour, h.conversations]));
  return {
    days,
    hours: Array.from({ length: 24 }, (_, hour) => ({
      hour,
      conversations: byHour.get(hour) ?? 0,
    })),
  };
}

export async function agents(ctx: Context, query: AnalyticsQuery): Promise<AnalyticsAgents> {
  const rows = await perAgent(ctx.backgroundDb, toRange(query), scopeOf(query));
  return {
    agents: rows.map((r) => ({
      agentId: r.agentId,
      name: r.name,
      conversations: r.conversations,
      closed: r.closed,
      messages: r.messages,
      medianFirstResponseSeconds: r.medianFirstResponse,
      ratingUp: r.ratingUp,
      ratingDown: r.ratingDown,
    })),
  };
}

/** The ratings given in the range with their comments, newest first; up or down only if asked. */
export async function ratings(ctx: Context, query: RatingsQuery): Promise<RatingsReply> {
  const rows = await listRatings(
    ctx.backgroundDb,
    toRange(query),
    {
      rating: query.rating,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    },
    scopeOf(query),
  );
  const { page, nextCursor } = pageOf(rows, query.limit, (row) => ({
    at: row.ratedAt,
    id: row.conversationId,
  }));
  return { items: page.map((row) => ({ ...row, ratedAt: row.ratedAt.toISOString() })), nextCursor };
}

/** At most this many first responses counted per statement. */
const BUSINESS_BATCH = 1000;

/**
 * Counts the first responses within business hours not counted yet (those since the last
 * report): each by its team's hours, else its site's, else as it is. Counted once, by the hours
 * of that moment, so a report never evaluates a year of schedules.
 */
async function countBusinessResponses(ctx: Context): Promise<void> {
  const dir = await directory(ctx);
  for (;;) {
    const due = await dueBusinessResponses(ctx.backgroundDb, BUSINESS_BATCH);
    await setBusinessResponses(
      ctx.backgroundDb,
      due.map((c) => {
        const schedule = chatSchedule(dir, c);
        const plain = (c.answeredAt.getTime() - c.askedAt.getTime()) / 1000;
        return {
          id: c.id,
          seconds: schedule ? openSeconds(schedule, c.askedAt, c.answeredAt) : plain,
        };
      }),
    );
    if (due.length < BUSINESS_BATCH) return;
  }
}
