import { BotSettings } from '@parley/protocol';
import { liveTokenIdsOf } from '../db/api-tokens.js';
import { getSetting, putSetting } from '../db/settings.js';
import { findUserById, type UserRow } from '../db/users.js';
import { badRequest } from '../errors.js';
import { requireAdmin, type AgentActor } from './actor.js';
import { changedAny, changeOf, recordAudit, type RequestOrigin } from './audit.js';
import type { Context } from '../context.js';

const BOTS = 'bots';
const none: BotSettings = { firstResponderId: null };

export async function getBotSettings(ctx: Context): Promise<BotSettings> {
  const parsed = BotSettings.safeParse(await getSetting(ctx.db, BOTS));
  return parsed.success ? parsed.data : none;
}

/** The admin names the bot that answers new conversations first, or none. */
export async function putBotSettings(
  ctx: Context,
  actor: AgentActor,
  settings: BotSettings,
  origin: RequestOrigin,
): Promise<BotSettings> {
  requireAdmin(actor);
  if (settings.firstResponderId && !(await activeBot(ctx, settings.firstResponderId))) {
    throw badRequest('The first responder must be an active bot');
  }
  const before = await getBotSettings(ctx);
  await putSetting(ctx.db, BOTS, settings);
  const change = changeOf(before, settings);
  if (changedAny(change)) {
    await recordAudit(ctx, actor, origin, 'bot_settings.changed', BOTS, change);
  }
  return settings;
}

/**
 * The bot that answers first: the first of `preferred` (a site's, a team's) that can, else the
 * installation's, while it is set, active and has a token left to act with: a bot whose last
 * token was revoked could not answer, and its chats would wait unseen.
 */
export async function firstResponder(
  ctx: Context,
  preferred: Array<string | null> = [],
): Promise<UserRow | null> {
  const { firstResponderId } = await getBotSettings(ctx);
  for (const id of [...preferred, firstResponderId]) {
    const bot = id ? await activeBot(ctx, id) : null;
    if (bot && (await liveTokenIdsOf(ctx.db, bot.id)).length > 0) return bot;
  }
  return null;
}

async function activeBot(ctx: Context, id: string): Promise<UserRow | null> {
  const user = await findUserById(ctx.db, id);
  return user?.kind === 'bot' && user.active ? user : null;
}
