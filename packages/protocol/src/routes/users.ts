/**
 * The team, agents and admins: `/api/users/*`.
 */
import { z } from 'zod';
import { AgentStatus, Role, User } from '../entities.js';
import { Email, Name, Password } from '../primitives.js';
import { IdParams } from '../rest.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';

export const MAX_CAPACITY = 100;
export const CreateUserBody = z.object({
  name: Name,
  email: Email,
  password: Password,
  role: Role.default('agent'),
  capacity: z.int().min(0).max(MAX_CAPACITY).default(5),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;
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
  createUser: {
    ...at.createUser,
    tag,
    summary: 'Add an agent or admin',
    auth: 'admin',
    body: CreateUserBody,
    responses: { 201: UserReply },
    errors: [409],
  },
  updateUser: {
    ...at.updateUser,
    tag,
    summary: "Change a user's name, role, capacity, status, or deactivate them",
    auth: 'admin',
    params: IdParams,
    body: UserPatchBody,
    responses: { 200: UserReply },
    errors: [404],
  },
} as const satisfies RouteEntries;
