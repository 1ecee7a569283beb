import {
  AssignBody,
  ConversationListQuery,
  ConversationPatchBody,
  IdParams,
  MessageListQuery,
  TranscriptBody,
} from '@parley/protocol';
import { Router } from 'express';
import type { Context } from '../../context.js';
import { handOver } from '../../services/routing.js';
import { sendTranscript } from '../../services/transcripts.js';
import * as conversations from '../../services/conversations.js';
import { listMessages } from '../../services/messages.js';
import { actorOf, agentOf, authenticate } from '../auth.js';
import { parse } from '../validate.js';

export function conversationRoutes(ctx: Context): Router {
  const router = Router();
  const agents = authenticate(ctx, 'agent');

  router.get('/', agents, async (req, res) => {
    const query = parse(ConversationListQuery, req.query);
    res.json(await conversations.listConversations(ctx, agentOf(res), query));
  });

  router.get('/:id', agents, async (req, res) => {
    const { id } = parse(IdParams, req.params);
    res.json({ conversation: await conversations.getConversation(ctx, id) });
  });

  router.patch('/:id', agents, async (req, res) => {
    const { id } = parse(IdParams, req.params);
    const body = parse(ConversationPatchBody, req.body);
    res.json({ conversation: await conversations.patchConversation(ctx, agentOf(res), id, body) });
  });

  for (const mode of ['assign', 'transfer'] as const) {
    router.post(`/:id/${mode}`, agents, async (req, res) => {
      const { id } = parse(IdParams, req.params);
      const { agentId } = parse(AssignBody, req.body);
      const conversation = await conversations.assignConversation(
        ctx,
        agentOf(res),
        id,
        agentId,
        mode,
      );
      res.json({ conversation });
    });
  }

  // A bot (or whoever holds the chat) lets a person take over: the chat goes to routing.
  router.post('/:id/handover', agents, async (req, res) => {
    const { id } = parse(IdParams, req.params);
    await handOver(ctx, agentOf(res), id);
    res.json({ conversation: await conversations.getConversation(ctx, id) });
  });

  // Visitors read their own conversation's messages too (notes excluded).
  router.get('/:id/messages', authenticate(ctx, 'anyone'), async (req, res) => {
    const { id } = parse(IdParams, req.params);
    const query = parse(MessageListQuery, req.query);
    res.json({ messages: await listMessages(ctx, actorOf(res), id, query) });
  });

  router.delete('/:id', authenticate(ctx, 'admin'), async (req, res) => {
    const { id } = parse(IdParams, req.params);
    await conversations.deleteConversation(ctx, agentOf(res), id);
    res.status(204).end();
  });

  // The visitor asks for it from the widget; an agent sends it from the conversation.
  router.post('/:id/transcript', authenticate(ctx, 'anyone'), async (req, res) => {
    const { id } = parse(IdParams, req.params);
    const body = parse(TranscriptBody, req.body ?? {});
    res.status(202).json(await sendTranscript(ctx, actorOf(res), id, body, { ip: req.ip ?? null }));
  });

  return router;
}
