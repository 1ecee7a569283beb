import {
  MAX_VISITOR_ATTRIBUTES,
  type PageViewPayload,
  type PreChatCustomField,
  type Visitor,
  type VisitorListQuery,
  type VisitorListReply,
  type VisitorPatchBody,
  type VisitorReply,
  type VisitorSessionBody,
  type VisitorSessionReply,
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
  type VisitorRow,
} from '../db/visitors.js';
import { setVisitorAttributes } from '../db/identity.js';
import { badRequest, notFound, unauthorized } from '../errors.js';
import { decodeCursor, pageOf } from './cursor.js';
import type { VisitorActor } from './actor.js';
import type { Context } from '../context.js';
import { refuseBanned } from './bans.js';
import { identityVersion, identityVersionHolds } from './identity-settings.js';
import { enforce, limits } from './rate-limit.js';
import { siteAvailability } from './routing.js';
import { siteById, siteByKey, widgetOf } from './sites.js';
import { describeUserAgent } from './user-agent.js';

/** How a visitor is named to agents (a push, an email): name, else email, else a short id. */
export const visitorLabel = (v: { id: string; name: string | null; email: string | null }) =>
  v.name ?? v.email ?? `Visitor ${v.id.slice(0, 6)}`;

export type ClientMeta = { userAgent: string | null; ip: string | null };

/**
 * The widget's session: resumes the visitor of a valid token (same history, same conversation),
 * or creates a new anonymous visitor. Either way a fresh token is returned.
 */
export async function createSession(
  ctx: Context,
  body: VisitorSessionBody,
  meta: ClientMeta,
): Promise<VisitorSessionReply> {
  const site = await siteByKey(ctx, body.site);
  const resumed = body.visitorToken
    ? await visitorOfToken(ctx, body.visitorToken).catch(() => null)
    : null;
  // A banned visitor, or anyone from a banned address, gets no session: nothing is recorded.
  await refuseBanned(ctx, resumed?.siteId === site.id ? resumed.id : null, meta.ip);
  const agent = describeUserAgent(meta.userAgent);
  const seen = { ip: meta.ip, browser: agent.browser, os: agent.os };
  // Another site's visitor is not resumed here, whatever the token: each site has its own.
  const here = resumed?.siteId === site.id ? await markVisitorHere(ctx.db, resumed.id, seen) : null;
  return sessionReply(ctx, here ?? (await insertVisitor(ctx.db, { ...seen, siteId: site.id })));
}

/**
 * What the widget goes on with: a fresh token for `visitor` (carrying the identity secret's
 * version when it is verified), the visitor, their latest conversation, and who is online.
 */
export async function sessionReply(
  ctx: Context,
  visitor: VisitorRow,
): Promise<VisitorSessionReply> {
  const conversation = await findLatestConversation(ctx.db, visitor.id);
  const version =
    visitor.externalId === null ? undefined : await identityVersion(ctx, visitor.siteId);
  return {
    visitorToken: await ctx.tokens.signVisitor(visitor.id, visitor.siteId, version),
    visitor: toVisitor(visitor),
    conversation: conversation
      ? await toVisitorConversation(ctx.db, toConversation(conversation))
      : null,
    agentsOnline: await siteAvailability(ctx, visitor.siteId),
  };
}

/**
 * The visitor of a token, let in from `ip` (the request's or the socket's client address):
 * refused with `banned` while they or that address are banned (services/bans.ts). Every REST
 * request and socket of a visitor comes through here.
 */
export async function authenticateVisitor(
  ctx: Context,
  token: string,
  ip: string | null | undefined,
): Promise<VisitorActor> {
  const actor = await visitorOfToken(ctx, token);
  await refuseBanned(ctx, actor.id, ip);
  return actor;
}

/**
 * The visitor a token names. A verified visitor's token dies with the identity secret it was
 * verified under (Settings → Identity → rotate); the browser then starts anonymous.
 */
async function visitorOfToken(ctx: Context, token: string): Promise<VisitorActor> {
  const claims = await ctx.tokens.verifyVisitor(token);
  // A token from before there were sites is the default site's visitor's.
  const siteId = claims.siteId ?? (await siteByKey(ctx, undefined)).id;
  if (!(await identityVersionHolds(ctx, siteId, claims.identityVersion))) {
    throw unauthorized('Token expired');
  }
  return { kind: 'visitor', id: claims.visitorId, siteId };
}

export async function listVisitors(
  ctx: Context,
  query: VisitorListQuery,
): Promise<VisitorListReply> {
  const rows = await listVisitorRows(ctx.db, {
    online: query.online,
    siteId: query.siteId,
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
  if (attributes) {
    checkAnswers(widgetOf(await siteById(ctx, actor.siteId)).preChatFields, attributes);
  }
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
 * `setCustomAttributes`: the site's own facts about the visitor (plan, order count...), beside
 * the pre-chat answers; null removes one. Unchecked against the questions (the site may say
 * anything), but bounded: short texts, at most MAX_VISITOR_ATTRIBUTES keys in all.
 */
export async function setCustomAttributes(
  ctx: Context,
  actor: VisitorActor,
  attributes: Record<string, string | null>,
): Promise<Visitor> {
  await enforce(ctx.rateLimiter, [
    [`attributes:visitor:${actor.id}`, limits.attributeUpdatesPerVisitor],
  ]);
  const row = await setVisitorAttributes(ctx.db, actor.id, attributes, MAX_VISITOR_ATTRIBUTES);
  if (!row) {
    if (!(await findVisitor(ctx.db, actor.id))) throw notFound('Visitor');
    throw badRequest(`A visitor keeps at most ${MAX_VISITOR_ATTRIBUTES} attributes`, [
      { path: 'attributes', message: `At most ${MAX_VISITOR_ATTRIBUTES} attributes in all` },
    ]);
  }
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
