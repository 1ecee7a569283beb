import type { Attachment } from '@parley/protocol';
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { attachments, conversations, type MessageAttachment } from './schema.js';

export type AttachmentRow = typeof attachments.$inferSelect;

export const toAttachment = (r: AttachmentRow | MessageAttachment): Attachment => ({
  id: r.id,
  name: r.name,
  contentType: r.contentType,
  size: r.size,
  width: r.width,
  height: r.height,
});

/** Stores an upload's row; null when the id is taken (a retry, or someone else's). */
export async function insertAttachment(
  db: Tx,
  row: typeof attachments.$inferInsert,
): Promise<AttachmentRow | null> {
  const [inserted] = await db.insert(attachments).values(row).onConflictDoNothing().returning();
  return inserted ?? null;
}

export async function findAttachment(db: Tx, id: string): Promise<AttachmentRow | null> {
  const [row] = await db.select().from(attachments).where(eq(attachments.id, id));
  return row ?? null;
}

export async function findAttachments(db: Tx, ids: string[]): Promise<AttachmentRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(attachments).where(inArray(attachments.id, ids));
}

/** The files a stored message sends now belong to it (and to its conversation). */
export async function attachTo(
  db: Tx,
  message: { id: string; conversationId: string; attachments: MessageAttachment[] | null },
): Promise<void> {
  const ids = message.attachments?.map((a) => a.id) ?? [];
  if (ids.length === 0) return;
  await db
    .update(attachments)
    .set({ messageId: message.id, conversationId: message.conversationId })
    .where(and(inArray(attachments.id, ids), isNull(attachments.messageId)));
}

/** The visitor whose conversation holds the file, when it has been sent. */
export async function attachmentVisitor(db: Tx, conversationId: string): Promise<string | null> {
  const [row] = await db
    .select({ visitorId: conversations.visitorId })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  return row?.visitorId ?? null;
}

/**
 * Removes uploads never sent in a message, older than `hours`; the bytes go by the trigger's
 * job (migration 0010). Returns how many.
 */
export async function deleteUnattached(db: Tx, hours: number): Promise<number> {
  const rows = await db
    .delete(attachments)
    .where(
      and(
        isNull(attachments.messageId),
        lt(attachments.createdAt, sql`now() - make_interval(hours => ${hours})`),
      ),
    )
    .returning({ id: attachments.id });
  return rows.length;
}
