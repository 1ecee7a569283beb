import type { z } from 'zod';
import type { apiAddresses, HttpMethod, OperationId } from './addresses.js';
import type { ApiTag } from './tags.js';

/**
 * Who may call a route, as the server's `authenticate(ctx, …)` decides:
 * - `none`: anyone, no token;
 * - `agent`: an agent's access token (or an API token);
 * - `admin`: the same, of an admin;
 * - `visitor`: a visitor token from `POST /api/visitors/session`;
 * - `agent-or-visitor`: either;
 * - `refresh-cookie`: the httpOnly refresh cookie that sign-in sets.
 */
export type ApiAuth =
  'none' | 'agent' | 'admin' | 'visitor' | 'agent-or-visitor' | 'refresh-cookie';

/** A body that is not JSON: a file's bytes, a page. */
export type ApiBytes = { readonly mediaType: string; readonly description: string };

/** 302: a redirect for a browser (single sign-on), its body a page the handler sends. */
export type SuccessStatus = 200 | 201 | 202 | 204 | 302;
/** Refusals a route may list; their codes are those of `errorStatus` (errors.ts). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429;

/** What a route replies with at a success status: a schema, bytes, or null for no body. */
export type ApiReply = z.ZodType | ApiBytes | null;

/** A catalogue entry, as a resource file states it: its address, rules and schemas. */
export type RouteEntry = {
  readonly method: HttpMethod;
  /** As Express writes it: `/api/conversations/:id`. */
  readonly path: string;
  readonly tag: ApiTag;
  readonly summary: string;
  readonly description?: string;
  readonly auth: ApiAuth;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType | ApiBytes;
  /** The body may be left out: the route reads it as `{}`. */
  readonly optionalBody?: true;
  /** Each success status and what it carries. */
  readonly responses: { readonly [S in SuccessStatus]?: ApiReply };
  /**
   * A GET that shows a secret: a scoped API token needs its tag's write scope for it, as for a
   * change (http/auth.ts). (Secrets are shown to signed-in admins only today; this keeps a
   * read scope from ever reaching one.)
   */
  readonly revealsSecret?: true;
  /**
   * Open to a person who must set up two-factor sign-in first (an admin requires it and they
   * have not): reading themselves and the set-up. Every other route answers
   * `two_factor_required` to them (http/auth.ts).
   */
  readonly allowedBeforeTwoFactor?: true;
  /** Refusals particular to this route, beyond those openapi.ts derives. */
  readonly errors?: readonly ErrorStatus[];
};

/** An entry with its name: the combined list (`apiRoutes`) that the document is built from. */
export type ApiRoute = RouteEntry & {
  /** Unique, camelCase: generated clients name their functions after it. */
  readonly operationId: string;
};

/**
 * What a resource file's entries must satisfy: each is keyed by its operationId and carries the
 * address `apiAddresses` gives that operationId (spread from it, never restated).
 */
export type RouteEntries = {
  readonly [K in OperationId]?: RouteEntry & (typeof apiAddresses)[K];
};

export const bytes = (description: string): ApiBytes => ({
  mediaType: 'application/octet-stream',
  description,
});
