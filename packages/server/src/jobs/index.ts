import type { Context } from '../context.js';
import { alertWaitingJob } from './alert-waiting.js';
import { deleteFileJob } from './delete-file.js';
import { deliverWebhookJob } from './deliver-webhook.js';
import { emailUnseenRepliesJob } from './email-unseen-replies.js';
import { receiveEmailJob } from './receive-email.js';
import { routeQueueJob } from './route-queue.js';
import { sendEmailJob } from './send-email.js';
import { sendPasswordResetJob } from './send-password-reset.js';
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
