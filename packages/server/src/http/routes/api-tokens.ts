import { BotSettings, CreateApiTokenBody, IdParams } from '@parley/protocol';
import { Router } from 'express';
import * as tokens from '../../services/api-tokens.js';
import { getBotSettings, putBotSettings } from '../../services/bots.js';
import type { Context } from '../../context.js';
import { agentOf, authenticate } from '../auth.js';
import { parse } from '../validate.js';

/** `/api/tokens`: API tokens, for admins. The secret is in the creation's reply only. */
export function apiTokenRoutes(ctx: Context): Router {
  const router = Router();
  router.use(authenticate(ctx, 'admin'));

  router.get('/', async (_req, res) => {
    res.json({ items: await tokens.listApiTokens(ctx, agentOf(res)) });
  });

  router.post('/', async (req, res) => {
    const body = parse(CreateApiTokenBody, req.body);
    res.status(201).json(await tokens.createApiToken(ctx, agentOf(res), body));
  });

  router.delete('/:id', async (req, res) => {
    const { id } = parse(IdParams, req.params);
    res.json({ token: await tokens.revokeApiToken(ctx, agentOf(res), id) });
  });

  return router;
}

/** `/api/bots/settings`: which bot answers new conversations first. */
export function botRoutes(ctx: Context): Router {
  const router = Router();
  router.use(authenticate(ctx, 'admin'));

  router.get('/settings', async (_req, res) => {
    res.json({ settings: await getBotSettings(ctx) });
  });

  router.put('/settings', async (req, res) => {
    const body = parse(BotSettings, req.body);
    res.json({ settings: await putBotSettings(ctx, agentOf(res), body) });
  });

  return router;
}
