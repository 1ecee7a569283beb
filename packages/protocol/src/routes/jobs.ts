/**
 * Background work (email), for admins: `/api/jobs/*`. `Job` itself is in rest.ts: the
 * settings' test email replies with one too.
 */
import { z } from 'zod';
import { IdParams, Job, JobReply, JobStatus } from '../rest.js';
import { Cursor, queryInt } from './query.js';
import { apiAddresses as at } from './addresses.js';
import type { RouteEntries } from './route.js';

export const JobListQuery = z.object({
  status: JobStatus.optional(),
  cursor: Cursor.optional(),
  limit: queryInt(1, 100).default(30),
});
export type JobListQuery = z.infer<typeof JobListQuery>;
export const JobListReply = z.object({ items: z.array(Job), nextCursor: z.string().nullable() });
export type JobListReply = z.infer<typeof JobListReply>;

const tag = 'Jobs';

export const jobRoutes = {
  listJobs: {
    ...at.listJobs,
    tag,
    summary: 'Background jobs, newest first',
    auth: 'admin',
    query: JobListQuery,
    responses: { 200: JobListReply },
  },
  retryJob: {
    ...at.retryJob,
    tag,
    summary: 'Run a failed job again',
    auth: 'admin',
    params: IdParams,
    responses: { 200: JobReply },
    errors: [404, 409],
  },
} as const satisfies RouteEntries;
