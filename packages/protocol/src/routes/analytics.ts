/**
 * Reports over a range of days: `/api/analytics/*`.
 */
import { z } from 'zod';
import { Rating, Visitor } from '../entities.js';
import { Id, Timestamp } from '../primitives.js';
import { Cursor, queryInt } from './query.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';

const AnalyticsRange = z.object({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  /** The chats of one website only. */
  siteId: Id.optional(),
  /** The chats of one team only (its queue's, and those answered from it). */
  teamId: Id.optional(),
});
const inOrder = (q: z.infer<typeof AnalyticsRange>) => !q.from || !q.to || q.from <= q.to;
export const AnalyticsQuery = AnalyticsRange.refine(inOrder, { message: '`from` is after `to`' });
export type AnalyticsQuery = z.infer<typeof AnalyticsQuery>;
export const AnalyticsOverview = z.object({
  from: z.string(),
  to: z.string(),
  conversations: z.object({
    total: z.int(),
    open: z.int(),
    pending: z.int(),
    closed: z.int(),
    /** The visitor wrote, and the chat closed with no agent text after it. */
    missed: z.int(),
  }),
  messages: z.int(),
  /** From the visitor's first line to the first agent text after it (notes do not count). */
  medianFirstResponseSeconds: z.number().nullable(),
  /**
   * The same, counted within business hours (the team's, else the site's): the clock stops
   * while they are closed. Equal to the plain one where no hours apply.
   */
  medianFirstResponseBusinessSeconds: z.number().nullable(),
  /** From the chat's start to its close, over the closed ones. */
  medianResolutionSeconds: z.number().nullable(),
  rating: z.object({
    up: z.int(),
    down: z.int(),
    /** Share of thumbs up among rated conversations, 0..100; null with no rating. */
    satisfaction: z.number().nullable(),
  }),
});
export type AnalyticsOverview = z.infer<typeof AnalyticsOverview>;
export const AnalyticsTimeseries = z.object({
  days: z.array(
    z.object({ date: z.string(), conversations: z.int(), closed: z.int(), messages: z.int() }),
  ),
  /** Conversations started per hour of day (UTC), 0..23. */
  hours: z.array(z.object({ hour: z.int(), conversations: z.int() })),
});
export type AnalyticsTimeseries = z.infer<typeof AnalyticsTimeseries>;
export const AnalyticsAgents = z.object({
  agents: z.array(
    z.object({
      agentId: Id,
      name: z.string(),
      conversations: z.int(),
      closed: z.int(),
      messages: z.int(),
      medianFirstResponseSeconds: z.number().nullable(),
      ratingUp: z.int(),
      ratingDown: z.int(),
    }),
  ),
});
export type AnalyticsAgents = z.infer<typeof AnalyticsAgents>;
/** `GET /api/analytics/ratings`: ratings given in the range, newest first, paged by cursor. */
export const RatingsQuery = AnalyticsRange.extend({
  rating: Rating.optional(),
  cursor: Cursor.optional(),
  limit: queryInt(1, 100).default(20),
}).refine(inOrder, { message: '`from` is after `to`' });
export type RatingsQuery = z.infer<typeof RatingsQuery>;
export const RatingsReply = z.object({
  items: z.array(
    z.object({
      conversationId: Id,
      rating: Rating,
      comment: z.string().nullable(),
      ratedAt: Timestamp,
      visitor: Visitor.pick({ id: true, name: true, email: true }),
      assignee: z.object({ id: Id, name: z.string() }).nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});
export type RatingsReply = z.infer<typeof RatingsReply>;

const tag = 'Analytics';

export const analyticsRoutes = {
  getAnalyticsOverview: {
    ...at.getAnalyticsOverview,
    tag,
    summary: 'Totals over the range',
    auth: 'agent',
    query: AnalyticsQuery,
    responses: { 200: AnalyticsOverview },
  },
  getAnalyticsTimeseries: {
    ...at.getAnalyticsTimeseries,
    tag,
    summary: 'Per day and per hour of day',
    auth: 'agent',
    query: AnalyticsQuery,
    responses: { 200: AnalyticsTimeseries },
  },
  getAnalyticsAgents: {
    ...at.getAnalyticsAgents,
    tag,
    summary: 'Per agent',
    auth: 'agent',
    query: AnalyticsQuery,
    responses: { 200: AnalyticsAgents },
  },
  listRatings: {
    ...at.listRatings,
    tag,
    summary: 'Ratings given in the range, newest first',
    auth: 'agent',
    query: RatingsQuery,
    responses: { 200: RatingsReply },
  },
} as const satisfies RouteEntries;
