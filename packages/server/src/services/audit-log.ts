import type {
  AuditEvent,
  AuditEventCsvQuery,
  AuditEventListQuery,
  AuditEventListReply,
} from '@parley/protocol';
import { listAuditEvents, namesOf, type AuditEventRow, type AuditFilter } from '../db/audit.js';
import { forbidden } from '../errors.js';
import { requireAdmin, type AgentActor } from './actor.js';
import { decodeCursor, pageOf } from './cursor.js';
import type { Context } from '../context.js';

// Reading the audit log (issue 36): admins only, and not with a token that may read everything
// (`read`), since the log holds addresses and typed emails: a token made to read it names it in
// its scopes (`audit-log:read`, checked by the route's tag). Records are appended by
// `recordAudit` (audit.ts) and go only by retention; nothing here changes one.

const CSV_BATCH = 500;

function requireAuditReader(actor: AgentActor): void {
  requireAdmin(actor);
  if (actor.scope === 'read' && !actor.scopes) {
    throw forbidden(
      'The audit log is read with a token scoped to it (audit-log:read), not with any read-only token',
    );
  }
}

const filterOf = (q: AuditEventCsvQuery): AuditFilter => ({
  action: q.action,
  actorId: q.actorId,
  from: q.from ? new Date(q.from) : undefined,
  to: q.to ? new Date(q.to) : undefined,
});

async function present(ctx: Context, rows: AuditEventRow[]): Promise<AuditEvent[]> {
  const ids = rows.flatMap((r) => [r.targetId ?? '', r.tokenId ?? '']);
  const names = await namesOf(ctx.db, ids);
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    actor: { id: r.actorId, name: r.actorName },
    token: r.tokenId ? { id: r.tokenId, name: names.get(r.tokenId) ?? null } : null,
    ip: r.ip,
    target: r.targetId ? { id: r.targetId, name: names.get(r.targetId) ?? null } : null,
    details: isRecord(r.details) ? r.details : null,
    at: r.at.toISOString(),
  }));
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A page of the log, newest first, with the readable names of what it points at. */
export async function listAuditLog(
  ctx: Context,
  actor: AgentActor,
  query: AuditEventListQuery,
): Promise<AuditEventListReply> {
  requireAuditReader(actor);
  const position = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await listAuditEvents(ctx.db, filterOf(query), position, query.limit + 1);
  const { page, nextCursor } = pageOf(rows, query.limit, (r) => ({ at: r.at, id: r.id }));
  return { items: await present(ctx, page), nextCursor };
}

const CSV_COLUMNS = [
  'at',
  'action',
  'actor_id',
  'actor_name',
  'token_id',
  'token_name',
  'ip',
  'target_id',
  'target_name',
  'details',
] as const;

/**
 * One CSV cell: quoted when it holds a comma, quote or line break; and a text a spreadsheet
 * would run as a formula (starting with = + - @, or a tab or carriage return) is prefixed
 * with `'`, since a typed email or a name is whatever someone typed.
 */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvRow(e: AuditEvent): string {
  const cells = [
    e.at,
    e.action,
    e.actor.id,
    e.actor.name,
    e.token?.id ?? null,
    e.token?.name ?? null,
    e.ip,
    e.target?.id ?? null,
    e.target?.name ?? null,
    e.details ? JSON.stringify(e.details) : null,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * The filtered log as CSV, newest first, read in batches so that a long log is streamed rather
 * than held: the header, then a chunk of rows per batch. Admin checks happen before the first.
 */
export async function auditLogCsv(
  ctx: Context,
  actor: AgentActor,
  query: AuditEventCsvQuery,
): Promise<AsyncGenerator<string>> {
  requireAuditReader(actor);
  const filter = filterOf(query);
  async function* chunks() {
    // The header comes with the first batch: the route reads that before it sends anything.
    let header = `${CSV_COLUMNS.join(',')}\r\n`;
    let position: { at: Date; id: string } | undefined;
    for (;;) {
      const rows = await listAuditEvents(ctx.db, filter, position, CSV_BATCH);
      yield header + (await present(ctx, rows)).map(csvRow).join('');
      header = '';
      const last = rows[rows.length - 1];
      if (rows.length < CSV_BATCH || !last) return;
      position = { at: last.at, id: last.id };
    }
  }
  return chunks();
}
