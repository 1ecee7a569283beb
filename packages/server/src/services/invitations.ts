import { createHash, randomBytes } from 'node:crypto';
import {
  INVITATION_TTL_DAYS,
  type CreateInvitationBody,
  type Invitation,
  type InvitationAcceptBody,
  type InvitationCheckReply,
  type InvitationSentReply,
} from '@parley/protocol';
import {
  findOpenInvitationByTokenHash,
  insertInvitation,
  listPendingInvitations,
  markInvitationAccepted,
  renewInvitation as renewRow,
  revokeInvitation as revokeRow,
  type InvitationRow,
} from '../db/invitations.js';
import { lockFor } from '../db/locks.js';
import { listSites } from '../db/sites.js';
import { findUserByEmail, insertUser } from '../db/users.js';
import type { Tx } from '../db/client.js';
import { invitationEmail } from '../email/compose.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { requireAdmin, type AgentActor } from './actor.js';
import { recordAudit, type RequestOrigin } from './audit.js';
import { signIn, type SignedIn } from './auth.js';
import type { Context } from '../context.js';
import { assertPasswordAcceptable } from './password-policy.js';
import { hashPassword } from './passwords.js';
import type { ClientMeta } from './visitors.js';

const TTL_MS = INVITATION_TTL_DAYS * 24 * 60 * 60_000;

/** Only the link's hash is stored: a copy of the database lets nobody join. */
export const hashInvitationToken = (token: string) =>
  createHash('sha256').update(token).digest('base64url');

const INVALID_LINK =
  'This invitation link has expired, was used, or was replaced by a newer one; ask for a new one';

type Listed = { invitation: InvitationRow; invitedByName: string | null };

const toInvitation = ({ invitation: i, invitedByName }: Listed): Invitation => ({
  id: i.id,
  email: i.email,
  name: i.name,
  role: i.role,
  capacity: i.capacity,
  invitedBy: i.invitedBy && invitedByName ? { id: i.invitedBy, name: invitedByName } : null,
  expiresAt: i.expiresAt.toISOString(),
  createdAt: i.createdAt.toISOString(),
});

export async function listInvitations(ctx: Context, actor: AgentActor): Promise<Invitation[]> {
  requireAdmin(actor);
  return (await listPendingInvitations(ctx.db)).map(toInvitation);
}

/**
 * Sends a new link: emailed in the transaction that stored its hash (a durable job), or, with
 * email off or not wanted, returned here once for the admin to hand over.
 */
async function sendLink(
  ctx: Context,
  tx: Tx,
  actor: AgentActor,
  row: InvitationRow,
  token: string,
  sendEmail: boolean,
): Promise<boolean> {
  const mail = ctx.email;
  if (!mail || !sendEmail) return false;
  await ctx.jobs.enqueue(
    'email',
    invitationEmail({
      to: row.email,
      team: mail.sender,
      name: row.name,
      invitedBy: actor.name,
      link: `${mail.settings.publicUrl}/invite#${token}`,
    }),
    { tx },
  );
  return true;
}

function sent(
  ctx: Context,
  actor: AgentActor,
  row: InvitationRow,
  token: string,
  emailed: boolean,
) {
  if (emailed) ctx.jobs.wake();
  return {
    invitation: toInvitation({ invitation: row, invitedByName: actor.name }),
    emailed,
    token: emailed ? null : token,
  } satisfies InvitationSentReply;
}

const newToken = () => {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashInvitationToken(token), expiresAt: new Date(Date.now() + TTL_MS) };
};

/**
 * An admin invites a person: 409 for an address that is a user already, or that has a pending
 * invitation (the admin renews that one instead). Under a lock, so that two invitations of one
 * address, or an invitation racing its acceptance, cannot both pass the checks.
 */
export async function inviteAgent(
  ctx: Context,
  actor: AgentActor,
  body: CreateInvitationBody,
  origin: RequestOrigin,
): Promise<InvitationSentReply> {
  requireAdmin(actor);
  const { token, tokenHash, expiresAt } = newToken();
  const { row, emailed } = await ctx.db.transaction(async (tx) => {
    await lockFor(tx, 'invitations');
    if (await findUserByEmail(tx, body.email)) throw conflict('A user with this email exists');
    const pending = (await listPendingInvitations(tx)).some(
      (p) => p.invitation.email.toLowerCase() === body.email,
    );
    if (pending) {
      throw conflict('This address has a pending invitation: send a new link or revoke it');
    }
    const row = await insertInvitation(tx, {
      email: body.email,
      name: body.name,
      role: body.role,
      capacity: body.capacity,
      tokenHash,
      invitedBy: actor.id,
      expiresAt,
    });
    return { row, emailed: await sendLink(ctx, tx, actor, row, token, body.sendEmail) };
  });
  await recordAudit(ctx, actor, origin, 'invitation.created', row.id, {
    email: row.email,
    role: row.role,
    emailed,
  });
  return sent(ctx, actor, row, token, emailed);
}

