import type { Role } from '@parley/protocol';
import { forbidden } from '../errors.js';

export type AgentActor = { kind: 'agent'; id: string; name: string; role: Role };
export type VisitorActor = { kind: 'visitor'; id: string };
/** Who is asking: every service call that reads or changes data is made on behalf of one. */
export type Actor = AgentActor | VisitorActor;

export function requireAdmin(actor: AgentActor): void {
  if (actor.role !== 'admin') throw forbidden('Admins only');
}
