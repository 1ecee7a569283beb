import { isIP } from 'node:net';
import type { BanBody, BanListReply, VisitorBan } from '@parley/protocol';
import {
  deleteBan,
  findSameBan,
  insertBan,
  isBanned,
  listBans as listBanRows,
  type BanRow,
} from '../db/bans.js';
import { findVisitor } from '../db/visitors.js';
import { AppError, badRequest, notFound } from '../errors.js';
import type { Context } from '../context.js';
import type { AgentActor } from './actor.js';
import { recordAudit, type RequestOrigin } from './audit.js';

// Visitors kept out (issue 36; docs/architecture.md "Security"). A ban is checked where a
// visitor is let in: their session (`createSession`), their token on every REST request and
// their socket's handshake (`authenticateVisitor`). A visitor who cannot get in stores nothing,
// so no service that stores needs a check of its own. A new ban closes the visitor's open
// sockets (the sockets' outlet, on `visitorsBanned`), and the reconnection is refused.

/**
 * An address a ban can be checked against: an IP address, with an IPv4 address seen on an IPv6
 * socket (`::ffff:203.0.113.7`) as the IPv4 address it is. Anything else (a forged
 * X-Forwarded-For's text) is no address: the visitor's record is still checked.
 */
export function banAddressOf(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const plain =
    ip.toLowerCase().startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  return isIP(plain) === 0 ? null : plain;
}

export const banned = () => new AppError('banned', "You can't send messages in this chat.");

/** Throws `banned` while a ban in force names the visitor or contains the address. */
export async function refuseBanned(
  ctx: Context,
  visitorId: string | null,
  ip: string | null | undefined,
): Promise<void> {
  if (await isBanned(ctx.db, visitorId, banAddressOf(ip))) throw banned();
}

/** Whether a ban in force names the visitor (for a way in with no address: their email). */
export async function isVisitorBanned(ctx: Context, visitorId: string): Promise<boolean> {
  return isBanned(ctx.db, visitorId, null);
}

export async function listBans(ctx: Context): Promise<BanListReply> {
  return { bans: (await listBanRows(ctx.db)).map(toBan) };
}

/**
 * Bans a visitor, their address (the one they were last seen at) or an address or network given.
 * A ban in force of the same visitor and address is returned as it is (`created: false`).
 */
export async function banVisitor(
  ctx: Context,
  actor: AgentActor,
  body: BanBody,
  origin: RequestOrigin,
): Promise<{ ban: VisitorBan; created: boolean }> {
  let address = body.address ?? null;
  if (body.visitorId !== undefined) {
    const visitor = await findVisitor(ctx.db, body.visitorId);
    if (!visitor) throw notFound('Visitor');
    if (body.includeAddress) {
      address = banAddressOf(visitor.ip);
      if (address === null) throw badRequest('This visitor has no known address');
    }
  }
  const visitorId = body.visitorId ?? null;
  const same = await findSameBan(ctx.db, visitorId, address);
  if (same) return { ban: toBan(same), created: false };
  const row = await insertBan(ctx.db, {
    visitorId,
    address,
    reason: body.reason ?? '',
    createdBy: actor.id,
    expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
  });
  ctx.events.emit('visitorsBanned', { visitorId, address: row.address });
  const ban = toBan(row);
  await recordAudit(ctx, actor, origin, 'ban.created', row.id, { after: ban });
  return { ban, created: true };
}

/** Lifts a ban at once: the visitor may start a session again. */
export async function liftBan(
  ctx: Context,
  actor: AgentActor,
  id: string,
  origin: RequestOrigin,
): Promise<void> {
  const lifted = await deleteBan(ctx.db, id);
  if (!lifted) throw notFound('Ban');
  await recordAudit(ctx, actor, origin, 'ban.lifted', id, { before: lifted });
}

function toBan(row: BanRow): VisitorBan {
  return {
    id: row.id,
    visitorId: row.visitorId,
    address: row.address,
    reason: row.reason,
    createdBy: row.creator,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}
