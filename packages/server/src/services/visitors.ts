import type {
  PageViewPayload,
  Visitor,
  VisitorListQuery,
  VisitorListReply,
  VisitorPatchBody,
  VisitorReply,
  VisitorSessionReply,
} from '@parley/protocol';
import {
  findLatestConversation,
  listVisitorConversations,
  toConversation,
  toVisitorConversation,
} from '../db/conversations.js';
import {
  findVisitor,
  insertVisitor,
  listPageViews,
  listVisitors as listVisitorRows,
  recordPageView as recordPageViewRow,
  toPageView,
  toVisitor,
  markVisitorHere,
  updateVisitor,
} from '../db/visitors.js';
import { notFound } from '../errors.js';
import { decodeCursor, pageOf } from './cursor.js';
import type { VisitorActor } from './actor.js';
import type { Context } from './context.js';
import { enforce, limits } from './rate-limit.js';
import { announceAvailability } from './routing.js';
import { describeUserAgent } from './user-agent.js';

export type ClientMeta = { userAgent: string | null; ip: string | null };

/**
 * The widget's session: resumes the visitor of a valid token (same history, same conversation),
 * or creates a new anonymous visitor. Either way a fresh token is returned.
 */
export async function createSession(
  ctx: Context,
  visitorToken: string | undefined,
  meta: ClientMeta,
): Promise<VisitorSessionReply> {
  const resumedId = visitorToken
    ? await ctx.tokens.verifyVisitor(visitorToken).catch(() => null)
    : null;
  const agent = describeUserAgent(meta.userAgent);
  const seen = { ip: meta.ip, browser: agent.browser, os: agent.os };
  const resumed = resumedId ? await markVisitorHere(ctx.db, resumedId, seen) : null;
  const visitor = resumed ?? (await insertVisitor(ctx.db, seen));
  const conversation = await findLatestConversation(ctx.db, visitor.id);
  return {
    visitorToken: await ctx.tokens.signVisitor(visitor.id),
    visitor: toVisitor(visitor),
    conversation: conversation
      ? await toVisitorConversation(ctx.db, toConversation(conversation))
      : null,
    agentsOnline: await announceAvailability(ctx),
  };
}

export async function authenticateVisitor(ctx: Context, token: string): Promise<VisitorActor> {
  const id = await ctx.tokens.verifyVisitor(token);
  return { kind: 'visitor', id };
}

export async function listVisitors(
  ctx: Context,
  query: VisitorListQuery,
): Promise<VisitorListReply> {
  const rows = await listVisitorRows(ctx.db, {
    online: query.online,
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  const { page, nextCursor } = pageOf(rows.map(toVisitor), query.limit, (v) => ({
    at: v.lastSeenAt,
    id: v.id,
  }));
  return { items: page, nextCursor };
}

/** What the agents' visitor panel shows: the visitor, pages visited, earlier conversations. */
export async function getVisitor(ctx: Context, id: string): Promise<VisitorReply> {
  const visitor = await findVisitor(ctx.db, id);
  if (!visitor) throw notFound('Visitor');
  const [pageViews, conversations] = await Promise.all([
    listPageViews(ctx.db, id),
    listVisitorConversations(ctx.db, id),
  ]);
  return {
    visitor: toVisitor(visitor),
    pageViews: pageViews.map(toPageView),
    conversations: conversations.map(toConversation),
  };
}

/**
 * The visitor names themselves (pre-chat form). This changes only their own record: claiming an
 * email gives no access to anyone else's history.
 */
export async function patchMe(
  ctx: Context,
  actor: VisitorActor,
  body: VisitorPatchBody,
): Promise<Visitor> {
  await enforce(ctx.rateLimiter, [
    [`profile:visitor:${actor.id}`, limits.profileUpdatesPerVisitor],
  ]);
  const row = await updateVisitor(ctx.db, actor.id, body);
  if (!row) throw notFound('Visitor');
  const visitor = toVisitor(row);
  ctx.events.emit('visitorUpdated', { visitor });
  return visitor;
}

export async function recordPageView(
  ctx: Context,
  actor: VisitorActor,
  page: PageViewPayload,
): Promise<void> {
  await enforce(ctx.rateLimiter, [[`page-views:visitor:${actor.id}`, limits.pageViewsPerVisitor]]);
  const row = await recordPageViewRow(ctx.db, actor.id, page.url, page.title);
  if (row) ctx.events.emit('visitorUpdated', { visitor: toVisitor(row) });
}

/** A visitor's first socket connected, or last one left: online state is pushed to agents. */
export async function setVisitorOnline(ctx: Context, id: string, online: boolean): Promise<void> {
  const row = online
    ? await markVisitorHere(ctx.db, id, { online })
    : await updateVisitor(ctx.db, id, { online, lastSeenAt: new Date() });
  if (row) ctx.events.emit('visitorUpdated', { visitor: toVisitor(row) });
}
