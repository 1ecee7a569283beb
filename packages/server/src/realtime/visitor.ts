import { visitorCommandSchemas as schemas } from '@parley/protocol';
import { notFound } from '../errors.js';
import type { Context } from '../context.js';
import {
  rateConversation,
  startConversation,
  visitorOfConversation,
} from '../services/conversations.js';
import { sendMessage, sync } from '../services/messages.js';
import { visitorConnected, visitorDisconnected } from '../services/presence-events.js';
import { recordPageView } from '../services/visitors.js';
import { enforce, limits } from '../services/rate-limit.js';
import { command, refuseUnknownCommands } from './command.js';
import { typingLimiter } from './typing-limiter.js';
import type { AgentNamespace, VisitorSocket } from './namespaces.js';
import { rooms } from './rooms.js';

/** One visitor socket (a widget in one tab): rooms, presence, and the visitor's commands. */
export function onVisitorConnection(ctx: Context, agents: AgentNamespace, socket: VisitorSocket) {
  const { actor } = socket.data;
  const log = ctx.log.child({ visitorId: actor.id, socketId: socket.id });
  void socket.join(rooms.visitor(actor.id));
  socket.emit('availability.changed', { agentsOnline: ctx.presence.agentsAvailable() });
  visitorConnected(ctx, actor.id).catch((err: unknown) => log.error({ err }, 'presence failed'));
  socket.on('disconnect', () => {
    visitorDisconnected(ctx, actor.id).catch((err: unknown) =>
      log.error({ err }, 'presence failed'),
    );
  });

  /** Checks once per socket that the conversation is this visitor's. */
  const ensureOwned = async (conversationId: string) => {
    if (socket.data.owned.has(conversationId)) return;
    if ((await visitorOfConversation(ctx, conversationId)) !== actor.id) {
      throw notFound('Conversation');
    }
    socket.data.owned.add(conversationId);
  };

  socket.on(
    'conversation.start',
    command(log, schemas['conversation.start'], async (p) => {
      const reply = await startConversation(ctx, actor, p, socket.id);
      socket.data.owned.add(reply.conversation.id);
      return reply;
    }),
  );

  socket.on(
    'message.send',
    command(log, schemas['message.send'], async (p) => ({
      message: (await sendMessage(ctx, actor, { ...p, type: 'text' }, socket.id)).message,
    })),
  );

  // The draft is the sneak peek: agents see what the visitor types before it is sent.
  socket.on(
    'typing.set',
    command(log, schemas['typing.set'], async ({ conversationId, isTyping, draft }) => {
      await enforce(typingLimiter, [[socket.id, limits.typingPerSocket]]);
      await ensureOwned(conversationId);
      agents.to(rooms.agents).emit('typing.changed', {
        conversationId,
        sender: 'visitor',
        name: null,
        isTyping,
        ...(draft !== undefined ? { draft: isTyping ? draft : '' } : {}),
      });
      return null;
    }),
  );

  socket.on(
    'page.view',
    command(log, schemas['page.view'], async (p) => {
      await recordPageView(ctx, actor, p);
      return null;
    }),
  );

  socket.on(
    'conversation.rate',
    command(log, schemas['conversation.rate'], async (p) => {
      await enforce(ctx.rateLimiter, [[`ratings:visitor:${actor.id}`, limits.ratingsPerVisitor]]);
      return { conversation: await rateConversation(ctx, actor, p) };
    }),
  );

  socket.on(
    'sync',
    command(log, schemas.sync, async ({ conversations }) => {
      await enforce(ctx.rateLimiter, [[`sync:visitor:${actor.id}`, limits.syncsPerVisitor]]);
      return sync(ctx, actor, conversations);
    }),
  );

  refuseUnknownCommands(socket, schemas);
}
