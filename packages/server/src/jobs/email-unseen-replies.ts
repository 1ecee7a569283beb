import { takeUnseenReplies } from '../db/email.js';
import { unseenRepliesEmail } from '../email/compose.js';
import { siteOf, threadOf } from '../email/mail.js';
import type { Context } from '../services/context.js';
import type { JobHandler } from './runner.js';

/**
 * The agents' replies a visitor has not seen, as one email: queued (see email/outlet.ts) a
 * short delay after the last of them, so a burst of messages is one email, and none goes out
 * for what the visitor read in the widget meanwhile. The email job is stored in the same
 * transaction that marks the messages emailed: each message is emailed once.
 */
export function emailUnseenRepliesJob(ctx: Context): JobHandler<{ conversationId: string }> {
  return {
    kind: 'email-unseen-replies',
    maxAttempts: 5,
    async run({ conversationId }) {
      const mail = ctx.email;
      if (!mail) return;
      await ctx.db.transaction(async (tx) => {
        const unseen = await takeUnseenReplies(tx, conversationId);
        if (!unseen) return;
        const email = unseenRepliesEmail({
          to: unseen.visitor.email,
          team: mail.sender,
          site: siteOf(unseen.visitor.currentUrl),
          messages: unseen.messages,
          thread: threadOf(mail, conversationId, unseen.visitor.email),
        });
        await ctx.jobs.enqueue(mail.send, email, { tx });
      });
      ctx.jobs.wake();
    },
  };
}
