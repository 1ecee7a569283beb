import type { SsoCallbackQuery, SsoFailure, TwoFactorChallengeReply } from '@parley/protocol';
import { EncryptJWT, jwtDecrypt, jwtVerify, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import type { Context } from '../context.js';
import { findOpenInvitationByEmail, markInvitationAccepted } from '../db/invitations.js';
import { spendChallenge } from '../db/proof-of-work.js';
import { findUserBySsoSubject } from '../db/sso.js';
import { findUserByEmail, insertUser, updateUser, type UserRow } from '../db/users.js';
import { unauthorized } from '../errors.js';
import { recordAudit } from './audit.js';
import { refresh, signIn, type SignedIn } from './auth.js';
import { discoverIssuer } from './sso-provider.js';
import { issueTwoFactorChallenge } from './two-factor-challenge.js';
import { ssoConfig, type SsoConfig } from './sso-settings.js';
import type { ClientMeta } from './visitors.js';

// Single sign-on (OpenID Connect): the authorization-code flow with PKCE, through openid-client.
// `startSsoSignIn` sends the browser to the provider with a state, a nonce and a PKCE challenge,
// whose values it keeps in a short-lived cookie signed with a key of its own (only the callback
// reads it); `finishSsoSignIn` checks them all, finds or makes the agent, and signs them in
// exactly as a password does (`signIn`). A dashboard on another origin (DASHBOARD_ORIGINS) gets
// the session through a one-time ticket (`handoverTicket`, `redeemHandover`): the refresh cookie
// the callback could set would be partitioned to the server's own site, out of that dashboard's
// reach.

/** A sign-in at the provider must come back within this. */
export const SSO_FLOW_TTL_S = 10 * 60;
const SCOPE = 'openid email profile';
/** Not an argon2 hash: no password ever matches it (an agent made by SSO has none). */
const NO_PASSWORD = '!';

/** Why the sign-in failed, said on the login page as `/login?sso=<reason>`. */
export class SsoFailed extends Error {
  constructor(
    readonly reason: SsoFailure,
    cause?: unknown,
  ) {
    super(`single sign-on failed: ${reason}`, { cause });
  }
}

type Flow = {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  /** The dashboard's origin when it is not the server's (one of DASHBOARD_ORIGINS), else null. */
  dashboard: string | null;
};

const flowKey = (ctx: Context) => ctx.tokens.subkey('sso-flow');

async function providerOf(settings: SsoConfig): Promise<oidc.Configuration> {
  if (!settings.enabled || settings.clientSecret === null) throw new SsoFailed('off');
  try {
    return await discoverIssuer(settings.issuer, settings.clientId, settings.clientSecret);
  } catch (error) {
    throw new SsoFailed('failed', error);
  }
}

/** The provider's address to send the browser to, and the signed cookie that goes with it. */
export async function startSsoSignIn(
  ctx: Context,
  redirectUri: string,
  dashboard: string | null,
): Promise<{ url: string; flowCookie: string }> {
  // Only a listed origin: any other would be told where to send a signed-in person's ticket.
  if (dashboard !== null && !ctx.config.dashboardOrigins.includes(dashboard)) {
    throw new SsoFailed('failed', new Error(`${dashboard} is not in DASHBOARD_ORIGINS`));
  }
  const provider = await providerOf(await ssoConfig(ctx));
  const flow: Flow = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: oidc.randomPKCECodeVerifier(),
    redirectUri,
    dashboard,
  };
  const url = oidc.buildAuthorizationUrl(provider, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: 'S256',
    state: flow.state,
    nonce: flow.nonce,
  });
  const flowCookie = await new SignJWT(flow)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(`${SSO_FLOW_TTL_S}s`)
    .sign(flowKey(ctx));
  return { url: url.href, flowCookie };
}

