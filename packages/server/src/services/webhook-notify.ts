import type { WebhookEndpointRow } from '../db/webhooks.js';
import { listEndpointOwners } from '../db/webhooks.js';
import { oneLine } from '../email/compose.js';
import type { Context } from '../context.js';

/**
 * Parley turned an endpoint off: its creator and the admins hear of it by email, when email is
 * on (the dashboard shows the reason either way). The emails are jobs, stored together.
 */
export async function notifyEndpointDisabled(
  ctx: Context,
  endpoint: WebhookEndpointRow,
): Promise<void> {
  const mail = ctx.email;
  if (!mail) return;
  const owners = await listEndpointOwners(ctx.db, endpoint.createdBy);
  const host = hostOf(endpoint.url);
  const link = `${mail.settings.publicUrl}/settings/webhooks`;
  await ctx.db.transaction(async (tx) => {
    for (const owner of owners) {
      await ctx.jobs.enqueue(
        'email',
        {
          to: owner.email,
          subject: oneLine(`Parley stopped sending webhooks to ${host}`),
          text: [
            `Hello ${owner.name},`,
            '',
            `Parley turned off the webhook endpoint ${endpoint.url}${endpoint.description ? ` (${endpoint.description})` : ''}.`,
            endpoint.disabledReason ?? '',
            '',
            `Events are not sent to it until an admin turns it on again in Settings → Webhooks: ${link}`,
            '',
          ].join('\n'),
        },
        { tx },
      );
    }
  });
  ctx.jobs.wake();
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
