/**
 * The team's saved replies: `/api/canned-responses/*`.
 */
import { z } from 'zod';
import { CannedResponse } from '../entities.js';
import { MessageContent, safeText } from '../primitives.js';
import { IdParams } from '../rest.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';

export const Shortcut = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9_-]+$/, 'Lowercase letters, digits, - and _');
export const CannedResponseBody = z.object({
  title: safeText(100).pipe(z.string().min(1)),
  content: MessageContent,
  shortcut: Shortcut,
  category: safeText(60).nullable().optional(),
});
export type CannedResponseBody = z.infer<typeof CannedResponseBody>;
export const CannedResponsePatchBody = CannedResponseBody.partial().refine(
  (b) => Object.keys(b).length > 0,
  { message: 'Nothing to change' },
);
export type CannedResponsePatchBody = z.infer<typeof CannedResponsePatchBody>;
export const CannedResponseListReply = z.object({ items: z.array(CannedResponse) });
export type CannedResponseListReply = z.infer<typeof CannedResponseListReply>;
export const CannedResponseReply = z.object({ cannedResponse: CannedResponse });
export type CannedResponseReply = z.infer<typeof CannedResponseReply>;

const tag = 'Canned responses';

export const cannedResponseRoutes = {
  listCannedResponses: {
    ...at.listCannedResponses,
    tag,
    summary: 'All canned responses',
    auth: 'agent',
    responses: { 200: CannedResponseListReply },
  },
  createCannedResponse: {
    ...at.createCannedResponse,
    tag,
    summary: 'Add a canned response',
    auth: 'agent',
    body: CannedResponseBody,
    responses: { 201: CannedResponseReply },
    errors: [409],
  },
  updateCannedResponse: {
    ...at.updateCannedResponse,
    tag,
    summary: 'Edit a canned response (its author or an admin)',
    auth: 'agent',
    params: IdParams,
    body: CannedResponsePatchBody,
    responses: { 200: CannedResponseReply },
    errors: [403, 404, 409],
  },
  deleteCannedResponse: {
    ...at.deleteCannedResponse,
    tag,
    summary: 'Delete a canned response (its author or an admin)',
    auth: 'agent',
    params: IdParams,
    responses: { 204: null },
    errors: [403, 404],
  },
} as const satisfies RouteEntries;