async function flowOf(ctx: Context, cookie: string | undefined): Promise<Flow> {
  if (!cookie) throw new SsoFailed('expired');
  try {
    const { payload } = await jwtVerify(cookie, flowKey(ctx), { algorithms: ['HS256'] });
    const { state, nonce, verifier, redirectUri, dashboard } = payload;
    if (
      typeof state === 'string' &&
      typeof nonce === 'string' &&
      typeof verifier === 'string' &&
      typeof redirectUri === 'string' &&
      (typeof dashboard === 'string' || dashboard === null)
    ) {
      return { state, nonce, verifier, redirectUri, dashboard };
    }
  } catch {
    // An expired or forged cookie: the same as none.
  }
  throw new SsoFailed('expired');
}

/**
 * Where the dashboard of this flow is: its origin (one of DASHBOARD_ORIGINS), or '' for the
 * server's own; '' too for a missing, expired or forged cookie.
 */
export async function dashboardOf(ctx: Context, cookie: string | undefined): Promise<string> {
  return (await flowOf(ctx, cookie).catch(() => null))?.dashboard ?? '';
}

/** A handover ticket is good this long, and once. */
const HANDOVER_TTL_S = 60;
const handoverKey = (ctx: Context) => ctx.tokens.subkey('sso-handover');

/**
 * The new session, for a dashboard on another origin to take: its refresh token encrypted
 * (A256GCM, under a key of its own) with an id and a minute to live, carried in the address's
 * fragment, which no server or log sees.
 */
