import { SearchQuery } from '@parley/protocol';
import { Router } from 'express';
import type { Context } from '../../context.js';
import { search } from '../../services/search.js';
import { agentOf, authenticate } from '../auth.js';
import { parse } from '../validate.js';

export function searchRoutes(ctx: Context): Router {
  const router = Router();

  router.get('/', authenticate(ctx, 'agent'), async (req, res) => {
    const query = parse(SearchQuery, req.query);
    res.json(await search(ctx, agentOf(res), query));
  });

  return router;
}
