import { FileSettingsPatch, IdentitySettingsPatch, WidgetSettingsPatch } from '@parley/protocol';
import { getFileSettings, patchFileSettings } from '../../services/attachments.js';
import { Router } from 'express';
import type { Context } from '../../context.js';
import {
  identitySettings,
  patchIdentitySettings,
  revealIdentitySecret,
  rotateIdentitySecret,
} from '../../services/identity-settings.js';
import { emailSettings, sendTestEmail } from '../../services/jobs.js';
import {
  getWidgetConfig,
  getWidgetSettings,
  patchWidgetSettings,
} from '../../services/settings.js';
import { agentOf, authenticate } from '../auth.js';
import { parse } from '../validate.js';

export function settingsRoutes(ctx: Context): Router {
  const router = Router();

  // Public: the widget reads its look before any visitor session exists.
  router.get('/widget/public', async (_req, res) => {
    res.json({ config: await getWidgetConfig(ctx) });
  });

  router.get('/widget', authenticate(ctx, 'agent'), async (_req, res) => {
    res.json({ settings: await getWidgetSettings(ctx) });
  });

  router.patch('/widget', authenticate(ctx, 'admin'), async (req, res) => {
    const patch = parse(WidgetSettingsPatch, req.body);
    res.json({ settings: await patchWidgetSettings(ctx, agentOf(res), patch) });
  });

  router.get('/files', authenticate(ctx, 'agent'), async (_req, res) => {
    res.json({ settings: await getFileSettings(ctx) });
  });

  router.patch('/files', authenticate(ctx, 'admin'), async (req, res) => {
    const patch = parse(FileSettingsPatch, req.body);
    res.json({ settings: await patchFileSettings(ctx, agentOf(res), patch) });
  });

  // The secret sites sign their signed-in person's id with: admins only, and the secret itself
  // to a signed-in admin only (never a token), each reveal recorded.
  router.get('/identity', authenticate(ctx, 'admin'), async (_req, res) => {
    res.json({ settings: await identitySettings(ctx, agentOf(res)) });
  });

  router.get('/identity/secret', authenticate(ctx, 'admin'), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(await revealIdentitySecret(ctx, agentOf(res), { ip: req.ip ?? null }));
  });

  router.patch('/identity', authenticate(ctx, 'admin'), async (req, res) => {
    const patch = parse(IdentitySettingsPatch, req.body);
    res.json({ settings: await patchIdentitySettings(ctx, agentOf(res), patch) });
  });

  router.post('/identity/rotate', authenticate(ctx, 'admin'), async (req, res) => {
    res.json({ settings: await rotateIdentitySecret(ctx, agentOf(res), { ip: req.ip ?? null }) });
  });

  router.get('/email', authenticate(ctx, 'admin'), (_req, res) => {
    res.json(emailSettings(ctx));
  });

  router.post('/email/test', authenticate(ctx, 'admin'), async (_req, res) => {
    res.status(202).json(await sendTestEmail(ctx, agentOf(res)));
  });

  return router;
}