export function handoverTicket(ctx: Context, refreshToken: string): Promise<string> {
  return new EncryptJWT({ refreshToken })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${HANDOVER_TTL_S}s`)
    .encrypt(handoverKey(ctx));
}

/**
 * The dashboard's exchange of a ticket for its session, as a refresh (the token rotates, so the
 * ticket's token is spent too). A ticket is taken once: a second, identical request, an expired
 * or altered ticket are 401 and end nothing.
 */
export async function redeemHandover(
  ctx: Context,
  ticket: string,
  client: ClientMeta,
): Promise<SignedIn> {
  const refused = () => unauthorized('This sign-in has expired or was used: sign in again');
  let payload: { refreshToken?: unknown; jti?: string; exp?: number };
  try {
    ({ payload } = await jwtDecrypt(ticket, handoverKey(ctx), {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    }));
  } catch {
    throw refused();
  }
  const { refreshToken, jti, exp } = payload;
  if (typeof refreshToken !== 'string' || !jti || !exp) throw refused();
  if (!(await spendChallenge(ctx.db, `sso-handover:${jti}`, new Date(exp * 1000)))) {
    throw refused();
  }
  return refresh(ctx, refreshToken, client);
}

/**
 * The provider's answer: checks the state against the cookie's (and that it was not used
 * before), trades the code with the PKCE verifier, checks the ID token and its nonce, then signs
 * in the agent linked to the issuer and subject, linking or making one on a first sign-in.
 */
export async function finishSsoSignIn(
  ctx: Context,
  query: SsoCallbackQuery,
  flowCookie: string | undefined,
  client: ClientMeta,
): Promise<SignedIn | TwoFactorChallengeReply> {
  const flow = await flowOf(ctx, flowCookie);
  if (query.state !== flow.state) throw new SsoFailed('expired');
  if (query.error === 'access_denied') throw new SsoFailed('denied');
  // A callback is taken once: a replayed one (the same state) stops here, before the provider.
  const spent = await spendChallenge(
    ctx.db,
    `sso:${flow.state}`,
    new Date(Date.now() + SSO_FLOW_TTL_S * 1000),
  );
  if (!spent) throw new SsoFailed('expired');
  const settings = await ssoConfig(ctx);
  const provider = await providerOf(settings);
  const answer = new URL(flow.redirectUri);
  for (const [name, value] of Object.entries(query)) {
    if (typeof value === 'string') answer.searchParams.set(name, value);
  }
  let claims: Claims;
  try {
    const tokens = await oidc.authorizationCodeGrant(provider, answer, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    claims = await claimsOf(provider, tokens);
  } catch (error) {
    throw new SsoFailed('failed', error);
  }
  const user = await agentFor(ctx, settings, provider.serverMetadata().issuer, claims, client);
  // The provider's sign-in stands for the password, not for Parley's second factor: a user
  // who turned it on is asked their code, as after a password.
  if (user.totpEnabledAt) return issueTwoFactorChallenge(ctx, user);
  return signIn(ctx, user, client, { method: 'sso' });
}

type Claims = { sub: string; email?: string; emailVerified: boolean; name?: string };

/** The ID token's claims; the email and name from userinfo when the ID token leaves them out. */
async function claimsOf(
  provider: oidc.Configuration,
  tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>,
): Promise<Claims> {
  const id = tokens.claims();
  if (!id) throw new Error('no ID token');
  let source: Record<string, unknown> = id;
  if (typeof id.email !== 'string') {
    source = await oidc.fetchUserInfo(provider, tokens.access_token, id.sub);
  }
  return {
    sub: id.sub,
    email: typeof source.email === 'string' ? source.email.toLowerCase() : undefined,
    emailVerified: source.email_verified === true,
    name: typeof source.name === 'string' ? source.name : undefined,
  };
}

/**
 * The agent for this subject of this issuer. A first sign-in links the account of the same
 * address, or makes one, only if the provider verified the address; a new account only for an
 * allowed domain or an open invitation. A deactivated account and a bot are refused.
 */
async function agentFor(
  ctx: Context,
  settings: SsoConfig,
  issuer: string,
  claims: Claims,
  client: ClientMeta,
): Promise<UserRow> {
  const linked = await findUserBySsoSubject(ctx.db, issuer, claims.sub);
  if (linked) return usable(linked);
  if (!claims.email || !claims.emailVerified) throw new SsoFailed('unverified');
  const email = claims.email;
  const existing = await findUserByEmail(ctx.db, email);
  if (existing) {
    usable(existing);
    // Linked to another subject of this provider: the address moved to someone else there.
    if (existing.oidcIssuer === issuer) throw new SsoFailed('not_allowed');
    const updated = usable(
      await updateUser(ctx.db, existing.id, { oidcIssuer: issuer, oidcSubject: claims.sub }),
    );
    await recordAudit(ctx, updated, client, 'sso.linked', updated.id, { issuer });
    return updated;
  }
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const invitation = await findOpenInvitationByEmail(ctx.db, email);
  if (!invitation && !settings.allowedDomains.includes(domain)) {
    throw new SsoFailed('not_allowed');
  }
  const made = await ctx.db.transaction(async (tx) => {
    const user = await insertUser(tx, {
      name: invitation?.name || claims.name?.trim().slice(0, 100) || email.split('@')[0] || email,
      email,
      passwordHash: NO_PASSWORD,
      role: invitation?.role ?? 'agent',
      capacity: invitation?.capacity ?? undefined,
      emailAlerts: invitation?.role === 'admin',
      oidcIssuer: issuer,
      oidcSubject: claims.sub,
    });
    if (!user) return null;
    // Taken by another sign-in meanwhile: an allowed domain still makes the account.
    const accepted = invitation && (await markInvitationAccepted(tx, invitation.id, user.id));
    if (invitation && !accepted && !settings.allowedDomains.includes(domain)) {
      throw new SsoFailed('not_allowed');
    }
    return { user, invitation: accepted ? invitation : null };
  });
  // Two first sign-ins at once: the other made the account; this one finds it linked.
  if (!made) return usable(await findUserBySsoSubject(ctx.db, issuer, claims.sub));
  const { user } = made;
  if (made.invitation) {
    await recordAudit(ctx, user, client, 'invitation.accepted', made.invitation.id, {
      email: user.email,
    });
  }
  await recordAudit(ctx, user, client, 'user.added', user.id, {
    via: 'sso',
    role: user.role,
    issuer,
  });
  return usable(user);
}

function usable(user: UserRow | null): UserRow {
  if (!user || !user.active || user.kind !== 'person') throw new SsoFailed('disabled');
  return user;
}
