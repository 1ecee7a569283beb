import { ReadBody, SendMessageBody } from '@parley/protocol';
import { Router } from 'express';
import type { Context } from '../../context.js';
import { markRead, sendMessage } from '../../services/messages.js';
import { enforce, limits } from '../../services/rate-limit.js';
import { actorOf, authenticate } from '../auth.js';
import { parse } from '../validate.js';

export function messageRoutes(ctx: Context): Router {
  const router = Router();
  const anyone = authenticate(ctx, 'anyone');

  // 201 when stored now, 200 when the clientId was already stored (a resend).
  router.post('/', anyone, async (req, res) => {
    const body = parse(SendMessageBody, req.body);
    const { message, created } = await sendMessage(ctx, actorOf(res), body);
    res.status(created ? 201 : 200).json({ message });
  });

  router.post('/read', anyone, async (req, res) => {
    const actor = actorOf(res);
    const body = parse(ReadBody, req.body);
    if (actor.kind === 'visitor') {
      await enforce(ctx.rateLimiter, [[`reads:visitor:${actor.id}`, limits.readsPerVisitor]]);
    }
    await markRead(ctx, actor, body);
    res.status(204).end();
  });

  return router;
}
