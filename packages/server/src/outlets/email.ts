import { findConversationListItem } from '../db/conversations.js';
import { mentionEmailRecipients } from '../db/push.js';
import { availableAgentIds } from '../db/users.js';
import type { Context } from '../context.js';
import { mentionEmail } from '../email/compose.js';
import type { Mail } from '../email/mail.js';
import { limits } from '../services/rate-limit.js';
import { visitorLabel } from '../services/visitors.js';

/**
 * The email outlet of domain events (docs/architecture.md "Outlets and jobs"): what goes out by
 * email, and when. Each reaction is a job, so nothing is lost to a restart.
 *
 * - An agent's reply: the conversation's unseen-replies email is (re)scheduled for the delay
 *   after it, one queued per conversation, so a burst is one email after the last message.
 * - A conversation a visitor starts: the team alert, at once when nobody is online, else after
 *   the waiting delay (the job checks that it still waits).
 * - A note that mentions agents: an email to each who asked for one (issue 37), at most
 *   `mentionEmailsPerAgent` an hour; the dashboard and the push tell them anyway.
 */
export function startEmailOutlet(ctx: Context, mail: Mail): void {
  const { events, log } = ctx;
  const seconds = (s: number) => new Date(Date.now() + s * 1000);
  const guard =
    <T>(name: string, fn: (e: T) => Promise<unknown>) =>
    (e: T) => {
      fn(e).catch((err: unknown) => log.error({ err, event: name }, 'email outlet failed'));
    };

  events.on(
    'messageCreated',
    guard('messageCreated', async ({ message }) => {
      if (message.sender !== 'agent' || message.type !== 'text') return;
      await ctx.jobs.enqueue(
        'email-unseen-replies',
        { conversationId: message.conversationId },
        { key: message.conversationId, runAt: seconds(mail.settings.unseenDelaySeconds) },
      );
    }),
  );

  events.on(
    'messageCreated',
    guard('messageCreated', async ({ message }) => {
      if (message.type !== 'note' || !message.mentions?.length) return;
      const mentioned = message.mentions.filter((id) => id !== message.senderId);
      const recipients = await mentionEmailRecipients(ctx.db, mentioned);
      if (recipients.length === 0) return;
      const item = await findConversationListItem(ctx.db, message.conversationId);
      if (!item) return;
      const visitor = visitorLabel(item.visitor);
      for (const r of recipients) {
        if (
          (await ctx.rateLimiter.hit(`mention-emails:${r.id}`, limits.mentionEmailsPerAgent)) > 0
        ) {
          continue;
        }
        await ctx.jobs.enqueue(
          'email',
          mentionEmail({
            to: r.email,
            team: mail.sender,
            by: message.senderName ?? 'A teammate',
            visitor,
            note: message.content,
            link: `${mail.settings.publicUrl}/conversations/${message.conversationId}`,
          }),
        );
      }
    }),
  );

  events.on(
    'conversationCreated',
    guard('conversationCreated', async ({ conversation }) => {
      if (conversation.assigneeId) return; // an agent started it
      const online =
        (await availableAgentIds(ctx.db, await ctx.presence.connectedAgentIds())).length > 0;
      await ctx.jobs.enqueue(
        'alert-waiting',
        { conversationId: conversation.id },
        { runAt: seconds(online ? mail.settings.waitingAlertSeconds : 0) },
      );
    }),
  );
}
