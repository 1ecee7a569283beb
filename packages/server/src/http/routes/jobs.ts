import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import { listJobs, retryJob } from '../../services/jobs.js';
import type { Route } from '../route.js';

/** Background work, for admins: what failed and why, and a retry. */
export function jobRoutes(ctx: Context, route: Route): void {
  route(routes.listJobs, ({ query }) => listJobs(ctx, query));
  route(routes.retryJob, ({ params }) => retryJob(ctx, params.id));
}
