import { z } from 'zod';
import { Id, Timestamp } from './primitives.js';
import { apiTags, scopeTagOf, type ApiTag } from './routes/tags.js';

/** `read` may only read (GET, and the socket's sync); `full` may do what its user may. */
export const TokenScope = z.enum(['read', 'full']);
export type TokenScope = z.infer<typeof TokenScope>;

/** The HTTP methods that only read; every other one may change something. */
const readingMethods: readonly string[] = ['GET', 'HEAD'];
/**
 * Whether a `read` token may make a request of this method: the rule the server applies to every
 * route a token can call (http/auth.ts), and the one the OpenAPI document walks to list the 403
 * that such a token gets on each route that changes something.
 */
export const readScopeAllows = (method: string): boolean =>
  readingMethods.includes(method.toUpperCase());

export { scopeTagOf };

/** Reading a tag's routes, or also changing through them (and revealing their secrets). */
export type ScopeAccess = 'read' | 'write';

/** Every scope a token may have: `<tag>:read` and `<tag>:write` for each tag. */
export const apiScopes = (Object.keys(apiTags) as ApiTag[]).flatMap((tag) => [
  `${scopeTagOf(tag)}:read`,
  `${scopeTagOf(tag)}:write`,
]);
export const ApiScope = z.string().refine((s) => apiScopes.includes(s), {
  message: 'Unknown scope: `<tag>:read` or `<tag>:write`, the tag as the API reference names it',
});
/** Narrower than read/full: the areas a token reaches. A write scope includes reading. */
export const ApiScopes = z
  .array(ApiScope)
  .min(1, 'Choose at least one area')
  .max(apiScopes.length)
  .refine((list) => new Set(list).size === list.length, { message: 'A scope is listed twice' });

/**
 * Whether scopes admit a request to a tag's route: `null` scopes admit every tag (the token's
 * `scope` alone decides); a write scope admits reading too.
 */
export function scopesAllow(
  scopes: readonly string[] | null | undefined,
  tag: ApiTag,
  access: ScopeAccess,
): boolean {
  if (!scopes) return true;
  const name = scopeTagOf(tag);
  return scopes.includes(`${name}:write`) || (access === 'read' && scopes.includes(`${name}:read`));
}

/**
 * What each agent socket command needs of a scoped token, by the tag of the REST routes that do
 * the same: a socket itself receives conversations' events, so opening one needs
 * `conversations:read`.
 */
export const socketCommandScopes: Readonly<Record<string, readonly [ApiTag, ScopeAccess]>> = {
  sync: ['Conversations', 'read'],
  'conversation.join': ['Conversations', 'read'],
  'conversation.leave': ['Conversations', 'read'],
  'message.send': ['Messages', 'write'],
  'typing.set': ['Messages', 'write'],
  'status.set': ['Users', 'write'],
  'dashboard.visibility': ['Notifications', 'read'],
};

/** Every API token's secret starts so: a bearer token of this shape is never a session's JWT. */
export const API_TOKEN_PREFIX = 'parley_';

/** An API token as admins see it: never its secret, which is shown once, at creation. */
export const ApiToken = z.object({
  id: Id,
  name: z.string(),
  /** The secret's first characters, to tell tokens apart. */
  prefix: z.string(),
  scope: TokenScope,
  /** Who the token acts as: a bot of its own, or the admin who made it. */
  user: z.object({ id: Id, name: z.string(), kind: z.enum(['person', 'bot']) }),
  createdBy: z.object({ id: Id, name: z.string() }).nullable(),
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  /** When it stops working by itself; null: it works until revoked. */
  expiresAt: Timestamp.nullable(),
  /** The areas it reaches (`conversations:read`…); null: every one, as `scope` says. */
  scopes: z.array(z.string()).nullable(),
  /**
   * Why a token that is not revoked does not work: it expired, the user it acts as is
   * deactivated, or the admin who made it is. It works again if they are reactivated (an
   * expired one never does); null while it works.
   */
  stoppedReason: z.enum(['expired', 'user_deactivated', 'creator_deactivated']).nullable(),
  createdAt: Timestamp,
});
export type ApiToken = z.infer<typeof ApiToken>;

/** Who answers new conversations first: a bot, which hands over to a person when it should. */
export const BotSettings = z.object({ firstResponderId: Id.nullable() });
export type BotSettings = z.infer<typeof BotSettings>;
