import { Id, JobListQuery } from '@parley/protocol';
import { Router } from 'express';
import type { Context } from '../../context.js';
import { listJobs, retryJob } from '../../services/jobs.js';
import { authenticate } from '../auth.js';
import { parse } from '../validate.js';

/** Background work, for admins: what failed and why, and a retry. */
export function jobRoutes(ctx: Context): Router {
  const router = Router();
  router.use(authenticate(ctx, 'admin'));

  router.get('/', async (req, res) => {
    res.json(await listJobs(ctx, parse(JobListQuery, req.query)));
  });
  router.post('/:id/retry', async (req, res) => {
    res.json(await retryJob(ctx, parse(Id, req.params.id)));
  });

  return router;
}
