import { SearchQuery } from '@parley/protocol';
import { Router } from 'express';
import { inBackground } from '../../db/client.js';
import type { Context } from '../../services/context.js';
import { search } from '../../services/search.js';
import { agentOf, authenticate } from '../auth.js';
import { parse } from '../validate.js';

export function searchRoutes(ctx: Context): Router {
  const router = Router();

  // Searches go behind the chats on the embedded database.
  router.get('/', authenticate(ctx, 'agent'), (_req, _res, next) => inBackground(next));
  router.get('/', async (req, res) => {
    const query = parse(SearchQuery, req.query);
    res.json(await search(ctx, agentOf(res), query));
  });

  return router;
}
