import type {
  Contact,
  ContactListQuery,
  ContactListReply,
  ContactRef,
  ContactReply,
  EraseContactReply,
} from '@parley/protocol';
import {
  findContact,
  findRelatedContacts,
  listContacts as listContactRows,
} from '../db/contacts.js';
import type { ContactRow } from '../db/contacts.js';
import { listVisitorConversations, toConversation } from '../db/conversations.js';
import {
  eraseRows,
  exportRows,
  findContactIds,
  insertTombstones,
  personOf,
} from '../db/erasure.js';
import { toVisitor } from '../db/visitors.js';
import { notFound } from '../errors.js';
import { decodeCursor, pageOf } from './cursor.js';
import { parseSearch } from './search-text.js';
import { requireAdmin, requireWrite, type AgentActor } from './actor.js';
import { recordAudit, type RequestOrigin } from './audit.js';
import type { Context } from '../context.js';

// People's data (issue 35): erasure reads the map of where a person's data lives
// (db/personal-data.ts), so a table added to it is erased too.

const toContact = (r: ContactRow): Contact => ({
  ...toVisitor(r.visitor),
  conversationCount: r.conversationCount,
  lastChatAt: r.lastChatAt.toISOString(),
});

/** Everyone who chatted or left a message, last seen first; `q` finds them by their words. */
export async function listContacts(
  ctx: Context,
  query: ContactListQuery,
): Promise<ContactListReply> {
  const typed = query.q?.trim() ?? '';
  const terms = typed ? parseSearch(typed) : undefined;
  // Typed, but no word in it (punctuation only): nobody matches.
  if (typed && !terms?.length) return { items: [], nextCursor: null };
  const rows = await listContactRows(ctx.backgroundDb, {
    terms,
    typed,
    siteId: query.siteId,
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  const { page, nextCursor } = pageOf(rows.map(toContact), query.limit, (c) => ({
    at: c.lastSeenAt,
    id: c.id,
  }));
  return { items: page, nextCursor };
}

/** A contact, their conversations (the latest 200) and their other records by address. */
export async function getContact(ctx: Context, id: string): Promise<ContactReply> {
  const row = await findContact(ctx.db, id);
  if (!row) throw notFound('Contact');
  const { email, confirmedEmail } = row.visitor;
  const emails = [...new Set([email, confirmedEmail].filter((e): e is string => !!e))];
  const [conversations, related] = await Promise.all([
    listVisitorConversations(ctx.db, id, 200),
    findRelatedContacts(ctx.db, id, emails),
  ]);
  return {
    contact: toContact(row),
    conversations: conversations.map(toConversation),
    related: related.map(toContact),
  };
}

/**
 * Erases everything held about a person: every row the map finds by their visitor records,
 * conversations and addresses, in one transaction; the files' bytes go by the job the
 * attachments' trigger queues, in either store. A tombstone per visitor record stays, and the
 * audit log says who. A second, identical request finds nobody: 404.
 */
export async function eraseContact(
  ctx: Context,
  actor: AgentActor,
  body: ContactRef,
  origin: RequestOrigin,
): Promise<EraseContactReply> {
  requireAdmin(actor);
  requireWrite(actor);
  const ids = await findContactIds(ctx.db, body);
  if (ids.length === 0) throw notFound('Contact');
  const done = await ctx.db.transaction(async (tx) => {
    const { person, visitors, conversations } = await personOf(tx, ids);
    const counts = await eraseRows(tx, person);
    const by = { id: actor.id, name: actor.name, tokenId: actor.tokenId ?? null };
    const erasedAt = await insertTombstones(tx, visitors, by, counts);
    return { visitors, conversations, counts, erasedAt };
  });
  for (const visitor of done.visitors) {
    await recordAudit(ctx, actor, origin, 'contact.erased', visitor.id);
  }
  ctx.jobs.wake();
  const erasedAt = done.erasedAt.toISOString();
  for (const { id, visitorId } of done.conversations) {
    ctx.events.emit('conversationDeleted', { conversationId: id, visitorId });
  }
  for (const visitor of done.visitors) {
    ctx.events.emit('contactErased', { visitorId: visitor.id, siteId: visitor.siteId, erasedAt });
  }
  return {
    erased: done.visitors.map((v) => ({ visitorId: v.id, siteId: v.siteId })),
    erasedAt,
    counts: done.counts,
  };
}

/** A person's data as one download: what the map finds of them, and their files. */
export type ContactExport = {
  /** `contact.json`: every table's rows of the person, and when and for whom it was made. */
  json: Record<string, unknown>;
  /** The files sent in their conversations or uploaded by them, by their storage keys. */
  files: Array<{ id: string; name: string; storageKey: string }>;
};

/**
 * Everything held about a person (their right of access), read through the same map as erasure
 * in one snapshot. Admins only, never a read token's (it is all of a person's data at once), and
 * recorded in the audit log.
 */
export async function exportContact(
  ctx: Context,
  actor: AgentActor,
  body: ContactRef,
  origin: RequestOrigin,
): Promise<ContactExport> {
  requireAdmin(actor);
  requireWrite(actor);
  const ids = await findContactIds(ctx.db, body);
  if (ids.length === 0) throw notFound('Contact');
  const tables = await ctx.db.transaction(
    async (tx) => exportRows(tx, (await personOf(tx, ids, { lock: false })).person),
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  for (const id of ids) await recordAudit(ctx, actor, origin, 'contact.exported', id);
  const files = (tables.attachments ?? []).map((row) => ({
    id: String(row.id),
    name: String(row.name),
    storageKey: String(row.storage_key),
  }));
  return {
    json: { exportedAt: new Date().toISOString(), exportedBy: actor.name, visitorIds: ids, tables },
    files,
  };
}
