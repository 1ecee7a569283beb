/**
 * REST shapes that more than one resource shares, or that sockets share with REST: the rest
 * live beside their routes in routes/*.ts.
 */
import { z } from 'zod';
import { ConversationListItem } from './entities.js';
import { ClientId, Id, MessageText, safeText, Timestamp } from './primitives.js';
import { MAX_ATTACHMENTS, MAX_MENTIONS } from './limits.js';

/** `:id` in a route. */
export const IdParams = z.object({ id: Id });

/** A conversation's tag: what conversations are listed by and search finds. */
export const Tag = safeText(40).pipe(z.string().min(1));

/** One conversation: what the conversation routes and `POST /api/visitors/:id/conversations` reply. */
export const ConversationReply = z.object({ conversation: ConversationListItem });
export type ConversationReply = z.infer<typeof ConversationReply>;

export { MAX_ATTACHMENTS, MAX_MENTIONS };
export const AttachmentIds = z
  .array(Id)
  .min(1)
  .max(MAX_ATTACHMENTS)
  .refine((ids) => new Set(ids).size === ids.length, 'The same file twice');
/** A message says something, sends files, or both. */
export const hasContent = (b: { content: string; attachmentIds?: string[] | undefined }) =>
  b.content.length > 0 || (b.attachmentIds?.length ?? 0) > 0;
const empty = { message: 'Message is empty', path: ['content'] };

export const SendMessageFields = z.object({
  conversationId: Id,
  /** May be empty when files are sent. */
  content: MessageText,
  clientId: ClientId,
  attachmentIds: AttachmentIds.optional(),
  /** `note` is for agents only: visible to the team, never to the visitor. */
  type: z.enum(['text', 'note']).default('text'),
  /**
   * A note's @mentions: the teammates it names (issue 37), each told by the dashboard, by push
   * and, if they chose, by email. Notes only.
   */
  mentions: z
    .array(Id)
    .max(MAX_MENTIONS)
    .refine((ids) => new Set(ids).size === ids.length, 'The same teammate twice')
    .optional(),
});
const mentionsInNotes = {
  message: 'Only a note mentions teammates',
  path: ['mentions'],
};
export const SendMessageBody = SendMessageFields.refine(hasContent, empty).refine(
  (b) => b.type === 'note' || !b.mentions?.length,
  mentionsInNotes,
);
export type SendMessageBody = z.infer<typeof SendMessageBody>;

// --- background jobs: the jobs routes list them, the settings' test email replies with one ---
export const JobStatus = z.enum(['queued', 'running', 'done', 'failed']);
/** A piece of background work (an email to send), as admins see it. */
export const Job = z.object({
  id: Id,
  kind: z.string(),
  status: JobStatus,
  attempts: z.int(),
  maxAttempts: z.int(),
  /** Queued: when it runs next. */
  runAt: Timestamp,
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  finishedAt: Timestamp.nullable(),
});
export type Job = z.infer<typeof Job>;
export const JobReply = z.object({ job: Job });
export type JobReply = z.infer<typeof JobReply>;
