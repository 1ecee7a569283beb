import { randomBytes } from 'node:crypto';
import {
  IdentitySettings,
  type IdentitySecretReply,
  type IdentitySettingsPatch,
  type IdentitySettingsView,
} from '@parley/protocol';
import type { Db } from '../db/client.js';
import { getOrInsertSetting, putSetting } from '../db/settings.js';
import { requireAdmin, requireSignedInAdmin, type AgentActor } from './actor.js';
import { lastRevealed, recordAudit, type RequestOrigin } from './audit.js';
import type { Context } from '../context.js';

// Settings → Identity: the secret sites sign their signed-in person's id with (identity.ts
// verifies it), and whether unsigned claims are refused. The secret's version (when it was made
// or rotated) is carried by verified visitors' tokens, so that rotating it ends them.

const KEY = 'identity';

const newSettings = (requireVerification: boolean): IdentitySettings => ({
  secret: randomBytes(32).toString('hex'),
  requireVerification,
  rotatedAt: new Date().toISOString(),
});

/** The settings, made on first use (a secret of its own per installation), without the secret. */
export async function identitySettings(
  ctx: Context,
  actor: AgentActor,
): Promise<IdentitySettingsView> {
  requireAdmin(actor);
  return view(ctx, await identitySettingsOf(ctx));
}

/** The secret itself: to an admin signed in to the dashboard only, and recorded. */
export async function revealIdentitySecret(
  ctx: Context,
  actor: AgentActor,
  origin: RequestOrigin,
): Promise<IdentitySecretReply> {
  requireSignedInAdmin(actor);
  const { secret } = await identitySettingsOf(ctx);
  await recordAudit(ctx, actor, origin, 'identity_secret.revealed', KEY);
  return { secret };
}

export async function patchIdentitySettings(
  ctx: Context,
  actor: AgentActor,
  patch: IdentitySettingsPatch,
): Promise<IdentitySettingsView> {
  requireAdmin(actor);
  return view(ctx, await writeSettings(ctx, { ...(await identitySettingsOf(ctx)), ...patch }));
}

/**
 * A new secret: hashes made with the old one are refused from now on, and browsers verified
 * with it become anonymous at their next request (their tokens carry the old version). The
 * reply does not carry it: the admin reveals it, as any other time.
 */
export async function rotateIdentitySecret(
  ctx: Context,
  actor: AgentActor,
  origin: RequestOrigin,
): Promise<IdentitySettingsView> {
  requireSignedInAdmin(actor);
  const { requireVerification } = await identitySettingsOf(ctx);
  const settings = await writeSettings(ctx, newSettings(requireVerification));
  await recordAudit(ctx, actor, origin, 'identity_secret.rotated', KEY);
  return view(ctx, settings);
}

async function view(ctx: Context, settings: IdentitySettings): Promise<IdentitySettingsView> {
  const { secret: _secret, ...rest } = settings;
  return { ...rest, secretRevealed: await lastRevealed(ctx, 'identity_secret.revealed', KEY) };
}

/** The settings, made on first use. For services; admins read them through `identitySettings`. */
export async function identitySettingsOf(ctx: Context): Promise<IdentitySettings> {
  const stored = IdentitySettings.safeParse(
    await getOrInsertSetting(ctx.db, KEY, newSettings(false)),
  );
  if (stored.success) return remember(ctx.db, stored.data);
  return writeSettings(ctx, newSettings(false));
}

async function writeSettings(ctx: Context, settings: IdentitySettings): Promise<IdentitySettings> {
  await putSetting(ctx.db, KEY, settings);
  return remember(ctx.db, settings);
}

/** The version a verified visitor's token carries: when the secret was made or rotated. */
export const versionOf = (settings: IdentitySettings) => Date.parse(settings.rotatedAt);

// Every request of a verified visitor checks its token's version, so it is kept in memory for a
// few seconds: another instance's rotation takes effect here within that time.
const VERSION_TTL_MS = 5_000;
const versions = new WeakMap<Db, { version: number; readAt: number }>();

function remember(db: Db, settings: IdentitySettings): IdentitySettings {
  versions.set(db, { version: versionOf(settings), readAt: Date.now() });
  return settings;
}

/** The current version of the identity secret (see `VisitorClaims.identityVersion`). */
export async function identityVersion(ctx: Context): Promise<number> {
  const known = versions.get(ctx.db);
  if (known && Date.now() - known.readAt < VERSION_TTL_MS) return known.version;
  return versionOf(await identitySettingsOf(ctx));
}

/** Whether a visitor token's identity version still holds (an anonymous token carries none). */
export async function identityVersionHolds(
  ctx: Context,
  tokenVersion: number | undefined,
): Promise<boolean> {
  return tokenVersion === undefined || tokenVersion === (await identityVersion(ctx));
}
