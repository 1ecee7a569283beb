import {
  scopesAllow,
  scopeTagOf,
  type Role,
  type ScopeAccess,
  type TokenScope,
} from '@parley/protocol';
import type { ApiTag } from '@parley/protocol/api-routes';
import { forbidden, type AppError } from '../errors.js';

export type AgentActor = {
  kind: 'agent';
  id: string;
  name: string;
  role: Role;
  /** A bot member: an integration acting through an API token. */
  bot?: boolean;
  /** Signed in with an API token of this scope: `read` may only read. */
  scope?: TokenScope;
  /** The token's areas (`conversations:read`…), when narrower than `scope`. */
  scopes?: readonly string[];
  /** The API token it signed in with (absent for a person signed in to the dashboard). */
  tokenId?: string;
  /** The browser sign-in (session family) its access token belongs to; absent for API tokens. */
  sessionId?: string;
  /**
   * An admin requires two-factor sign-in and this person has not set it up: they reach only
   * the routes that allow it (`allowedBeforeTwoFactor`), and no socket.
   */
  mustSetUpTwoFactor?: true;
};
/** A visitor of one website: everything they reach is that site's. */
export type VisitorActor = { kind: 'visitor'; id: string; siteId: string };
/** Who is asking: every service call that reads or changes data is made on behalf of one. */
export type Actor = AgentActor | VisitorActor;

/** Refuses a change asked for with a read-only API token. */
export function requireWrite(actor: Actor): void {
  if (actor.kind === 'agent' && actor.scope === 'read') {
    throw forbidden('This API token may only read');
  }
}

/**
 * Refuses a request outside a scoped token's areas: a route by its catalogue tag, a socket
 * command by the tag of the REST routes that do the same.
 */
export function requireScope(actor: Actor, tag: ApiTag, access: ScopeAccess): void {
  const refusal = scopeRefusal(actor, tag, access);
  if (refusal) throw refusal;
}

/** The refusal `requireScope` throws, or null: for a socket, which answers it in an ack. */
export function scopeRefusal(actor: Actor, tag: ApiTag, access: ScopeAccess): AppError | null {
  if (actor.kind !== 'agent' || scopesAllow(actor.scopes, tag, access)) return null;
  return forbidden(`This API token's scopes do not include ${scopeTagOf(tag)}:${access}`);
}

export function requireAdmin(actor: AgentActor): void {
  if (actor.role !== 'admin') throw forbidden('Admins only');
}

/**
 * Secrets (the identity secret, webhooks' signing secrets) are shown only to an admin signed in
 * to the dashboard, never to an API token of any scope: a leaked integration's token must not
 * yield the keys that sign visitors in or vouch for webhooks.
 */
export function requireSignedInAdmin(actor: AgentActor): void {
  requireAdmin(actor);
  if (actor.tokenId !== undefined) {
    throw forbidden(
      'Secrets are shown and changed only by an admin signed in to the dashboard, not by a token',
    );
  }
}
