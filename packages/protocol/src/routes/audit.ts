/**
 * The audit log (issue 36): who changed what, when, from where and through which token.
 * Admins read it (`/api/audit-events`) and download it as CSV; no route changes or deletes a
 * record (docs/audit-log.md).
 */
import { z } from 'zod';
import { Id, Timestamp } from '../primitives.js';
import { apiAddresses as at } from './addresses.js';
import { Cursor } from './query.js';
import type { RouteEntries } from './route.js';

export const AuditEvent = z.object({
  id: Id,
  /** What happened, as `<thing>.<verb>`: `user.changed`, `sign_in.failed`. */
  action: z.string(),
  /**
   * Who: `id` null when nobody known did it (a failed sign-in: the typed email is the name) or
   * their account is gone. The name is the one they had then.
   */
  actor: z.object({ id: Id.nullable(), name: z.string() }),
  /** The API token it went through, and its name while the token is still listed. */
  token: z.object({ id: Id, name: z.string().nullable() }).nullable(),
  /** The client's address as the server saw it. */
  ip: z.string().nullable(),
  /** On what: an id, and a readable name where one is found (a user, a token, a webhook). */
  target: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  /** The rest: a setting's `before` and `after`, a failed sign-in's `reason`. No secrets. */
  details: z.record(z.string(), z.unknown()).nullable(),
  at: Timestamp,
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** The filters, shared by the page and the CSV. */
/** A time the log can be filtered by: one the database can compare (not the year 0, say). */
const FilterTime = Timestamp.refine((v) => {
  const year = new Date(v).getUTCFullYear();
  return year >= 1970 && year <= 9999;
}, 'A time between the years 1970 and 9999');

const AuditFilter = z.object({
  /** An action (`user.changed`), or a kind of action: the part before the dot (`user`). */
  action: z
    .string()
    .max(60)
    .regex(/^[a-z_]+(\.[a-z_]+)?$/)
    .optional(),
  /** One person's records. */
  actorId: Id.optional(),
  /** From this time on (inclusive). */
  from: FilterTime.optional(),
  /** Before this time (exclusive). */
  to: FilterTime.optional(),
});

/** `GET /api/audit-events?action=&actorId=&from=&to=&cursor=&limit=`: newest first. */
export const AuditEventListQuery = AuditFilter.extend({
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type AuditEventListQuery = z.infer<typeof AuditEventListQuery>;

export const AuditEventCsvQuery = AuditFilter;
export type AuditEventCsvQuery = z.infer<typeof AuditEventCsvQuery>;

export const AuditEventListReply = z.object({
  items: z.array(AuditEvent),
  nextCursor: z.string().nullable(),
});
export type AuditEventListReply = z.infer<typeof AuditEventListReply>;

const tag = 'Audit log';

export const auditRoutes = {
  listAuditEvents: {
    ...at.listAuditEvents,
    tag,
    summary: 'The audit log, newest first (admins)',
    description:
      'Sign-ins and failed sign-ins, changes to people, tokens, webhooks and settings (with before and after), secrets revealed or rotated, exports and erasures. Filtered by action or kind of action, by person and by time; paged with `nextCursor`. Records are never changed or deleted through the API; they go when older than the retention period.',
    auth: 'admin',
    query: AuditEventListQuery,
    responses: { 200: AuditEventListReply },
  },
  exportAuditEvents: {
    ...at.exportAuditEvents,
    tag,
    summary: 'The filtered audit log as CSV (admins)',
    description:
      "The same records and filters as the list, all of them, newest first, as a CSV download. A cell that starts with `=`, `+`, `-` or `@` is prefixed with `'` so that a spreadsheet does not run it.",
    auth: 'admin',
    query: AuditEventCsvQuery,
    responses: { 200: { mediaType: 'text/csv', description: 'The records, one a row' } },
  },
} as const satisfies RouteEntries;
