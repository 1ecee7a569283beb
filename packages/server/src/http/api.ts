import { Router } from 'express';
import type { Context } from '../context.js';
import { notFoundHandler } from './errors.js';
import { openApiRoutes } from './openapi.js';
import { routeOn } from './route.js';
import { analyticsRoutes } from './routes/analytics.js';
import { apiTokenRoutes } from './routes/api-tokens.js';
import { attachmentRoutes } from './routes/attachments.js';
import { authRoutes } from './routes/auth.js';
import { auditRoutes } from './routes/audit.js';
import { banRoutes } from './routes/bans.js';
import { notificationRoutes } from './routes/notifications.js';
import { cannedResponseRoutes } from './routes/canned-responses.js';
import { contactRoutes } from './routes/contacts.js';
import { siteRoutes } from './routes/sites.js';
import { teamRoutes } from './routes/teams.js';
import { conversationRoutes } from './routes/conversations.js';
import { jobRoutes } from './routes/jobs.js';
import { messageRoutes } from './routes/messages.js';
import { searchRoutes } from './routes/search.js';
import { settingsRoutes } from './routes/settings.js';
import { ssoRoutes } from './routes/sso.js';
import { twoFactorRoutes } from './routes/two-factor.js';
import { invitationRoutes } from './routes/invitations.js';
import { userRoutes } from './routes/users.js';
import { visitorRoutes } from './routes/visitors.js';
import { webhookRoutes } from './routes/webhooks.js';

/**
 * Everything under /api. Each resource registers its handlers by their catalogue entries
 * (`route`, see route.ts): the paths, methods and auth rules are the catalogue's.
 */
export function apiRouter(ctx: Context): Router {
  const router = Router();
  const route = routeOn(ctx, router);
  authRoutes(ctx, route);
  notificationRoutes(ctx, route);
  conversationRoutes(ctx, route);
  messageRoutes(ctx, route);
  searchRoutes(ctx, route);
  visitorRoutes(ctx, route);
  analyticsRoutes(ctx, route);
  cannedResponseRoutes(ctx, route);
  contactRoutes(ctx, route);
  banRoutes(ctx, route);
  auditRoutes(ctx, route);
  siteRoutes(ctx, route);
  teamRoutes(ctx, route);
  userRoutes(ctx, route);
  invitationRoutes(ctx, route);
  settingsRoutes(ctx, route);
  ssoRoutes(ctx, route);
  twoFactorRoutes(ctx, route);
  jobRoutes(ctx, route);
  attachmentRoutes(ctx, route);
  apiTokenRoutes(ctx, route);
  openApiRoutes(route);
  webhookRoutes(ctx, route);
  router.use(notFoundHandler);
  return router;
}
