import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  API_TOKEN_PREFIX,
  type ApiToken,
  type CreateApiTokenBody,
  type CreateApiTokenReply,
} from '@parley/protocol';
import {
  findApiToken,
  findLiveToken,
  insertApiToken,
  listApiTokens as listTokenRows,
  revokeApiToken as revokeRow,
  touchApiToken,
} from '../db/api-tokens.js';
import { insertUser } from '../db/users.js';
import { notFound, unauthorized } from '../errors.js';
import { requireAdmin, type AgentActor } from './actor.js';
import { recordAudit, type RequestOrigin } from './audit.js';
import type { Context } from '../context.js';
import { endSignIns } from './sign-ins.js';
import { ACCESS_TOKEN_TTL_SECONDS } from './tokens.js';

/** Secrets and refresh tokens are stored as their SHA-256: a database leak yields none. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** An API token's secret, as opposed to a session's JWT (which never starts so). */
export const isApiToken = (bearer: string) => bearer.startsWith(API_TOKEN_PREFIX);

// A bot's address: unique, and in a domain that can never receive mail (RFC 2606).
const botEmail = () => `bot-${randomUUID()}@bots.parley.invalid`;
/** Not an argon2 hash: no password ever matches it. */
const NO_PASSWORD = '!';

/**
 * An admin creates a token: a new bot member of the team to act as, or themself. The secret is
 * in the reply only; the database keeps its hash and its first characters.
 */
export async function createApiToken(
  ctx: Context,
  actor: AgentActor,
  body: CreateApiTokenBody,
  origin: RequestOrigin,
): Promise<CreateApiTokenReply> {
  requireAdmin(actor);
  const secret = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const id = await ctx.db.transaction(async (tx) => {
    const bot = body.bot
      ? await insertUser(tx, {
          name: body.bot.name,
          email: botEmail(),
          passwordHash: NO_PASSWORD,
          role: 'agent',
          kind: 'bot',
          status: 'online',
        })
      : null;
    if (body.bot && !bot) throw new Error('bot insert returned nothing');
    const row = await insertApiToken(tx, {
      name: body.name,
      tokenHash: hashToken(secret),
      prefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
      // Scopes without a scope: it may write if one of them does.
      scope: body.scope ?? (body.scopes?.some((s) => s.endsWith(':write')) ? 'full' : 'read'),
      scopes: body.scopes ?? null,
      userId: bot?.id ?? actor.id,
      createdBy: actor.id,
      expiresAt: body.expiresInDays
        ? new Date(Date.now() + body.expiresInDays * 24 * 3600 * 1000)
        : null,
    });
    return row.id;
  });
  const token = await findApiToken(ctx.db, id);
  if (!token) throw notFound('Token');
  await recordAudit(ctx, actor, origin, 'api_token.created', id, { after: token });
  return { token, secret };
}

export async function listApiTokens(ctx: Context, actor: AgentActor): Promise<ApiToken[]> {
  requireAdmin(actor);
  return listTokenRows(ctx.db);
}

/**
 * Revokes a token at once everywhere: REST checks the database on every request; sockets it
 * opened are closed on every instance (the revocation is published like an ended sign-in, and
 * each command checks it without a query).
 */
export async function revokeApiToken(
  ctx: Context,
  actor: AgentActor,
  id: string,
  origin: RequestOrigin,
): Promise<ApiToken> {
  requireAdmin(actor);
  const row = await revokeRow(ctx.db, id);
  const token = await findApiToken(ctx.db, id);
  if (!token) throw notFound('Token');
  // Revoked now, not before: a second revocation changes nothing and records nothing.
  if (row) await recordAudit(ctx, actor, origin, 'api_token.revoked', id, { name: token.name });
  // This token's sockets only: the user it acts as, signed in elsewhere, goes on.
  if (row) await endSignIns(ctx, [row.id]);
  return token;
}

/** "Last used" is to the minute: each instance writes it at most once a minute per token. */
const TOUCH_EVERY_MS = 60_000;
const touched = new WeakMap<Context, Map<string, number>>();

function touch(ctx: Context, tokenId: string): void {
  let seen = touched.get(ctx);
  if (!seen) touched.set(ctx, (seen = new Map()));
  const now = Date.now();
  if (now - (seen.get(tokenId) ?? 0) < TOUCH_EVERY_MS) return;
  seen.set(tokenId, now);
  touchApiToken(ctx.db, tokenId).catch((err: unknown) =>
    ctx.log.warn({ err }, 'api token last-used update failed'),
  );
}

/**
 * The actor of an API token: the user it acts as, within its scope. The token's id stands for
 * the sign-in (so revocations end its sockets), and a socket it opens is re-checked after the
 * same time as an access token's.
 */
export async function authenticateApiToken(
  ctx: Context,
  secret: string,
): Promise<{ actor: AgentActor; sessionId: string; expiresAt: number }> {
  const found = await findLiveToken(ctx.db, hashToken(secret));
  if (!found || ctx.revocations.isEnded(found.token.id)) throw unauthorized('Invalid API token');
  const { token, user } = found;
  touch(ctx, token.id);
  return {
    actor: {
      kind: 'agent',
      id: user.id,
      name: user.name,
      role: user.role,
      scope: token.scope,
      ...(token.scopes ? { scopes: token.scopes } : {}),
      tokenId: token.id,
      ...(user.kind === 'bot' ? { bot: true } : {}),
    },
    sessionId: token.id,
    // A socket it opens is checked again then: at the latest when the token expires.
    expiresAt: Math.min(
      Date.now() + ACCESS_TOKEN_TTL_SECONDS * 1000,
      token.expiresAt?.getTime() ?? Infinity,
    ),
  };
}
