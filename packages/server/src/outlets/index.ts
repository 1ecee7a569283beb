import type { Context } from '../context.js';
import type { AgentNamespace, VisitorNamespace } from '../realtime/namespaces.js';
import { startEmailOutlet } from './email.js';
import { startPushOutlet } from './push.js';
import { startSocketOutlet } from './sockets.js';
import { startWebhookOutlet } from './webhooks.js';

/**
 * The outlets: what each domain event becomes outside the core (docs/architecture.md "Outlets
 * and jobs"). The core's rules announce facts (services/events.ts) and know nothing of who
 * hears them; each outlet listens, side by side, and turns them into socket broadcasts, emails
 * (jobs) and webhook deliveries (jobs), and pushes to agents' phones (jobs). Started once, before the server listens.
 */
export function startOutlets(
  ctx: Context,
  sockets: { agents: AgentNamespace; visitors: VisitorNamespace },
): void {
  if (ctx.email) startEmailOutlet(ctx, ctx.email);
  startWebhookOutlet(ctx);
  startPushOutlet(ctx);
  startSocketOutlet(ctx, sockets.agents, sockets.visitors);
}
