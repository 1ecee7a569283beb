import type { SecretRevealed } from '@parley/protocol';
import { insertAuditEvent, lastAuditEvent } from '../db/audit.js';
import type { AgentActor } from './actor.js';
import type { Context } from '../context.js';

/** What is recorded of who did something: the request's address, as the transport saw it. */
export type RequestOrigin = { ip: string | null };

/** The recorded actions, by name (`<thing>.<verb>`). */
export type AuditAction =
  | 'identity_secret.revealed'
  | 'identity_secret.rotated'
  | 'webhook_secret.revealed'
  | 'webhook_secret.rotated'
  | 'contact.erased'
  | 'contact.exported';

/** Appends one record: who (and through which token), what, on what, from where, now. */
export async function recordAudit(
  ctx: Context,
  actor: AgentActor,
  origin: RequestOrigin,
  action: AuditAction,
  targetId: string,
): Promise<void> {
  await insertAuditEvent(ctx.db, {
    action,
    actorId: actor.id,
    actorName: actor.name,
    tokenId: actor.tokenId ?? null,
    ip: origin.ip,
    targetId,
  });
}

/** Who last revealed a secret and when, for the screen that shows it. */
export async function lastRevealed(
  ctx: Context,
  action: AuditAction,
  targetId: string,
): Promise<SecretRevealed | null> {
  const last = await lastAuditEvent(ctx.db, action, targetId);
  return last && { by: last.actorName, at: last.at.toISOString() };
}
