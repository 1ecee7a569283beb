import { AnalyticsQuery, RatingsQuery } from '@parley/protocol';
import { Router } from 'express';
import * as analytics from '../../services/analytics.js';
import type { Context } from '../../context.js';
import { authenticate } from '../auth.js';
import { parse } from '../validate.js';

export function analyticsRoutes(ctx: Context): Router {
  const router = Router();
  router.use(authenticate(ctx, 'agent'));

  router.get('/overview', async (req, res) => {
    res.json(await analytics.overview(ctx, parse(AnalyticsQuery, req.query)));
  });
  router.get('/timeseries', async (req, res) => {
    res.json(await analytics.timeseries(ctx, parse(AnalyticsQuery, req.query)));
  });
  router.get('/agents', async (req, res) => {
    res.json(await analytics.agents(ctx, parse(AnalyticsQuery, req.query)));
  });
  router.get('/ratings', async (req, res) => {
    res.json(await analytics.ratings(ctx, parse(RatingsQuery, req.query)));
  });

  return router;
}