/** A new link for a pending invitation, valid 7 days again: the old link stops working. */
export async function renewInvitation(
  ctx: Context,
  actor: AgentActor,
  id: string,
  sendEmail: boolean,
  origin: RequestOrigin,
): Promise<InvitationSentReply> {
  requireAdmin(actor);
  const { token, tokenHash, expiresAt } = newToken();
  const renewed = await ctx.db.transaction(async (tx) => {
    const row = await renewRow(tx, id, { tokenHash, expiresAt });
    if (!row) return null;
    return { row, emailed: await sendLink(ctx, tx, actor, row, token, sendEmail) };
  });
  if (!renewed) throw notFound('Invitation');
  await recordAudit(ctx, actor, origin, 'invitation.renewed', id, { emailed: renewed.emailed });
  return sent(ctx, actor, renewed.row, token, renewed.emailed);
}

/** Revokes a pending invitation: its link stops at once. A second revoke is a 404. */
export async function revokeInvitation(
  ctx: Context,
  actor: AgentActor,
  id: string,
  origin: RequestOrigin,
): Promise<void> {
  requireAdmin(actor);
  const row = await revokeRow(ctx.db, id);
  if (!row) throw notFound('Invitation');
  await recordAudit(ctx, actor, origin, 'invitation.revoked', id, { email: row.email });
}

/**
 * What the invited person's page shows, without using the link. A wrong, used, revoked,
 * renewed-away and expired token are told alike: `null`.
 */
export async function checkInvitation(
  ctx: Context,
  token: string,
): Promise<InvitationCheckReply['invitation']> {
  const found = await findOpenInvitationByTokenHash(ctx.db, hashInvitationToken(token));
  if (!found) return null;
  // The team's name as its emails give it; without email, its first site's.
  const team = ctx.email?.sender.name ?? (await listSites(ctx.db))[0]?.name ?? 'Parley';
  const { invitation: i } = found;
  return {
    email: i.email,
    name: i.name,
    role: i.role,
    invitedBy: found.invitedByName,
    team,
    expiresAt: i.expiresAt.toISOString(),
  };
}

/**
 * The invited person chooses their password and is signed in. The account gets the name, role
 * and capacity the admin chose: nothing in the request can change them. Once: under the lock the
 * invitation is taken again, so of two accepts at once one makes the account and the other is
 * told the link was used. A password the policy refuses leaves the link usable.
 */
export async function acceptInvitation(
  ctx: Context,
  body: InvitationAcceptBody,
  client: ClientMeta,
): Promise<SignedIn> {
  const tokenHash = hashInvitationToken(body.token);
  const found = await findOpenInvitationByTokenHash(ctx.db, tokenHash);
  if (!found) throw badRequest(INVALID_LINK);
  await assertPasswordAcceptable(body.password, found.invitation, 'password');
  const passwordHash = await hashPassword(body.password);
  const user = await ctx.db.transaction(async (tx) => {
    await lockFor(tx, 'invitations');
    const open = await findOpenInvitationByTokenHash(tx, tokenHash);
    if (!open) throw badRequest(INVALID_LINK);
    const i = open.invitation;
    const user = await insertUser(tx, {
      name: i.name,
      email: i.email,
      passwordHash,
      role: i.role,
      capacity: i.capacity,
      emailAlerts: i.role === 'admin',
    });
    // Joined meanwhile another way (single sign-on): the account is theirs already.
    if (!user) throw conflict('A user with this email exists: sign in instead');
    if (!(await markInvitationAccepted(tx, i.id, user.id))) throw badRequest(INVALID_LINK);
    return user;
  });
  await recordAudit(ctx, user, client, 'invitation.accepted', found.invitation.id, {
    email: user.email,
  });
  await recordAudit(ctx, user, client, 'user.added', user.id, {
    via: 'invitation',
    role: user.role,
    invitedBy: found.invitedByName,
  });
  return signIn(ctx, user, client, { method: 'invitation' });
}
