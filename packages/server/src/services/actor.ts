import type { Role, TokenScope } from '@parley/protocol';
import { forbidden } from '../errors.js';

export type AgentActor = {
  kind: 'agent';
  id: string;
  name: string;
  role: Role;
  /** A bot member: an integration acting through an API token. */
  bot?: boolean;
  /** Signed in with an API token of this scope: `read` may only read. */
  scope?: TokenScope;
  /** The API token it signed in with (absent for a person signed in to the dashboard). */
  tokenId?: string;
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
