import type { Context } from '../context.js';
import { attemptWebhookDelivery, type RetryPolicy } from '../services/webhook-deliveries.js';
import type { JobHandler } from '../queue/kinds.js';

/** Attempts at an event before its delivery fails for good (an admin may retry it then). */
export const WEBHOOK_MAX_ATTEMPTS = 16;
/** The longest wait between two attempts. */
const LONGEST_RETRY_MS = 4 * 60 * 60_000;

/**
 * Webhook retries: the first after WEBHOOKS_RETRY_DELAY_MS (30 s), each next one twice as long,
 * up to 4 hours; with the defaults the 16 attempts span about 28 hours, longer than the day
 * after which an endpoint that keeps failing is turned off. A test event (`ping`) is tried
 * once: the admin who sent it is watching.
 */
export const webhookRetryPolicy = (firstRetryMs: number): RetryPolicy => ({
  maxAttempts: (eventType) => (eventType === 'ping' ? 1 : WEBHOOK_MAX_ATTEMPTS),
  retryDelayMs: (attempts) =>
    Math.min(LONGEST_RETRY_MS, firstRetryMs * 2 ** Math.max(0, attempts - 1)),
});

/**
 * One attempt at one webhook delivery. The delivery keeps its own attempts and schedule (the
 * log admins read), so this job does not throw for a receiver's failure: a retry is a job of
 * its own at the delivery's next time. The queue's retries are only for Parley's own faults
 * (the database out of reach mid-attempt).
 */
export function deliverWebhookJob(ctx: Context): JobHandler<'deliver-webhook'> {
  const policy = webhookRetryPolicy(ctx.config.webhooks.retryDelayMs);
  return {
    kind: 'deliver-webhook',
    maxAttempts: 5,
    async run({ deliveryId }) {
      await attemptWebhookDelivery(ctx, deliveryId, policy);
    },
  };
}
