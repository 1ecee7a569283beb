import { createHash } from 'node:crypto';
import { findActiveConversation, findConversation } from '../db/conversations.js';
import { reopenForVisitor } from '../services/conversations.js';
import type { Context } from '../context.js';
import { markAddressOwned } from '../services/email-ownership.js';
import { storeMessage } from '../services/messages.js';
import type { JobHandler } from '../queue/kinds.js';

/** A uuid (v8, RFC 9562) from the email's id: the clientId that makes a redelivery a resend. */
export function clientIdOf(conversationId: string, messageId: string): string {
  const h = createHash('sha256').update(`${conversationId}\n${messageId}`).digest('hex');
  const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A line for the attachments Parley could not keep, so the agent knows they were sent. */
export function withAttachmentNote(text: string, attachments: string[]): string {
  if (attachments.length === 0) return text;
  const names = attachments.slice(0, 5).join(', ') + (attachments.length > 5 ? ', …' : '');
  const note = `[The email had ${attachments.length === 1 ? 'an attachment' : `${attachments.length} attachments`} (${names}); Parley does not keep files from email.]`;
  return text ? `${text}\n\n${note}` : note;
}

/**
 * Posts a visitor's reply by email into their conversation, as a message of theirs that agents
 * see live, marked with the address it came from; a closed conversation opens again (or, if
 * they started another since, the reply goes there). Retried, it is a resend: the clientId
 * comes from the email's Message-ID. Replying from their address shows the visitor owns it.
 */
export function receiveEmailJob(ctx: Context): JobHandler<'receive-email'> {
  return {
    kind: 'receive-email',
    maxAttempts: 8,
    async run(reply) {
      const before = await findConversation(ctx.db, reply.conversationId);
      if (!before) return; // deleted since the email was accepted
      const visitor = { kind: 'visitor' as const, id: before.visitorId, siteId: before.siteId };
      const conversation =
        (await reopenForVisitor(ctx, before, 'Chat reopened by a reply by email')) ??
        (await findActiveConversation(ctx.db, before.visitorId));
      if (!conversation) throw new Error('The visitor has no conversation to reply into');
      await storeMessage(ctx, visitor, {
        conversationId: conversation.id,
        clientId: clientIdOf(reply.conversationId, reply.messageId),
        content: withAttachmentNote(reply.text, reply.attachments),
        type: 'text',
        emailFrom: reply.from,
      });
      if (reply.from) await markAddressOwned(ctx, before.visitorId, reply.from);
    },
  };
}
