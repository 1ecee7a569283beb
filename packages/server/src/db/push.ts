import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { rowsOf } from './client.js';
import { pushNotices, pushSubscriptions, users } from './schema.js';

// Push subscriptions and what each agent has still to be told (schema/push.ts).

export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;
export type PushNoticeRow = typeof pushNotices.$inferSelect;
export type PushReason = PushNoticeRow['reason'];

/**
 * Stores a browser's subscription for this sign-in, or gives the row of its endpoint (the same
 * browser subscribing again, perhaps for another person now signed in on it) to this one.
 * `created` is false for a row that was there.
 */
export async function upsertPushSubscription(
  db: Tx,
  values: Omit<PushSubscriptionRow, 'id' | 'createdAt' | 'lastPushedAt'>,
): Promise<{ row: PushSubscriptionRow; created: boolean }> {
  const [row] = await db
    .insert(pushSubscriptions)
    .values(values)
    .onConflictDoUpdate({
      target: pushSubscriptions.endpoint,
      set: {
        userId: values.userId,
        sessionId: values.sessionId,
        p256dh: values.p256dh,
        auth: values.auth,
        userAgent: values.userAgent,
      },
    })
    .returning({
      id: pushSubscriptions.id,
      createdAt: pushSubscriptions.createdAt,
      lastPushedAt: pushSubscriptions.lastPushedAt,
      created: sql<boolean>`xmax = 0`,
    });
  if (!row) throw new Error('Push subscription upsert returned nothing');
  const { created, ...rest } = row;
  return { row: { ...values, ...rest }, created };
}

/** Removes the agent's oldest subscriptions beyond `keep`. */
export async function trimPushSubscriptions(db: Tx, userId: string, keep: number): Promise<void> {
  await db.execute(sql`
    delete from push_subscriptions where id in (
      select id from push_subscriptions where user_id = ${userId}
      order by created_at desc, id desc offset ${keep})`);
}

export async function listPushSubscriptions(
  db: Tx,
  userId: string,
): Promise<PushSubscriptionRow[]> {
  return db
    .select()
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(asc(pushSubscriptions.createdAt));
}

/** Deletes one of the agent's subscriptions; false when it is not theirs or gone. */
export async function deletePushSubscription(db: Tx, userId: string, id: string): Promise<boolean> {
  const gone = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.id, id), eq(pushSubscriptions.userId, userId)))
    .returning({ id: pushSubscriptions.id });
  return gone.length > 0;
}

/** A push service said the subscription is gone (404, 410): so is its row. */
export async function deletePushSubscriptionById(db: Tx, id: string): Promise<void> {
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id));
}

/** The sign-ins ended: their devices get nothing more. */
export async function deletePushSubscriptionsOfSessions(
  db: Tx,
  sessionIds: string[],
): Promise<void> {
  if (sessionIds.length === 0) return;
  await db.delete(pushSubscriptions).where(inArray(pushSubscriptions.sessionId, sessionIds));
}

export async function markPushed(db: Tx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(pushSubscriptions)
    .set({ lastPushedAt: sql`now()` })
    .where(inArray(pushSubscriptions.id, ids));
}

/**
 * A subscription that may be pushed to: of an active person, whose sign-in is still alive (not
 * ended, revoked or expired). A device signed out stops at once, whatever the row.
 */
const live = sql`exists (
    select 1 from users u
    where u.id = ps.user_id and u.active and u.kind = 'person')
  and exists (
    select 1 from sessions s
    where s.family_id = ps.session_id and s.user_id = ps.user_id
      and s.ended_at is null and s.revoked_at is null and s.expires_at > now())`;

/** The agent's subscriptions that may be pushed to (`live`). */
export async function livePushSubscriptions(
  db: Tx,
  userId: string,
): Promise<PushSubscriptionRow[]> {
  return rowsOf<PushSubscriptionRow>(
    db,
    sql`select ps.id, ps.user_id as "userId", ps.session_id as "sessionId", ps.endpoint,
          ps.p256dh, ps.auth, ps.user_agent as "userAgent"
        from push_subscriptions ps
        where ps.user_id = ${userId} and ${live}
        order by ps.created_at`,
  );
}

/** What each agent chose to be told (users' push_* columns). */
export type PushPreferenceRow = Pick<
  typeof users.$inferSelect,
  'pushQueued' | 'pushAssigned' | 'pushMessages' | 'pushMentions' | 'mentionEmails'
>;

/**
 * Records one more fact for the agent about the conversation: the latest reason and message, one
 * more pending. Returns when the last push about it went, to space the next.
 */
