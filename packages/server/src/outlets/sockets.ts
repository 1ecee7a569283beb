import { BlockList, isIP } from 'node:net';
import { currentViews } from '../services/conversations.js';
import { POLICY_TTL_MS } from '../services/two-factor-policy.js';
import type { Context } from '../context.js';
import type { AgentNamespace, VisitorNamespace } from '../realtime/namespaces.js';
import { rooms } from '../realtime/rooms.js';
import { VisitorUpdateThrottle } from '../realtime/visitor-updates.js';

/**
 * The sockets' outlet of domain events: maps each fact to the rooms that may see it and the
 * payload each side gets. Recipients are chosen here, explicitly: a note goes to agents only.
 */
export function startSocketOutlet(
  ctx: Context,
  agents: AgentNamespace,
  visitors: VisitorNamespace,
): void {
  const { events, log } = ctx;
  const guard =
    <T>(name: string, fn: (e: T) => Promise<void> | void) =>
    (e: T) => {
      Promise.resolve()
        .then(() => fn(e))
        .catch((err: unknown) => log.error({ err, event: name }, 'broadcast failed'));
    };

  events.on(
    'messageCreated',
    guard('messageCreated', ({ message, visitorId, senderSocket }) => {
      // Every socket is in a room of its own id: the sender's ack already carried the message.
      const skip = senderSocket ?? [];
      agents.to(rooms.agents).except(skip).emit('message.created', message);
      if (message.type !== 'note')
        visitors.to(rooms.visitor(visitorId)).except(skip).emit('message.created', message);
    }),
  );

  events.on(
    'conversationCreated',
    guard('conversationCreated', ({ conversation }) => {
      agents.to(rooms.agents).emit('conversation.created', conversation);
    }),
  );

  events.on(
    'conversationUpdated',
    guard('conversationUpdated', async ({ conversationId }) => {
      const views = await currentViews(ctx, conversationId);
      if (!views) return;
      agents.to(rooms.agents).emit('conversation.updated', views.item);
      visitors
        .to(rooms.visitor(views.item.visitorId))
        .emit('conversation.updated', views.visitorView);
    }),
  );

  events.on(
    'conversationDeleted',
    guard('conversationDeleted', ({ conversationId }) => {
      agents.to(rooms.agents).emit('conversation.deleted', { conversationId });
    }),
  );

  // Page views, the pre-chat form and presence each change the visitor: coalesced per visitor.
  const visitorUpdates = new VisitorUpdateThrottle((visitor) =>
    agents.to(rooms.agents).emit('visitor.updated', visitor),
  );
  events.on(
    'visitorUpdated',
    guard('visitorUpdated', ({ visitor }) => visitorUpdates.push(visitor)),
  );

  events.on(
    'agentStatusChanged',
    guard('agentStatusChanged', (s) => {
      agents.to(rooms.agents).emit('agent.status_changed', s);
    }),
  );

  events.on(
    'availabilityChanged',
    guard('availabilityChanged', (a) => {
      visitors
        .to(rooms.site(a.siteId))
        .emit('availability.changed', { agentsOnline: a.agentsOnline });
    }),
  );

  events.on(
    'messagesRead',
    guard('messagesRead', ({ visitorId, ...read }) => {
      agents.to(rooms.agents).emit('messages.read', read);
      visitors.to(rooms.visitor(visitorId)).emit('messages.read', read);
    }),
  );

  events.on(
    'signInsEnded',
    guard('signInsEnded', ({ sessionIds }) => {
      if (sessionIds.length === 0) return;
      agents.in(sessionIds.map(rooms.signIn)).disconnectSockets(true);
    }),
  );

  // People who must now set up two-factor sign-in: their dashboards' sockets go at once, on every
  // instance, and the handshake refuses them until they have (the dashboard then shows only the
  // set-up). Once more when every instance's cached policy has expired: a dashboard that came
  // back within those seconds through another instance, which had not yet read the new policy,
  // goes too.
  const endSocketsOf = guard('twoFactorRequired', (userIds: string[]) => {
    agents.in(userIds.map(rooms.person)).disconnectSockets(true);
  });
  events.on('twoFactorRequired', ({ userIds }) => {
    if (userIds.length === 0) return;
    endSocketsOf(userIds);
    setTimeout(() => endSocketsOf(userIds), POLICY_TTL_MS + 1_000).unref();
  });

  // An erased person's widgets go quiet on every instance: their record is gone, and a socket
  // kept open would go on sending for nobody.
  events.on(
    'contactErased',
    guard('contactErased', ({ visitorId }) => {
      visitors.in(rooms.visitor(visitorId)).disconnectSockets(true);
    }),
  );

  // A banned visitor's widgets are told, then closed on every instance; they cannot come back
  // (the handshake refuses them). A ban of an address closes every widget connected from it:
  // rare enough to look through the namespace's sockets (on every instance, through the adapter).
  events.on(
    'visitorsBanned',
    guard('visitorsBanned', async ({ visitorId, address }) => {
      if (visitorId !== null) {
        visitors.to(rooms.visitor(visitorId)).emit('visitor.banned');
        visitors.in(rooms.visitor(visitorId)).disconnectSockets(true);
      }
      if (address === null) return;
      const within = addressMatcher(address);
      for (const socket of await visitors.fetchSockets()) {
        if (socket.data.address === null || !within(socket.data.address)) continue;
        socket.emit('visitor.banned');
        socket.disconnect(true);
      }
    }),
  );
}

/** Whether an address is the banned one, or in the banned network (`203.0.113.0/24`). */
function addressMatcher(banned: string): (address: string) => boolean {
  const list = new BlockList();
  const [network, prefix] = banned.split('/');
  const type = isIP(network ?? '') === 6 ? 'ipv6' : 'ipv4';
  if (prefix === undefined) list.addAddress(banned, type);
  else list.addSubnet(network ?? '', Number(prefix), type);
  return (address) => list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}
