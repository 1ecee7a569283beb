import type { TranscriptBody, TranscriptReply } from '@parley/protocol';
import { listMessages } from '../db/messages.js';
import { findVisitor } from '../db/visitors.js';
import { transcriptEmail } from '../email/compose.js';
import { threadOf } from '../email/mail.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { Actor } from './actor.js';
import type { Context } from './context.js';
import { EMAIL_OFF } from './jobs.js';
import { readableConversation } from './messages.js';
import { enforce, limits } from './rate-limit.js';
import { patchMe } from './visitors.js';

/** Most messages a transcript carries: the newest, when a chat is longer. */
const MAX_TRANSCRIPT = 1000;

/**
 * The conversation, as its visitor saw it (no notes), emailed to the visitor: asked for by the
 * visitor in the widget (giving an address if none is on file; it is kept) or sent by an agent.
 */
export async function sendTranscript(
  ctx: Context,
  actor: Actor,
  conversationId: string,
  body: TranscriptBody,
): Promise<TranscriptReply> {
  const mail = ctx.email;
  if (!mail) throw conflict(EMAIL_OFF);
  const conversation = await readableConversation(ctx, actor, conversationId);
  const visitor = await findVisitor(ctx.db, conversation.visitorId);
  if (!visitor) throw notFound('Conversation');
  let to = visitor.email;
  if (actor.kind === 'visitor' && body.email && body.email !== to) {
    if (to) throw badRequest('Transcripts go to the address you gave before');
    await patchMe(ctx, actor, { email: body.email });
    to = body.email;
  }
  if (!to) {
    throw conflict(
      actor.kind === 'agent'
        ? 'The visitor has not given an email address'
        : 'Give your email address for the transcript',
    );
  }
  await enforce(ctx.rateLimiter, [
    [`transcripts:${conversationId}`, limits.transcriptsPerConversation],
  ]);
  const messages = await listMessages(ctx.db, conversationId, {
    beforeSeq: conversation.lastSeq + 1,
    limit: MAX_TRANSCRIPT,
    includeNotes: false,
  });
  await ctx.jobs.enqueue(
    mail.send,
    transcriptEmail({
      to,
      team: mail.sender,
      visitorName: visitor.name,
      startedAt: conversation.createdAt,
      messages,
      thread: threadOf(mail, conversationId, to),
    }),
  );
  return { to };
}
