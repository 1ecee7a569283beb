import {
  activePeopleIds,
  assigneeWithPush,
  deletePushSubscriptionsOfSessions,
} from '../db/push.js';
import type { Context } from '../context.js';
import { noticeForAgents } from '../services/push.js';
import { chatSchedule, directory, openNow } from '../services/sites.js';

/**
 * The push outlet of domain events (issue 37, docs/push.md): which facts an agent is told of on
 * their phone. Each becomes a notice for the agents concerned, sent by a job at most once every
 * few seconds per conversation (services/push.ts decides what is still news when it goes):
 *
 * - a chat a visitor started that waits in a queue: its team's members (everyone's without a
 *   team), within its business hours;
 * - a chat given to an agent by routing or by someone else;
 * - a visitor's message in an agent's chat (not pushed while a dashboard of theirs is in view);
 * - a note that mentions an agent.
 * A sign-in that ends takes its device's subscription with it.
 */
export function startPushOutlet(ctx: Context): void {
  const { events, log } = ctx;
  const guard =
    <T>(name: string, fn: (e: T) => Promise<unknown>) =>
    (e: T) => {
      fn(e).catch((err: unknown) => log.error({ err, event: name }, 'push outlet failed'));
    };

  events.on(
    'conversationCreated',
    guard('conversationCreated', async ({ conversation }) => {
      if (conversation.assigneeId) return; // an agent started it, or routing gave it at once
      const dir = await directory(ctx);
      const schedule = chatSchedule(dir, conversation);
      if (schedule && !openNow(schedule, new Date()).open) return;
      const team = conversation.teamId ? dir.teams.get(conversation.teamId) : undefined;
      const queue = team?.memberIds.length ? team.memberIds : await activePeopleIds(ctx.db);
      await noticeForAgents(ctx, queue, {
        conversationId: conversation.id,
        reason: 'queued',
        messageId: null,
      });
    }),
  );

  events.on(
    'conversationAssigned',
    guard('conversationAssigned', async ({ conversation, byId }) => {
      const to = conversation.assigneeId;
      if (!to || to === byId) return;
      await noticeForAgents(ctx, [to], {
        conversationId: conversation.id,
        reason: 'assigned',
        messageId: null,
      });
    }),
  );

  events.on(
    'messageCreated',
    guard('messageCreated', async ({ message }) => {
      if (message.sender === 'visitor' && message.type === 'text') {
        const assignee = await assigneeWithPush(ctx.db, message.conversationId);
        if (!assignee) return;
        await noticeForAgents(ctx, [assignee], {
          conversationId: message.conversationId,
          reason: 'message',
          messageId: message.id,
        });
      } else if (message.type === 'note' && message.mentions?.length) {
        const mentioned = message.mentions.filter((id) => id !== message.senderId);
        await noticeForAgents(ctx, mentioned, {
          conversationId: message.conversationId,
          reason: 'mention',
          messageId: message.id,
        });
      }
    }),
  );

  events.on(
    'signInsEnded',
    guard('signInsEnded', ({ sessionIds }) =>
      deletePushSubscriptionsOfSessions(ctx.db, sessionIds),
    ),
  );
}
