/**
 * The people who chat, and their data (issue 35): `/api/contacts/*`.
 */
import { z } from 'zod';
import { Conversation, Visitor } from '../entities.js';
import { Email, Id, safeText, Timestamp } from '../primitives.js';
import { IdParams } from '../rest.js';
import { apiAddresses as at } from './addresses.js';
import { Cursor, queryInt } from './query.js';
import { bytes, type RouteEntries } from './route.js';

/**
 * A person who chatted or left a message: their visitor record (one per site; every device of a
 * verified user is that one record), with how many conversations they had and when the last began.
 */
export const Contact = Visitor.extend({
  conversationCount: z.int(),
  lastChatAt: Timestamp,
});
export type Contact = z.infer<typeof Contact>;

export const ContactListQuery = z.object({
  /** Words of their name, email, the site's id for them or their attributes' values. */
  q: safeText(200).optional(),
  /** The contacts of one website. */
  siteId: Id.optional(),
  cursor: Cursor.optional(),
  limit: queryInt(1, 100).default(50),
});
export type ContactListQuery = z.infer<typeof ContactListQuery>;

export const ContactListReply = z.object({
  /** Last seen first. */
  items: z.array(Contact),
  nextCursor: z.string().nullable(),
});
export type ContactListReply = z.infer<typeof ContactListReply>;

export const ContactReply = z.object({
  contact: Contact,
  /** Their conversations, newest first (the latest 200). */
  conversations: z.array(Conversation),
  /**
   * The other records of the same person: visitors who gave or showed the same address, on
   * this site (another browser, before a sign-in) or another.
   */
  related: z.array(Contact),
});
export type ContactReply = z.infer<typeof ContactReply>;

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
  listContacts: {
    ...at.listContacts,
    tag,
    summary: 'Everyone who chatted or left a message, last seen first; searchable',
    description:
      "A contact is a visitor with at least one conversation. `q` finds them by words of their name, email, the site's id for them and their attributes' values (a word's beginning is enough for its last word).",
    auth: 'agent',
    query: ContactListQuery,
    responses: { 200: ContactListReply },
  },
  getContact: {
    ...at.getContact,
    tag,
    summary: 'A contact with their conversations and their other records',
    auth: 'agent',
    params: IdParams,
    responses: { 200: ContactReply },
    errors: [404],
  },
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
