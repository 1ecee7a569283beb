/**
 * Uploads and their short-lived download links: `/api/attachments/*`, and the signed
 * downloads at `/files/:id`.
 */
import { z } from 'zod';
import { Attachment } from '../entities.js';
import { FileName, Timestamp } from '../primitives.js';
import { IdParams } from '../rest.js';
import { queryInt } from './query.js';
import { apiAddresses as at } from './addresses.js';
import { bytes, type RouteEntries } from './route.js';

/** `PUT /api/attachments/:id?name=`: the raw bytes; the id is the client's, so a retry is one. */
export const UploadQuery = z.object({ name: FileName });
export type UploadQuery = z.infer<typeof UploadQuery>;
export const AttachmentReply = z.object({ attachment: Attachment });
export type AttachmentReply = z.infer<typeof AttachmentReply>;
/** `GET /api/attachments/:id/url`: where to fetch the bytes, until `expiresAt`. */
export const AttachmentUrlReply = z.object({ url: z.string(), expiresAt: Timestamp });
export type AttachmentUrlReply = z.infer<typeof AttachmentUrlReply>;
/** `GET /files/:id?expires=&signature=`: the signed download. */
export const FileQuery = z.object({
  expires: queryInt(0, Number.MAX_SAFE_INTEGER),
  signature: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
});
export type FileQuery = z.infer<typeof FileQuery>;

const tag = 'Files';

export const fileRoutes = {
  uploadAttachment: {
    ...at.uploadAttachment,
    tag,
    summary: "Upload a file's bytes under an id of the client's choosing",
    description:
      'The type is read from the bytes. 201 when stored now; 200 for a retry of the same upload. Then send a message with its id in `attachmentIds`.',
    auth: 'agent-or-visitor',
    params: IdParams,
    query: UploadQuery,
    body: bytes("The file's bytes"),
    responses: { 200: AttachmentReply, 201: AttachmentReply },
    errors: [409, 413, 415, 429],
  },
  getAttachmentUrl: {
    ...at.getAttachmentUrl,
    tag,
    summary: 'A short-lived signed link to download a file',
    auth: 'agent-or-visitor',
    params: IdParams,
    responses: { 200: AttachmentUrlReply },
    errors: [404],
  },
  downloadFile: {
    ...at.downloadFile,
    tag,
    summary: "A file's bytes, through a signed link",
    description:
      'The link (from `GET /api/attachments/{id}/url`) is the permission. Images are shown inline; anything else is a download.',
    auth: 'none',
    params: IdParams,
    query: FileQuery,
    responses: { 200: bytes("The file's bytes, with its type and name in the headers") },
    errors: [403, 404],
  },
} as const satisfies RouteEntries;
