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
import { commandsFor, logSocketError, refuseUnknownCommands } from './command.js';
import { typingLimiter } from './typing-limiter.js';
import type { AgentNamespace, VisitorSocket } from './namespaces.js';
import { rooms } from './rooms.js';

/**
 * Visitor sockets (a widget in one tab each): rooms, presence, and the visitor's commands. The
 * listeners are made here once and shared by every visitor socket (socket.io calls them with the
 * socket as `this`): most of these sockets sit idle on open pages, and what each one holds is
 * multiplied by all of them.
 */
export function visitorConnections(ctx: Context, agents: AgentNamespace) {
  const { log } = ctx;
  const command = commandsFor<VisitorSocket>(log);

  /** Checks once per socket that the conversation is this visitor's. */
  const ensureOwned = async (socket: VisitorSocket, conversationId: string) => {
    if (socket.data.owned?.has(conversationId)) return;
    if ((await visitorOfConversation(ctx, conversationId)) !== socket.data.actor.id) {
      throw notFound('Conversation');
    }
    own(socket, conversationId);
  };

  const commands = {
    'conversation.start': command(schemas['conversation.start'], async (socket, p) => {
      // The address the handshake saw (its headers are released by then).
      const client = { ip: socket.data.address };
      const reply = await startConversation(ctx, socket.data.actor, p, socket.id, client);
      own(socket, reply.conversation.id);
      return reply;
    }),

    'message.send': command(schemas['message.send'], async (socket, p) => ({
      message: (await sendMessage(ctx, socket.data.actor, { ...p, type: 'text' }, socket.id))
        .message,
    })),

    // The draft is the sneak peek: agents see what the visitor types before it is sent.
    'typing.set': command(
      schemas['typing.set'],
      async (socket, { conversationId, isTyping, draft }) => {
        await enforce(typingLimiter, [[socket.id, limits.typingPerSocket]]);
        await ensureOwned(socket, conversationId);
        agents.to(rooms.agents).emit('typing.changed', {
          conversationId,
          sender: 'visitor',
          name: null,
          isTyping,
          ...(draft !== undefined ? { draft: isTyping ? draft : '' } : {}),
        });
        return null;
      },
    ),

    'page.view': command(schemas['page.view'], async (socket, p) => {
      await recordPageView(ctx, socket.data.actor, p);
      return null;
    }),

    'conversation.rate': command(schemas['conversation.rate'], async (socket, p) => {
      const { actor } = socket.data;
      await enforce(ctx.rateLimiter, [[`ratings:visitor:${actor.id}`, limits.ratingsPerVisitor]]);
      return { conversation: await rateConversation(ctx, actor, p) };
    }),

    sync: command(schemas.sync, async (socket, { conversations }) => {
      const { actor } = socket.data;
      await enforce(ctx.rateLimiter, [[`sync:visitor:${actor.id}`, limits.syncsPerVisitor]]);
      return sync(ctx, actor, conversations);
    }),
  };
  const refuseUnknown = refuseUnknownCommands(schemas);

  function disconnected(this: VisitorSocket) {
    visitorDisconnected(ctx, this.data.actor.id).catch((err: unknown) =>
      logSocketError(log, this, err, 'presence failed'),
    );
  }

  return (socket: VisitorSocket) => {
    const { actor } = socket.data;
    void socket.join([rooms.visitor(actor.id), rooms.site(actor.siteId)]);
    socket.emit('availability.changed', {
      agentsOnline: ctx.presence.agentsAvailable(actor.siteId),
    });
    visitorConnected(ctx, actor.id).catch((err: unknown) =>
      logSocketError(log, socket, err, 'presence failed'),
    );
    socket.on('disconnect', disconnected);
    socket.use(refuseUnknown);
    socket.on('conversation.start', commands['conversation.start']);
    socket.on('message.send', commands['message.send']);
    socket.on('typing.set', commands['typing.set']);
    socket.on('page.view', commands['page.view']);
    socket.on('conversation.rate', commands['conversation.rate']);
    socket.on('sync', commands.sync);
  };
}

/** Records that the conversation is the socket's visitor's; the set is made on first use. */
function own(socket: VisitorSocket, conversationId: string) {
  (socket.data.owned ??= new Set()).add(conversationId);
}
