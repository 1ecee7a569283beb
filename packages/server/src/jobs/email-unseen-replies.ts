import { findConversation } from '../db/conversations.js';
import { takeUnseenReplies } from '../db/email.js';
import { unseenRepliesEmail } from '../email/compose.js';
import { siteOf, threadOf } from '../email/mail.js';
import type { Context } from '../context.js';
import { limits, type Limit } from '../services/rate-limit.js';
import { siteById, siteSender, widgetOf } from '../services/sites.js';
import type { JobHandler } from '../queue/kinds.js';

/** Thrown to undo the transaction: the visitor, the address or all had their emails for now. */
class OverLimit extends Error {
  constructor(readonly retryAfterMs: number) {
    super('over a limit of emails to visitors');
  }
}

/**
 * The agents' replies a visitor has not seen, as one email: queued (see outlets/email.ts) a
 * short delay after the last of them, so a burst of messages is one email, and none goes out
 * for what the visitor read in the widget meanwhile. The email job is stored in the same
 * transaction that marks the messages emailed: each message is emailed once.
 *
 * The address is whatever the visitor typed (the offline form, the pre-chat form), so what
 * goes to it is the team's words only: people's replies, never a bot's (a bot may repeat what
 * the visitor told it) unless the visitor has shown the address is theirs, and the site named
 * only when an admin listed it (the page address is whatever the visitor's script says). Such
 * emails are capped an hour per visitor, per address and in all (`unseenReplies*`); past a cap
 * the job comes back later, the replies still unseen, and they go in that email.
 */
export function emailUnseenRepliesJob(ctx: Context): JobHandler<'email-unseen-replies'> {
  return {
    kind: 'email-unseen-replies',
    maxAttempts: 5,
    async run({ conversationId }) {
      const mail = ctx.email;
      if (!mail) return;
      const conversation = await findConversation(ctx.db, conversationId);
      if (!conversation) return;
      // The conversation's site: its listed origins, its sender name.
      const site = await siteById(ctx, conversation.siteId);
      const { allowedOrigins } = widgetOf(site);
      try {
        await ctx.db.transaction(async (tx) => {
          const unseen = await takeUnseenReplies(tx, conversationId);
          if (!unseen) return;
          const { visitor } = unseen;
          const owned = visitor.confirmedEmail === visitor.email.toLowerCase();
          const messages = owned ? unseen.messages : unseen.messages.filter((m) => !m.fromBot);
          if (messages.length === 0) return;
          const wait = await firstWait(ctx, [
            [`unseen-replies:visitor:${visitor.id}`, limits.unseenRepliesPerVisitor],
            [
              `unseen-replies:address:${visitor.email.toLowerCase()}`,
              limits.unseenRepliesPerAddress,
            ],
            ['unseen-replies:all', limits.unseenRepliesOverall],
          ]);
          if (wait > 0) throw new OverLimit(wait);
          const email = unseenRepliesEmail({
            to: visitor.email,
            team: siteSender(site, mail.sender),
            site: listedSite(visitor.currentUrl, allowedOrigins),
            messages,
            thread: threadOf(mail, conversationId, visitor.email),
          });
          await ctx.jobs.enqueue('email', email, { tx });
        });
      } catch (error) {
        if (!(error instanceof OverLimit)) throw error;
        await ctx.jobs.enqueue(
          'email-unseen-replies',
          { conversationId },
          { key: conversationId, runAt: new Date(Date.now() + error.retryAfterMs) },
        );
      }
      ctx.jobs.wake();
    },
  };
}

/**
 * The limits counted one after another, narrowest first (a visitor over their own limit does
 * not use up the shared ones): 0 when all allow the email, else the wait of the one refusing.
 */
async function firstWait(ctx: Context, hits: Array<[string, Limit]>): Promise<number> {
  for (const [key, limit] of hits) {
    const wait = await ctx.rateLimiter.hit(key, limit);
    if (wait > 0) return wait;
  }
  return 0;
}

/** The host of the visitor's page, when its origin is one an admin allows the widget on. */
function listedSite(url: string | null, allowedOrigins: readonly string[]): string | null {
  const host = siteOf(url);
  if (!host || !url) return null;
  return allowedOrigins.includes(new URL(url).origin.toLowerCase()) ? host : null;
}
