import {
  Conversation,
  type WebhookDeliveryEventType,
  type WebhookEventData,
} from '@parley/protocol';
import { findConversation } from '../db/conversations.js';
import { findUserById } from '../db/users.js';
import { uuid7 } from '../db/uuid7.js';
import { findVisitor, toVisitor } from '../db/visitors.js';
import type { Context } from '../context.js';
import { mayBeWanted, recordWebhookEvent } from '../services/webhook-deliveries.js';

/**
 * The webhook outlet of domain events (docs/architecture.md "Outlets and jobs"): which facts become
 * webhook events, and what each carries. Every enabled endpoint that subscribes to an event gets
 * a delivery of it, sent by a job (services/webhook-deliveries.ts).
 *
 * An event's id and time are taken the moment it is announced, so the deliveries of one
 * conversation sort in the order its facts happened; they are stored one after the other per
 * conversation for the same reason.
 */
export function startWebhookOutlet(ctx: Context): void {
  const { events, log } = ctx;
  const inOrder = new SerialByKey();
  let lastAt = 0;

  const announce = <T extends WebhookDeliveryEventType>(
    eventType: T,
    conversationId: string | null,
    data: () => Promise<WebhookEventData<T>> | WebhookEventData<T>,
  ) => {
    if (!mayBeWanted(ctx, eventType)) return;
    // Strictly increasing: two facts in one millisecond keep their order.
    const at = Math.max(Date.now(), lastAt + 1);
    lastAt = at;
    const event = { eventId: uuid7(at), eventType, conversationId, createdAt: new Date(at) };
    inOrder
      .run(conversationId ?? event.eventId, () =>
        recordWebhookEvent(ctx, event, async () => data()),
      )
      .catch((err: unknown) => log.error({ err, event: eventType }, 'webhook outlet failed'));
  };

  events.on('conversationCreated', ({ conversation }) =>
    announce('conversation.created', conversation.id, async () => {
      const visitor = await findVisitor(ctx.db, conversation.visitorId);
      if (!visitor) throw new Error(`No visitor ${conversation.visitorId}`);
      // The list item's extras (last message, unread count) are the dashboard's, not the event's.
      return { conversation: Conversation.parse(conversation), visitor: toVisitor(visitor) };
    }),
  );

  events.on('conversationAssigned', ({ conversation }) =>
    announce('conversation.assigned', conversation.id, async () => {
      const agent = conversation.assigneeId
        ? await findUserById(ctx.db, conversation.assigneeId)
        : null;
      if (!agent) throw new Error(`No assignee for ${conversation.id}`);
      return { conversation, assignee: { id: agent.id, name: agent.name } };
    }),
  );

  events.on('conversationClosed', ({ conversation }) =>
    announce('conversation.closed', conversation.id, () => ({ conversation })),
  );

  events.on('messageCreated', ({ message }) =>
    announce('message.created', message.conversationId, async () => {
      const conversation = await findConversation(ctx.db, message.conversationId);
      if (!conversation) throw new Error(`No conversation ${message.conversationId}`);
      return { message, siteId: conversation.siteId, teamId: conversation.teamId };
    }),
  );

  events.on('conversationRated', ({ conversation }) =>
    announce('rating.given', conversation.id, () => ({ conversation })),
  );

  events.on('contactErased', (erased) => announce('contact.erased', null, () => erased));

  events.on('visitorUpdated', ({ visitor }) =>
    announce('visitor.updated', null, () => ({ visitor })),
  );
}

/**
 * Runs tasks of one key one after another, tasks of different keys side by side; a key is
 * forgotten once its last task is done.
 */
class SerialByKey {
  private readonly tails = new Map<string, Promise<void>>();

  run(key: string, task: () => Promise<void>): Promise<void> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.catch(() => {});
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
