import type { SecretRevealed } from '@parley/protocol';
import { insertAuditEvent, lastAuditEvent } from '../db/audit.js';
import { redact } from './audit-details.js';
import type { AgentActor } from './actor.js';
import type { Context } from '../context.js';

export { changedAny, changeOf } from './audit-details.js';

/** What is recorded of who did something: the request's address, as the transport saw it. */
export type RequestOrigin = { ip: string | null };

/** The recorded actions, by name (`<thing>.<verb>`). */
export type AuditAction =
  | 'identity_secret.revealed'
  | 'identity_secret.rotated'
  | 'webhook_secret.revealed'
  | 'webhook_secret.rotated'
  | 'contact.erased'
  | 'contact.exported'
  | 'retention.changed'
  | 'sessions.ended'
  | 'sign_in.succeeded'
  | 'sign_in.failed'
  | 'password.changed'
  | 'password.reset'
  | 'user.added'
  | 'user.changed'
  | 'user.deactivated'
  | 'user.reactivated'
  | 'api_token.created'
  | 'api_token.revoked'
  | 'webhook.created'
  | 'webhook.changed'
  | 'webhook.deleted'
  | 'widget_settings.changed'
  | 'file_settings.changed'
  | 'email_settings.changed'
  | 'identity_settings.changed'
  | 'bot_settings.changed'
  | 'site.created'
  | 'site.changed'
  | 'site.deleted'
  | 'team.created'
  | 'team.changed'
  | 'team.deleted'
  | 'ban.created'
  | 'ban.lifted'
  | 'invitation.created'
  | 'invitation.revoked'
  | 'invitation.renewed'
  | 'invitation.accepted'
  | 'two_factor.enabled'
  | 'two_factor.disabled'
  | 'two_factor.reset_by_admin'
  | 'two_factor.recovery_code_used'
  | 'two_factor_policy.changed'
  | 'sso.changed'
  | 'sso.linked';

/**
 * Who did it: a signed-in agent, or, for a failed sign-in, nobody known (`id` null) with the
 * email that was typed as the name.
 */
export type AuditActor = Pick<AgentActor, 'name' | 'tokenId'> & { id: string | null };

/** What a record says beyond who, what and on what: a setting's `before` and `after`, a reason. */
export type AuditDetails = Record<string, unknown>;

/**
 * Appends one record: who (and through which token), what, on what, from where, now. Awaited by
 * the service that made the change, so no change is answered without its record.
 */
export async function recordAudit(
  ctx: Context,
  actor: AuditActor,
  origin: RequestOrigin,
  action: AuditAction,
  targetId: string | null,
  details?: AuditDetails,
): Promise<void> {
  await insertAuditEvent(ctx.db, {
    action,
    actorId: actor.id,
    actorName: actor.name,
    tokenId: actor.tokenId ?? null,
    ip: origin.ip,
    targetId,
    // Secrets never go into the log, whatever a caller passes.
    details: details === undefined ? null : redact(details),
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
