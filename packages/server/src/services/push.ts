import {
  MAX_PUSH_DEVICES,
  type NotificationPreferences,
  type NotificationPreferencesBody,
  type PushDevice,
  type PushPayload,
  type PushSubscriptionBody,
} from '@parley/protocol';
import { findConversationListItem } from '../db/conversations.js';
import {
  deletePushSubscription,
  deletePushSubscriptionById,
  findPushNotice,
  listPushSubscriptions,
  livePushSubscriptions,
  markNoticeSent,
  markPushed,
  messageToQuote,
  pushRecipients,
  recordPushNotice,
  trimPushSubscriptions,
  upsertPushSubscription,
  type PushNoticeRow,
  type PushPreferenceRow,
  type PushReason,
  type PushSubscriptionRow,
} from '../db/push.js';
import { findUserById, updateUser } from '../db/users.js';
import { badRequest, forbidden, notFound, unauthorized } from '../errors.js';
import type { AgentActor } from './actor.js';
import type { Context } from '../context.js';
import { areBrowserKeys, isPushService, sendPush, type PushOutcome } from './push-sender.js';
import { enforce, limits } from './rate-limit.js';
import { directory } from './sites.js';
import { describeUserAgent } from './user-agent.js';
import { visitorLabel } from './visitors.js';
import type { ClientMeta } from './visitors.js';

// Push notifications to agents' devices (issue 37, docs/push.md). A device is subscribed by the
// person signed in on it; facts about a conversation (outlets/push.ts) are recorded as notices,
// one per agent and conversation, and sent by the `send-push` job at most once every few
// seconds, so that a burst is one notification that updates. Nothing goes to a device whose
// dashboard is in view.

/** Which sign-ins have a dashboard in view now, on any instance (realtime/dashboard-views.ts). */
export type DashboardViews = { visibleSessions(userId: string): Promise<Set<string>> };

/** How long a push may wait for a phone that is off: older news is in the dashboard. */
const PUSH_TTL_SECONDS = 60 * 60;
const PUSH_TIMEOUT_MS = 10_000;
/** What a notification quotes of a message. */
const QUOTE_LENGTH = 140;

/** A person on a device of theirs: not an API token's integration, nor a bot. */
function deviceOf(actor: AgentActor): string {
  if (actor.tokenId !== undefined || actor.bot || !actor.sessionId) {
    throw forbidden('Push notifications are turned on by a person, in the dashboard');
  }
  return actor.sessionId;
}

export const pushKey = (ctx: Context) => ({ publicKey: ctx.push.publicKey });

function toDevice(row: PushSubscriptionRow, sessionId: string | undefined): PushDevice {
  const { browser, os } = describeUserAgent(row.userAgent);
  return {
    id: row.id,
    device: [browser, os].filter(Boolean).join(' on ') || 'A browser',
    thisDevice: row.sessionId === sessionId,
    createdAt: row.createdAt.toISOString(),
    lastPushedAt: row.lastPushedAt?.toISOString() ?? null,
  };
}

/**
 * Turns pushes on for this browser: its subscription joins this sign-in. The same browser again
 * (its endpoint) replaces the row, for whoever is signed in on it now. Only the push services'
 * addresses (PUSH_SERVICES) and keys a browser would give are taken.
 */
export async function subscribePush(
  ctx: Context,
  actor: AgentActor,
  body: PushSubscriptionBody,
  client: ClientMeta,
): Promise<{ device: PushDevice; created: boolean }> {
  const sessionId = deviceOf(actor);
  if (!isPushService(body.endpoint, ctx.config.push.services)) {
    throw badRequest('This push service is not one Parley sends to', [
      { path: 'endpoint', message: 'Not at a configured push service (PUSH_SERVICES)' },
    ]);
  }
  if (!areBrowserKeys(body.keys.p256dh, body.keys.auth)) {
    throw badRequest('These are not the keys a browser gives', [
      { path: 'keys', message: 'A P-256 public key (65 bytes) and a 16-byte auth secret' },
    ]);
  }
  const { row, created } = await upsertPushSubscription(ctx.db, {
    userId: actor.id,
    sessionId,
    endpoint: body.endpoint,
    p256dh: body.keys.p256dh,
    auth: body.keys.auth,
    userAgent: client.userAgent?.slice(0, 500) ?? null,
  });
  await trimPushSubscriptions(ctx.db, actor.id, MAX_PUSH_DEVICES);
  return { device: toDevice(row, sessionId), created };
}

export async function listPushDevices(ctx: Context, actor: AgentActor): Promise<PushDevice[]> {
  const rows = await listPushSubscriptions(ctx.db, actor.id);
  return rows.map((r) => toDevice(r, actor.sessionId));
}

