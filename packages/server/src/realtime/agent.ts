import { agentCommandSchemas as schemas, socketCommandScopes } from '@parley/protocol';
import { AppError, forbidden, notFound, unauthorized } from '../errors.js';
import type { Context } from '../context.js';
import { scopeRefusal } from '../services/actor.js';
import { joinConversation, visitorOfConversation } from '../services/conversations.js';
import { sendMessage, sync } from '../services/messages.js';
import { agentConnected, agentDisconnected } from '../services/presence-events.js';
import { setStatus } from '../services/users.js';
import { enforce, limits } from '../services/rate-limit.js';
import { commandsFor, logSocketError, refuseUnknownCommands } from './command.js';
import { typingLimiter } from './typing-limiter.js';
import type { AgentSocket, VisitorNamespace } from './namespaces.js';
import { rooms } from './rooms.js';

/** What a read-only API token may ask over a socket: follow conversations and catch up. */
const READ_ONLY_COMMANDS = new Set([
  'sync',
  'conversation.join',
  'conversation.leave',
  'dashboard.visibility',
]);

/**
 * Agent sockets: rooms, presence, and the agent's commands. The commands' listeners are made
 * here once and shared by every agent socket, as the visitors' are (visitor.ts).
 */
export function agentConnections(ctx: Context, visitors: VisitorNamespace) {
  const { log } = ctx;
  const command = commandsFor<AgentSocket>(log);

  /** The visitor of a conversation, cached on the socket after the first lookup. */
  const visitorOf = async (socket: AgentSocket, conversationId: string): Promise<string> => {
    const known = socket.data.visitorOf.get(conversationId);
    if (known) return known;
    const visitorId = await visitorOfConversation(ctx, conversationId);
    if (!visitorId) throw notFound('Conversation');
    socket.data.visitorOf.set(conversationId, visitorId);
    return visitorId;
  };

  const commands = {
    'message.send': command(schemas['message.send'], async (socket, p) => ({
      message: (await sendMessage(ctx, socket.data.actor, p, socket.id)).message,
    })),

    'conversation.join': command(
      schemas['conversation.join'],
      async (socket, { conversationId }) => {
        const reply = await joinConversation(ctx, socket.data.actor, conversationId);
        socket.data.visitorOf.set(conversationId, reply.conversation.visitorId);
        await socket.join(rooms.conversation(conversationId));
        return reply;
      },
    ),

    'conversation.leave': command(
      schemas['conversation.leave'],
      async (socket, { conversationId }) => {
        await socket.leave(rooms.conversation(conversationId));
        return null;
      },
    ),

    // An agent's draft is theirs: only "is typing" reaches the visitor.
    'typing.set': command(schemas['typing.set'], async (socket, { conversationId, isTyping }) => {
      await enforce(typingLimiter, [[socket.id, limits.typingPerSocket]]);
      const visitorId = await visitorOf(socket, conversationId);
      const { name } = socket.data.actor;
      const fact = { conversationId, sender: 'agent' as const, name, isTyping };
      visitors.to(rooms.visitor(visitorId)).emit('typing.changed', fact);
      socket.to(rooms.agents).emit('typing.changed', fact);
      return null;
    }),

    'status.set': command(schemas['status.set'], async (socket, { status }) => {
      await socket.data.present;
      return { status: await setStatus(ctx, socket.data.actor, status) };
    }),

    sync: command(schemas.sync, (socket, { conversations }) =>
      sync(ctx, socket.data.actor, conversations),
    ),

    // Read where it matters, when a push is about to go (realtime/dashboard-views.ts).
    'dashboard.visibility': command(schemas['dashboard.visibility'], async (socket, p) => {
      socket.data.visible = p.visible;
      return null;
    }),
  };
  const refuseUnknown = refuseUnknownCommands(schemas);

  return (socket: AgentSocket) => {
    const { actor } = socket.data;
    // An integration's socket (an API token's) is not the person at their desk: it never makes
    // its user present, so routing does not give a chat to an admin whose script is connected.
    const person = actor.scope === undefined;
    void socket.join([
      rooms.agents,
      rooms.signIn(socket.data.sessionId),
      ...(person ? [rooms.person(actor.id)] : []),
    ]);
    // A status the agent sets right after connecting comes after the connection's "online".
    socket.data.present = (person ? agentConnected(ctx, actor.id) : Promise.resolve()).catch(
      (err: unknown) => logSocketError(log, socket, err, 'presence failed'),
    );
    // A socket lives no longer than its token: the client reconnects with a fresh one (and syncs).
    const expiry = setTimeout(
      () => socket.disconnect(true),
      Math.max(0, socket.data.expiresAt - Date.now()),
    );
    // Ending the sign-in disconnects its sockets on every instance (signInsEnded); should that
    // broadcast be lost (Redis restarting), each command still checks it, without a query.
    socket.use((packet, next) => {
      const ack: unknown = packet[packet.length - 1];
      const refuse = (error: AppError) => {
        if (typeof ack === 'function') ack({ ok: false, error: error.toInfo() });
      };
      if (ctx.revocations.isEnded(socket.data.sessionId)) {
        refuse(unauthorized('Session ended'));
        return socket.disconnect(true);
      }
      // A scoped token's command needs the scope of the REST routes that do the same.
      const needs = actor.scopes && socketCommandScopes[String(packet[0])];
      const outside = needs && scopeRefusal(actor, ...needs);
      if (outside) return refuse(outside);
      // A read-only API token follows conversations and syncs; it changes nothing.
      if (actor.scope === 'read' && !READ_ONLY_COMMANDS.has(String(packet[0]))) {
        return refuse(forbidden('This API token may only read'));
      }
      next();
    });
    socket.use(refuseUnknown);
    socket.on('disconnect', () => {
      clearTimeout(expiry);
      if (!person) return;
      agentDisconnected(ctx, actor.id).catch((err: unknown) =>
        logSocketError(log, socket, err, 'presence failed'),
      );
    });
    socket.onAnyOutgoing(followVisitorChanges);
    socket.on('message.send', commands['message.send']);
    socket.on('conversation.join', commands['conversation.join']);
    socket.on('conversation.leave', commands['conversation.leave']);
    socket.on('typing.set', commands['typing.set']);
    socket.on('status.set', commands['status.set']);
    socket.on('sync', commands.sync);
    socket.on('dashboard.visibility', commands['dashboard.visibility']);
  };
}

/**
 * A conversation can change visitor (a verified visitor's devices merged): every update this
 * socket is sent carries it, so the cache follows without a query.
 */
function followVisitorChanges(
  this: AgentSocket,
  event: string,
  item: { id?: unknown; visitorId?: unknown },
) {
  if (event !== 'conversation.updated' || typeof item?.id !== 'string') return;
  if (this.data.visitorOf.has(item.id) && typeof item.visitorId === 'string') {
    this.data.visitorOf.set(item.id, item.visitorId);
  }
}
