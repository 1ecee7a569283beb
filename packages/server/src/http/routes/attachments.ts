import { MAX_FILE_MB } from '@parley/protocol';
import { routes } from '@parley/protocol/api-routes';
import express, { type Request, type Response } from 'express';
import type { Context } from '../../context.js';
import { badRequest } from '../../errors.js';
import { attachmentUrl, uploadAttachment } from '../../services/attachments.js';
import { enforce, limits } from '../../services/rate-limit.js';
import type { Route } from '../route.js';

// The bytes as they are; the admin's limit (at most MAX_FILE_MB) is checked by the service.
const raw = express.raw({ type: () => true, limit: `${MAX_FILE_MB}mb` });

/** The request's bytes, read only once the caller is known and within its rate. */
function bytesOf(req: Request, res: Response): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    raw(req, res, (error?: unknown) => {
      if (error) return reject(error);
      if (!Buffer.isBuffer(req.body)) {
        return reject(badRequest("Send the file's bytes as application/octet-stream"));
      }
      resolve(req.body);
    });
  });
}

export function attachmentRoutes(ctx: Context, route: Route): void {
  // PUT to an id of the client's: 201 when stored now, 200 for a retry of the same upload.
  route(routes.uploadAttachment, async ({ params, query, actor, req }, res) => {
    await enforce(ctx.rateLimiter, [[`uploads:${actor.kind}:${actor.id}`, limits.uploadsPerActor]]);
    const bytes = await bytesOf(req, res);
    const { attachment, created } = await uploadAttachment(
      ctx,
      actor,
      params.id,
      query.name,
      bytes,
    );
    return { status: created ? 201 : 200, body: { attachment } };
  });

  route(routes.getAttachmentUrl, ({ params, actor }) => attachmentUrl(ctx, actor, params.id));
}