export async function recordPushNotice(
  db: Tx,
  notice: { userId: string; conversationId: string; reason: PushReason; messageId: string | null },
): Promise<{ sentAt: Date | null }> {
  const [row] = await db
    .insert(pushNotices)
    .values({ ...notice, pending: 1 })
    .onConflictDoUpdate({
      target: [pushNotices.userId, pushNotices.conversationId],
      set: {
        reason: notice.reason,
        messageId: notice.messageId,
        // A new kind of news starts its own count: "3 new" counts messages, not a mix.
        pending: sql`case when ${pushNotices.reason} = excluded.reason and ${pushNotices.pending} > 0
          then ${pushNotices.pending} + 1 else 1 end`,
        updatedAt: sql`now()`,
      },
    })
    .returning({ sentAt: pushNotices.sentAt });
  return { sentAt: row?.sentAt ?? null };
}

export async function findPushNotice(
  db: Tx,
  userId: string,
  conversationId: string,
): Promise<PushNoticeRow | null> {
  const [row] = await db
    .select()
    .from(pushNotices)
    .where(and(eq(pushNotices.userId, userId), eq(pushNotices.conversationId, conversationId)));
  return row ?? null;
}

/**
 * Told: the facts a push told of are taken off; those that came meanwhile stay pending (all of
 * them when they are news of another kind, whose count started again).
 */
export async function markNoticeSent(
  db: Tx,
  notice: Pick<PushNoticeRow, 'userId' | 'conversationId' | 'reason' | 'pending'>,
): Promise<void> {
  const { userId, conversationId, reason, pending: told } = notice;
  await db
    .update(pushNotices)
    .set({
      pending: sql`case when ${pushNotices.reason} = ${reason}
        then greatest(${pushNotices.pending} - ${told}, 0) else ${pushNotices.pending} end`,
      sentAt: sql`now()`,
    })
    .where(and(eq(pushNotices.userId, userId), eq(pushNotices.conversationId, conversationId)));
}

/** The message a push quotes, with its writer's name (an agent's; a visitor's is the chat's). */
export async function messageToQuote(
  db: Tx,
  id: string,
): Promise<{ content: string; fileCount: number; senderName: string | null } | null> {
  const [row] = await rowsOf<{ content: string; file_count: number; sender_name: string | null }>(
    db,
    sql`select m.content, coalesce(jsonb_array_length(m.attachments), 0)::int as file_count,
          u.name as sender_name
        from messages m left join users u on u.id = m.sender_id and m.sender = 'agent'
        where m.id = ${id}`,
  );
  return row
    ? { content: row.content, fileCount: row.file_count, senderName: row.sender_name }
    : null;
}

/** Every active person of the team (no bots): a queue without a team is everyone's. */
export async function activePeopleIds(db: Tx): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.active, true), eq(users.kind, 'person')));
  return rows.map((r) => r.id);
}

/**
 * The choices of those of `ids` who can be pushed to: active people with a live subscription.
 * One query for all the agents a fact concerns.
 */
export async function pushRecipients(
  db: Tx,
  ids: string[],
): Promise<Map<string, PushPreferenceRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      id: users.id,
      pushQueued: users.pushQueued,
      pushAssigned: users.pushAssigned,
      pushMessages: users.pushMessages,
      pushMentions: users.pushMentions,
      mentionEmails: users.mentionEmails,
    })
    .from(users)
    .where(
      and(
        inArray(users.id, ids),
        sql`exists (select 1 from push_subscriptions ps where ps.user_id = ${users.id} and ${live})`,
      ),
    );
  return new Map(rows.map(({ id, ...prefs }) => [id, prefs]));
}

/** The conversation's assignee, when they have a device with push (else nobody to tell). */
export async function assigneeWithPush(db: Tx, conversationId: string): Promise<string | null> {
  const [row] = await rowsOf<{ assignee_id: string }>(
    db,
    sql`select c.assignee_id from conversations c
        where c.id = ${conversationId} and c.assignee_id is not null
          and exists (select 1 from push_subscriptions ps where ps.user_id = c.assignee_id)`,
  );
  return row?.assignee_id ?? null;
}

/** Of these agents, the active people who asked to be emailed when mentioned. */
export async function mentionEmailRecipients(
  db: Tx,
  ids: string[],
): Promise<Array<{ id: string; email: string }>> {
  if (ids.length === 0) return [];
  return db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(
      and(
        inArray(users.id, ids),
        eq(users.active, true),
        eq(users.kind, 'person'),
        eq(users.mentionEmails, true),
      ),
    );
}
