import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SsoLoginInfo, SsoSettingsPatch, SsoSettingsView } from '@parley/protocol';
import { z } from 'zod';
import type { Context } from '../context.js';
import { getSetting, putSetting } from '../db/settings.js';
import { findUserById, type UserRow } from '../db/users.js';
import { badRequest, conflict, forbidden } from '../errors.js';
import { requireAdmin, requireSignedInAdmin, type AgentActor } from './actor.js';
import { changeOf, recordAudit, type RequestOrigin } from './audit.js';
import { discoverIssuer } from './sso-provider.js';

// Settings → Sign-in → Single sign-on: one OpenID Connect provider, kept in `settings` under
// `sso`. The client secret is stored encrypted (AES-256-GCM) under a key derived from the
// server's secret: a copy of the database alone does not hand it out. It is never read back.

const KEY = 'sso';

const Stored = z.object({
  enabled: z.boolean(),
  name: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  /** `v1.<iv>.<ciphertext>.<tag>`, base64url; null: not set. */
  clientSecret: z.string().nullable(),
  allowedDomains: z.array(z.string()),
  ssoOnly: z.boolean(),
  breakGlassUserId: z.string().nullable(),
});
type Stored = z.infer<typeof Stored>;

const OFF: Stored = {
  enabled: false,
  name: '',
  issuer: '',
  clientId: '',
  clientSecret: null,
  allowedDomains: [],
  ssoOnly: false,
  breakGlassUserId: null,
};

/** What the sign-in flow needs: the settings with the client secret opened. */
export type SsoConfig = Omit<Stored, 'clientSecret'> & { clientSecret: string | null };

const keyOf = (ctx: Context) => ctx.tokens.subkey('sso-client-secret');

function seal(ctx: Context, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(ctx), iv);
  const text = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv, text, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** The secret, or null when it cannot be opened (the server's secret changed since). */
function open(ctx: Context, sealed: string | null): string | null {
  const [version, iv, text, tag] = sealed?.split('.') ?? [];
  if (version !== 'v1' || !iv || !text || !tag) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(ctx), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([
      decipher.update(Buffer.from(text, 'base64url')),
      decipher.final(),
    ]);
    return plain.toString('utf8');
  } catch {
    return null;
  }
}

async function stored(ctx: Context): Promise<Stored> {
  const parsed = Stored.safeParse(await getSetting(ctx.db, KEY));
  return parsed.success ? parsed.data : OFF;
}

/** The settings for the sign-in flow and the password rules, the secret opened. */
export async function ssoConfig(ctx: Context): Promise<SsoConfig> {
  const s = await stored(ctx);
  return { ...s, clientSecret: open(ctx, s.clientSecret) };
}

/** Where the provider sends the browser back: PUBLIC_URL's, else this request's origin. */
export const redirectUriOf = (ctx: Context, requestOrigin: string) =>
  `${ctx.config.publicUrl ?? requestOrigin}/api/auth/sso/callback`;

function view(ctx: Context, s: Stored, requestOrigin: string): SsoSettingsView {
  const { clientSecret, ...rest } = s;
  return {
    ...rest,
    clientSecretSet: open(ctx, clientSecret) !== null,
    redirectUri: redirectUriOf(ctx, requestOrigin),
  };
}

export async function ssoSettings(
  ctx: Context,
  actor: AgentActor,
  requestOrigin: string,
): Promise<SsoSettingsView> {
  requireAdmin(actor);
  return view(ctx, await stored(ctx), requestOrigin);
}

/**
 * Changes single sign-on. Only an admin signed in to the dashboard: a token that could point
 * sign-in at another provider would hand out every account. A new issuer, client or secret, or
 * switching it on, is checked by discovery first; "SSO only" needs an active admin to keep a
 * password (the break-glass admin), so that a broken provider never locks everyone out.
 */
