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
import { changedAny, changeOf, lastRevealed, recordAudit, type RequestOrigin } from './audit.js';
import type { Context } from '../context.js';
import { siteById } from './sites.js';

// Settings → Identity: the secret sites sign their signed-in person's id with (identity.ts
// verifies it), and whether unsigned claims are refused, per site. The secret's version (when it was made
// or rotated) is carried by verified visitors' tokens, so that rotating it ends them.

// Each site has its own (a hash made with one site's secret verifies nobody on another): the
// default site's is kept under `identity`, as it was before there were sites, the others' under
// `identity:<site id>`.
async function keyOf(ctx: Context, siteId: string | undefined): Promise<string> {
  if (siteId === undefined) return 'identity';
  const site = await siteById(ctx, siteId);
  return site.isDefault ? 'identity' : `identity:${site.id}`;
}

const newSettings = (requireVerification: boolean): IdentitySettings => ({
  secret: randomBytes(32).toString('hex'),
  requireVerification,
  rotatedAt: new Date().toISOString(),
});

/** A site's settings, made on first use (a secret of its own per site), without the secret. */
export async function identitySettings(
  ctx: Context,
  actor: AgentActor,
  siteId?: string,
): Promise<IdentitySettingsView> {
  requireAdmin(actor);
  const key = await keyOf(ctx, siteId);
  return view(ctx, key, await settingsAt(ctx, key));
}

/** The secret itself: to an admin signed in to the dashboard only, and recorded. */
export async function revealIdentitySecret(
  ctx: Context,
  actor: AgentActor,
  origin: RequestOrigin,
  siteId?: string,
): Promise<IdentitySecretReply> {
  requireSignedInAdmin(actor);
  const key = await keyOf(ctx, siteId);
  const { secret } = await settingsAt(ctx, key);
  await recordAudit(ctx, actor, origin, 'identity_secret.revealed', key);
  return { secret };
}

export async function patchIdentitySettings(
  ctx: Context,
  actor: AgentActor,
  patch: IdentitySettingsPatch,
  origin: RequestOrigin,
  siteId?: string,
): Promise<IdentitySettingsView> {
  requireAdmin(actor);
  const key = await keyOf(ctx, siteId);
  const before = await settingsAt(ctx, key);
  const after = await writeSettings(ctx, key, { ...before, ...patch });
  // The secret is in neither side's record: redacted by name, and only changed by rotation.
  const change = changeOf(before, after);
  if (changedAny(change)) {
    await recordAudit(ctx, actor, origin, 'identity_settings.changed', key, change);
  }
  return view(ctx, key, after);
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
  siteId?: string,
): Promise<IdentitySettingsView> {
  requireSignedInAdmin(actor);
  const key = await keyOf(ctx, siteId);
  const { requireVerification } = await settingsAt(ctx, key);
  const settings = await writeSettings(ctx, key, newSettings(requireVerification));
  await recordAudit(ctx, actor, origin, 'identity_secret.rotated', key);
  return view(ctx, key, settings);
}

async function view(
  ctx: Context,
  key: string,
  settings: IdentitySettings,
): Promise<IdentitySettingsView> {
  const { secret: _secret, ...rest } = settings;
  return { ...rest, secretRevealed: await lastRevealed(ctx, 'identity_secret.revealed', key) };
}

/** A site's settings, made on first use. For services; admins read them through `identitySettings`. */
export async function identitySettingsOf(ctx: Context, siteId: string): Promise<IdentitySettings> {
  return settingsAt(ctx, await keyOf(ctx, siteId));
}

async function settingsAt(ctx: Context, key: string): Promise<IdentitySettings> {
  const stored = IdentitySettings.safeParse(
    await getOrInsertSetting(ctx.db, key, newSettings(false)),
  );
  if (stored.success) return remember(ctx.db, key, stored.data);
  return writeSettings(ctx, key, newSettings(false));
}

async function writeSettings(
  ctx: Context,
  key: string,
  settings: IdentitySettings,
): Promise<IdentitySettings> {
  await putSetting(ctx.db, key, settings);
  return remember(ctx.db, key, settings);
}

/** The version a verified visitor's token carries: when the secret was made or rotated. */
export const versionOf = (settings: IdentitySettings) => Date.parse(settings.rotatedAt);

// Every request of a verified visitor checks its token's version, so it is kept in memory for a
// few seconds: another instance's rotation takes effect here within that.
const VERSION_TTL_MS = 5_000;
const versions = new WeakMap<Db, Map<string, { version: number; readAt: number }>>();

function remember(db: Db, key: string, settings: IdentitySettings): IdentitySettings {
  let known = versions.get(db);
  if (!known) versions.set(db, (known = new Map()));
  known.set(key, { version: versionOf(settings), readAt: Date.now() });
  return settings;
}

/** The current version of a site's identity secret (see `VisitorClaims.identityVersion`). */
export async function identityVersion(ctx: Context, siteId: string): Promise<number> {
  const key = await keyOf(ctx, siteId);
  const known = versions.get(ctx.db)?.get(key);
  if (known && Date.now() - known.readAt < VERSION_TTL_MS) return known.version;
  return versionOf(await settingsAt(ctx, key));
}

/** Whether a visitor token's identity version still holds (an anonymous token carries none). */
export async function identityVersionHolds(
  ctx: Context,
  siteId: string,
  tokenVersion: number | undefined,
): Promise<boolean> {
  return tokenVersion === undefined || tokenVersion === (await identityVersion(ctx, siteId));
}
