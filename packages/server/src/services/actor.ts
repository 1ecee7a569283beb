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
};
export type VisitorActor = { kind: 'visitor'; id: string };
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
