/**
 * API tokens for integrations, and the bot that answers first: `/api/tokens/*`,
 * `/api/bots/settings`.
 */
import { z } from 'zod';
import { ApiScopes, ApiToken, BotSettings, TokenScope } from '../api-tokens.js';
import { Name, safeText } from '../primitives.js';
import { IdParams } from '../rest.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';

export const CreateApiTokenBody = z
  .object({
    name: safeText(80).pipe(z.string().min(1, 'Name the token')),
    /** `read` or `full`; may be left out with `scopes`, which then decide it. */
    scope: TokenScope.optional(),
    /**
     * Narrower than `scope`: the areas the token reaches, `<tag>:read` or `<tag>:write` (a tag of
     * this reference, lower-case, spaces as hyphens: `canned-responses:read`). A route outside
     * them is refused with 403. Absent: every area, as `scope` says.
     */
    scopes: ApiScopes.optional(),
    /**
     * Makes the token a bot member of the team with this name: its messages are marked as a bot's
     * and routing never gives it chats (unless it is the first responder). Without it the token
     * acts as the admin who creates it.
     */
    bot: z.object({ name: Name }).optional(),
    /** It stops working by itself this many days from now; absent: it works until revoked. */
    expiresInDays: z.int().min(1).max(3650).optional(),
  })
  .refine((b) => b.scope !== undefined || b.scopes !== undefined, {
    message: 'Choose a scope, or the scopes',
    path: ['scope'],
  })
  .refine((b) => b.scope !== 'read' || !b.scopes?.some((s) => s.endsWith(':write')), {
    message: 'A read-only token cannot have a write scope',
    path: ['scopes'],
  });
export type CreateApiTokenBody = z.infer<typeof CreateApiTokenBody>;
/** The secret is in this reply only. */
export const CreateApiTokenReply = z.object({ token: ApiToken, secret: z.string() });
export type CreateApiTokenReply = z.infer<typeof CreateApiTokenReply>;
export const ApiTokenListReply = z.object({ items: z.array(ApiToken) });
export type ApiTokenListReply = z.infer<typeof ApiTokenListReply>;
export const ApiTokenReply = z.object({ token: ApiToken });
export type ApiTokenReply = z.infer<typeof ApiTokenReply>;
export const BotSettingsReply = z.object({ settings: BotSettings });
export type BotSettingsReply = z.infer<typeof BotSettingsReply>;

const tag = 'API tokens';

export const apiTokenRoutes = {
  listApiTokens: {
    ...at.listApiTokens,
    tag,
    summary: 'Every API token, revoked ones too, without secrets',
    auth: 'admin',
    responses: { 200: ApiTokenListReply },
  },
  createApiToken: {
    ...at.createApiToken,
    tag,
    summary: 'Create a token, acting as you or as a new bot; the secret is in this reply only',
    auth: 'admin',
    body: CreateApiTokenBody,
    responses: { 201: CreateApiTokenReply },
  },
  revokeApiToken: {
    ...at.revokeApiToken,
    tag,
    summary: 'Revoke a token: refused at once on every instance, its sockets closed',
    auth: 'admin',
    params: IdParams,
    responses: { 200: ApiTokenReply },
    errors: [404],
  },
  getBotSettings: {
    ...at.getBotSettings,
    tag,
    summary: 'The bot that answers new conversations first, if any',
    auth: 'admin',
    responses: { 200: BotSettingsReply },
  },
  putBotSettings: {
    ...at.putBotSettings,
    tag,
    summary: 'Set the bot that answers new conversations first, or none',
    auth: 'admin',
    body: BotSettings,
    responses: { 200: BotSettingsReply },
  },
} as const satisfies RouteEntries;
