import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import * as conversations from '../../services/conversations.js';
import { listMessages } from '../../services/messages.js';
import { handOver } from '../../services/routing.js';
import { sendTranscript } from '../../services/transcripts.js';
import type { Route } from '../route.js';

export function conversationRoutes(ctx: Context, route: Route): void {
  route(routes.listConversations, ({ query, actor }) =>
    conversations.listConversations(ctx, actor, query),
  );

  route(routes.getConversation, async ({ params }) => ({
    conversation: await conversations.getConversation(ctx, params.id),
  }));

  route(routes.updateConversation, async ({ params, body, actor }) => ({
    conversation: await conversations.patchConversation(ctx, actor, params.id, body),
  }));

  route(routes.assignConversation, async ({ params, body, actor }) => ({
    conversation: await conversations.assignConversation(
      ctx,
      actor,
      params.id,
      body.agentId,
      'assign',
    ),
  }));

  route(routes.transferConversation, async ({ params, body, actor }) => ({
    conversation: body.teamId
      ? await conversations.transferToTeam(ctx, actor, params.id, body.teamId)
      : await conversations.assignConversation(ctx, actor, params.id, body.agentId!, 'transfer'),
  }));

  // A bot (or whoever holds the chat) lets a person take over: the chat goes to routing.
  route(routes.handOverConversation, async ({ params, actor }) => {
    await handOver(ctx, actor, params.id);
    return { conversation: await conversations.getConversation(ctx, params.id) };
  });

  // Visitors read their own conversation's messages too (notes excluded).
  route(routes.listMessages, async ({ params, query, actor }) => ({
    messages: await listMessages(ctx, actor, params.id, query),
  }));

  route(routes.deleteConversation, async ({ params, actor }) => {
    await conversations.deleteConversation(ctx, actor, params.id);
  });

  // The visitor asks for it from the widget; an agent sends it from the conversation.
  route(routes.sendTranscript, ({ params, body, actor, req }) =>
    sendTranscript(ctx, actor, params.id, body, { ip: req.ip ?? null }),
  );
}
