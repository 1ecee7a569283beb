/**
 * Visitors kept out (issue 36): `/api/bans`. A banned visitor can send nothing: every visitor
 * request and socket is refused with `banned` (docs/architecture.md "Security").
 */
import { z } from 'zod';
import { Id, safeText, Timestamp } from '../primitives.js';
import { IdParams } from '../rest.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';

/** The widest networks a ban may cover: a ban is of a household or an office, not a country. */
export const BAN_MIN_PREFIX = { v4: 16, v6: 48 } as const;

const v4Network = z.cidrv4().refine((n) => Number(n.split('/')[1]) >= BAN_MIN_PREFIX.v4, {
  message: `An IPv4 network of /${BAN_MIN_PREFIX.v4} or narrower`,
});
const v6Network = z.cidrv6().refine((n) => Number(n.split('/')[1]) >= BAN_MIN_PREFIX.v6, {
  message: `An IPv6 network of /${BAN_MIN_PREFIX.v6} or narrower`,
});

/** An IP address (`203.0.113.7`) or a network (`203.0.113.0/24`). */
export const BanAddress = z.union([z.ipv4(), z.ipv6(), v4Network, v6Network]);

export const VisitorBan = z.object({
  id: Id,
  /** The visitor record banned; null for a ban of an address only. */
  visitorId: Id.nullable(),
  /** The address or network banned; null for a ban of the visitor record only. */
  address: z.string().nullable(),
  reason: z.string(),
  /** The agent who made it (null once their account is gone). */
  createdBy: z.object({ id: Id, name: z.string() }).nullable(),
  createdAt: Timestamp,
  /** When it ends by itself; null: until lifted. */
  expiresAt: Timestamp.nullable(),
});
export type VisitorBan = z.infer<typeof VisitorBan>;

export const BanBody = z
  .strictObject({
    /** The visitor record to ban. */
    visitorId: Id.optional(),
    /** With `visitorId`: ban the address they come from too (the server knows it). */
    includeAddress: z.boolean().default(false),
    /** An address or network to ban, alone or with `visitorId` instead of their own. */
    address: BanAddress.optional(),
    reason: safeText(500).default(''),
    /** When it ends; null or absent: until lifted. Must be in the future. */
    expiresAt: Timestamp.nullable().default(null),
  })
  .refine((b) => b.visitorId !== undefined || b.address !== undefined, {
    message: 'visitorId or address',
  })
  .refine((b) => !b.includeAddress || b.visitorId !== undefined, {
    message: 'includeAddress goes with visitorId',
    path: ['includeAddress'],
  })
  .refine((b) => !(b.includeAddress && b.address !== undefined), {
    message: 'includeAddress or address, not both',
    path: ['address'],
  })
  .refine((b) => b.expiresAt === null || Date.parse(b.expiresAt) > Date.now(), {
    message: 'expiresAt must be in the future',
    path: ['expiresAt'],
  });
export type BanBody = z.input<typeof BanBody>;

export const BanListReply = z.object({
  /** The bans in force (not lifted, not expired), newest first. */
  bans: z.array(VisitorBan),
});
export type BanListReply = z.infer<typeof BanListReply>;

export const BanReply = z.object({ ban: VisitorBan });
export type BanReply = z.infer<typeof BanReply>;

const tag = 'Bans';

export const banRoutes = {
  listBans: {
    ...at.listBans,
    tag,
    summary: 'The bans in force, newest first',
    auth: 'agent',
    responses: { 200: BanListReply },
  },
  createBan: {
    ...at.createBan,
    tag,
    summary: 'Ban a visitor, their address, or an address or network',
    description:
      'A banned visitor (by their record, or by the address their request comes from) can send nothing: their session, socket and every visitor request are refused with `banned`, and their open widgets are told and disconnected. Their conversations stay as they are. `includeAddress` bans the address the visitor was last seen at too. A ban identical to one in force (same visitor and address) is not made twice: 200 with the one in force.',
    auth: 'agent',
    body: BanBody,
    responses: { 201: BanReply, 200: BanReply },
    errors: [404],
  },
  liftBan: {
    ...at.liftBan,
    tag,
    summary: 'Lift a ban (agents)',
    auth: 'agent',
    params: IdParams,
    responses: { 204: null },
    errors: [404],
  },
} as const satisfies RouteEntries;
