import { findConversationListItem } from '../db/conversations.js';
import { listAlertRecipients } from '../db/email.js';
import { availableAgentIds } from '../db/users.js';
import { waitingAlertEmail } from '../email/compose.js';
import type { Context } from '../context.js';
import { limits } from '../services/rate-limit.js';
import { chatSchedule, directory, openNow } from '../services/sites.js';
import type { JobHandler } from '../queue/kinds.js';

/**
 * Tells the team that a conversation waits with nobody answering it: queued when it is created
 * (at once when nobody is online, after EMAIL_WAITING_ALERT_SECONDS otherwise), it emails the
 * admins and agents with alerts on (of the chat's team, when it has one with any) only if the
 * conversation is still unassigned and open. Outside the chat's business hours nobody is
 * alerted: the alert waits for the opening, and goes then if the chat still waits.
 * Anyone can start a chat (the offline form), so at most `waitingAlerts` an hour go out: a
 * script starting chats cannot flood the team's inboxes, and the queue shows the rest.
 */
export function alertWaitingJob(ctx: Context): JobHandler<'alert-waiting'> {
  return {
    kind: 'alert-waiting',
    maxAttempts: 5,
    async run({ conversationId }) {
      const mail = ctx.email;
      if (!mail) return;
      const item = await findConversationListItem(ctx.db, conversationId);
      if (!item || item.status !== 'pending' || item.assigneeId) return;
      const dir = await directory(ctx);
      const schedule = chatSchedule(dir, item);
      const hours = schedule ? openNow(schedule, new Date()) : null;
      if (hours && !hours.open) {
        if (hours.opensAt) {
          await ctx.jobs.enqueue(
            'alert-waiting',
            { conversationId },
            { key: `alert:${conversationId}`, runAt: new Date(hours.opensAt) },
          );
        }
        return;
      }
      if ((await ctx.rateLimiter.hit('waiting-alerts', limits.waitingAlerts)) > 0) {
        ctx.log.warn({ conversationId }, 'waiting alert not sent: over the hourly limit');
        return;
      }
      const team = item.teamId ? dir.teams.get(item.teamId) : undefined;
      const teamRecipients = team ? await listAlertRecipients(ctx.db, team.id) : [];
      const recipients =
        teamRecipients.length > 0 ? teamRecipients : await listAlertRecipients(ctx.db);
      const available = await availableAgentIds(ctx.db, await ctx.presence.connectedAgentIds());
      const agentsOnline = team
        ? available.some((id) => team.memberIds.includes(id))
        : available.length > 0;
      const visitor = item.visitor.name ?? item.visitor.email ?? 'a visitor';
      const link = `${mail.settings.publicUrl}/conversations/${conversationId}`;
      const preview = item.lastMessage?.content ?? '';
      await ctx.db.transaction(async (tx) => {
        for (const r of recipients) {
          const email = waitingAlertEmail({
            to: r.email,
            team: mail.sender,
            visitor,
            preview,
            link,
            agentsOnline,
          });
          await ctx.jobs.enqueue('email', email, { tx });
        }
      });
      ctx.jobs.wake();
    },
  };
}
