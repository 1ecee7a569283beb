/**
 * Invitations (issue 36): `/api/invitations/*`. An admin invites a person by address; the person
 * follows the single-use link (7 days) and chooses their own password, or signs in with single
 * sign-on. An admin never picks or sees a password.
 */
import { z } from 'zod';
import { AuthReply } from './auth.js';
import { Role } from '../entities.js';
import { Email, Id, Name, Password, Timestamp } from '../primitives.js';
import { IdParams } from '../rest.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';
import { MAX_CAPACITY } from './users.js';

/** An invitation's link works this many days, once. */
export const INVITATION_TTL_DAYS = 7;

/** A pending invitation as admins see it: never its token. */
export const Invitation = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  capacity: z.int(),
  /** The admin who made it or last renewed it (null once their account is gone). */
  invitedBy: z.object({ id: Id, name: z.string() }).nullable(),
  /** Its link stops working then; an expired one can be renewed. */
  expiresAt: Timestamp,
  createdAt: Timestamp,
});
export type Invitation = z.infer<typeof Invitation>;

export const CreateInvitationBody = z.object({
  name: Name,
  email: Email,
  role: Role.default('agent'),
  capacity: z.int().min(0).max(MAX_CAPACITY).default(5),
  /**
   * With email on, the link is emailed unless this is false: then it is in the reply, for the
   * admin to hand over. With email off it is always in the reply.
   */
  sendEmail: z.boolean().default(true),
});
export type CreateInvitationBody = z.infer<typeof CreateInvitationBody>;
export const RenewInvitationBody = CreateInvitationBody.pick({ sendEmail: true });
export type RenewInvitationBody = z.infer<typeof RenewInvitationBody>;

/**
 * `POST /api/invitations` and `…/renew`: the link's token is in this reply only, and only when
 * it was not emailed; the dashboard's link is `<origin>/invite#<token>`.
 */
export const InvitationSentReply = z.object({
  invitation: Invitation,
  emailed: z.boolean(),
  token: z.string().nullable(),
});
export type InvitationSentReply = z.infer<typeof InvitationSentReply>;
export const InvitationListReply = z.object({ items: z.array(Invitation) });
export type InvitationListReply = z.infer<typeof InvitationListReply>;

/** The token travels in the body, never the address, which logs keep. */
export const InvitationCheckBody = z.object({ token: z.string().min(1).max(200) });
export type InvitationCheckBody = z.infer<typeof InvitationCheckBody>;
/**
 * What the invited person's page shows; `invitation: null` alike for a wrong, used, revoked,
 * renewed-away and expired token.
 */
export const InvitationCheckReply = z.object({
  invitation: z
    .object({
      email: z.string(),
      name: z.string(),
      role: Role,
      invitedBy: z.string().nullable(),
      /** What they are joining: the team's name in its emails (MAIL_FROM), else its first site's. */
      team: z.string(),
      expiresAt: Timestamp,
    })
    .nullable(),
});
export type InvitationCheckReply = z.infer<typeof InvitationCheckReply>;
/** The invited person chooses their password (the policy applies); nothing else. */
export const InvitationAcceptBody = InvitationCheckBody.extend({ password: Password });
export type InvitationAcceptBody = z.infer<typeof InvitationAcceptBody>;

const tag = 'Invitations';

export const invitationRoutes = {
  listInvitations: {
    ...at.listInvitations,
    tag,
    summary: 'Invitations not yet used or revoked, expired ones too',
    auth: 'admin',
    responses: { 200: InvitationListReply },
  },
  createInvitation: {
    ...at.createInvitation,
    tag,
    summary: 'Invite a person to the team: emailed, or its link in this reply only',
    description:
      'The person chooses their own password through the link (7 days, once). 409 when the address is a user already or has a pending invitation (renew that one).',
    auth: 'admin',
    body: CreateInvitationBody,
    responses: { 201: InvitationSentReply },
    errors: [409, 429],
  },
  revokeInvitation: {
    ...at.revokeInvitation,
    tag,
    summary: 'Revoke a pending invitation: its link stops working',
    auth: 'admin',
    params: IdParams,
    responses: { 204: null },
    errors: [404],
  },
  renewInvitation: {
    ...at.renewInvitation,
    tag,
    summary: 'A new link for a pending invitation, 7 days again; the old link stops working',
    auth: 'admin',
    params: IdParams,
    body: RenewInvitationBody,
    optionalBody: true,
    responses: { 200: InvitationSentReply },
    errors: [404, 429],
  },
  checkInvitation: {
    ...at.checkInvitation,
    tag,
    summary: "What an invitation's link is for, without using it",
    description: 'Counted with acceptances against the per-address limit.',
    auth: 'none',
    body: InvitationCheckBody,
    responses: { 200: InvitationCheckReply },
    errors: [429],
  },
  acceptInvitation: {
    ...at.acceptInvitation,
    tag,
    summary: "Use an invitation's link: choose a password, and be signed in",
    description:
      'Once: the account is made with the name, role and capacity the admin chose. 400 for a link that is used, revoked, renewed or expired.',
    auth: 'none',
    body: InvitationAcceptBody,
    responses: { 201: AuthReply },
    errors: [409, 429],
  },
} as const satisfies RouteEntries;
