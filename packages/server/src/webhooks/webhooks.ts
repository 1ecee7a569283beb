import { deliverWebhookJob } from '../jobs/deliver-webhook.js';
import type { JobHandler } from '../jobs/runner.js';
import type { Context } from '../context.js';
import { startWebhookOutlet } from './outlet.js';

/** Webhooks' kind of job, for the services that queue deliveries (events, tests, retries). */
export type Webhooks = {
  deliver: JobHandler<{ deliveryId: string }>;
};

/** Registers the delivery job and starts the outlet that turns domain events into deliveries. */
export function startWebhooks(ctx: Context): Webhooks {
  const webhooks: Webhooks = { deliver: deliverWebhookJob(ctx) };
  ctx.jobs.register(webhooks.deliver);
  startWebhookOutlet(ctx);
  return webhooks;
}