/** Off for one of your devices; another's, or one gone already, is a 404. */
export async function unsubscribePush(ctx: Context, actor: AgentActor, id: string): Promise<void> {
  if (!(await deletePushSubscription(ctx.db, actor.id, id))) throw notFound('Device');
}

/** A test notification to each of your devices, now, in view or not: the person asked. */
export async function testPush(ctx: Context, actor: AgentActor): Promise<{ sent: number }> {
  deviceOf(actor);
  await enforce(ctx.rateLimiter, [[`push-test:${actor.id}`, limits.testPushesPerAgent]]);
  const devices = await livePushSubscriptions(ctx.db, actor.id);
  if (devices.length > 0) {
    await ctx.jobs.enqueue('send-push', { userId: actor.id, conversationId: null });
  }
  return { sent: devices.length };
}

const toPreferences = (r: PushPreferenceRow): NotificationPreferences => ({
  queued: r.pushQueued,
  assigned: r.pushAssigned,
  messages: r.pushMessages,
  mentions: r.pushMentions,
  mentionEmails: r.mentionEmails,
});

export async function notificationPreferences(
  ctx: Context,
  actor: AgentActor,
): Promise<NotificationPreferences> {
  const user = await findUserById(ctx.db, actor.id);
  if (!user) throw unauthorized();
  return toPreferences(user);
}

export async function updateNotificationPreferences(
  ctx: Context,
  actor: AgentActor,
  body: NotificationPreferencesBody,
): Promise<NotificationPreferences> {
  const changes = {
    pushQueued: body.queued,
    pushAssigned: body.assigned,
    pushMessages: body.messages,
    pushMentions: body.mentions,
    mentionEmails: body.mentionEmails,
  };
  // Nothing to change (`{}`) is the choices as they are (updateUser reads the row then).
  const user = await updateUser(ctx.db, actor.id, changes);
  if (!user) throw unauthorized();
  return toPreferences(user);
}

const wants = (p: PushPreferenceRow, reason: PushReason): boolean =>
  ({
    queued: p.pushQueued,
    assigned: p.pushAssigned,
    message: p.pushMessages,
    mention: p.pushMentions,
  })[reason];

/**
 * Records a fact for each agent who wants it and has a live device, and queues their push: now, or
 * once the last push about this conversation is `PUSH_INTERVAL_SECONDS` old. A queued push of
 * the same agent and conversation is the one that will tell it (the job's key).
 */
export async function noticeForAgents(
  ctx: Context,
  userIds: string[],
  notice: { conversationId: string; reason: PushReason; messageId: string | null },
): Promise<void> {
  for (const [userId, prefs] of await pushRecipients(ctx.db, userIds)) {
    if (!wants(prefs, notice.reason)) continue;
    // Anyone can start a chat: past this, an agent's phone stops buzzing for new ones.
    if (
      notice.reason === 'queued' &&
      (await ctx.rateLimiter.hit(`push-queued:${userId}`, limits.queuedPushesPerAgent)) > 0
    ) {
      continue;
    }
    const { sentAt } = await recordPushNotice(ctx.db, { userId, ...notice });
    await ctx.jobs.enqueue(
      'send-push',
      { userId, conversationId: notice.conversationId },
      { key: `${userId}:${notice.conversationId}`, runAt: nextPushAt(ctx, sentAt, notice.reason) },
    );
  }
}

/**
 * When the next push about a conversation may go: once the last is PUSH_INTERVAL_SECONDS old. A
 * new chat waits a moment more, for routing to give it to someone (then it is not queued news).
 */
const QUEUED_SETTLE_MS = 2_000;
const nextPushAt = (ctx: Context, sentAt: Date | null, reason?: PushReason) =>
  new Date(
    Math.max(
      Date.now() + (reason === 'queued' ? QUEUED_SETTLE_MS : 0),
      (sentAt?.getTime() ?? 0) + ctx.config.push.intervalSeconds * 1000,
    ),
  );

/**
 * The `send-push` job: tells the agent what is pending about the conversation, on each live
 * device not in view (none at all for a visitor's message while any of theirs is in view), or
 * the test notification. Throws to be tried again when a push service asks for it.
 */
