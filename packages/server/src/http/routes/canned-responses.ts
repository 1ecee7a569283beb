import { CannedResponseBody, CannedResponsePatchBody, IdParams } from '@parley/protocol';
import { Router } from 'express';
import * as canned from '../../services/canned-responses.js';
import type { Context } from '../../context.js';
import { agentOf, authenticate } from '../auth.js';
import { parse } from '../validate.js';

export function cannedResponseRoutes(ctx: Context): Router {
  const router = Router();
  router.use(authenticate(ctx, 'agent'));

  router.get('/', async (_req, res) => {
    res.json({ items: await canned.listCannedResponses(ctx) });
  });

  router.post('/', async (req, res) => {
    const body = parse(CannedResponseBody, req.body);
    res
      .status(201)
      .json({ cannedResponse: await canned.createCannedResponse(ctx, agentOf(res), body) });
  });

  router.patch('/:id', async (req, res) => {
    const { id } = parse(IdParams, req.params);
    const body = parse(CannedResponsePatchBody, req.body);
    res.json({ cannedResponse: await canned.patchCannedResponse(ctx, agentOf(res), id, body) });
  });

  router.delete('/:id', async (req, res) => {
    const { id } = parse(IdParams, req.params);
    await canned.deleteCannedResponse(ctx, agentOf(res), id);
    res.status(204).end();
  });

  return router;
}
