/**
 * The catalogue of Parley's REST API: every route the server answers under `/api`, and the signed
 * file downloads at `/files/:id`. Each resource states its routes in a file of its own
 * (routes/*.ts), with the schemas only those routes use; their addresses (method and path) are
 * in routes/addresses.ts, which has no zod so that the dashboard can call routes by them.
 *
 * Everything else follows from an entry: the server registers each handler with `route()`
 * (packages/server/src/http/route.ts), which takes the method, path, auth rule and schemas from
 * it and types the handler's reply by it; the OpenAPI document (`GET /api/openapi.json`, see
 * openapi.ts) and the reference page (`GET /api/docs`) are generated from it at run time; the
 * dashboard types each call by it. The server's test (packages/server/test/openapi.test.ts)
 * walks the running app's router and fails while a route and this catalogue disagree, either way.
 *
 * Adding a route:
 *   1. Give it an address in routes/addresses.ts, under its tag: `operationId: { method, path }`,
 *      the path as Express writes it (`/api/tokens/:id`). The operationId is unique and
 *      camelCase: generated clients name their functions after it, so it never changes.
 *   2. Add its entry, keyed by the operationId, to its tag's file in routes/: `...at.<id>`, then
 *      `auth`, the schemas of its `params`, `query` and `body`, and what it replies with per
 *      status. A schema only this resource uses is declared in the same file, exported (the
 *      export's name is what the document and generated clients call it); shared ones live in
 *      rest.ts, settings.ts and the like.
 *   3. List in `errors` the refusals particular to it (404, 409, 413, 415, 429, or 403 other than
 *      "admins only"); openapi.ts adds the ones every route of its kind has.
 *   4. Register its handler in the server's router for the resource:
 *      `route(routes.<id>, async ({ params, query, body, actor }) => reply)`.
 * A new tag goes into routes/tags.ts and gets a file of its own (listed below and in
 * routes/index.ts). Then check with
 * `npx vitest run packages/server/test/openapi.test.ts packages/protocol`, and read the result
 * at `/api/docs`.
 */
import type { apiAddresses } from './routes/addresses.js';
import { analyticsRoutes } from './routes/analytics.js';
import { apiTokenRoutes } from './routes/api-tokens.js';
import { authRoutes } from './routes/auth.js';
import { auditRoutes } from './routes/audit.js';
import { banRoutes } from './routes/bans.js';
import { cannedResponseRoutes } from './routes/canned-responses.js';
import { conversationRoutes } from './routes/conversations.js';
import { fileRoutes } from './routes/files.js';
import { invitationRoutes } from './routes/invitations.js';
import { jobRoutes } from './routes/jobs.js';
import { messageRoutes } from './routes/messages.js';
import { notificationRoutes } from './routes/notifications.js';
import { referenceRoutes } from './routes/reference.js';
import type { ApiRoute, RouteEntry } from './routes/route.js';
import { searchRoutes } from './routes/search.js';
import { settingsRoutes } from './routes/settings.js';
import { contactRoutes } from './routes/contacts.js';
import { siteRoutes } from './routes/sites.js';
import { ssoRoutes } from './routes/sso.js';
import { teamRoutes } from './routes/teams.js';
import { twoFactorRoutes } from './routes/two-factor.js';
import { userRoutes } from './routes/users.js';
import { visitorRoutes } from './routes/visitors.js';
import { webhookRoutes } from './routes/webhooks.js';

export { apiTags, type ApiTag } from './routes/tags.js';
export type {
  ApiAuth,
  ApiBytes,
  ApiReply,
  ApiRoute,
  ErrorStatus,
  RouteEntry,
  SuccessStatus,
} from './routes/route.js';
export { apiAddresses, routePath, type HttpMethod, type OperationId } from './routes/addresses.js';

/**
 * Every route by operationId, with its literal types: `routes.getConversation.path` is
 * `'/api/conversations/:id'`, its `params` the `IdParams` schema. The check below fails while an
 * address has no entry.
 */
export const routes = {
  ...authRoutes,
  ...notificationRoutes,
  ...conversationRoutes,
  ...messageRoutes,
  ...searchRoutes,
  ...visitorRoutes,
  ...analyticsRoutes,
  ...cannedResponseRoutes,
  ...userRoutes,
  ...invitationRoutes,
  ...contactRoutes,
  ...banRoutes,
  ...siteRoutes,
  ...teamRoutes,
  ...settingsRoutes,
  ...ssoRoutes,
  ...twoFactorRoutes,
  ...jobRoutes,
  ...webhookRoutes,
  ...apiTokenRoutes,
  ...auditRoutes,
  ...fileRoutes,
  ...referenceRoutes,
} as const satisfies { readonly [K in keyof typeof apiAddresses]: RouteEntry };
export type ApiRouteMap = typeof routes;

/** Every route as a list, each with its operationId: what the OpenAPI document is built from. */
export const apiRoutes: readonly ApiRoute[] = Object.entries(
  routes satisfies Readonly<Record<string, RouteEntry>>,
).map(([operationId, entry]) => ({ ...entry, operationId }));