export async function patchSsoSettings(
  ctx: Context,
  actor: AgentActor,
  patch: SsoSettingsPatch,
  origin: RequestOrigin & { requestOrigin: string },
): Promise<SsoSettingsView> {
  requireSignedInAdmin(actor);
  const before = await stored(ctx);
  const { clientSecret, ...rest } = patch;
  const next: Stored = {
    ...before,
    ...rest,
    ...(clientSecret !== undefined ? { clientSecret: seal(ctx, clientSecret) } : {}),
  };
  if (next.enabled) {
    const missing = [
      !next.name && 'a name for the button',
      !next.issuer && 'the issuer',
      !next.clientId && 'the client id',
      open(ctx, next.clientSecret) === null && 'the client secret',
    ].filter(Boolean);
    if (missing.length) throw badRequest(`To switch single sign-on on, set ${missing.join(', ')}`);
  }
  if (next.breakGlassUserId !== null) await assertBreakGlassAdmin(ctx, next.breakGlassUserId);
  if (next.ssoOnly && !next.enabled) {
    throw badRequest('"SSO only" needs single sign-on switched on');
  }
  if (next.ssoOnly && next.breakGlassUserId === null) {
    throw badRequest('"SSO only" needs a break-glass admin, who may still sign in with a password');
  }
  const providerChanged =
    next.issuer !== before.issuer ||
    next.clientId !== before.clientId ||
    clientSecret !== undefined ||
    (next.enabled && !before.enabled);
  if (next.enabled && providerChanged) {
    await discoverIssuer(next.issuer, next.clientId, open(ctx, next.clientSecret) ?? '', true);
  }
  await putSetting(ctx.db, KEY, next);
  await recordAudit(
    ctx,
    actor,
    origin,
    'sso.changed',
    KEY,
    changeOf(redacted(before), redacted(next, clientSecret !== undefined)),
  );
  return view(ctx, next, origin.requestOrigin);
}

/** The settings as the audit log keeps them: whether a secret is set (or changed), never it. */
function redacted(s: Stored, secretChanged = false) {
  const { clientSecret, ...rest } = s;
  return {
    ...rest,
    clientSecret: clientSecret === null ? null : secretChanged ? '(changed)' : '(set)',
  };
}

async function assertBreakGlassAdmin(ctx: Context, userId: string): Promise<UserRow> {
  const user = await findUserById(ctx.db, userId);
  if (!user || !user.active || user.role !== 'admin' || user.kind !== 'person') {
    throw badRequest('The break-glass admin must be an active admin');
  }
  return user;
}

/**
 * "SSO only" stands on its break-glass admin: the way in the day the provider fails. While it is
 * on, that person stays an active admin; another is chosen in Settings → Sign-in first.
 */
export async function assertBreakGlassKept(
  ctx: Context,
  userId: string,
  change: { active?: boolean; role?: string },
): Promise<void> {
  if (change.active !== false && (change.role === undefined || change.role === 'admin')) return;
  const s = await stored(ctx);
  if (!s.enabled || !s.ssoOnly || s.breakGlassUserId !== userId) return;
  throw conflict(
    'This is the break-glass admin of "SSO only": choose another in Settings → Sign-in first',
  );
}

/** What the login page shows: the button's name, and whether the password form gives way. */
export async function ssoLoginInfo(ctx: Context): Promise<SsoLoginInfo | null> {
  const s = await stored(ctx);
  return s.enabled ? { name: s.name, ssoOnly: s.ssoOnly } : null;
}

/**
 * With "SSO only", passwords are refused (sign-in, reset) for everyone but the break-glass
 * admin. Called once the password is known to be right, so the refusal tells nothing to
 * someone guessing.
 */
export async function assertPasswordAllowed(ctx: Context, user: UserRow): Promise<void> {
  const s = await stored(ctx);
  if (!s.enabled || !s.ssoOnly || user.id === s.breakGlassUserId) return;
  throw forbidden(`Passwords are off here: sign in with ${s.name}`);
}

/** Whether a password reset may be sent to or used by this account (see above). */
export async function passwordResetAllowed(ctx: Context, userId: string): Promise<boolean> {
  const s = await stored(ctx);
  return !s.enabled || !s.ssoOnly || userId === s.breakGlassUserId;
}
