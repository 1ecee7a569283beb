import { Router } from 'express';
import type { Context } from '../context.js';
import { analyticsRoutes } from './routes/analytics.js';
import { apiTokenRoutes, botRoutes } from './routes/api-tokens.js';
import { attachmentRoutes } from './routes/attachments.js';
import { authRoutes } from './routes/auth.js';
import { cannedResponseRoutes } from './routes/canned-responses.js';
import { conversationRoutes } from './routes/conversations.js';
import { messageRoutes } from './routes/messages.js';
import { searchRoutes } from './routes/search.js';
import { settingsRoutes } from './routes/settings.js';
import { jobRoutes } from './routes/jobs.js';
import { openApiRoutes } from './openapi.js';
import { userRoutes } from './routes/users.js';
import { visitorRoutes } from './routes/visitors.js';
import { webhookRoutes } from './routes/webhooks.js';
import { notFoundHandler } from './errors.js';

/** Everything under /api. */
export function apiRouter(ctx: Context): Router {
  const api = Router();
  api.use('/auth', authRoutes(ctx));
  api.use('/conversations', conversationRoutes(ctx));
  api.use('/messages', messageRoutes(ctx));
  api.use('/search', searchRoutes(ctx));
  api.use('/visitors', visitorRoutes(ctx));
  api.use('/analytics', analyticsRoutes(ctx));
  api.use('/canned-responses', cannedResponseRoutes(ctx));
  api.use('/users', userRoutes(ctx));
  api.use('/settings', settingsRoutes(ctx));
  api.use('/jobs', jobRoutes(ctx));
  api.use('/attachments', attachmentRoutes(ctx));
  api.use('/tokens', apiTokenRoutes(ctx));
  api.use('/bots', botRoutes(ctx));
  api.use(openApiRoutes());
  api.use('/webhooks', webhookRoutes(ctx));
  api.use(notFoundHandler);
  return api;
}
