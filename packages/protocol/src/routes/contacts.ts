/**
 * The people who chat, and their data (issue 35): `/api/contacts/*`.
 */
import { z } from 'zod';
import { Email, Id, safeText, Timestamp } from '../primitives.js';
import { apiAddresses as at } from './addresses.js';
import { bytes, type RouteEntries } from './route.js';

/**
 * Whom a request is about: a visitor by id, everyone who gave or showed an address, or the visitors a site
 * verified as one of its users (on one site, or on every site when `siteId` is not given).
 */
export const ContactRef = z
  .strictObject({
    visitorId: Id,
    email: Email,
    externalId: safeText(200).pipe(z.string().min(1)),
    siteId: Id,
  })
  .partial()
  .refine((b) => [b.visitorId, b.email, b.externalId].filter((x) => x !== undefined).length === 1, {
    message: 'One of visitorId, email or externalId',
  })
  .refine((b) => b.siteId === undefined || b.externalId !== undefined, {
    message: 'siteId goes with externalId',
    path: ['siteId'],
  });
export type ContactRef = z.infer<typeof ContactRef>;

export const EraseContactReply = z.object({
  /** The visitor records erased; their ids stay in the tombstones. */
  erased: z.array(z.object({ visitorId: Id, siteId: Id })),
  erasedAt: Timestamp,
  /** Rows deleted, by table (files are removed from storage by a job right after). */
  counts: z.record(z.string(), z.int()),
});
export type EraseContactReply = z.infer<typeof EraseContactReply>;

const tag = 'Contacts';

export const contactRoutes = {
  eraseContact: {
    ...at.eraseContact,
    tag,
    summary: 'Erase everything held about a person (admins): GDPR erasure',
    description:
      'Deletes the visitor records, their conversations and messages, files (in either store), page views, emails still queued to them, webhook deliveries about them and their search entries, and leaves a tombstone: when, by whom, how much. Reports keep their counts. Sends the `contact.erased` webhook event. A second, identical request finds nobody: 404.',
    auth: 'admin',
    body: ContactRef,
    responses: { 200: EraseContactReply },
    errors: [404],
  },
  exportContact: {
    ...at.exportContact,
    tag,
    summary: 'Everything held about a person, as one zip (admins): GDPR access',
    description:
      "`contact.json` (every table's rows of the person, found by the same map as erasure, in one snapshot) and `files/` (the files of their conversations and their uploads). Recorded in the audit log; never to a read-only token.",
    auth: 'admin',
    body: ContactRef,
    responses: { 200: bytes('A zip: contact.json and files/') },
    errors: [404],
  },
} as const satisfies RouteEntries;