export async function deliverPush(
  ctx: Context,
  views: DashboardViews,
  job: { userId: string; conversationId: string | null },
): Promise<void> {
  if (job.conversationId === null) {
    await pushTo(ctx, await livePushSubscriptions(ctx.db, job.userId), testPayload());
    return;
  }
  const { userId, conversationId } = job;
  const notice = await findPushNotice(ctx.db, userId, conversationId);
  if (!notice || notice.pending === 0) return;
  // A job queued while the last push was going: wait out the interval, then tell what is new.
  const due = nextPushAt(ctx, notice.sentAt);
  if (due.getTime() > Date.now()) {
    await ctx.jobs.enqueue(
      'send-push',
      { userId, conversationId },
      { key: `${userId}:${conversationId}`, runAt: due },
    );
    return;
  }
  const told = () => markNoticeSent(ctx.db, notice);
  const payload = await stillNews(ctx, notice);
  if (!payload) return told();
  const visible = await views.visibleSessions(userId);
  // Their chat's messages are on their screen already when any dashboard of theirs is in view.
  if (notice.reason === 'message' && visible.size > 0) return told();
  const devices = (await livePushSubscriptions(ctx.db, userId)).filter(
    (d) => !visible.has(d.sessionId),
  );
  await pushTo(ctx, devices, payload);
  await told();
}

/** Sends to each device; removes the ones their push service forgot; throws to retry. */
async function pushTo(
  ctx: Context,
  devices: PushSubscriptionRow[],
  payload: PushPayload,
): Promise<void> {
  const outcomes = await Promise.all(
    devices.map(async (d): Promise<[PushSubscriptionRow, PushOutcome]> => [
      d,
      await sendPush(ctx.push, d, payload, {
        // The conversation's id without its dashes: 32 characters, as RFC 8030 allows.
        topic: payload.tag
          .replace(/^conversation-/, '')
          .replace(/[^A-Za-z0-9]/g, '')
          .slice(0, 32),
        ttlSeconds: PUSH_TTL_SECONDS,
        timeoutMs: PUSH_TIMEOUT_MS,
        services: ctx.config.push.services,
      }),
    ]),
  );
  const retry: string[] = [];
  const sent: string[] = [];
  for (const [device, outcome] of outcomes) {
    if (outcome.kind === 'sent') sent.push(device.id);
    else if (outcome.kind === 'gone') await deletePushSubscriptionById(ctx.db, device.id);
    else if (outcome.kind === 'retry') retry.push(outcome.reason);
    else ctx.log.warn({ deviceId: device.id, ...outcome }, 'push refused by its push service');
  }
  await markPushed(ctx.db, sent);
  if (retry.length > 0) throw new Error(`push service: ${retry.join('; ')}`);
}

const testPayload = (): PushPayload => ({
  title: 'Parley notifications are on',
  body: 'This device will be told of new chats and messages while the dashboard is not in view.',
  tag: 'parley-test',
  url: '/settings/profile',
  reason: 'test',
  count: 1,
  at: new Date().toISOString(),
});

const quote = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > QUOTE_LENGTH ? `${line.slice(0, QUOTE_LENGTH - 1)}…` : line;
};

/**
 * What the push says, or null when it is no longer news: a queued chat somebody took or that
 * closed, a chat no longer theirs, a conversation gone. Who and what: the visitor, their words
 * (or the note's), and the site and team the chat is in.
 */
async function stillNews(ctx: Context, notice: PushNoticeRow): Promise<PushPayload | null> {
  const item = await findConversationListItem(ctx.db, notice.conversationId);
  if (!item || item.status === 'closed') return null;
  if (notice.reason === 'queued' && (item.assigneeId || item.status !== 'pending')) return null;
  if (
    (notice.reason === 'message' || notice.reason === 'assigned') &&
    item.assigneeId !== notice.userId
  ) {
    return null;
  }
  const visitor = visitorLabel(item.visitor);
  const message = notice.messageId ? await messageToQuote(ctx.db, notice.messageId) : null;
  const words = message
    ? message.content
      ? quote(message.content)
      : 'Sent a file'
    : item.lastMessage
      ? quote(item.lastMessage.content) || 'Sent a file'
      : '';
  const dir = await directory(ctx);
  const site = dir.sites.length > 1 ? dir.sites.find((s) => s.id === item.siteId)?.name : undefined;
  const team = item.teamId ? dir.teams.get(item.teamId)?.name : undefined;
  const place = [site, team].filter(Boolean).join(' · ');
  const more = notice.pending > 1 ? ` (${notice.pending} new)` : '';
  const title = {
    queued: `New chat: ${visitor}`,
    assigned: `Assigned to you: ${visitor}`,
    message: `${visitor}${more}`,
    mention: `${message?.senderName ?? 'A teammate'} mentioned you${more}`,
  }[notice.reason];
  const said = notice.reason === 'mention' ? `${words}\nChat with ${visitor}` : words;
  return {
    title,
    body: place ? `${said}\n${place}` : said,
    tag: `conversation-${item.id}`,
    url: `/conversations/${item.id}`,
    reason: notice.reason,
    count: notice.pending,
    at: new Date().toISOString(),
  };
}
