/**
 * The team, agents and admins: `/api/users/*`. People join through invitations
 * (routes/invitations.ts): there is no route where an admin picks someone's password.
 */
import { z } from 'zod';
import { AgentStatus, Role, User } from '../entities.js';
import { Name } from '../primitives.js';
import { IdParams } from '../rest.js';
import { apiAddresses as at } from './addresses.js';
import { EndedSessionsReply } from './auth.js';
import type { RouteEntries } from './route.js';

export const MAX_CAPACITY = 100;
export const UserPatchBody = z
  .object({
    name: Name.optional(),
    role: Role.optional(),
    capacity: z.int().min(0).max(MAX_CAPACITY).optional(),
    /** false deactivates: sessions end and sockets are disconnected. */
    active: z.boolean().optional(),
    status: AgentStatus.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type UserPatchBody = z.infer<typeof UserPatchBody>;
export const UserListReply = z.object({ items: z.array(User) });
export type UserListReply = z.infer<typeof UserListReply>;
export const UserReply = z.object({ user: User });
export type UserReply = z.infer<typeof UserReply>;

const tag = 'Users';

export const userRoutes = {
  listUsers: {
    ...at.listUsers,
    tag,
    summary: 'The team',
    auth: 'agent',
    responses: { 200: UserListReply },
  },
  updateUser: {
    ...at.updateUser,
    tag,
    summary: "Change a user's name, role, capacity, status, or deactivate them",
    description:
      '409 when it would deactivate or demote the break-glass admin of "SSO only" (choose another first).',
    auth: 'admin',
    params: IdParams,
    body: UserPatchBody,
    responses: { 200: UserReply },
    errors: [404, 409],
  },
  endUserSessions: {
    ...at.endUserSessions,
    tag,
    summary: "End every browser sign-in of a user (admins): a lost laptop's too",
    description:
      'At once, on REST and sockets on every instance, as their own sign-out does. Their API tokens are not sign-ins of a browser: revoke those under API tokens. Recorded in the audit log. A second request ends nothing more: `ended: 0`.',
    auth: 'admin',
    params: IdParams,
    responses: { 200: EndedSessionsReply },
    errors: [404],
  },
} as const satisfies RouteEntries;
