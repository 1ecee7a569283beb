import { z } from 'zod';
import { Id, Timestamp } from './primitives.js';

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
  /**
   * Why a token that is not revoked does not work: the user it acts as is deactivated, or the
   * admin who made it is. It works again if they are reactivated; null while it works.
   */
  stoppedReason: z.enum(['user_deactivated', 'creator_deactivated']).nullable(),
  createdAt: Timestamp,
});
export type ApiToken = z.infer<typeof ApiToken>;

/** Who answers new conversations first: a bot, which hands over to a person when it should. */
export const BotSettings = z.object({ firstResponderId: Id.nullable() });
export type BotSettings = z.infer<typeof BotSettings>;
