import {
  Id,
  WebhookDeliveryListQuery,
  WebhookDeliveryParams,
  WebhookEndpointBody,
  WebhookEndpointPatch,
} from '@parley/protocol';
import { Router } from 'express';
import type { Context } from '../../context.js';
import { getWebhookDelivery, resendWebhookDelivery } from '../../services/webhook-log.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  patchWebhookEndpoint,
  retryWebhookDelivery,
  revealWebhookSecret,
  rotateWebhookSecret,
  sendTestWebhook,
} from '../../services/webhooks.js';
import { agentOf, authenticate } from '../auth.js';
import { parse } from '../validate.js';

/** Webhook endpoints and their delivery logs, for admins (docs/webhooks.md). */
export function webhookRoutes(ctx: Context): Router {
  const router = Router();
  router.use(authenticate(ctx, 'admin'));

  router.get('/', async (_req, res) => {
    res.json(await listWebhookEndpoints(ctx));
  });
  router.post('/', async (req, res) => {
    const body = parse(WebhookEndpointBody, req.body);
    res.status(201).json(await createWebhookEndpoint(ctx, agentOf(res), body));
  });
  router.get('/:id', async (req, res) => {
    res.json(await getWebhookEndpoint(ctx, parse(Id, req.params.id)));
  });
  router.patch('/:id', async (req, res) => {
    const id = parse(Id, req.params.id);
    res.json(await patchWebhookEndpoint(ctx, id, parse(WebhookEndpointPatch, req.body)));
  });
  router.delete('/:id', async (req, res) => {
    await deleteWebhookEndpoint(ctx, parse(Id, req.params.id));
    res.status(204).end();
  });
  router.get('/:id/secret', async (req, res) => {
    const id = parse(Id, req.params.id);
    res.set('Cache-Control', 'no-store');
    res.json(await revealWebhookSecret(ctx, agentOf(res), id, { ip: req.ip ?? null }));
  });
  router.post('/:id/rotate-secret', async (req, res) => {
    const id = parse(Id, req.params.id);
    res.json(await rotateWebhookSecret(ctx, agentOf(res), id, { ip: req.ip ?? null }));
  });
  router.post('/:id/test', async (req, res) => {
    res.status(202).json(await sendTestWebhook(ctx, parse(Id, req.params.id)));
  });
  router.get('/:id/deliveries', async (req, res) => {
    const id = parse(Id, req.params.id);
    res.json(await listWebhookDeliveries(ctx, id, parse(WebhookDeliveryListQuery, req.query)));
  });
  router.post('/:id/deliveries/:deliveryId/retry', async (req, res) => {
    const { id, deliveryId } = parse(WebhookDeliveryParams, req.params);
    res.json(await retryWebhookDelivery(ctx, id, deliveryId));
  });
  router.get('/:id/deliveries/:deliveryId', async (req, res) => {
    const { id, deliveryId } = parse(WebhookDeliveryParams, req.params);
    res.json(await getWebhookDelivery(ctx, id, deliveryId));
  });
  router.post('/:id/deliveries/:deliveryId/resend', async (req, res) => {
    const { id, deliveryId } = parse(WebhookDeliveryParams, req.params);
    const { delivery, created } = await resendWebhookDelivery(ctx, id, deliveryId);
    res.status(created ? 202 : 200).json({ delivery });
  });

  return router;
}
