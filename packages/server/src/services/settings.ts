import {
  defaultWidgetSettings,
  WidgetSettings,
  type WidgetConfig,
  type WidgetSettingsPatch,
} from '@parley/protocol';
import { getSetting, putSetting } from '../db/settings.js';
import { requireAdmin, type AgentActor } from './actor.js';
import type { Context } from './context.js';
import { announceAvailability } from './routing.js';

const WIDGET = 'widget';

/** The stored widget settings over the defaults; a field a newer version adds gets its default. */
export async function getWidgetSettings(ctx: Context): Promise<WidgetSettings> {
  const stored = await getSetting(ctx.db, WIDGET);
  const merged = { ...defaultWidgetSettings, ...(typeof stored === 'object' ? stored : {}) };
  const parsed = WidgetSettings.safeParse(merged);
  return parsed.success ? parsed.data : defaultWidgetSettings;
}

export async function patchWidgetSettings(
  ctx: Context,
  actor: AgentActor,
  patch: WidgetSettingsPatch,
): Promise<WidgetSettings> {
  requireAdmin(actor);
  const next = { ...(await getWidgetSettings(ctx)), ...patch };
  await putSetting(ctx.db, WIDGET, next);
  return next;
}

/** What the widget needs to draw itself, public: no origin list. */
export async function getWidgetConfig(ctx: Context): Promise<WidgetConfig> {
  const { allowedOrigins: _omitted, ...look } = await getWidgetSettings(ctx);
  return { ...look, agentsOnline: await announceAvailability(ctx) };
}
