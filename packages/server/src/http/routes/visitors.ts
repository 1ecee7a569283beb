import {
  CustomAttributesBody,
  IdentifyBody,
  IdParams,
  StartVisitorChatBody,
  VisitorListQuery,
  VisitorPatchBody,
  VisitorSessionBody,
} from '@parley/protocol';
import { Router } from 'express';
import type { Context } from '../../context.js';
import { startChatWithVisitor } from '../../services/conversations.js';
import { claimIdentity } from '../../services/identity.js';
import * as visitors from '../../services/visitors.js';
import { enforce, limits } from '../../services/rate-limit.js';
import { agentOf, authenticate, visitorOf } from '../auth.js';
import { parse } from '../validate.js';

export function visitorRoutes(ctx: Context): Router {
  const router = Router();
  const agents = authenticate(ctx, 'agent');

  router.post('/session', async (req, res) => {
    const { visitorToken } = parse(VisitorSessionBody, req.body ?? {});
    await enforce(ctx.rateLimiter, [[`visitor-session:ip:${req.ip}`, limits.visitorSessionPerIp]]);
    const meta = {
      userAgent: req.headers['user-agent']?.slice(0, 500) ?? null,
      ip: req.ip ?? null,
    };
    res.status(201).json(await visitors.createSession(ctx, visitorToken, meta));
  });

  router.patch('/me', authenticate(ctx, 'visitor'), async (req, res) => {
    const body = parse(VisitorPatchBody, req.body);
    res.json({ visitor: await visitors.patchMe(ctx, visitorOf(res), body) });
  });

  // setUser: with a hash that verifies, the session of that person's visitor (a new token).
  router.post('/me/identity', authenticate(ctx, 'visitor'), async (req, res) => {
    const claim = parse(IdentifyBody, req.body);
    res.json(await claimIdentity(ctx, visitorOf(res), claim));
  });

  router.patch('/me/attributes', authenticate(ctx, 'visitor'), async (req, res) => {
    const { attributes } = parse(CustomAttributesBody, req.body);
    res.json({ visitor: await visitors.setCustomAttributes(ctx, visitorOf(res), attributes) });
  });

  router.get('/', agents, async (req, res) => {
    res.json(await visitors.listVisitors(ctx, parse(VisitorListQuery, req.query)));
  });

  router.get('/:id', agents, async (req, res) => {
    const { id } = parse(IdParams, req.params);
    res.json(await visitors.getVisitor(ctx, id));
  });

  // 201 when a new chat was opened, 200 when the visitor already had one (it is returned as is).
  router.post('/:id/conversations', agents, async (req, res) => {
    const { id } = parse(IdParams, req.params);
    const body = parse(StartVisitorChatBody, req.body);
    const { conversation, created } = await startChatWithVisitor(ctx, agentOf(res), id, body);
    res.status(created ? 201 : 200).json({ conversation });
  });

  return router;
}
