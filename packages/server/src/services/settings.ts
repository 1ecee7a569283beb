import {
  defaultWidgetSettings,
  WidgetSettings,
  type WidgetConfig,
  type WidgetSettingsPatch,
} from '@parley/protocol';
import { getSetting, putSetting } from '../db/settings.js';
import { requireAdmin, type AgentActor } from './actor.js';
import type { Context } from '../context.js';
import { getFileSettings } from './attachments.js';
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

/** The default away message, for a Parley that cannot send email: it promises no email. */
export const AWAY_WITHOUT_EMAIL =
  "We're away right now. Leave a message and we'll answer here as soon as we're back.";

/**
 * What the widget needs to draw itself, public: no origin list. Without email the default away
 * message would promise what Parley cannot do, so it says where the answer will be instead (a
 * message of the admin's own is theirs to word).
 */
export async function getWidgetConfig(ctx: Context): Promise<WidgetConfig> {
  const { allowedOrigins: _omitted, ...look } = await getWidgetSettings(ctx);
  const awayMessage =
    !ctx.email && look.awayMessage === defaultWidgetSettings.awayMessage
      ? AWAY_WITHOUT_EMAIL
      : look.awayMessage;
  return {
    ...look,
    awayMessage,
    agentsOnline: await announceAvailability(ctx),
    email: ctx.email !== undefined,
    files: await getFileSettings(ctx),
  };
}
