import type { Context } from '../context.js';
import { alertWaitingJob } from './alert-waiting.js';
import { deleteFileJob } from './delete-file.js';
import { deliverWebhookJob } from './deliver-webhook.js';
import { emailUnseenRepliesJob } from './email-unseen-replies.js';
import { receiveEmailJob } from './receive-email.js';
import { retentionJob } from './retention.js';
import { routeQueueJob } from './route-queue.js';
import { sendEmailJob } from './send-email.js';
import { sendPasswordResetJob } from './send-password-reset.js';
import { sendPushJob } from './send-push.js';
import type { DashboardViews } from '../services/push.js';
import { sweepUploadsJob } from './sweep-uploads.js';

/**
 * Every kind of job this instance runs, registered in this one place before the queue starts
 * (their payloads: queue/kinds.ts). Email's kinds only when email is on: a service checks
 * `ctx.email` before it queues one.
 */
export function registerJobs(ctx: Context): void {
  ctx.jobs.register(
    deleteFileJob(ctx.files),
    sweepUploadsJob(ctx.db, ctx.log),
    deliverWebhookJob(ctx),
    routeQueueJob(ctx),
    retentionJob(ctx),
  );
  const mail = ctx.email;
  if (!mail) return;
  ctx.jobs.register(
    sendEmailJob(mail.settings.smtpUrl, mail.sender),
    emailUnseenRepliesJob(ctx),
    alertWaitingJob(ctx),
    receiveEmailJob(ctx),
    sendPasswordResetJob(ctx),
  );
}

/**
 * Pushes to agents' devices (issue 37): registered once the sockets exist, since a push asks
 * them whether a dashboard is in view; before the queue starts, like the rest.
 */
export function registerPushJob(ctx: Context, views: DashboardViews): void {
  ctx.jobs.register(sendPushJob(ctx, views));
}
