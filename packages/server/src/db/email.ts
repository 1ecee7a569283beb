import type { Message } from '@parley/protocol';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { listMessages } from './messages.js';
import { conversations, passwordResets, teamMembers, users, visitors } from './schema.js';
import { uuid7 } from './uuid7.js';

export type UnseenReplies = {
  visitor: {
    id: string;
    email: string;
    name: string | null;
    currentUrl: string | null;
    /** The address the visitor has shown is theirs, if any (services/email-ownership.ts). */
    confirmedEmail: string | null;
  };
  messages: Message[];
};

/** Most agent messages one email carries; the rest is in the chat. */
const MAX_PER_EMAIL = 100;

/**
 * The agents' text messages the visitor has not read and has not been emailed, taken: the
 * conversation's `emailed_seq` moves past them, in the caller's transaction, under the row's
 * lock, so two workers never email the same messages. Null when there is nothing to send or
 * no address to send it to.
 */
export async function takeUnseenReplies(
  tx: Tx,
  conversationId: string,
): Promise<UnseenReplies | null> {
  const [row] = await tx
    .select({
      emailedSeq: conversations.emailedSeq,
      visitorId: visitors.id,
      email: visitors.email,
      name: visitors.name,
      currentUrl: visitors.currentUrl,
      confirmedEmail: visitors.confirmedEmail,
    })
    .from(conversations)
    .innerJoin(visitors, eq(visitors.id, conversations.visitorId))
    .where(eq(conversations.id, conversationId))
    .for('update', { of: conversations });
  if (!row?.email) return null;
  const unseen = (
    await listMessages(tx, conversationId, {
      afterSeq: row.emailedSeq,
      limit: 500,
      includeNotes: false,
    })
  ).filter((m) => m.sender === 'agent' && m.type === 'text' && m.readAt === null);
  const last = unseen[unseen.length - 1];
  if (!last) return null;
  await tx
    .update(conversations)
    .set({ emailedSeq: last.seq })
    .where(eq(conversations.id, conversationId));
  return {
    visitor: {
      id: row.visitorId,
      email: row.email,
      name: row.name,
      currentUrl: row.currentUrl,
      confirmedEmail: row.confirmedEmail,
    },
    messages: unseen.slice(-MAX_PER_EMAIL),
  };
}

/** Who hears of conversations that wait: active accounts that have email alerts on. */
/** Who gets the waiting alerts (active, alerts on): of one team, or everyone. */
export async function listAlertRecipients(
  db: Tx,
  teamId?: string,
): Promise<{ email: string; name: string }[]> {
  return db
    .select({ email: users.email, name: users.name })
    .from(users)
    .where(
      and(
        eq(users.active, true),
        eq(users.emailAlerts, true),
        teamId
          ? sql`${users.id} in (select ${teamMembers.userId} from ${teamMembers}
              where ${teamMembers.teamId} = ${teamId})`
          : undefined,
      ),
    );
}

export async function insertPasswordReset(
  db: Tx,
  r: { userId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.insert(passwordResets).values({ id: uuid7(), ...r });
}

/** The account a reset token is for, while it is unused and unexpired. */
export async function findUsablePasswordReset(db: Tx, tokenHash: string) {
  const [row] = await db
    .select({ id: passwordResets.id, userId: passwordResets.userId })
    .from(passwordResets)
    .where(
      and(
        eq(passwordResets.tokenHash, tokenHash),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, sql`now()`),
      ),
    );
  return row ?? null;
}

/**
 * Uses a reset token: true for the one caller that got it while it was usable. The user's
 * other outstanding links are used up with it.
 */
export async function consumePasswordReset(
  db: Tx,
  reset: { id: string; userId: string },
): Promise<boolean> {
  const used = await db
    .update(passwordResets)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(passwordResets.id, reset.id),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, sql`now()`),
      ),
    )
    .returning({ id: passwordResets.id });
  if (used.length === 0) return false;
  await db
    .update(passwordResets)
    .set({ usedAt: sql`now()` })
    .where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt)));
  return true;
}
