import type {
  PageViewPayload,
  PreChatCustomField,
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
  mergedAttributes,
  updateVisitor,
} from '../db/visitors.js';
import { badRequest, notFound } from '../errors.js';
import { decodeCursor, pageOf } from './cursor.js';
import type { VisitorActor } from './actor.js';
import type { Context } from './context.js';
import { enforce, limits } from './rate-limit.js';
import { announceAvailability } from './routing.js';
import { getWidgetSettings } from './settings.js';
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
 * email gives no access to anyone else's history. Answers to the admin's pre-chat questions are
 * checked against the questions asked now, and kept beside any other attributes.
 */
export async function patchMe(
  ctx: Context,
  actor: VisitorActor,
  body: VisitorPatchBody,
): Promise<Visitor> {
  await enforce(ctx.rateLimiter, [
    [`profile:visitor:${actor.id}`, limits.profileUpdatesPerVisitor],
  ]);
  const { attributes, ...details } = body;
  if (attributes) checkAnswers((await getWidgetSettings(ctx)).preChatFields, attributes);
  const row = await updateVisitor(ctx.db, actor.id, {
    ...details,
    ...(attributes ? { attributes: mergedAttributes(attributes) } : {}),
  });
  if (!row) throw notFound('Visitor');
  const visitor = toVisitor(row);
  ctx.events.emit('visitorUpdated', { visitor });
  return visitor;
}

/**
 * The pre-chat answers as the form sends them, all at once: only questions the admin asks, every
 * required one answered (a required checkbox ticked), a select's answer among its options.
 */
export function checkAnswers(
  fields: readonly PreChatCustomField[],
  answers: Record<string, string>,
): void {
  const problems: Array<{ path: string; message: string }> = [];
  const byId = new Map(fields.map((f) => [f.id, f]));
  for (const [id, value] of Object.entries(answers)) {
    const field = byId.get(id);
    if (!field) problems.push({ path: `attributes.${id}`, message: 'Not a question asked' });
    else if (field.type === 'checkbox' && value !== 'true' && value !== 'false')
      problems.push({ path: `attributes.${id}`, message: 'true or false' });
    else if (field.type === 'select' && value !== '' && !field.options.includes(value))
      problems.push({ path: `attributes.${id}`, message: 'Not one of the options' });
  }
  for (const field of fields) {
    const value = answers[field.id];
    const answered = field.type === 'checkbox' ? value === 'true' : Boolean(value);
    if (field.required && !answered)
      problems.push({ path: `attributes.${field.id}`, message: 'Required' });
  }
  if (problems.length) throw badRequest('Invalid answers', problems);
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
